import XCTest
@testable import TaleaLearning

final class CalibrationAndMetricsTests: XCTestCase {
    func testTemperatureScalingRepairsAnOverconfidentModel() throws {
        // Overlapping classes: a fitted logistic regression is roughly calibrated; ×5 logits are not.
        let train = Synthetic.gaussians(centres: [[0, 0], [1.5, 0], [0, 1.5]], perClass: 150, spread: 1, seed: 21)
        let heldOut = Synthetic.gaussians(centres: [[0, 0], [1.5, 0], [0, 1.5]], perClass: 150, spread: 1, seed: 22)
        let model = try LogisticRegression(training: Dataset(rows: train.rows, labels: train.labels, classCount: 3))
        let overconfident = heldOut.rows.map { model.logits($0).map { $0 * 5 } }
        let before = CalibrationReport(probabilities: overconfident.map(Softmax.probabilities), labels: heldOut.labels)
        let scaling = try TemperatureScaling(fitting: overconfident, labels: heldOut.labels)
        let after = CalibrationReport(probabilities: overconfident.map(scaling.probabilities), labels: heldOut.labels)
        print("temperature \(scaling.temperature); ECE before \(before.expectedCalibrationError), after \(after.expectedCalibrationError)")
        XCTAssertGreaterThan(scaling.temperature, 3)
        XCTAssertLessThan(scaling.temperature, 8)
        XCTAssertGreaterThan(before.expectedCalibrationError, 0.15)
        XCTAssertLessThan(after.expectedCalibrationError, before.expectedCalibrationError / 2)
        XCTAssertLessThan(after.expectedCalibrationError, 0.08)
        // Scaling never changes the predicted class.
        for logits in overconfident { XCTAssertEqual(Softmax.argmax(logits), Softmax.argmax(scaling.scale(logits))) }
    }

    func testTemperatureIsTheNLLMinimiser() throws {
        let logits: [[Double]] = [[2, 0], [1, 0], [3, 0], [0.5, 0], [2, 0]]
        let labels = [0, 1, 0, 0, 1]
        let t = try TemperatureScaling(fitting: logits, labels: labels).temperature
        func nll(_ t: Double) -> Double {
            Metrics.negativeLogLikelihood(probabilities: logits.map { Softmax.probabilities($0.map { $0 / t }) }, labels: labels)
        }
        XCTAssertLessThan(nll(t), nll(t * 1.01))
        XCTAssertLessThan(nll(t), nll(t / 1.01))
        XCTAssertThrowsError(try TemperatureScaling(fitting: [], labels: []))
        XCTAssertThrowsError(try TemperatureScaling(temperature: 0))
    }

    func testMetricsOnAHandComputedExample() {
        // truth:      0 0 0 1 1 2
        // prediction: 0 0 1 1 2 2
        let labels = [0, 0, 0, 1, 1, 2]
        let probabilities: [[Double]] = [[0.9, 0.05, 0.05], [0.6, 0.3, 0.1], [0.3, 0.6, 0.1],
                                         [0.2, 0.7, 0.1], [0.1, 0.4, 0.5], [0.0, 0.2, 0.8]]
        let summary = EvaluationSummary(probabilities: probabilities, labels: labels, classCount: 3, binCount: 10)
        XCTAssertEqual(summary.confusion.counts, [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        XCTAssertEqual(summary.accuracy, 4.0 / 6, accuracy: 1e-12)
        // class 0: P 1, R 2/3, F1 0.8; class 1: P 1/2, R 1/2, F1 1/2; class 2: P 1/2, R 1, F1 2/3.
        XCTAssertEqual(summary.perClass.map(\.precision), [1, 0.5, 0.5])
        XCTAssertEqual(summary.perClass[0].recall, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(summary.perClass[0].f1, 0.8, accuracy: 1e-12)
        XCTAssertEqual(summary.perClass[2].f1, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(summary.perClass.map(\.support), [3, 2, 1])
        XCTAssertEqual(summary.macroF1, (0.8 + 0.5 + 2.0 / 3) / 3, accuracy: 1e-12)
        let nll = -(log(0.9) + log(0.6) + log(0.3) + log(0.7) + log(0.4) + log(0.8)) / 6
        XCTAssertEqual(summary.negativeLogLikelihood, nll, accuracy: 1e-12)
        let brier = [0.01 + 0.0025 + 0.0025, 0.16 + 0.09 + 0.01, 0.49 + 0.36 + 0.01,
                     0.04 + 0.09 + 0.01, 0.01 + 0.36 + 0.25, 0.0 + 0.04 + 0.04].reduce(0, +) / 6
        XCTAssertEqual(summary.brierScore, brier, accuracy: 1e-12)
        // Confidences 0.9 ✓, 0.6 ✓, 0.6 ✗, 0.7 ✓, 0.5 ✗, 0.8 ✓ in bins (0.8,0.9], (0.5,0.6] ×2, (0.6,0.7], (0.4,0.5], (0.7,0.8].
        let bins = summary.calibration.bins
        XCTAssertEqual(bins.count, 10)
        XCTAssertEqual(bins.map(\.count), [0, 0, 0, 0, 1, 2, 1, 1, 1, 0])
        XCTAssertEqual(bins[5].accuracy, 0.5)
        XCTAssertEqual(bins[5].meanConfidence, 0.6, accuracy: 1e-12)
        let ece = (1 * 0.5 + 2 * 0.1 + 1 * 0.3 + 1 * 0.2 + 1 * 0.1) / 6
        XCTAssertEqual(summary.calibration.expectedCalibrationError, ece, accuracy: 1e-12)
    }

    func testMacroF1SkipsClassesAbsentFromTruthAndPredictions() {
        let matrix = ConfusionMatrix(labels: [0, 1], predictions: [0, 1], classCount: 4)
        XCTAssertEqual(matrix.macroF1, 1)
        XCTAssertEqual(matrix.accuracy, 1)
        XCTAssertEqual(ConfusionMatrix(labels: [], predictions: [], classCount: 2).macroF1, 0)
    }

    /// A rare class's precision as a test set with as many rows of every class would measure it: one
    /// false positive among a hundred rows of a common class costs it a hundredth of a row.
    func testClassBalancedMacroF1WeighsEveryTrueClassEqually() {
        // Class 0: 2 rows, both right. Class 1: 100 rows, 1 answered 0, 1 answered 2 (unknown).
        let labels = [0, 0] + [Int](repeating: 1, count: 100)
        let predictions = [0, 0, 0, 2] + [Int](repeating: 1, count: 98)
        let matrix = ConfusionMatrix(labels: labels, predictions: predictions, classCount: 3)
        // Plain: class 0 P 2/3, R 1; class 1 P 1, R 0.98.
        XCTAssertEqual(matrix.perClass[0].precision, 2.0 / 3, accuracy: 1e-12)
        // Balanced rows: class 0 [1, 0, 0], class 1 [0.01, 0.98, 0.01]: class 0 P 1/1.01, R 1; class 1 P 1, R 0.98.
        let p0 = 1 / 1.01
        let f0 = 2 * p0 / (p0 + 1), f1 = 2 * 0.98 / 1.98
        XCTAssertEqual(matrix.classBalancedMacroF1(classes: 2), (f0 + f1) / 2, accuracy: 1e-12)
        // Class 2 (an `unknown` answer) has no rows, so it is not averaged whether or not `classes` leaves it out.
        XCTAssertEqual(matrix.classBalancedMacroF1(), (f0 + f1) / 2, accuracy: 1e-12)
        // A perfect matrix is 1 however unbalanced; no rows at all is 0.
        XCTAssertEqual(ConfusionMatrix(labels: [0, 1, 1, 1], predictions: [0, 1, 1, 1], classCount: 2).classBalancedMacroF1(), 1)
        XCTAssertEqual(ConfusionMatrix(labels: [], predictions: [], classCount: 2).classBalancedMacroF1(), 0)
    }

    func testSoftmaxIsStable() {
        XCTAssertEqual(Softmax.probabilities([1000, 0]), [1, 0])
        XCTAssertEqual(Softmax.probabilities([.nan, .nan]), [0.5, 0.5])
        XCTAssertEqual(Softmax.probabilities([.infinity, 0]), [1, 0])
        XCTAssertEqual(Softmax.logSumExp([1000, 1000]), 1000 + log(2), accuracy: 1e-9)
    }
}

final class UnknownThresholdTests: XCTestCase {
    func testThresholdRespectsTheKnownRejectionBudget() throws {
        let known = (0..<100).map { 0.5 + 0.005 * Double($0) }       // 0.5 … 0.995
        let negatives = (0..<50).map { 0.4 + 0.004 * Double($0) }    // 0.4 … 0.596
        let choice = try UnknownThresholdChoice(knownConfidences: known, negativeConfidences: negatives,
                                                maxKnownRejection: 0.05)
        XCTAssertEqual(choice.threshold, 0.525, accuracy: 1e-12)
        XCTAssertEqual(choice.knownRejectedFraction, 0.05)
        XCTAssertEqual(choice.negativeRejectedFraction, Double(negatives.filter { $0 < 0.525 }.count) / 50)
        let strict = try UnknownThresholdChoice(knownConfidences: known, negativeConfidences: negatives,
                                                maxKnownRejection: 0)
        XCTAssertEqual(strict.threshold, 0.5)
        XCTAssertEqual(strict.knownRejectedFraction, 0)
        XCTAssertThrowsError(try UnknownThresholdChoice(knownConfidences: [], negativeConfidences: []))
        XCTAssertThrowsError(try UnknownThresholdChoice(knownConfidences: [0.9], negativeConfidences: [], maxKnownRejection: 1))
    }
}
