import TaleaScore

/// Undoes the overlap of a legato performance before any feature is read.
///
/// A keyboard player, or an encoder that plays legato, holds each note of a line a little into the
/// next one, so that a single melody briefly sounds two notes at once. Read as it is, such a line has
/// simultaneities, vertical intervals and an articulation above 1 that its notation does not have.
/// In a voice that is a *line* (fewer than ``maximumChordOnsetShare`` of its onsets start two or
/// more notes), a note that sounds past the next onset but ends by the onset after it is cut at the
/// next onset. A note held across two or more later onsets (a pedal, a second part in the same
/// staff) and every voice with chords are left as they are. A notated line never overlaps, so this
/// changes nothing in one.
public enum LegatoOverlap {
    /// A voice with at least this share of onsets starting two or more notes holds chords, and is
    /// left alone.
    public static let maximumChordOnsetShare = 0.1

    /// The score with the legato overlaps of its lines cut (see the type's description).
    public static func undone(in score: Score) -> Score {
        var result = score
        for v in result.voices.indices where !result.voices[v].isDrum {
            result.voices[v].notes = undone(result.voices[v].notes)
        }
        return result
    }

    /// The notes of one voice with their legato overlaps cut, in the same order.
    static func undone(_ notes: [Note]) -> [Note] {
        guard notes.count >= 2 else { return notes }
        // Distinct onsets, grouping onsets closer than the separation's tolerance (performance jitter).
        // (`VoiceSeparation.onsetGroups` groups within the tolerance inclusively; this grouping is
        // exclusive, and the schema-4 model was trained with it, so the two are kept apart.)
        let sortedOnsets = notes.map(\.onsetQuarters).sorted()
        var onsets: [Double] = []
        var chordOnsets = 0
        var groupSize = 0
        for onset in sortedOnsets {
            if let last = onsets.last, onset - last < VoiceSeparation.onsetTolerance {
                groupSize += 1
                if groupSize == 2 { chordOnsets += 1 }
            } else {
                onsets.append(onset)
                groupSize = 1
            }
        }
        guard Double(chordOnsets) < maximumChordOnsetShare * Double(onsets.count) else { return notes }
        return notes.map { note in
            // The first two onsets after this note's own group.
            var low = 0, high = onsets.count
            while low < high {
                let mid = (low + high) / 2
                if onsets[mid] < note.onsetQuarters + VoiceSeparation.onsetTolerance { low = mid + 1 } else { high = mid }
            }
            guard low < onsets.count else { return note }
            let next = onsets[low]
            let afterNext = low + 1 < onsets.count ? onsets[low + 1] : Double.infinity
            // Ends that differ from the next onset only by rounding are not overlaps.
            guard note.endQuarters > next + 1e-6, note.endQuarters <= afterNext + 1e-6, next > note.onsetQuarters else { return note }
            var cut = note
            let share = (next - note.onsetQuarters) / note.durationQuarters
            cut.durationQuarters = next - note.onsetQuarters
            cut.durationTicks = max(1, Int((Double(note.durationTicks) * share).rounded()))
            cut.durationSeconds = note.durationSeconds * share
            return cut
        }
    }
}
