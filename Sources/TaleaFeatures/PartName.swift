/// What a part's name says it is: a singer, a keyboard, or another instrument.
///
/// Names come from the encoding (a track name, an instrument name) and many files have none or a
/// neutral one ("Track 2", "P1"), so a name is only ever used as positive evidence, never required.
/// Words are matched by their beginning ("violin" matches "Violino I", "sopran" matches "Soprano 2"),
/// in English, German and Italian.
public enum PartName {
    /// Beginnings of words that name a bowed, wind, brass, plucked or percussion instrument.
    static let instrumentStems = [
        "violin", "violon", "viola", "viole", "geige", "bratsche", "cello", "kontrabass", "contrabass", "string", "streicher",
        "flute", "flöte", "flaut", "piccolo", "recorder", "oboe", "hautbois", "clarinet", "klarinett", "bassoon", "fagott",
        "horn", "corno", "cornet", "trumpet", "trompete", "tromba", "trombone", "posaune", "tuba", "timpani", "pauke",
        "guitar", "gitarre", "guitarre", "chitarra", "lute", "laute", "mandolin", "continuo",
    ]
    /// Beginnings of words that name a singer or a vocal part.
    static let singerStems = [
        "sopran", "alt", "ten", "bass", "bariton", "mezzo", "contralt", "voice", "vox", "voce", "stimme", "singstimme",
        "gesang", "chant", "canto", "cantus", "choir", "chor", "coro", "singer", "discant", "superius", "triplum",
        "motetus", "quint", "sext",
    ]
    /// Beginnings of words that name a keyboard (or the harp, which plays a piano's part).
    static let keyboardStems = ["piano", "klavier", "keyboard", "clavier", "harp", "harfe", "organ", "orgel", "cembalo", "harpsichord", "pf"]

    /// The name's words, lower-cased: runs of letters.
    static func words(_ name: String) -> [Substring] {
        name.lowercased().split { !$0.isLetter }
    }

    /// True when a word of the name begins like a keyboard's name.
    public static func namesAKeyboard(_ name: String) -> Bool {
        words(name).contains { word in keyboardStems.contains { word.hasPrefix($0) } }
    }

    /// True when the name names an instrument other than a keyboard and no singer: "Violino I",
    /// "Violoncello", "Clarinet in A", but not "Soprano Oboe 1" (a sung part with its doubling),
    /// "Piano" or "Track 3". A word that begins like an instrument counts as one even where it also
    /// begins like a singer ("Bassoon", "Contrabass").
    public static func namesAnInstrumentAlone(_ name: String) -> Bool {
        var instrument = false
        for word in words(name) {
            if instrumentStems.contains(where: { word.hasPrefix($0) }) {
                instrument = true
            } else if singerStems.contains(where: { word.hasPrefix($0) }) || keyboardStems.contains(where: { word.hasPrefix($0) }) {
                return false
            }
        }
        return instrument
    }
}
