import Foundation

/// Several classifiers whose class probabilities are averaged with fixed weights: a mixture.
///
/// A mixture of a linear model and a tree ensemble keeps what each does best: the trees' sharp
/// rejection of music that resembles none of the classes, and the linear model's smooth,
/// extrapolating evidence for a class with very few training works (the isorhythmic motets).
/// The logits are `ln Σ_i w_i p_i` (probabilities of the members, weights summing to 1), so the
/// softmax of the mixture's logits is exactly the averaged distribution and temperature scaling
/// applies to it like to any other classifier.
public struct ProbabilityAverage: Codable, Equatable, Sendable, Classifier {
    /// The members, in a fixed order.
    public let members: [AnyClassifier]
    /// One non-negative weight per member, summing to 1.
    public let weights: [Double]

    /// Creates a mixture. Weights are normalised to sum to 1.
    /// - Throws: `LearningError` when there is no member, the weights do not match the members or
    ///   are not finite and non-negative with a positive sum, or the members disagree on the number
    ///   of classes or features.
    public init(members: [AnyClassifier], weights: [Double]) throws {
        guard let first = members.first else { throw LearningError.invalidParameter("a mixture needs at least one member") }
        guard weights.count == members.count else {
            throw LearningError.lengthMismatch(what: "mixture weights", expected: members.count, found: weights.count)
        }
        let total = weights.reduce(0, +)
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), total > 0, total.isFinite else {
            throw LearningError.invalidParameter("mixture weights must be finite, non-negative and not all zero")
        }
        guard members.allSatisfy({ $0.classCount == first.classCount && $0.featureCount == first.featureCount }) else {
            throw LearningError.invalidParameter("mixture members differ in their number of classes or features")
        }
        self.members = members
        self.weights = weights.map { $0 / total }
    }

    /// The number of classes.
    public var classCount: Int { members.first?.classCount ?? 0 }
    /// The number of features per row.
    public var featureCount: Int { members.first?.featureCount ?? 0 }

    /// `ln Σ_i w_i p_i(row)`; a class every member calls impossible gets a very negative, finite logit.
    public func logits(_ row: [Double]) -> [Double] {
        var mixed = [Double](repeating: 0, count: classCount)
        for (member, weight) in zip(members, weights) where weight > 0 {
            for (k, p) in member.probabilities(row).enumerated() { mixed[k] += weight * p }
        }
        return mixed.map { Foundation.log(Swift.max($0, 1e-300)) }
    }

    /// The members' contributions averaged with the mixture weights; the bias takes up the rest, so
    /// that bias plus contributions still add up to the mixture's logits. Averaging per-feature
    /// log-odds contributions is an approximation of what each feature did to the mixed
    /// probability, good enough to name the features that pushed hardest.
    public func explain(_ row: [Double]) -> Explanation {
        var contributions = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: classCount)
        for (member, weight) in zip(members, weights) where weight > 0 {
            let part = member.explain(row)
            for k in 0..<classCount {
                for j in 0..<featureCount { contributions[k][j] += weight * part.contributions[k][j] }
            }
        }
        let logits = logits(row)
        let bias = (0..<classCount).map { k in logits[k] - contributions[k].reduce(0, +) }
        return Explanation(bias: bias, contributions: contributions)
    }
}
