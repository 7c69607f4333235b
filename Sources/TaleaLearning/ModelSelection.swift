import Foundation

/// A named classifier configuration to compare.
public struct ModelCandidate: Codable, Equatable, Sendable {
    /// A label for reports, e.g. "gbt-depth3".
    public let name: String
    /// What to train.
    public let configuration: ClassifierConfiguration

    /// Creates a candidate.
    public init(name: String, configuration: ClassifierConfiguration) {
        self.name = name
        self.configuration = configuration
    }
}

/// A standardiser and a classifier trained together on one set of rows.
public struct FittedPipeline: Sendable {
    /// Fitted on the training rows only.
    public let standardizer: Standardizer
    /// Trained on the standardised training rows.
    public let classifier: AnyClassifier

    /// Fits the standardiser on `data.rows`, then trains `configuration` on the standardised rows.
    public init(configuration: ClassifierConfiguration, training data: Dataset) throws {
        let standardizer = try Standardizer(fitting: data.rows)
        self.standardizer = standardizer
        self.classifier = try configuration.train(on: data.replacingRows(standardizer.transform(data.rows)))
    }

    /// Logits of a raw (unstandardised) row.
    public func logits(_ row: [Double]) -> [Double] {
        classifier.logits(standardizer.transform(row))
    }
}

/// The cross-validated score of one candidate.
public struct CandidateResult: Codable, Sendable {
    /// The candidate scored.
    public let candidate: ModelCandidate
    /// Macro-F1 on each fold's test rows.
    public let foldMacroF1: [Double]
    /// Mean negative log-likelihood (log-loss) on each fold's test rows.
    public let foldLogLoss: [Double]
    /// Mean of `foldMacroF1`.
    public var meanMacroF1: Double { foldMacroF1.reduce(0, +) / Double(max(1, foldMacroF1.count)) }
    /// Mean of `foldLogLoss`.
    public var meanLogLoss: Double { foldLogLoss.reduce(0, +) / Double(max(1, foldLogLoss.count)) }
    /// Population standard deviation of `foldMacroF1`.
    public var macroF1StandardDeviation: Double {
        let m = meanMacroF1
        let v = foldMacroF1.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, foldMacroF1.count))
        return v.squareRoot()
    }
    /// Out-of-fold logits: for every row, the logits from the model that did not see its group.
    /// Useful for fitting a temperature and for reports.
    public let outOfFoldLogits: [[Double]]
    /// Metrics of the pooled out-of-fold probabilities (uncalibrated).
    public let pooled: EvaluationSummary
}

/// Compares candidate configurations by grouped, stratified cross-validation.
public enum ModelSelection {
    /// Runs `folds`-fold grouped stratified CV (one shared split for all candidates, from `seed`) and
    /// scores every candidate by per-fold macro-F1 and log-loss on the test rows (unweighted).
    ///
    /// In every fold the standardiser is fitted on that fold's training rows only. Results are in
    /// candidate order; pick e.g. the highest mean macro-F1, then the lowest log-loss.
    /// - Parameter evaluationMask: if given, only rows where it is true are scored (all rows are
    ///   still used for training), e.g. to score whole pieces only.
    public static func crossValidate(_ data: Dataset, candidates: [ModelCandidate], folds: Int = 5,
                                     seed: UInt64 = 0, evaluationMask: [Bool]? = nil) throws -> [CandidateResult] {
        guard let groups = data.groups else { throw LearningError.missingGroups }
        if let evaluationMask, evaluationMask.count != data.count {
            throw LearningError.lengthMismatch(what: "evaluation mask", expected: data.count, found: evaluationMask.count)
        }
        let splits = try GroupedStratifiedKFold(folds: folds, seed: seed)
            .split(labels: data.labels, groups: groups, classCount: data.classCount)
        return try candidates.map { candidate in
            var outOfFold = [[Double]](repeating: [], count: data.count)
            var f1s: [Double] = [], losses: [Double] = []
            for fold in splits {
                let pipeline = try FittedPipeline(configuration: candidate.configuration,
                                                  training: data.subset(fold.trainIndices))
                var probabilities: [[Double]] = [], labels: [Int] = []
                for i in fold.testIndices {
                    let logits = pipeline.logits(data.rows[i])
                    outOfFold[i] = logits
                    if evaluationMask?[i] ?? true {
                        probabilities.append(Softmax.probabilities(logits))
                        labels.append(data.labels[i])
                    }
                }
                guard !labels.isEmpty else { continue }
                let summary = EvaluationSummary(probabilities: probabilities, labels: labels, classCount: data.classCount)
                f1s.append(summary.macroF1)
                losses.append(summary.negativeLogLikelihood)
            }
            let scored = (0..<data.count).filter { evaluationMask?[$0] ?? true }
            let pooled = EvaluationSummary(probabilities: scored.map { Softmax.probabilities(outOfFold[$0]) },
                                           labels: scored.map { data.labels[$0] }, classCount: data.classCount)
            return CandidateResult(candidate: candidate, foldMacroF1: f1s, foldLogLoss: losses,
                                   outOfFoldLogits: outOfFold, pooled: pooled)
        }
    }
}
