import XCTest
@testable import TaleaLearning

final class ModelSelectionTests: XCTestCase {
    func testCrossValidationPrefersTreesOnXOR() throws {
        let data = Synthetic.xor(count: 300, seed: 51)
        let groups = (0..<300).map { "g\($0 / 3)" }
        let dataset = try Dataset(rows: data.rows, labels: data.labels, classCount: 2, groups: groups)
        let results = try ModelSelection.crossValidate(dataset, candidates: [
            ModelCandidate(name: "logistic", configuration: .logisticRegression(.init())),
            ModelCandidate(name: "trees", configuration: .boostedTrees(.init(rounds: 20, learningRate: 0.3, maxDepth: 3))),
        ], folds: 4, seed: 1)
        XCTAssertEqual(results.map(\.candidate.name), ["logistic", "trees"])
        XCTAssertEqual(results[1].foldMacroF1.count, 4)
        XCTAssertGreaterThan(results[1].meanMacroF1, 0.9)
        XCTAssertLessThan(results[0].meanMacroF1, 0.75)
        XCTAssertLessThan(results[1].meanLogLoss, results[0].meanLogLoss)
        XCTAssertTrue(results[1].outOfFoldLogits.allSatisfy { $0.count == 2 }, "every row gets out-of-fold logits")
        XCTAssertEqual(results[1].pooled.count, 300)
    }

    func testEvaluationMaskRestrictsScoring() throws {
        let data = Synthetic.gaussians(centres: [[0], [3]], perClass: 40, spread: 0.5, seed: 52, groupSize: 4)
        let dataset = try Dataset(rows: data.rows, labels: data.labels, classCount: 2, groups: data.groups)
        let mask = (0..<80).map { $0 % 2 == 0 }
        let results = try ModelSelection.crossValidate(dataset, candidates: [
            ModelCandidate(name: "logistic", configuration: .logisticRegression(.init())),
        ], folds: 5, evaluationMask: mask)
        XCTAssertEqual(results[0].pooled.count, 40)
        XCTAssertThrowsError(try ModelSelection.crossValidate(
            try Dataset(rows: data.rows, labels: data.labels, classCount: 2), candidates: []))
    }
}
