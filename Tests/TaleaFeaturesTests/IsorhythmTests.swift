import Foundation
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// Synthetic tenors with a known talea and color must be found exactly.
final class IsorhythmTests: XCTestCase {
    /// `statements` talea statements of `talea` (sounding length, rest after), pitches cycling through `color`,
    /// each statement's values multiplied by the matching entry of `scales`.
    static func tenor(talea: [(Double, Double)], color: [Int], scales: [Double]) -> Voice {
        var events: [(pitch: Int, length: Double, rest: Double)] = []
        var colorIndex = 0
        for scale in scales {
            for (length, rest) in talea {
                events.append((color[colorIndex % color.count], length * scale, rest * scale))
                colorIndex += 1
            }
        }
        return Fixtures.voice("Tenor", events)
    }

    static let color10 = [50, 52, 53, 55, 57, 55, 53, 52, 50, 48]

    func testTaleaWithRestsAndLongerColorIsFoundExactly() {
        let talea: [(Double, Double)] = [(4, 0), (2, 2), (2, 0), (8, 0), (2, 2), (4, 4)]
        let voice = Self.tenor(talea: talea, color: Self.color10, scales: [1, 1, 1, 1, 1])
        let analysis = IsorhythmDetector.analyze(voice)
        let found = try? XCTUnwrap(analysis.talea)
        XCTAssertEqual(found?.periodNotes, 6)
        XCTAssertEqual(found?.periodQuarters, 30)
        XCTAssertEqual(found?.statements, 5)
        // The last note's interval is cut short by the end of the piece, so not quite 1.
        XCTAssertGreaterThanOrEqual(found?.strength ?? 0, 0.95)
        XCTAssertEqual(analysis.color?.periodNotes, 10)
        XCTAssertEqual(analysis.color?.statements, 3)
        XCTAssertTrue(analysis.taleaDiffersFromColor)
        XCTAssertGreaterThan(analysis.strength, 0.9)
        XCTAssertTrue(analysis.summary.contains("talea of 30 quarters (6 notes) stated 5 times"), analysis.summary)
        XCTAssertTrue(analysis.summary.contains("color of 10 notes stated 3 times"), analysis.summary)
    }

    func testDiminutionByHalfIsFoundWithItsStatements() {
        let talea: [(Double, Double)] = [(4, 0), (1, 1), (2, 0), (4, 4), (2, 0), (1, 1)]
        let voice = Self.tenor(talea: talea, color: Self.color10, scales: [1, 1, 1, 0.5, 0.5, 0.5])
        let analysis = IsorhythmDetector.analyze(voice)
        XCTAssertEqual(analysis.talea?.periodNotes, 6)
        XCTAssertEqual(analysis.talea?.statements, 6)
        XCTAssertEqual(analysis.talea?.statementScales, [1, 1, 1, 0.5, 0.5, 0.5])
        XCTAssertGreaterThan(analysis.talea?.strength ?? 0, 0.95)
        XCTAssertTrue(analysis.summary.contains("statements 4–6 in diminution 1:2"), analysis.summary)
    }

    func testDiminutionByTwoThirdsIsFound() {
        let talea: [(Double, Double)] = [(3, 0), (3, 0), (6, 0), (3, 3), (12, 0), (3, 3)]
        let voice = Self.tenor(talea: talea, color: Self.color10, scales: [1, 1, 1, 2.0 / 3, 2.0 / 3, 2.0 / 3])
        let analysis = IsorhythmDetector.analyze(voice)
        XCTAssertEqual(analysis.talea?.periodNotes, 6)
        XCTAssertEqual(analysis.talea?.statements, 6)
        let scales = analysis.talea?.statementScales ?? []
        XCTAssertEqual(scales.count, 6)
        for (found, expected) in zip(scales, [1, 1, 1, 2.0 / 3, 2.0 / 3, 2.0 / 3]) {
            XCTAssertEqual(found, expected, accuracy: 1e-9)
        }
        XCTAssertTrue(analysis.summary.contains("statements 4–6 in diminution 2:3"), analysis.summary)
    }

    func testJitteredPerformanceOfATaleaIsStillFound() {
        let talea: [(Double, Double)] = [(4, 0), (2, 2), (2, 0), (8, 0), (2, 2), (4, 4)]
        var voice = Self.tenor(talea: talea, color: Self.color10, scales: [1, 1, 1, 1, 1])
        var random = SeededGenerator(seed: 7)
        // Onsets off by up to 4% of a quarter, notes released 0-10% early: a human performance.
        voice.notes = voice.notes.map { note in
            var note = note
            note.onsetQuarters += Double.random(in: -0.04...0.04, using: &random)
            note.durationQuarters *= Double.random(in: 0.9...1.0, using: &random)
            return note
        }
        let analysis = IsorhythmDetector.analyze(voice)
        XCTAssertEqual(analysis.talea?.periodNotes, 6)
        XCTAssertEqual(analysis.talea?.statements, 5)
        XCTAssertGreaterThan(analysis.strength, 0.85)
    }

    func testFreeRhythmScoresLow() {
        var random = SeededGenerator(seed: 42)
        let values: [Double] = [1, 2, 3, 4, 6]
        var events: [(pitch: Int, length: Double, rest: Double)] = []
        for _ in 0..<60 {
            events.append((Int.random(in: 48...60, using: &random), values.randomElement(using: &random) ?? 1,
                           Bool.random(using: &random) ? 0 : 1))
        }
        let analysis = IsorhythmDetector.analyze(Fixtures.voice("Free", events))
        XCTAssertLessThan(analysis.strength, 0.35, analysis.summary)
    }

    func testEqualNotesWithPeriodicFermatasAreNotATalea() {
        // A hymn-like line: seven equal notes and a long one, eight times, over new pitches.
        var events: [(pitch: Int, length: Double, rest: Double)] = []
        for phrase in 0..<8 {
            for index in 0..<7 { events.append((60 + (phrase * 3 + index * 5) % 12, 1, 0)) }
            events.append((60 + phrase % 5, 2, 0))
        }
        let analysis = IsorhythmDetector.analyze(Fixtures.voice("Soprano", events))
        XCTAssertEqual(analysis.talea?.periodNotes, 8)
        XCTAssertLessThan(analysis.strength, 0.6, analysis.summary)
    }

    func testTinyAndEmptyVoicesGiveNoTalea() {
        XCTAssertNil(IsorhythmDetector.analyze(Fixtures.voice("Empty", [])).talea)
        let short = IsorhythmDetector.analyze(Fixtures.voice("Short", [(60, 1, 0), (62, 1, 0)]))
        XCTAssertNil(short.talea)
        XCTAssertEqual(short.strength, 0)
        XCTAssertTrue(short.summary.hasPrefix("Short: no talea"))
    }
}
