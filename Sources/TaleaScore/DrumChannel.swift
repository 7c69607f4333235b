/// Whether the notes on MIDI channel 10 sound as a drum kit, for the score reader (a file whose
/// only notes are on that channel) and for the rule that a drum kit makes a file `unknown`
/// (`DrumKit` in TaleaFeatures).
///
/// General MIDI plays channel 10 as a drum kit, each key a different instrument (35 and 36 bass
/// drums, 38 and 40 snares, 42, 44 and 46 hi-hats, 49 and 57 crashes …, up to 81). A kit part
/// plays mostly bass drum, snare and hi-hat, and strikes two or more keys together again and
/// again (a bass drum or a snare with a hi-hat) or cycles through a handful of them. A lone sung
/// or played line, which some writers put on channel 10 when it was the tenth part of its file,
/// strikes one note at a time and moves through more pitches than that; and music written wholly
/// on channel 10 (a damaged or odd file) has its notes spread over the keyboard, not gathered on
/// the seven keys of bass drums, snares and hi-hats, which are B1 to A♯2.
public enum DrumChannel {
    /// Fewest notes of a kit.
    public static let minimumNotes = 16
    /// The keys of the bass drums (35, 36), snares (38, 40) and hi-hats (42, 44, 46).
    public static let coreKitKeys: Set<Int> = [35, 36, 38, 40, 42, 44, 46]
    /// Least share of a kit's notes on ``coreKitKeys``: a rock or pop beat has over half there, a
    /// jazz beat led by the ride cymbal about two fifths; parts that lost their channel, in their
    /// singers' and players' registers, rarely a tenth.
    public static let minimumShareOnCoreKitKeys = 1.0 / 3
    /// The General MIDI percussion keys.
    static let percussionKeys = 35...81
    /// Least share of a lone kit's notes on ``percussionKeys``.
    static let minimumShareOnPercussionKeys = 0.9
    /// A lone kit strikes two or more different keys together at this share of its onsets or more …
    static let minimumShareStruckTogether = 0.2
    /// … or uses this many different keys or fewer.
    static let maximumKeysOfAFewDrums = 4
    /// Onsets closer than this (in quarters) strike together: a played kit is not exactly aligned.
    static let togetherWithin = 1.0 / 24

    /// Whether at least ``minimumShareOnCoreKitKeys`` of the notes are on ``coreKitKeys``.
    public static func gathersOnCoreKitKeys(_ notes: [Note]) -> Bool {
        let onCoreKeys = notes.reduce(0) { $0 + (coreKitKeys.contains($1.pitch) ? 1 : 0) }
        return !notes.isEmpty && Double(onCoreKeys) >= minimumShareOnCoreKitKeys * Double(notes.count)
    }

    /// Why the notes of a file with notes on channel 10 only sound as a kit ("bass drum, snare and
    /// hi-hat keys, two or more struck together at 50% of onsets"), or nil when they do not: at
    /// least ``minimumNotes`` notes, ``minimumShareOnPercussionKeys`` of them on ``percussionKeys``
    /// and ``minimumShareOnCoreKitKeys`` on ``coreKitKeys``, and either
    /// ``minimumShareStruckTogether`` of the onsets with two or more keys or at most
    /// ``maximumKeysOfAFewDrums`` keys.
    static func kitEvidence(_ notes: [Note]) -> String? {
        guard notes.count >= minimumNotes else { return nil }
        let onKeys = notes.reduce(0) { $0 + (percussionKeys.contains($1.pitch) ? 1 : 0) }
        guard Double(onKeys) >= minimumShareOnPercussionKeys * Double(notes.count) else { return nil }
        guard gathersOnCoreKitKeys(notes) else { return nil }
        let sorted = notes.sorted { ($0.onsetQuarters, $0.pitch) < ($1.onsetQuarters, $1.pitch) }
        var onsets = 0, together = 0
        var index = 0
        while index < sorted.count {
            let start = sorted[index].onsetQuarters
            let firstKey = sorted[index].pitch
            var otherKey = false
            index += 1
            while index < sorted.count && sorted[index].onsetQuarters - start < togetherWithin {
                if sorted[index].pitch != firstKey { otherKey = true }
                index += 1
            }
            onsets += 1
            if otherKey { together += 1 }
        }
        let share = Double(together) / Double(onsets)
        if share >= minimumShareStruckTogether {
            return "bass drum, snare and hi-hat keys, two or more struck together at \(Int((share * 100).rounded()))% of onsets"
        }
        let keys = Set(notes.map(\.pitch)).count
        if keys <= maximumKeysOfAFewDrums {
            return "\(notes.count) strokes on \(keys) percussion key\(keys == 1 ? "" : "s")"
        }
        return nil
    }
}
