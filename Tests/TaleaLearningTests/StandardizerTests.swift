import XCTest
@testable import TaleaLearning

final class StandardizerTests: XCTestCase {
    func testMeansAndScalesAndConstantColumns() throws {
        let scaler = try Standardizer(fitting: [[1, 5, 0], [3, 5, .nan], [5, 5, 2]])
        XCTAssertEqual(scaler.means, [3, 5, 1])
        XCTAssertEqual(scaler.scales[0], (8.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(scaler.scales[1], 1, "a constant column keeps scale 1")
        XCTAssertEqual(scaler.scales[2], 1, accuracy: 1e-12)
        let z = scaler.transform([5, 7, .nan])
        XCTAssertEqual(z[0], 2 / (8.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(z[1], 2)
        XCTAssertEqual(z[2], 0, "non-finite values map to the mean")
        XCTAssertEqual(scaler.transform([1]).count, 3, "short rows are padded, never crash")
    }

    func testFittedColumnsHaveZeroMeanAndUnitVariance() throws {
        let data = Synthetic.gaussians(centres: [[10, -3], [12, 4]], perClass: 50, spread: 2, seed: 9)
        let scaler = try Standardizer(fitting: data.rows)
        let z = scaler.transform(data.rows)
        for j in 0..<2 {
            let column = z.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-12)
            XCTAssertEqual(variance, 1, accuracy: 1e-12)
        }
    }

    func testRaggedRowsThrow() {
        XCTAssertThrowsError(try Standardizer(fitting: [[1, 2], [3]]))
        XCTAssertThrowsError(try Standardizer(fitting: []))
    }
}
