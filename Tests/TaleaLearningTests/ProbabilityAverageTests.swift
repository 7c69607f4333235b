import Foundation
import XCTest
@testable import TaleaLearning

final class ProbabilityAverageTests: XCTestCase {
    private func gaussians() throws -> Dataset {
        let data = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 40, spread: 1.2, seed: 7)
        return try Dataset(rows: data.rows, labels: data.labels, classCount: 3)
    }

    private let members: [ClassifierConfiguration] = [
        .boostedTrees(.init(rounds: 15, learningRate: 0.3, maxDepth: 3, seed: 3)),
        .logisticRegression(.init()),
    ]

    func testMixtureProbabilitiesAreTheWeightedAverageOfTheMembers() throws {
        let data = try gaussians()
        let mixture = try ClassifierConfiguration.averaged(members, weights: [3, 1]).train(on: data)
        guard case .averaged(let average) = mixture else { return XCTFail("expected a mixture") }
        XCTAssertEqual(average.weights, [0.75, 0.25], "weights are normalised")
        let trees = try members[0].train(on: data), logistic = try members[1].train(on: data)
        for row in data.rows.prefix(25) {
            let expected = zip(trees.probabilities(row), logistic.probabilities(row)).map { 0.75 * $0 + 0.25 * $1 }
            let found = mixture.probabilities(row)
            for (e, f) in zip(expected, found) { XCTAssertEqual(e, f, accuracy: 1e-12) }
        }
    }

    func testMixtureLearnsWhatEitherMemberLearns() throws {
        let data = try gaussians()
        let mixture = try ClassifierConfiguration.averaged(members, weights: [0.5, 0.5]).train(on: data)
        let test = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 40, spread: 1.2, seed: 99)
        let correct = zip(test.rows, test.labels).filter { mixture.predict($0) == $1 }.count
        XCTAssertGreaterThan(Double(correct) / Double(test.rows.count), 0.9)
    }

    func testExplanationAddsUpToTheLogitsAndAveragesTheMembers() throws {
        let data = try gaussians()
        let mixture = try ClassifierConfiguration.averaged(members, weights: [0.5, 0.5]).train(on: data)
        guard case .averaged(let average) = mixture else { return XCTFail("expected a mixture") }
        for row in data.rows.prefix(10) {
            let explanation = mixture.explain(row)
            for (a, b) in zip(explanation.logits, mixture.logits(row)) { XCTAssertEqual(a, b, accuracy: 1e-9) }
            let parts = average.members.map { $0.explain(row) }
            XCTAssertEqual(explanation.contributions[1][0], 0.5 * parts[0].contributions[1][0] + 0.5 * parts[1].contributions[1][0],
                           accuracy: 1e-12)
        }
        let importance = mixture.featureImportance
        XCTAssertEqual(importance.reduce(0, +), 1, accuracy: 1e-9)
    }

    func testInvalidMixturesAreTypedErrors() throws {
        let data = try gaussians()
        let logistic = try members[1].train(on: data)
        XCTAssertThrowsError(try ProbabilityAverage(members: [], weights: []))
        XCTAssertThrowsError(try ProbabilityAverage(members: [logistic], weights: [1, 1]))
        XCTAssertThrowsError(try ProbabilityAverage(members: [logistic, logistic], weights: [0, 0]))
        XCTAssertThrowsError(try ProbabilityAverage(members: [logistic, logistic], weights: [1, -.infinity]))
        let narrow = try Dataset(rows: data.rows.map { Array($0.prefix(2)) }, labels: data.labels, classCount: 3)
        let other = try members[1].train(on: narrow)
        XCTAssertThrowsError(try ProbabilityAverage(members: [logistic, other], weights: [1, 1])) {
            XCTAssertTrue(String(describing: $0).contains("differ"), String(describing: $0))
        }
    }

    func testModelFileWithAMixtureRoundTripsExactly() throws {
        let data = try gaussians()
        let pipeline = try FittedPipeline(configuration: .averaged(members, weights: [0.5, 0.5]), training: data)
        let model = try ModelFile(featureSchema: FeatureSchema(version: "3", names: ["a", "b", "c"]),
                                  classNames: ["motet", "chorale", "lied"], standardizer: pipeline.standardizer,
                                  classifier: pipeline.classifier, calibration: TemperatureScaling(temperature: 0.8),
                                  unknownThreshold: nil, metadata: [:])
        let bytes = try model.jsonData()
        let loaded = try ModelFile(jsonData: bytes)
        XCTAssertEqual(loaded, model)
        XCTAssertEqual(try loaded.jsonData(), bytes)
        XCTAssertEqual(loaded.predict([0.3, -1, 2]), model.predict([0.3, -1, 2]))
    }

    func testQuickSummaryNamesBothMembers() {
        let summary = ClassifierConfiguration.averaged(members, weights: [0.5, 0.5]).summary
        XCTAssertTrue(summary.hasPrefix("probability average of 0.5 × boosted trees"), summary)
        XCTAssertTrue(summary.contains("0.5 × logistic regression"), summary)
        XCTAssertEqual(ClassifierConfiguration.averaged(members, weights: [1, 1]).kindName, "ensemble")
    }

    func testSplitSharesTheGroupsProbabilityInTheSplitWeightsProportions() throws {
        let data = try gaussians()
        let split = ClassGroupSplit(classes: [1, 2], weights: [3, 1])
        let mixture = try ClassifierConfiguration.averaged(members, weights: [0.5, 0.5], split: split).train(on: data)
        guard case .averaged(let average) = mixture else { return XCTFail("expected a mixture") }
        XCTAssertEqual(average.split?.weights, [0.75, 0.25], "split weights are normalised")
        let trees = try members[0].train(on: data), logistic = try members[1].train(on: data)
        var movedSomething = false
        for row in data.rows.prefix(40) {
            let t = trees.probabilities(row), l = logistic.probabilities(row)
            let plain = zip(t, l).map { 0.5 * $0 + 0.5 * $1 }
            let found = mixture.probabilities(row)
            // Class 0 keeps the plain average; classes 1 and 2 keep their plain total...
            XCTAssertEqual(found[0], plain[0], accuracy: 1e-12)
            XCTAssertEqual(found[1] + found[2], plain[1] + plain[2], accuracy: 1e-12)
            // ...divided as the trees weighted 3 to 1 divide it.
            let within1 = 0.75 * t[1] + 0.25 * l[1], within2 = 0.75 * t[2] + 0.25 * l[2]
            XCTAssertEqual(found[1] / (found[1] + found[2]), within1 / (within1 + within2), accuracy: 1e-9)
            if abs(found[1] - plain[1]) > 1e-6 { movedSomething = true }
        }
        XCTAssertTrue(movedSomething, "the split changes some answers' proportions")
    }

    func testASplitWithTheMixtureWeightsIsThePlainAverage() throws {
        let data = try gaussians()
        let plain = try ClassifierConfiguration.averaged(members, weights: [0.5, 0.5]).train(on: data)
        let same = try ClassifierConfiguration.averaged(members, weights: [0.5, 0.5],
                                                        split: ClassGroupSplit(classes: [0, 2], weights: [1, 1])).train(on: data)
        for row in data.rows.prefix(20) {
            for (a, b) in zip(plain.probabilities(row), same.probabilities(row)) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        }
    }

    func testSplitExplanationStillAddsUpToTheLogits() throws {
        let data = try gaussians()
        let mixture = try ClassifierConfiguration.averaged(members, weights: [0.5, 0.5],
                                                           split: ClassGroupSplit(classes: [1, 2], weights: [1, 0])).train(on: data)
        guard case .averaged(let average) = mixture else { return XCTFail("expected a mixture") }
        for row in data.rows.prefix(10) {
            let explanation = mixture.explain(row)
            for (a, b) in zip(explanation.logits, mixture.logits(row)) { XCTAssertEqual(a, b, accuracy: 1e-9) }
            let parts = average.members.map { $0.explain(row) }
            XCTAssertEqual(explanation.contributions[1][0], parts[0].contributions[1][0], accuracy: 1e-12,
                           "a split class is explained with the split's weights")
            XCTAssertEqual(explanation.contributions[0][0], 0.5 * parts[0].contributions[0][0] + 0.5 * parts[1].contributions[0][0],
                           accuracy: 1e-12)
        }
    }

    func testInvalidSplitsAreTypedErrors() throws {
        let data = try gaussians()
        let logistic = try members[1].train(on: data)
        for split in [ClassGroupSplit(classes: [1], weights: [1, 1]), ClassGroupSplit(classes: [1, 1], weights: [1, 1]),
                      ClassGroupSplit(classes: [1, 3], weights: [1, 1]), ClassGroupSplit(classes: [0, 1], weights: [1]),
                      ClassGroupSplit(classes: [0, 1], weights: [0, 0]), ClassGroupSplit(classes: [0, 1], weights: [1, .nan])] {
            XCTAssertThrowsError(try ProbabilityAverage(members: [logistic, logistic], weights: [1, 1], split: split)) {
                XCTAssertTrue(String(describing: $0).contains("class split"), String(describing: $0))
            }
        }
    }

    func testModelFileWithASplitRoundTripsAndABrokenSplitIsRefused() throws {
        let data = try gaussians()
        let pipeline = try FittedPipeline(configuration: .averaged(members, weights: [0.5, 0.5],
                                                                   split: ClassGroupSplit(classes: [1, 2], weights: [0.75, 0.25])),
                                          training: data)
        let model = try ModelFile(featureSchema: FeatureSchema(version: "3", names: ["a", "b", "c"]),
                                  classNames: ["motet", "chorale", "lied"], standardizer: pipeline.standardizer,
                                  classifier: pipeline.classifier, calibration: TemperatureScaling(temperature: 0.8),
                                  unknownThreshold: nil, metadata: [:])
        let bytes = try model.jsonData(prettyPrinted: false)
        let loaded = try ModelFile(jsonData: bytes)
        XCTAssertEqual(loaded, model)
        XCTAssertEqual(try loaded.jsonData(prettyPrinted: false), bytes)
        let text = try XCTUnwrap(String(data: bytes, encoding: .utf8))
        XCTAssertTrue(text.contains("\"split\""), "the split is saved")
        let broken = text.replacingOccurrences(of: "\"classes\":[1,2]", with: "\"classes\":[1,7]")
        XCTAssertNotEqual(broken, text, "the test edits the split")
        XCTAssertThrowsError(try ModelFile(jsonData: Data(broken.utf8))) {
            XCTAssertTrue(String(describing: $0).contains("class split"), String(describing: $0))
        }
    }

    func testPlainMixturesWriteNoSplit() throws {
        let data = try gaussians()
        let mixture = try ClassifierConfiguration.averaged(members, weights: [0.5, 0.5]).train(on: data)
        let text = try XCTUnwrap(String(data: JSONEncoder().encode(mixture), encoding: .utf8))
        XCTAssertFalse(text.contains("split"), "models written before the split load and save unchanged")
    }
}
