import XCTest
@testable import TaleaLearning

final class GradientBoostedTreesTests: XCTestCase {
    let small = GradientBoostedTrees.Configuration(rounds: 30, learningRate: 0.3, maxDepth: 3, minSamplesLeaf: 3)

    func testSeparableGaussiansAreLearned() throws {
        let train = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 60, spread: 0.6, seed: 11)
        let test = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 60, spread: 0.6, seed: 12)
        let model = try GradientBoostedTrees(training: Dataset(rows: train.rows, labels: train.labels, classCount: 3),
                                             configuration: small)
        XCTAssertGreaterThanOrEqual(accuracy(model, rows: test.rows, labels: test.labels), 0.98)
        XCTAssertEqual(model.treeCount, 30 * 3)
        XCTAssertNil(model.structuralProblem())
    }

    func testXORIsLearnedAndTheInformativeFeaturesGetTheGain() throws {
        let train = Synthetic.xor(count: 400, noiseFeatures: 3, seed: 13)
        let test = Synthetic.xor(count: 400, noiseFeatures: 3, seed: 14)
        let model = try GradientBoostedTrees(training: Dataset(rows: train.rows, labels: train.labels, classCount: 2),
                                             configuration: small)
        XCTAssertGreaterThanOrEqual(accuracy(model, rows: test.rows, labels: test.labels), 0.95)
        let importance = model.normalizedFeatureImportance
        XCTAssertEqual(importance.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertGreaterThan(importance[0] + importance[1], 0.8, "x and y carry the label; \(importance)")
    }

    func testSaabasContributionsAddUpToTheLogits() throws {
        let data = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 40, spread: 1.5, seed: 15)
        let model = try GradientBoostedTrees(training: Dataset(rows: data.rows, labels: data.labels, classCount: 3),
                                             configuration: small)
        for row in data.rows.prefix(30) + [[.nan, 0, 0], [1e9, -1e9, 0.5]] {
            let explanation = model.explain(row)
            for (a, b) in zip(explanation.logits, model.logits(row)) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        }
        // The class-1 centre differs from the others in feature 0: it must be the top push towards class 1.
        XCTAssertEqual(model.explain([4, 0, 1]).topFeatures(towards: 1, count: 1).first?.feature, 0)
    }

    func testSameSeedGivesIdenticalBytesAndAnotherSeedDiffers() throws {
        let data = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 40, spread: 1.5, seed: 16)
        let dataset = try Dataset(rows: data.rows, labels: data.labels, classCount: 3)
        func bytes(seed: UInt64) throws -> Data {
            var configuration = small
            configuration.seed = seed
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return try encoder.encode(GradientBoostedTrees(training: dataset, configuration: configuration))
        }
        XCTAssertEqual(try bytes(seed: 1), try bytes(seed: 1))
        XCTAssertNotEqual(try bytes(seed: 1), try bytes(seed: 2))
    }

    func testBinningWithManyDistinctValuesAndMissingValues() throws {
        // 600 distinct values → quantile bins; NaN rows must not crash and go left consistently.
        var rows = (0..<600).map { [Double($0) / 600] }
        let labels = rows.map { $0[0] > 0.5 ? 1 : 0 }
        rows[10][0] = .nan
        let model = try GradientBoostedTrees(training: Dataset(rows: rows, labels: labels, classCount: 2),
                                             configuration: .init(rounds: 20, maxBins: 16))
        XCTAssertEqual(model.predict([0.9]), 1)
        XCTAssertEqual(model.predict([0.1]), 0)
        XCTAssertEqual(model.predict([.nan]), 0, "NaN goes left, with the small values")
        XCTAssertEqual(model.predict([]), 0, "a missing feature reads as NaN")
        let edges = Binner(rows: rows, maxBins: 16).edges[0]
        XCTAssertLessThanOrEqual(edges.count, 15)
        XCTAssertEqual(edges, edges.sorted())
    }

    func testConstantFeaturesAndSingleClassSubsetsAreHandled() throws {
        let rows = (0..<20).map { _ in [1.0, 2.0] }
        let model = try GradientBoostedTrees(training: Dataset(rows: rows, labels: [Int](repeating: 2, count: 20), classCount: 3),
                                             configuration: .init(rounds: 3))
        XCTAssertEqual(model.predict([1, 2]), 2)
        XCTAssertEqual(model.nodeCount, model.treeCount, "nothing to split on: every tree is a single leaf")
        XCTAssertTrue(model.logits([1, 2]).allSatisfy(\.isFinite))
    }

    func testInvalidConfigurationThrows() throws {
        let dataset = try Dataset(rows: [[0], [1]], labels: [0, 1], classCount: 2)
        XCTAssertThrowsError(try GradientBoostedTrees(training: dataset, configuration: .init(rounds: 0)))
        XCTAssertThrowsError(try GradientBoostedTrees(training: dataset, configuration: .init(maxBins: 300)))
        XCTAssertThrowsError(try GradientBoostedTrees(training: dataset, configuration: .init(rowSubsample: 0)))
    }
}
