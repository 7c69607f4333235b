import TaleaScore

/// Whether a part of a score could be sung: a lied is a song, and a song has a voice.
///
/// The model learnt `unknown` from vocal music only (Renaissance polyphony, folk songs, trecento
/// songs), and it takes instrumental music after 1750 for a lied, the only music of that age it
/// knows (`docs/open-set.md`). A lied's vocal line is a melody: one note at a time, within a singer's
/// compass. So a file of two or more parts none of which is such a line (piano music, most
/// chamber music) is not a lied, whatever the features resemble.
///
/// A part is *singable* when it has at least ``minimumNotes`` notes, fewer than
/// ``maximumChordShare`` of its onsets start two or more pitches sounding together (onsets within
/// ``VoiceSeparation/onsetTolerance`` are one onset; see ``startsAChord(_:)``), and the span
/// between its 2nd and 98th pitch percentiles (a stray note aside) is at most
/// ``maximumSpanSemitones``. In `../shared/corpus`, that span is at most 19 semitones in 98 % of
/// the lieder's vocal lines (largest 29, a line that doubles as an obbligato); a piano staff holds
/// chords or spans more.
/// Registers are not used: encoders write tenor lines an octave off, and a transposition must not
/// change the answer.
public enum SingablePart {
    /// Fewest notes of a part that is judged; shorter parts are neither singable nor counted.
    public static let minimumNotes = 8
    /// At least this share of onsets starting two or more pitches makes a part a chordal one.
    public static let maximumChordShare = 0.2
    /// Widest span, in semitones, between the 2nd and 98th pitch percentiles of a singable part.
    public static let maximumSpanSemitones = 22

    /// What ``verdict(_:)`` finds in a part.
    public enum Verdict: Equatable, Sendable, CustomStringConvertible {
        /// A line a voice could sing.
        case singable
        /// A drum part.
        case drums
        /// Fewer than ``SingablePart/minimumNotes`` notes: not judged.
        case tooFewNotes(Int)
        /// This share of its onsets start two or more pitches.
        case chords(share: Double)
        /// Its 2nd-to-98th pitch percentiles lie this many semitones apart.
        case span(semitones: Int)
        /// A line a voice could sing, but its name says an instrument plays it (``PartName``), in a
        /// score with no keyboard part.
        case namedInstrument

        /// In words, as the classifier's caveat names a part.
        public var description: String {
            switch self {
            case .singable: return "a singable line"
            case .drums: return "drums"
            case let .tooFewNotes(count): return "only \(count) notes"
            case let .chords(share): return "chords on \(Int((share * 100).rounded()))% of its onsets"
            case let .span(semitones): return "spans \(semitones) semitones"
            case .namedInstrument: return "named as an instrument"
            }
        }
    }

    /// Whether the voice could be sung (see the type's description). Drums never can.
    public static func isSingable(_ voice: Voice) -> Bool {
        verdict(voice) == .singable
    }

    /// ``verdict(_:)`` for every voice of `score`, in order, each read with its name: a singable line
    /// that the file names as an instrument and no singer (``PartName/namesAnInstrumentAlone(_:)``)
    /// is ``Verdict/namedInstrument`` when no voice of the score is named as a keyboard.
    public static func verdicts(of score: Score) -> [Verdict] {
        let keyboardNamed = namesAKeyboard(score)
        return score.voices.map { verdict($0, keyboardNamed: keyboardNamed) }
    }

    /// True when a voice of the score is named as a keyboard: then no part counts as unsung for its name.
    private static func namesAKeyboard(_ score: Score) -> Bool {
        score.voices.contains { PartName.namesAKeyboard($0.name) }
    }

    private static func verdict(_ voice: Voice, keyboardNamed: Bool) -> Verdict {
        let verdict = verdict(voice)
        guard verdict == .singable, !keyboardNamed, PartName.namesAnInstrumentAlone(voice.name) else { return verdict }
        return .namedInstrument
    }

    /// Whether the voice could be sung, and if not, the first reason why: drums, too few notes,
    /// chords, or too wide a span.
    public static func verdict(_ voice: Voice) -> Verdict {
        if voice.isDrum { return .drums }
        guard voice.notes.count >= minimumNotes else { return .tooFewNotes(voice.notes.count) }
        // Onsets as voice separation groups them.
        let notes = VoiceSeparation.orderedNotes(voice.notes)
        let groups = VoiceSeparation.onsetGroups(notes)
        let chordGroups = groups.filter { startsAChord(notes[$0]) }.count
        let chordShare = Double(chordGroups) / Double(max(groups.count, 1))
        guard chordShare < maximumChordShare else { return .chords(share: chordShare) }
        let pitches = voice.notes.map(\.pitch).sorted()
        let low = pitches[Int(0.02 * Double(pitches.count))]
        let high = pitches[min(pitches.count - 1, Int(0.98 * Double(pitches.count)))]
        return high - low <= maximumSpanSemitones ? .singable : .span(semitones: high - low)
    }

    /// Whether the notes of one onset group sound two or more pitches together: two of them, of
    /// different pitches, overlap for at least half the shorter one's length. A unison of two layers
    /// of one staff (a part sung "a 2") is no chord, and neither are the successive notes of a fast
    /// run that the group gathers because they lie within ``VoiceSeparation/onsetTolerance`` of each
    /// other (a melisma in short note values): each ends as the next begins. Only the group's first
    /// eight notes are compared, so a hostile file of thousands of notes at one onset stays cheap.
    static func startsAChord(_ group: ArraySlice<Note>) -> Bool {
        let compared = group.prefix(8)
        for (offset, first) in compared.enumerated() {
            for second in compared.dropFirst(offset + 1) where second.pitch != first.pitch {
                let overlap = min(first.endQuarters, second.endQuarters) - max(first.onsetQuarters, second.onsetQuarters)
                if overlap >= 0.5 * min(first.durationQuarters, second.durationQuarters) { return true }
            }
        }
        return false
    }

    /// The parts of a score that are judged: voices (drums aside) with at least ``minimumNotes`` notes.
    public static func judgedParts(of score: Score) -> [Voice] {
        score.voices.filter { !$0.isDrum && $0.notes.count >= minimumNotes }
    }

    /// True when the score has two or more judged parts and none of them could be sung: it cannot be
    /// a lied. A score of one part (a single voice, a piano piece on one track) is never judged so,
    /// since a lied's piano staff alone is a voice of a lied.
    public static func lacksASinger(_ score: Score) -> Bool {
        !unsingableParts(of: score).isEmpty
    }

    /// When the score lacks a singer (``lacksASinger(_:)``), each judged part with the reason it
    /// could not be sung, as "Piano 1: chords on 45% of its onsets"; otherwise empty. Stops at the
    /// first singable part.
    ///
    /// A line that a voice could sing is not sung either when the file names it as an instrument and
    /// no singer ("Violino I", "Viola", "Violoncello": ``PartName/namesAnInstrumentAlone(_:)``), unless
    /// a part of the score is named as a keyboard: a song's vocal line is sometimes named after the
    /// instrument a sequencer plays it with, beside its piano. So a string quartet whose inner parts
    /// lie within a voice's compass is still no lied, when its file says what plays it.
    public static func unsingableParts(of score: Score) -> [String] {
        let parts = judgedParts(of: score)
        guard parts.count >= 2 else { return [] }
        let keyboardNamed = namesAKeyboard(score)
        var reasons: [String] = []
        for part in parts {
            let verdict = verdict(part, keyboardNamed: keyboardNamed)
            if verdict == .singable { return [] }
            reasons.append("\(part.name.isEmpty ? "voice \(part.index)" : part.name): \(verdict)")
        }
        return reasons
    }
}
