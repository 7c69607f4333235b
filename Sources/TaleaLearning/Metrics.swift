import Foundation

/// Precision, recall, F1 and support of one class.
public struct ClassMetrics: Codable, Equatable, Sendable {
    /// Correct predictions of the class / all predictions of the class (0 when never predicted).
    public let precision: Double
    /// Correct predictions of the class / rows of the class (0 when the class is absent).
    public let recall: Double
    /// Harmonic mean of precision and recall (0 when both are 0).
    public let f1: Double
    /// Number of rows whose true label is the class.
    public let support: Int
    /// Number of rows predicted as the class.
    public let predicted: Int

    /// The harmonic mean of a precision and a recall, 0 when both are 0.
    static func f1(precision: Double, recall: Double) -> Double {
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}

/// A square table of counts: `counts[truth][prediction]`.
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    /// `counts[t][p]`: rows with true class t predicted as p.
    public let counts: [[Int]]

    /// Counts (truth, prediction) pairs; pairs outside `0..<classCount` are ignored.
    public init(labels: [Int], predictions: [Int], classCount: Int) {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: max(0, classCount)), count: max(0, classCount))
        for (t, p) in zip(labels, predictions) where t >= 0 && t < classCount && p >= 0 && p < classCount {
            counts[t][p] += 1
        }
        self.counts = counts
    }

    /// Per-class precision, recall, F1 and support.
    public var perClass: [ClassMetrics] {
        let k = counts.count
        return (0..<k).map { c in
            let truePositives = counts[c][c]
            let support = counts[c].reduce(0, +)
            let predicted = (0..<k).reduce(0) { $0 + counts[$1][c] }
            let precision = predicted > 0 ? Double(truePositives) / Double(predicted) : 0
            let recall = support > 0 ? Double(truePositives) / Double(support) : 0
            return ClassMetrics(precision: precision, recall: recall, f1: ClassMetrics.f1(precision: precision, recall: recall),
                                support: support, predicted: predicted)
        }
    }

    /// Fraction of rows on the diagonal (0 for an empty matrix).
    public var accuracy: Double {
        let total = counts.reduce(0) { $0 + $1.reduce(0, +) }
        let correct = counts.indices.reduce(0) { $0 + counts[$1][$1] }
        return total > 0 ? Double(correct) / Double(total) : 0
    }

    /// Macro-F1 as a test set holding as many rows of each true class would measure it: every row
    /// of the counts is scaled to the same total before precisions are taken, so a rare class's
    /// precision is not swamped by the few mistakes of a common one (five false motets among five
    /// thousand chorale voices cost a motet class of 37 voices more than a tenth of its precision).
    /// Recalls are unchanged. The mean is over the classes among the first `classes` (all when nil)
    /// that occur in the truth; an answer outside them (`unknown`) is a miss and nobody's precision.
    public func classBalancedMacroF1(classes: Int? = nil) -> Double {
        let k = counts.count
        let scored = (0..<min(classes ?? k, k)).filter { counts[$0].reduce(0, +) > 0 }
        guard !scored.isEmpty else { return 0 }
        // Each true class's row as shares of its support: recall on the diagonal.
        let shares: [[Double]] = counts.map { row in
            let support = row.reduce(0, +)
            return row.map { support > 0 ? Double($0) / Double(support) : 0 }
        }
        let f1s = scored.map { c -> Double in
            let recall = shares[c][c]
            let predicted = shares.reduce(0) { $0 + $1[c] }
            return ClassMetrics.f1(precision: predicted > 0 ? recall / predicted : 0, recall: recall)
        }
        return f1s.reduce(0, +) / Double(scored.count)
    }

    /// Unweighted mean F1 over the classes that occur in the truth or in the predictions
    /// (a class absent from both is skipped rather than counted as 0).
    public var macroF1: Double {
        let relevant = perClass.filter { $0.support > 0 || $0.predicted > 0 }
        return relevant.isEmpty ? 0 : relevant.reduce(0) { $0 + $1.f1 } / Double(relevant.count)
    }
}

/// One bin of a reliability diagram.
public struct ReliabilityBin: Codable, Equatable, Sendable {
    /// Lower edge of the bin's confidence interval (exclusive, except 0 for the first bin).
    public let lower: Double
    /// Upper edge (inclusive).
    public let upper: Double
    /// Rows whose top-class probability falls in the bin.
    public let count: Int
    /// Mean top-class probability of those rows (0 when empty).
    public let meanConfidence: Double
    /// Fraction of those rows predicted correctly (0 when empty).
    public let accuracy: Double
}

/// Reliability diagram and expected calibration error of top-class confidences.
public struct CalibrationReport: Codable, Equatable, Sendable {
    /// Equal-width bins over [0, 1]: bin i covers (i/B, (i+1)/B], the first bin also includes 0.
    public let bins: [ReliabilityBin]
    /// ECE = Σ_b (n_b / N) · |accuracy_b − meanConfidence_b|.
    public let expectedCalibrationError: Double

    /// The default number of bins (15, as in Guo et al. 2017).
    public static let defaultBinCount = 15

    /// Bins the top-class probability of every row; rows with empty or non-finite probabilities are
    /// skipped.
    public init(probabilities: [[Double]], labels: [Int], binCount: Int = CalibrationReport.defaultBinCount) {
        let b = max(1, binCount)
        var counts = [Int](repeating: 0, count: b)
        var confidenceSums = [Double](repeating: 0, count: b)
        var correct = [Int](repeating: 0, count: b)
        var total = 0
        for (p, label) in zip(probabilities, labels) where !p.isEmpty && p.allSatisfy(\.isFinite) {
            let predicted = Softmax.argmax(p)
            let confidence = min(1, max(0, p[predicted]))
            let index = min(b - 1, max(0, Int((confidence * Double(b)).rounded(.up)) - 1))
            counts[index] += 1
            confidenceSums[index] += confidence
            if predicted == label { correct[index] += 1 }
            total += 1
        }
        var bins: [ReliabilityBin] = []
        var ece = 0.0
        for i in 0..<b {
            let n = counts[i]
            let meanConfidence = n > 0 ? confidenceSums[i] / Double(n) : 0
            let accuracy = n > 0 ? Double(correct[i]) / Double(n) : 0
            bins.append(ReliabilityBin(lower: Double(i) / Double(b), upper: Double(i + 1) / Double(b),
                                       count: n, meanConfidence: meanConfidence, accuracy: accuracy))
            if total > 0 { ece += Double(n) / Double(total) * abs(accuracy - meanConfidence) }
        }
        self.bins = bins
        self.expectedCalibrationError = ece
    }
}

/// Scoring functions for probabilistic classifiers.
public enum Metrics {
    /// Fraction of `predictions` equal to `labels` (0 when empty).
    public static func accuracy(labels: [Int], predictions: [Int]) -> Double {
        let n = min(labels.count, predictions.count)
        guard n > 0 else { return 0 }
        return Double(zip(labels, predictions).filter { $0 == $1 }.count) / Double(n)
    }

    /// Mean negative natural log of the probability given to the true class. Probabilities are
    /// clipped to at least 1e-15 so one confident mistake costs about 34.5, not infinity.
    public static func negativeLogLikelihood(probabilities: [[Double]], labels: [Int]) -> Double {
        var total = 0.0, n = 0
        for (p, label) in zip(probabilities, labels) where label >= 0 && label < p.count {
            let q = p[label].isFinite ? p[label] : 0
            total -= log(max(q, 1e-15))
            n += 1
        }
        return n > 0 ? total / Double(n) : 0
    }

    /// Multiclass Brier score: mean over rows of Σ_k (p_k − 1[k = label])², in [0, 2].
    public static func brierScore(probabilities: [[Double]], labels: [Int]) -> Double {
        var total = 0.0, n = 0
        for (p, label) in zip(probabilities, labels) {
            for (k, q) in p.enumerated() {
                let d = (q.isFinite ? q : 0) - (k == label ? 1 : 0)
                total += d * d
            }
            n += 1
        }
        return n > 0 ? total / Double(n) : 0
    }
}

/// Every metric of one set of predictions, ready for a report or `metrics.json`.
public struct EvaluationSummary: Codable, Equatable, Sendable {
    /// Number of rows scored.
    public let count: Int
    /// Fraction predicted correctly.
    public let accuracy: Double
    /// Unweighted mean F1 over the classes present (see `ConfusionMatrix.macroF1`).
    public let macroF1: Double
    /// Per-class precision, recall, F1 and support, in class order.
    public let perClass: [ClassMetrics]
    /// `confusion.counts[truth][prediction]`.
    public let confusion: ConfusionMatrix
    /// Mean negative log-likelihood of the true class.
    public let negativeLogLikelihood: Double
    /// Multiclass Brier score.
    public let brierScore: Double
    /// Reliability diagram and ECE.
    public let calibration: CalibrationReport

    /// Scores `probabilities` (one distribution per row, argmax = prediction) against `labels`.
    public init(probabilities: [[Double]], labels: [Int], classCount: Int,
                binCount: Int = CalibrationReport.defaultBinCount) {
        let n = min(probabilities.count, labels.count)
        let probabilities = Array(probabilities.prefix(n)), labels = Array(labels.prefix(n))
        let predictions = probabilities.map(Softmax.argmax)
        let confusion = ConfusionMatrix(labels: labels, predictions: predictions, classCount: classCount)
        self.count = n
        self.accuracy = Metrics.accuracy(labels: labels, predictions: predictions)
        self.macroF1 = confusion.macroF1
        self.perClass = confusion.perClass
        self.confusion = confusion
        self.negativeLogLikelihood = Metrics.negativeLogLikelihood(probabilities: probabilities, labels: labels)
        self.brierScore = Metrics.brierScore(probabilities: probabilities, labels: labels)
        self.calibration = CalibrationReport(probabilities: probabilities, labels: labels, binCount: binCount)
    }
}
