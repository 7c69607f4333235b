import XCTest
@testable import TaleaLearning

final class LogisticRegressionTests: XCTestCase {
    func testSeparableGaussiansAreLearned() throws {
        let train = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 60, spread: 0.6, seed: 1)
        let test = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 60, spread: 0.6, seed: 2)
        let scaler = try Standardizer(fitting: train.rows)
        let model = try LogisticRegression(training: Dataset(rows: scaler.transform(train.rows), labels: train.labels, classCount: 3))
        XCTAssertTrue(model.converged)
        XCTAssertGreaterThanOrEqual(accuracy(model, rows: scaler.transform(test.rows), labels: test.labels), 0.99)
        let p = model.probabilities(scaler.transform([4, 0, 1]))
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertGreaterThan(p[1], 0.9)
    }

    func testPlainLogisticRegressionCannotLearnXOR() throws {
        let data = Synthetic.xor(count: 400, seed: 3)
        let model = try LogisticRegression(training: Dataset(rows: data.rows, labels: data.labels, classCount: 2))
        XCTAssertLessThan(accuracy(model, rows: data.rows, labels: data.labels), 0.7)
    }

    func testSolutionIsAStationaryPointOfTheObjective() throws {
        // At the optimum, the weighted gradient of the loss equals −l2 × coefficients.
        let data = Synthetic.gaussians(centres: [[0, 0], [1, 1]], perClass: 50, spread: 1, seed: 4)
        let l2 = 0.1
        let model = try LogisticRegression(training: Dataset(rows: data.rows, labels: data.labels, classCount: 2),
                                           configuration: .init(l2: l2, classWeighting: .none, tolerance: 1e-9))
        for c in 0..<2 {
            for j in 0..<2 {
                var gradient = 0.0
                for (row, label) in zip(data.rows, data.labels) {
                    gradient += (model.probabilities(row)[c] - (label == c ? 1 : 0)) * row[j] / Double(data.rows.count)
                }
                XCTAssertEqual(gradient + l2 * model.coefficients[c][j], 0, accuracy: 1e-6)
            }
        }
    }

    func testClassWeightsShiftDecisionsTowardsTheHeavierClass() throws {
        let data = Synthetic.gaussians(centres: [[0], [1]], perClass: 200, spread: 1, seed: 5)
        let dataset = try Dataset(rows: data.rows, labels: data.labels, classCount: 2)
        let even = try LogisticRegression(training: dataset, configuration: .init(classWeighting: .none))
        let heavy = try LogisticRegression(training: dataset, configuration: .init(classWeighting: .custom([1, 10])))
        let evenOnes = data.rows.filter { even.predict($0) == 1 }.count
        let heavyOnes = data.rows.filter { heavy.predict($0) == 1 }.count
        XCTAssertGreaterThan(heavyOnes, evenOnes + 80, "weighting class 1 ×10 should claim many more rows for it")
        // Sample weights act the same way: weighting class-1 rows ×10 is equivalent to the class weight.
        let weighted = try LogisticRegression(
            training: Dataset(rows: data.rows, labels: data.labels, classCount: 2,
                              sampleWeights: data.labels.map { $0 == 1 ? 10 : 1 }),
            configuration: .init(classWeighting: .none))
        for (a, b) in zip(weighted.coefficients.joined(), heavy.coefficients.joined()) {
            XCTAssertEqual(a, b, accuracy: 1e-5)
        }
    }

    func testContributionsSumToTheLogitMinusIntercept() throws {
        let data = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 30, spread: 1, seed: 6)
        let model = try LogisticRegression(training: Dataset(rows: data.rows, labels: data.labels, classCount: 3))
        for row in data.rows.prefix(20) {
            let explanation = model.explain(row)
            let logits = model.logits(row)
            for c in 0..<3 {
                XCTAssertEqual(explanation.contributions[c].reduce(0, +), logits[c] - model.intercepts[c], accuracy: 1e-9)
                for j in 0..<3 { XCTAssertEqual(explanation.contributions[c][j], model.coefficients[c][j] * row[j], accuracy: 1e-12) }
            }
            for (a, b) in zip(explanation.logits, logits) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        }
    }

    func testTopFeaturesNameTheFeatureThatSeparatesTheClass() throws {
        // Only feature 1 carries the label; features 0 and 2 are noise.
        var generator = SeededGenerator(seed: 7)
        var rows: [[Double]] = [], labels: [Int] = []
        for i in 0..<200 {
            let label = i % 2
            rows.append([Synthetic.normal(&generator), Double(label) * 3 + Synthetic.normal(&generator) * 0.5,
                         Synthetic.normal(&generator)])
            labels.append(label)
        }
        let model = try LogisticRegression(training: Dataset(rows: rows, labels: labels, classCount: 2))
        let top = model.explain([0, 3, 0]).topFeatures(towards: 1, count: 3)
        XCTAssertEqual(top.first?.feature, 1)
        XCTAssertTrue(model.explain([0, 3, 0]).topFeatures(towards: 0, count: 3).allSatisfy { $0.feature != 1 })
    }

    func testBadInputThrowsInsteadOfCrashing() {
        XCTAssertThrowsError(try Dataset(rows: [], labels: [], classCount: 2))
        XCTAssertThrowsError(try Dataset(rows: [[1, 2], [1]], labels: [0, 1], classCount: 2))
        XCTAssertThrowsError(try Dataset(rows: [[1], [2]], labels: [0, 2], classCount: 2))
        XCTAssertThrowsError(try Dataset(rows: [[1], [2]], labels: [0, 1], classCount: 2, sampleWeights: [1, -1]))
        XCTAssertThrowsError(try Dataset(rows: [[1], [2]], labels: [0, 1], classCount: 2, groups: ["a"]))
    }

    func testNonFiniteFeatureValuesDoNotPoisonTraining() throws {
        let data = Synthetic.gaussians(centres: [[0, 0], [3, 3]], perClass: 40, spread: 0.5, seed: 8)
        var rows = data.rows
        rows[0][0] = .nan
        rows[1][1] = .infinity
        let scaler = try Standardizer(fitting: rows)
        let model = try LogisticRegression(training: Dataset(rows: scaler.transform(rows), labels: data.labels, classCount: 2))
        XCTAssertTrue(model.coefficients.joined().allSatisfy(\.isFinite))
        XCTAssertGreaterThan(accuracy(model, rows: scaler.transform(rows), labels: data.labels), 0.95)
        XCTAssertTrue(model.probabilities([.nan, .infinity]).allSatisfy(\.isFinite))
    }
}
