import Foundation

/// A voice read as a sequence of steps, one per onset: the melodic interval to the next onset, how
/// long the onset lasts relative to the voice's pulse, and whether a rest follows. It is what the
/// idiom model (`IdiomModel` in TaleaLearning) learns the habits of a repertory from: a chorale
/// voice moves by step in even crotchets to a fermata, a lied's vocal line has dotted and
/// syllabic rhythms, rests between phrases and leaps to a high note.
///
/// A step is packed into one `UInt16` (``token(interval:duration:restAfter:)``). Like the features
/// of ``VoiceFeature``, steps do not change under transposition (intervals are relative) or
/// a change of note values (durations are in pulses of the voice).
public enum MelodicSteps {
    /// Melodic intervals beyond an octave up or down are read as an octave.
    public static let largestInterval = 12
    /// Interval classes: −12…+12 semitones.
    public static let intervalClasses = 2 * largestInterval + 1
    /// The duration classes: an inter-onset interval in pulses is read as the nearest of these (on a
    /// log scale), from a quarter of a pulse to eight pulses.
    public static let durationPulses: [Double] = [1.0 / 4, 1.0 / 3, 1.0 / 2, 2.0 / 3, 3.0 / 4, 1, 4.0 / 3, 3.0 / 2, 2, 3, 4, 6, 8]
    /// Rhythm classes: a duration class, and whether a rest follows.
    public static let rhythmClasses = 2 * durationPulses.count
    /// Every possible token is below this.
    public static let tokenCount = intervalClasses * rhythmClasses

    /// The token of one step: `interval` in semitones (clamped to an octave), `duration` the class
    /// index in ``durationPulses``.
    public static func token(interval: Int, duration: Int, restAfter: Bool) -> UInt16 {
        let clamped = min(largestInterval, max(-largestInterval, interval)) + largestInterval
        let rhythm = min(durationPulses.count - 1, max(0, duration)) * 2 + (restAfter ? 1 : 0)
        return UInt16(clamped * rhythmClasses + rhythm)
    }

    /// The interval class of a token (0…``intervalClasses`` − 1).
    public static func intervalClass(of token: UInt16) -> UInt16 { token / UInt16(rhythmClasses) }

    /// The rhythm class of a token (0…``rhythmClasses`` − 1).
    public static func rhythmClass(of token: UInt16) -> UInt16 { token % UInt16(rhythmClasses) }

    /// Where one duration class ends and the next begins, in twelfths of a pulse: the geometric mean
    /// of two neighbouring classes, the midpoint on a log scale. None is a whole number of twelfths,
    /// so an interval is never equally near two classes.
    static let durationBoundaries: [Double] = zip(durationPulses, durationPulses.dropFirst()).map { (12 * ($0 * $1).squareRoot()) }

    /// The duration class nearest (on a log scale) to an interval of `twelfths` twelfths of a pulse
    /// (at least one twelfth).
    static func durationClass(twelfths: Int) -> Int {
        let length = Double(Swift.max(twelfths, 1))
        return durationBoundaries.firstIndex { length < $0 } ?? durationBoundaries.count
    }

    /// The steps of a line: one token per onset but the last (the interval to the next onset's
    /// highest pitch, the snapped inter-onset interval, the rest flag).
    static func tokens(of line: VoiceLine) -> [UInt16] {
        let events = line.events
        guard events.count >= 2 else { return [] }
        return (0..<(events.count - 1)).map { index in
            token(interval: events[index + 1].top - events[index].top,
                  duration: durationClass(twelfths: events[index].twelfths),
                  restAfter: events[index].restAfter)
        }
    }
}
