import TaleaScore

/// Whether a drum kit plays through a score: none of the three repertories has one.
///
/// General MIDI reserves channel 10 for an unpitched drum kit. An isorhythmic motet, a chorale or a
/// lied has no such part in any edition: a chorale's timpani are pitched and written on a channel of
/// their own, as every notation program writes them. Popular, dance and jazz files, which fill
/// librarians' MIDI collections, almost always have one, and the model, which never saw them, takes
/// such a song with a tune over chords for a lied. So a drum kit that plays through the music makes
/// a genre answer `unknown`.
///
/// A kit *plays through* when its voices hold at least ``minimumNotes`` notes, a third of them on
/// the keys of bass drums, snares and hi-hats (``TaleaScore/DrumChannel/gathersOnCoreKitKeys(_:)``),
/// and strike in at least ``minimumCoverage`` of ``stretches`` equal stretches of the pitched music
/// (first onset to last end): a stray note, a closing roll, or the few cymbal crashes and triangle
/// strokes of an orchestral song are not a kit, and nor are sung or played parts that a damaged
/// file put on channel 10, whose notes lie in their own registers. Stretches rather than bars keep
/// the rule blind to the note values an encoder chose. A file whose only notes are on channel 10
/// keeps them as drums only when they sound as a kit (``TaleaScore/DrumChannel``; otherwise the
/// score reader reads them as a pitched part); such a kit, with nothing else to play through,
/// plays through.
public enum DrumKit {
    /// Fewest drum notes of a kit (the score reader's, ``TaleaScore/DrumChannel/minimumNotes``).
    public static let minimumNotes = DrumChannel.minimumNotes
    /// Equal stretches the pitched music is cut into.
    public static let stretches = 16
    /// Least share of the stretches in which the drums strike.
    public static let minimumCoverage = 0.5

    /// Notes of the score's drum voices.
    public static func drumNotes(of score: Score) -> Int {
        score.voices.reduce(0) { $0 + ($1.isDrum ? $1.notes.count : 0) }
    }

    /// Whether a drum kit plays through the score (see the type's description).
    public static func playsThrough(_ score: Score) -> Bool {
        let drums = score.voices.filter(\.isDrum).flatMap(\.notes)
        let pitched = score.voices.filter { !$0.isDrum }.flatMap(\.notes)
        guard drums.count >= minimumNotes, DrumChannel.gathersOnCoreKitKeys(drums) else { return false }
        if pitched.isEmpty { return true }
        guard let musicStart = pitched.map(\.onsetQuarters).min(),
              let musicEnd = pitched.map(\.endQuarters).max(), musicEnd > musicStart
        else { return false }
        let stretch = (musicEnd - musicStart) / Double(stretches)
        var struck = Set<Int>()
        for note in drums where note.onsetQuarters >= musicStart && note.onsetQuarters < musicEnd {
            struck.insert(min(stretches - 1, Int((note.onsetQuarters - musicStart) / stretch)))
        }
        return Double(struck.count) >= minimumCoverage * Double(stretches)
    }
}
