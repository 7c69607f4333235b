import XCTest
@testable import TaleaFeatures

/// The selection-based median agrees with the sorted definition.
final class MedianTests: XCTestCase {
    func testMedianMatchesSortedMedian() {
        var random = SeededGenerator(seed: 3)
        for size in 1...40 {
            for _ in 0..<50 {
                let values = (0..<size).map { _ in Double(Int.random(in: 0...6, using: &random)) * 0.25 }
                let sorted = values.sorted()
                let expected = size % 2 == 1 ? sorted[size / 2] : 0.5 * (sorted[size / 2 - 1] + sorted[size / 2])
                XCTAssertEqual(VoiceLine.median(values), expected, "\(values)")
            }
        }
        XCTAssertNil(VoiceLine.median([]))
    }
}
