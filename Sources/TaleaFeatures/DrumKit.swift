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
/// A kit *plays through* when its voices hold at least ``minimumNotes`` notes and their onsets
/// span at least ``minimumCoverage`` of the span of the pitched music (first onset to last end): a
/// stray note or a closing cymbal on channel 10 is not a kit. A file whose only notes are on channel
/// 10 has them read as pitched (``TaleaScore/Score``), so it never has a kit.
public enum DrumKit {
    /// Fewest drum notes of a kit.
    public static let minimumNotes = 16
    /// Least share of the pitched music's span that the drums' onsets cover.
    public static let minimumCoverage = 0.5

    /// Notes of the score's drum voices.
    public static func drumNotes(of score: Score) -> Int {
        score.voices.reduce(0) { $0 + ($1.isDrum ? $1.notes.count : 0) }
    }

    /// Whether a drum kit plays through the score (see the type's description).
    public static func playsThrough(_ score: Score) -> Bool {
        let drums = score.voices.filter(\.isDrum).flatMap(\.notes)
        let pitched = score.voices.filter { !$0.isDrum }.flatMap(\.notes)
        guard drums.count >= minimumNotes,
              let musicStart = pitched.map(\.onsetQuarters).min(),
              let musicEnd = pitched.map(\.endQuarters).max(), musicEnd > musicStart,
              let drumsStart = drums.map(\.onsetQuarters).min(),
              let drumsEnd = drums.map(\.onsetQuarters).max()
        else { return false }
        let covered = min(drumsEnd, musicEnd) - max(drumsStart, musicStart)
        return covered >= minimumCoverage * (musicEnd - musicStart)
    }
}
