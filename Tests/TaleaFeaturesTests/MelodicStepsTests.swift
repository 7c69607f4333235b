import TaleaScore
import XCTest
@testable import TaleaFeatures

/// A voice's melodic steps (interval, duration class, rest flag), from which the idiom scores are
/// learnt: what they are for a known line, and that they do not change with key or note values.
final class MelodicStepsTests: XCTestCase {
    /// Quarters up a fourth, a half note and a quarter rest, quarters back down.
    private let line: [(pitch: Int, length: Double, rest: Double)] = [
        (60, 1, 0), (62, 1, 0), (64, 1, 0), (65, 1, 0), (67, 2, 1), (65, 1, 0), (64, 1, 0), (62, 1, 0), (60, 1, 0),
    ]

    private func steps(_ events: [(pitch: Int, length: Double, rest: Double)]) -> [UInt16] {
        FeatureExtractor().read(Fixtures.score([Fixtures.voice("Voice", events)])).steps.first ?? []
    }

    func testTheStepsOfAKnownLine() throws {
        let pulse = try XCTUnwrap(MelodicSteps.durationPulses.firstIndex(of: 1))
        let three = try XCTUnwrap(MelodicSteps.durationPulses.firstIndex(of: 3))
        let expected: [UInt16] = [
            MelodicSteps.token(interval: 2, duration: pulse, restAfter: false),
            MelodicSteps.token(interval: 2, duration: pulse, restAfter: false),
            MelodicSteps.token(interval: 1, duration: pulse, restAfter: false),
            MelodicSteps.token(interval: 2, duration: pulse, restAfter: false),
            // The half note and its rest: three pulses to the next onset, then down a tone.
            MelodicSteps.token(interval: -2, duration: three, restAfter: true),
            MelodicSteps.token(interval: -1, duration: pulse, restAfter: false),
            MelodicSteps.token(interval: -2, duration: pulse, restAfter: false),
            MelodicSteps.token(interval: -2, duration: pulse, restAfter: false),
        ]
        XCTAssertEqual(steps(line), expected)
        XCTAssertEqual(MelodicSteps.intervalClass(of: expected[4]), UInt16(MelodicSteps.largestInterval - 2))
        XCTAssertEqual(MelodicSteps.rhythmClass(of: expected[4]), UInt16(three * 2 + 1))
    }

    /// Another key and halved or doubled note values leave the steps as they are; a leap beyond an
    /// octave reads as an octave.
    func testStepsDoNotChangeWithKeyOrNoteValues() {
        let original = steps(line)
        XCTAssertEqual(steps(line.map { ($0.pitch + 5, $0.length, $0.rest) }), original)
        XCTAssertEqual(steps(line.map { ($0.pitch, $0.length * 2, $0.rest * 2) }), original)
        XCTAssertEqual(steps(line.map { ($0.pitch, $0.length / 2, $0.rest / 2) }), original)
        XCTAssertEqual(MelodicSteps.token(interval: 19, duration: 5, restAfter: false),
                       MelodicSteps.token(interval: 12, duration: 5, restAfter: false))
        XCTAssertTrue(MelodicSteps.tokenCount <= 1023, "tokens must fit the n-gram models' 10-bit keys")
    }

    /// The duration class of an interval is the class nearest to it on a log scale, for every
    /// number of twelfths of a pulse (none is equally near two classes).
    func testADurationReadsAsTheNearestClass() {
        for twelfths in -3...2_000 {
            let pulses = Double(max(twelfths, 1)) / 12
            let distances = MelodicSteps.durationPulses.map { abs(log2(pulses / $0)) }
            let nearest = distances.indices.min { distances[$0] < distances[$1] }
            XCTAssertEqual(MelodicSteps.durationClass(twelfths: twelfths), nearest, "\(twelfths) twelfths")
        }
    }

    /// Every non-drum voice with notes gets its steps; a lone note has none.
    func testEveryVoiceHasItsSteps() {
        let score = Fixtures.score([Fixtures.voice("Upper", line), Fixtures.voice("Lone", index: 1, [(48, 4, 0)])])
        let reading = FeatureExtractor().read(score)
        XCTAssertEqual(reading.steps.count, 2)
        XCTAssertEqual(reading.steps[0].count, line.count - 1)
        XCTAssertEqual(reading.steps[1], [])
        XCTAssertEqual(reading.features, FeatureExtractor().extract(score))
    }
}
