import TaleaScore
import TaleaTestSupport
import XCTest
@testable import TaleaFeatures

/// `rhythm.onsets` counts a voice's onsets on a log2 scale; `melody.motif_repetition` is the share of
/// its 4-onset figures (three intervals, three snapped durations) that occur again in it.
final class LengthAndMotifTests: XCTestCase {
    private func features(_ events: [(pitch: Int, length: Double, rest: Double)]) -> FeatureVector {
        FeatureExtractor().extract(Fixtures.score([Fixtures.voice("Voice", events)]))
    }

    /// A four-note figure stated eight times: every figure of the voice recurs, and 32 onsets are 5 on
    /// the log2 scale.
    func testAFigureStatedAgainAndAgainRecursEverywhere() {
        let figure: [(pitch: Int, length: Double, rest: Double)] = [(60, 1, 0), (62, 1, 0), (64, 2, 0), (59, 1, 0)]
        let voice = features(Array(Array(repeating: figure, count: 8).joined()))
        XCTAssertEqual(voice["mean.rhythm.onsets"], 5)
        XCTAssertEqual(voice["mean.melody.motif_repetition"], 1)
    }

    /// A line whose interval triples never repeat has no recurring figure; one figure stated twice in
    /// it recurs in the two places where it stands.
    func testALineWithoutRepeatsHasNoneAndOneRepeatIsCounted() {
        let intervals = [1, 2, 3, 4, 5, -1, -2, -3, -4, -5, 6]
        var pitch = 60
        var line: [(pitch: Int, length: Double, rest: Double)] = [(pitch, 1, 0)]
        for step in intervals {
            pitch += step
            line.append((pitch, 1, 0))
        }
        let free = features(line)
        XCTAssertEqual(free["mean.melody.motif_repetition"], 0)
        XCTAssertEqual(free["mean.rhythm.onsets"] ?? 0, log2(12), accuracy: 1e-12)

        // The opening four notes again at the end, a fifth higher than the last note (66 → 73).
        let repeated = line + line.prefix(4).map { ($0.pitch + 13, $0.length, $0.rest) }
        let withRepeat = features(repeated)
        // 16 onsets give 13 figures; the opening figure (+1, +2, +3 in equal notes) occurs twice.
        XCTAssertEqual(withRepeat["mean.melody.motif_repetition"] ?? -1, 2.0 / 13, accuracy: 1e-12)
    }

    /// On random lines, with figures drawn from a few intervals and durations so that many recur
    /// (long durations and the widest leaps included), the count equals a plain pairwise count.
    func testTheCountEqualsAPairwiseCount() {
        var random = SeededGenerator(seed: 13)
        for _ in 0..<200 {
            let count = Int.random(in: 0...60, using: &random)
            var top = 64
            var events: [LineEvent] = []
            var snapped: [Int] = []
            for _ in 0..<count {
                top = max(0, min(127, top + [-2, 0, 2, 5, -127, 127].randomElement(using: &random)!))
                let twelfths = [6, 12, 24, 8191, 8192, 120_000].randomElement(using: &random)!
                events.append(LineEvent(onset: 0, ioi: 1, duration: 1, top: top, bottom: top, count: 1,
                                        twelfths: twelfths, snapError: 0, restAfter: false))
                snapped.append(twelfths)
            }
            var expected = 0.0
            if count >= 5 {
                func figure(_ i: Int) -> [Int] {
                    [events[i + 1].top - events[i].top, events[i + 2].top - events[i + 1].top,
                     events[i + 3].top - events[i + 2].top, snapped[i], snapped[i + 1], snapped[i + 2]]
                }
                let starts = 0..<(count - 3)
                let recurring = starts.filter { i in starts.contains { j in j != i && figure(j) == figure(i) } }.count
                expected = Double(recurring) / Double(starts.count)
            }
            XCTAssertEqual(VoiceFeature.motifRepetition(events: events, snapped: snapped), expected,
                           "\(events.map(\.top)) \(snapped)")
        }
    }

    /// Too short to have two figures: 0.
    func testFewerThanFiveOnsetsGiveZero() {
        let short = features([(60, 1, 0), (62, 1, 0), (64, 1, 0), (65, 1, 0)])
        XCTAssertEqual(short["mean.melody.motif_repetition"], 0)
        XCTAssertEqual(short["mean.rhythm.onsets"], 2)
    }
}
