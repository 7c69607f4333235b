import Foundation
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// The tempo tracker follows a performance's rubato but never re-reads a notated line.
final class RubatoTests: XCTestCase {
    /// A notated piano figure mixing triplets, dotted values and long notes (after a corpus lied
    /// whose median interval, 3/4 of a quarter, makes a triplet eighth look like a slightly fast half-pulse).
    static let figure: [Double] = [2, 0.5, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0.75, 0.25, 2, 0.75, 0.25, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1]

    static func line(_ intervals: [Double], repeats: Int) -> [Note] {
        var notes: [Note] = []
        var time = 0.0
        for index in 0..<(intervals.count * repeats) {
            let interval = intervals[index % intervals.count]
            notes.append(Fixtures.note(60 + index % 7, at: time, for: interval))
            time += interval
        }
        return notes
    }

    func testNotatedLineIsReadAsWritten() {
        let line = VoiceLine(notes: Self.line(Self.figure, repeats: 12))
        XCTAssertTrue(line.readsAsNotated)
        for event in line.events.dropLast() {
            XCTAssertEqual(event.twelfths, VoiceLine.snapToTwelfths(event.ioi / line.pulse), "at \(event.onset)")
        }
    }

    func testGradualRitardandoIsFollowed() {
        // Equal quarter notes slowing steadily from 24% faster to 24% slower than the median: read
        // against the global pulse, the outer ones fall off the one-pulse grid value; the tracker
        // follows most of them.
        var notes: [Note] = []
        var time = 0.0
        for index in 0..<120 {
            let interval = 1.0 + 0.004 * Double(index) - 0.24
            notes.append(Fixtures.note(60 + index % 5, at: time, for: interval))
            time += interval
        }
        let line = VoiceLine(notes: notes)
        let intervals = line.events.dropLast().map(\.ioi)
        XCTAssertFalse(line.readsAsNotated)
        let tracked = line.events.dropLast().filter { $0.twelfths == 12 }.count
        let untracked = intervals.filter { VoiceLine.snapToTwelfths($0 / line.pulse) == 12 }.count
        XCTAssertLessThan(untracked, 70)
        XCTAssertGreaterThanOrEqual(tracked, 90, "the tracker keeps most intervals at one pulse")
    }
}
