import Foundation
import XCTest
@testable import TaleaLearning

/// The n-gram models under the idiom scores: a proper distribution, known preferences, a stable
/// encoding, and clear refusals.
final class IdiomModelTests: XCTestCase {
    /// A rising scale 0 1 2 3, stated again and again.
    private let rising: [UInt16] = Array(Array(repeating: [0, 1, 2, 3], count: 20).joined())
    /// The same tokens in falling order.
    private let falling: [UInt16] = Array(Array(repeating: [3, 2, 1, 0], count: 20).joined())

    /// Witten–Bell interpolation down to a uniform distribution gives probabilities that add up to 1
    /// over the vocabulary, after any history (here, the start and a seen context), including the
    /// tokens never seen.
    func testProbabilitiesAfterAHistorySumToOne() throws {
        let model = try NGramModel(order: 3, vocabularySize: 6, training: [rising])
        for history in [[UInt16](), [0, 1], [3, 3]] {
            let previous = history.isEmpty ? 0 : model.meanLogProbability(history) * Double(history.count)
            let total = (0..<6).reduce(0.0) { sum, token in
                let withToken = model.meanLogProbability(history + [UInt16(token)]) * Double(history.count + 1)
                return sum + exp(withToken - previous)
            }
            XCTAssertEqual(total, 1, accuracy: 1e-9, "after \(history)")
        }
    }

    /// The model's lookups (an open-addressing table over thousands of contexts, collisions
    /// included) give exactly the Witten–Bell estimate computed from plain counts, for seen and
    /// unseen histories alike.
    func testScoringMatchesWittenBellFromPlainCounts() throws {
        var random = SeededGenerator(seed: 0x5EED)
        func next(_ bound: Int) -> UInt16 { UInt16(random.nextInt(below: bound)) }
        let order = 4, vocabulary = 40
        // Skewed tokens, so that contexts of every length recur and many are seen once.
        let training = (0..<30).map { _ in (0..<300).map { _ in min(next(vocabulary), next(vocabulary)) } }
        let model = try NGramModel(order: order, vocabularySize: vocabulary, training: training)

        let start = -1
        var counts: [[Int]: [Int: Int]] = [:]
        for sequence in training {
            var history = [Int](repeating: start, count: order - 1)
            for token in sequence.map(Int.init) {
                for length in 0..<order { counts[Array(history.suffix(length)), default: [:]][token, default: 0] += 1 }
                history = Array((history + [token]).suffix(order - 1))
            }
        }
        func reference(_ sequence: [UInt16]) -> Double {
            var history = [Int](repeating: start, count: order - 1), total = 0.0
            for token in sequence.map(Int.init) {
                var probability = 1 / Double(vocabulary)
                for length in 0..<order {
                    guard let followers = counts[Array(history.suffix(length))] else { continue }
                    let seen = followers.values.reduce(0, +)
                    let mix = Double(seen) / Double(seen + followers.count)
                    probability = mix * Double(followers[token, default: 0]) / Double(seen) + (1 - mix) * probability
                }
                total += log(probability)
                history = Array((history + [token]).suffix(order - 1))
            }
            return total / Double(sequence.count)
        }
        XCTAssertGreaterThan(counts.count, 3_000, "enough contexts to collide in the table")
        let tests = (0..<20).map { index in (0..<200).map { _ in index % 2 == 0 ? next(vocabulary) : min(next(vocabulary), next(vocabulary)) } }
        for sequence in tests + [training[0]] {
            XCTAssertEqual(model.meanLogProbability(sequence), reference(sequence), accuracy: 1e-12)
        }
        let decoded = try JSONDecoder().decode(NGramModel.self, from: JSONEncoder().encode(model))
        XCTAssertEqual(decoded.meanLogProbability(tests[0]), reference(tests[0]), accuracy: 1e-12)
    }

    /// A model learnt from a rising scale finds rising more likely than falling, and the reverse for
    /// a model learnt from falling; an empty sequence scores 0.
    func testAModelPrefersTheOrderItLearnt() throws {
        let up = try NGramModel(order: 3, vocabularySize: 4, training: [rising])
        let down = try NGramModel(order: 3, vocabularySize: 4, training: [falling])
        XCTAssertGreaterThan(up.meanLogProbability(rising), up.meanLogProbability(falling) + 1)
        XCTAssertGreaterThan(down.meanLogProbability(falling), down.meanLogProbability(rising) + 1)
        XCTAssertEqual(up.meanLogProbability([]), 0)
    }

    /// The idiom score is positive for voices like the first repertory's, negative for the second's,
    /// the mean of the voices' scores for several voices, and zeros without a voice of two steps.
    /// Tokens are interval × 2 + rhythm: the first repertory rises in even notes, the second falls
    /// in long-short pairs.
    func testIdiomScoresSayWhichRepertoryAVoiceMovesLike() throws {
        let first: [UInt16] = rising.map { $0 * 2 }
        let second: [UInt16] = falling.enumerated().map { $0.element * 2 + UInt16($0.offset % 2) }
        let idiom = try IdiomModel(intervalClasses: 4, rhythmClasses: 2, first: [first], second: [second])
        let likeFirst = idiom.scores(voices: [first]), likeSecond = idiom.scores(voices: [second])
        XCTAssertEqual(likeFirst.count, IdiomModel.Reading.allCases.count)
        XCTAssertTrue(likeFirst.allSatisfy { $0 > 0.5 }, "\(likeFirst)")
        XCTAssertTrue(likeSecond.allSatisfy { $0 < -0.5 }, "\(likeSecond)")
        let both = idiom.scores(voices: [first, second, [1]])
        for (mean, (a, b)) in zip(both, zip(likeFirst, likeSecond)) { XCTAssertEqual(mean, (a + b) / 2, accuracy: 1e-12) }
        XCTAssertEqual(idiom.scores(voices: [[], [2]]), [0, 0, 0])
    }

    /// Encoding and decoding keep the model (and its answers); the same counts give the same bytes.
    func testEncodingRoundTripsAndIsDeterministic() throws {
        let idiom = try IdiomModel(intervalClasses: 4, rhythmClasses: 2, first: [rising.map { $0 * 2 }],
                                   second: [falling.map { $0 * 2 + 1 }])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = try encoder.encode(idiom)
        let decoded = try JSONDecoder().decode(IdiomModel.self, from: bytes)
        XCTAssertEqual(decoded, idiom)
        XCTAssertEqual(decoded.scores(voices: [[0, 2, 4, 6, 1, 3]]), idiom.scores(voices: [[0, 2, 4, 6, 1, 3]]))
        let again = try IdiomModel(intervalClasses: 4, rhythmClasses: 2, first: [rising.map { $0 * 2 }],
                                   second: [falling.map { $0 * 2 + 1 }])
        XCTAssertEqual(try encoder.encode(again), bytes)
    }

    /// Counts that are not a model are refused with a decoding error, not read.
    func testDamagedCountsAreRefused() throws {
        // A key without its count, keys that do not ascend, not a number, a negative gap, two lines
        // for one order, a context in a unigram model (key 1024 = context 1, token 0), a count over 31 bits.
        for counts in [#"["3 1 2"]"#, #"["5 1 0 1"]"#, #"["5 1 x 1"]"#, #"["5 -1"]"#, #"["5 1", "2 1"]"#,
                       #"["1024 1"]"#, #"["1 4294967296"]"#] {
            let json = #"{"order":1,"vocabularySize":4,"counts":\#(counts)}"#
            XCTAssertThrowsError(try JSONDecoder().decode(NGramModel.self, from: Data(json.utf8)), counts)
        }
        let good = #"{"order":1,"vocabularySize":4,"counts":["0 3 2 1"]}"#
        let model = try JSONDecoder().decode(NGramModel.self, from: Data(good.utf8))
        // Token 0 seen 3 times and token 2 once: Witten–Bell gives 3/(4+2) + (2/6)(1/4) to token 0.
        XCTAssertEqual(exp(model.meanLogProbability([0])), 3.0 / 6 + 2.0 / 6 / 4, accuracy: 1e-12)
    }

    /// An idiom whose models do not fit together (a reading missing, alphabets that differ between
    /// the repertories) is refused when it is decoded, before it can be asked for a score.
    func testAnIdiomOfMismatchedModelsIsRefused() throws {
        let idiom = try IdiomModel(intervalClasses: 4, rhythmClasses: 2, first: [rising.map { $0 * 2 }],
                                   second: [falling.map { $0 * 2 + 1 }])
        let encoder = JSONEncoder()
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: encoder.encode(idiom)) as? [String: Any])
        let first = try XCTUnwrap(object["first"] as? [Any])
        object["first"] = Array(first.prefix(2))
        XCTAssertThrowsError(try JSONDecoder().decode(IdiomModel.self, from: JSONSerialization.data(withJSONObject: object)))
        object["first"] = [first[1], first[0], first[2]]
        XCTAssertThrowsError(try JSONDecoder().decode(IdiomModel.self, from: JSONSerialization.data(withJSONObject: object)))
    }

    /// Orders, vocabularies and tokens outside what a model can hold are refused when it is built.
    func testInvalidModelsAreRefused() {
        XCTAssertThrowsError(try NGramModel(order: 0, vocabularySize: 4, training: []))
        XCTAssertThrowsError(try NGramModel(order: 5, vocabularySize: 4, training: []))
        XCTAssertThrowsError(try NGramModel(order: 2, vocabularySize: 2000, training: []))
        XCTAssertThrowsError(try NGramModel(order: 2, vocabularySize: 4, training: [[1, 4]]))
        XCTAssertThrowsError(try IdiomModel(intervalClasses: 40, rhythmClasses: 40, first: [], second: []))
    }
}
