import Foundation
import TaleaScore

/// Why a voice plays the program it plays.
public enum ProgramSource: String, Sendable, Hashable {
    /// Forced with `--program` / ``RenderOptions/programOverrides``.
    case override
    /// The program change the file set before the voice's first note.
    case file
    /// Guessed from the voice's name ("Soprano" → choir, "Piano 1" → piano, "Oboe" → oboe).
    case name
    /// Unknown name: a voice that sounds chords is taken for a keyboard, otherwise for a singer.
    case texture
    /// The General MIDI percussion kit (channel 10).
    case percussion
}

/// The instrument chosen for one voice.
public struct InstrumentChoice: Sendable, Hashable {
    /// SoundFont bank: 0 for melodic instruments, 128 for percussion kits.
    public var bank: Int
    /// General MIDI program, 0...127.
    public var program: Int
    /// Why this program.
    public var source: ProgramSource

    /// Creates a choice.
    public init(bank: Int, program: Int, source: ProgramSource) {
        self.bank = bank
        self.program = program
        self.source = source
    }

    /// The General MIDI name of the program ("Choir Aahs"), or "Drum kit N" on the percussion bank.
    public var instrumentName: String {
        bank == GeneralMIDI.percussionBank ? "Drum kit \(program)" : GeneralMIDI.programName(program)
    }
}

/// General MIDI facts used to choose instruments.
public enum GeneralMIDI {
    /// The SoundFont bank that holds the percussion kits.
    public static let percussionBank = 128
    /// Acoustic Grand Piano.
    public static let piano = 0
    /// Choir Aahs: the default for sung parts.
    public static let choirAahs = 52
    /// Recorder: a clear alternative for sung parts (each line stays distinct).
    public static let recorder = 74

    /// The General MIDI level 1 name of a program (0-based), or "Program N" outside 0...127.
    public static func programName(_ program: Int) -> String {
        programNames.indices.contains(program) ? programNames[program] : "Program \(program)"
    }

    static let programNames: [String] = [
        "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
        "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet", "Celesta", "Glockenspiel",
        "Music Box", "Vibraphone", "Marimba", "Xylophone", "Tubular Bells", "Dulcimer", "Drawbar Organ",
        "Percussive Organ", "Rock Organ", "Church Organ", "Reed Organ", "Accordion", "Harmonica",
        "Tango Accordion", "Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)",
        "Electric Guitar (clean)", "Electric Guitar (muted)", "Overdriven Guitar", "Distortion Guitar",
        "Guitar Harmonics", "Acoustic Bass", "Electric Bass (finger)", "Electric Bass (pick)",
        "Fretless Bass", "Slap Bass 1", "Slap Bass 2", "Synth Bass 1", "Synth Bass 2", "Violin", "Viola",
        "Cello", "Contrabass", "Tremolo Strings", "Pizzicato Strings", "Orchestral Harp", "Timpani",
        "String Ensemble 1", "String Ensemble 2", "Synth Strings 1", "Synth Strings 2", "Choir Aahs",
        "Voice Oohs", "Synth Voice", "Orchestra Hit", "Trumpet", "Trombone", "Tuba", "Muted Trumpet",
        "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2", "Soprano Sax", "Alto Sax",
        "Tenor Sax", "Baritone Sax", "Oboe", "English Horn", "Bassoon", "Clarinet", "Piccolo", "Flute",
        "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle", "Ocarina", "Lead 1 (square)",
        "Lead 2 (sawtooth)", "Lead 3 (calliope)", "Lead 4 (chiff)", "Lead 5 (charang)", "Lead 6 (voice)",
        "Lead 7 (fifths)", "Lead 8 (bass + lead)", "Pad 1 (new age)", "Pad 2 (warm)", "Pad 3 (polysynth)",
        "Pad 4 (choir)", "Pad 5 (bowed)", "Pad 6 (metallic)", "Pad 7 (halo)", "Pad 8 (sweep)",
        "FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)", "FX 5 (brightness)",
        "FX 6 (goblins)", "FX 7 (echoes)", "FX 8 (sci-fi)", "Sitar", "Banjo", "Shamisen", "Koto",
        "Kalimba", "Bagpipe", "Fiddle", "Shanai", "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock",
        "Taiko Drum", "Melodic Tom", "Synth Drum", "Reverse Cymbal", "Guitar Fret Noise", "Breath Noise",
        "Seashore", "Bird Tweet", "Telephone Ring", "Helicopter", "Applause", "Gunshot",
    ]

    /// Programs that are voices (Choir Aahs, Voice Oohs, Synth Voice): a sung part that already has
    /// one of these keeps it.
    static let vocalPrograms: ClosedRange<Int> = 52...54
}

/// What a part name says about the part.
enum PartKind: Equatable {
    /// A named instrument (piano, organ, oboe, lute, …), with its General MIDI program.
    case instrument(Int)
    /// A sung part (Soprano, Voice, Singstimme, Triplum, Tenor, …).
    case vocal
    /// A name that says nothing ("Track 2", "Part 1", "Channel 3").
    case unknown

    /// Recognises a part name. Instruments are tried before voices, so that "Bassoon" and
    /// "Double bass" are not taken for a sung bass.
    init(partName: String) {
        let folded = partName.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let words = folded.split(whereSeparator: { !$0.isLetter }).map(String.init)
        let wordSet = Set(words)
        func hasWord(_ candidates: [String]) -> Bool { candidates.contains { wordSet.contains($0) } }
        func contains(_ fragments: [String]) -> Bool { fragments.contains { folded.contains($0) } }

        if contains(["piano", "klavier", "clavier", "keyboard", "tastiera"]) || hasWord(["pf", "pno", "pft"]) {
            self = .instrument(GeneralMIDI.piano)
            return
        }
        for (fragments, program) in PartKind.instrumentTable where contains(fragments) {
            self = .instrument(program)
            return
        }
        if hasWord(PartKind.vocalWords) || contains(["singstimme", "contratenor", "contralto", "sopran", "vocal", "gesang"]) {
            self = .vocal
            return
        }
        self = .unknown
    }

    /// Part-name fragments (lower case, no accents) and their General MIDI programs; multi-word
    /// and longer names first so that "english horn" wins over "horn" and "bassoon" over "bass".
    static let instrumentTable: [([String], Int)] = [
        (["double bass", "contrabass", "kontrabass", "contrabasso", "violone"], 43),
        (["english horn", "cor anglais", "corno inglese", "englischhorn"], 69),
        (["bass clarinet", "bassklarinette", "clarinet", "klarinette", "clarinetto", "clarinette"], 71),
        (["bassoon", "fagott", "fagotto", "basson"], 70),
        (["recorder", "blockflote", "flauto dolce", "flute a bec"], 74),
        (["piccolo"], 72),
        (["flute", "flote", "flauto", "traverso"], 73),
        (["oboe", "hautbois", "oboe d'amore"], 68),
        (["trumpet", "tromba", "trompete", "trompette", "clarino"], 56),
        (["trombone", "posaune", "sackbut"], 57),
        (["tuba"], 58),
        (["horn", "corno", "cor "], 60),
        (["violoncello", "cello"], 42),
        (["viola", "bratsche", "alto viol"], 41),
        (["violin", "violino", "violine", "geige", "fiddle"], 40),
        (["harpsichord", "cembalo", "clavecin", "continuo"], 6),
        (["harp", "harfe", "arpa", "harpe"], 46),
        (["timpani", "pauken", "timbales", "tympani"], 47),
        (["guitar", "gitarre", "guitarre", "chitarra", "guitare", "lute", "laute", "liuto", "luth", "theorbo"], 24),
        (["organ", "orgel", "organo", "orgue"], 19),
        (["strings", "streicher"], 48),
    ]

    /// Whole words that name sung parts, in the languages of the repertories (medieval Latin,
    /// Italian, German, English, French).
    static let vocalWords: [String] = [
        "soprano", "sopran", "soprani", "mezzo", "alto", "alt", "altus", "alti", "tenor", "tenore", "tenori",
        "tenore", "bass", "basso", "bassus", "bassi", "baritone", "bariton", "baritono", "voice", "voices",
        "vox", "voce", "voix", "stimme", "chant", "canto", "cantus", "triplum", "motetus", "duplum",
        "quadruplum", "superius", "discantus", "quinto", "quintus", "sextus", "sexta", "choir", "chor",
        "coro", "chorus", "choeur", "singer", "solo", "treble",
    ]
}

/// Chooses an instrument for every voice of a score.
struct InstrumentChooser {
    /// Program for sung parts and for single-line parts with uninformative names.
    var vocalProgram: Int
    /// Take the file's program (or 0) for every melodic voice, as a MIDI player would.
    var useFilePrograms = false

    /// The choice for one voice (before overrides, which the renderer applies first).
    ///
    /// A program set by the file is kept when it is meaningful: encoders such as music21 write
    /// program 0 (piano) for parts they have no instrument for and 68 (oboe) for "Voice", so a
    /// sung part keeps only a voice program (52...54), and program 0 counts only for keyboards.
    func choose(for voice: Voice) -> InstrumentChoice {
        if voice.isDrum {
            let kit = (voice.program.map { (0...127).contains($0) } ?? false) ? (voice.program ?? 0) : 0
            return InstrumentChoice(bank: GeneralMIDI.percussionBank, program: kit, source: .percussion)
        }
        let filed = voice.program.flatMap { (0...127).contains($0) ? $0 : nil }
        if useFilePrograms {
            return InstrumentChoice(bank: 0, program: filed ?? GeneralMIDI.piano, source: .file)
        }
        let kind = PartKind(partName: voice.name)
        switch kind {
        case .vocal:
            if let filed, GeneralMIDI.vocalPrograms.contains(filed) {
                return InstrumentChoice(bank: 0, program: filed, source: .file)
            }
            return InstrumentChoice(bank: 0, program: vocalProgram, source: .name)
        case .instrument(let program):
            if let filed, filed != 0 {
                return InstrumentChoice(bank: 0, program: filed, source: .file)
            }
            return InstrumentChoice(bank: 0, program: program, source: .name)
        case .unknown:
            if let filed, filed != 0 {
                return InstrumentChoice(bank: 0, program: filed, source: .file)
            }
            let program = InstrumentChooser.soundsChords(voice) ? GeneralMIDI.piano : vocalProgram
            return InstrumentChoice(bank: 0, program: program, source: .texture)
        }
    }

    /// True when at least a fifth of the voice's notes start within 30 ms of another of its
    /// notes (a chord, allowing for a humanised spread): no singer does that, a keyboard does it
    /// all the time.
    static func soundsChords(_ voice: Voice) -> Bool {
        let onsets = voice.notes.map(\.onsetSeconds).filter(\.isFinite).sorted()
        guard onsets.count >= 2 else { return false }
        let together = 0.030
        var inChords = 0
        for position in onsets.indices {
            let nearPrevious = position > 0 && onsets[position] - onsets[position - 1] <= together
            let nearNext = position + 1 < onsets.count && onsets[position + 1] - onsets[position] <= together
            if nearPrevious || nearNext { inChords += 1 }
        }
        return Double(inChords) >= 0.2 * Double(onsets.count)
    }
}
