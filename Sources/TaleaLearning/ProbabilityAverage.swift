import Foundation

/// Several classifiers whose class probabilities are averaged with fixed weights: a mixture.
///
/// A mixture of a linear model and a tree ensemble keeps what each does best: the trees' sharp
/// rejection of music that resembles none of the classes, and the linear model's smooth,
/// extrapolating evidence for a class with very few training works (the isorhythmic motets).
/// The logits are `ln Σ_i w_i p_i` (probabilities of the members, weights summing to 1), so the
/// softmax of the mixture's logits is exactly the averaged distribution and temperature scaling
/// applies to it like to any other classifier.
///
/// With a ``ClassGroupSplit`` the mixture still decides how much probability a group of classes gets
/// together, but shares it out among them in the proportions of the members averaged with other
/// weights: the linear model can carry the evidence for a rare class while the trees, which draw
/// a sharper boundary between two common classes, decide between those.
public struct ProbabilityAverage: Codable, Equatable, Sendable, Classifier {
    /// The members, in a fixed order.
    public let members: [AnyClassifier]
    /// One non-negative weight per member, summing to 1.
    public let weights: [Double]
    /// How the group's share is divided among its classes, or nil for the plain average.
    public let split: ClassGroupSplit?

    /// Creates a mixture. Weights (and the split's weights) are normalised to sum to 1.
    /// - Throws: `LearningError` when there is no member, the weights do not match the members or
    ///   are not finite and non-negative with a positive sum, the members disagree on the number
    ///   of classes or features, or the split names a class twice or out of range.
    public init(members: [AnyClassifier], weights: [Double], split: ClassGroupSplit? = nil) throws {
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
        if let split, let problem = split.problem(classCount: first.classCount, memberCount: members.count) {
            throw LearningError.invalidParameter(problem)
        }
        self.members = members
        self.weights = weights.map { $0 / total }
        self.split = split.map { split in
            let sum = split.weights.reduce(0, +)
            return ClassGroupSplit(classes: split.classes, weights: split.weights.map { $0 / sum })
        }
    }

    /// The number of classes.
    public var classCount: Int { members.first?.classCount ?? 0 }
    /// The number of features per row.
    public var featureCount: Int { members.first?.featureCount ?? 0 }

    /// `ln Σ_i w_i p_i(row)`, with a split's classes sharing their summed probability in the
    /// proportions of `Σ_i v_i p_i(row)`; a class every member calls impossible gets a very negative,
    /// finite logit.
    public func logits(_ row: [Double]) -> [Double] {
        let memberProbabilities = members.map { $0.probabilities(row) }
        var mixed = [Double](repeating: 0, count: classCount)
        for (probabilities, weight) in zip(memberProbabilities, weights) where weight > 0 {
            for (k, p) in probabilities.enumerated() { mixed[k] += weight * p }
        }
        if let split {
            let groupTotal = split.classes.reduce(0) { $0 + mixed[$1] }
            var within = [Double](repeating: 0, count: split.classes.count)
            for (probabilities, weight) in zip(memberProbabilities, split.weights) where weight > 0 {
                for (j, k) in split.classes.enumerated() { within[j] += weight * probabilities[k] }
            }
            let withinTotal = within.reduce(0, +)
            if withinTotal > 0 {
                for (j, k) in split.classes.enumerated() { mixed[k] = groupTotal * within[j] / withinTotal }
            }
        }
        return mixed.map { Foundation.log(Swift.max($0, 1e-300)) }
    }

    /// The members' contributions averaged with the mixture weights (a split's classes: with the
    /// split's weights); the bias takes up the rest, so
    /// that bias plus contributions still add up to the mixture's logits. Averaging per-feature
    /// log-odds contributions is an approximation of what each feature did to the mixed
    /// probability, good enough to name the features that pushed hardest.
    public func explain(_ row: [Double]) -> Explanation {
        var contributions = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: classCount)
        let weightsOfClass: [[Double]] = (0..<classCount).map { k in
            if let split, split.classes.contains(k) { return split.weights }
            return weights
        }
        for (index, member) in members.enumerated() {
            let part = member.explain(row)
            for k in 0..<classCount {
                let weight = weightsOfClass[k][index]
                guard weight > 0 else { continue }
                for j in 0..<featureCount { contributions[k][j] += weight * part.contributions[k][j] }
            }
        }
        let logits = logits(row)
        let bias = (0..<classCount).map { k in logits[k] - contributions[k].reduce(0, +) }
        return Explanation(bias: bias, contributions: contributions)
    }
}

/// A group of classes whose summed mixture probability is shared out among them in the proportions of
/// the members' probabilities averaged with these weights (see ``ProbabilityAverage``).
public struct ClassGroupSplit: Codable, Equatable, Sendable {
    /// The class indices of the group, in a fixed order.
    public let classes: [Int]
    /// One non-negative weight per mixture member.
    public let weights: [Double]

    /// Creates a split; ``ProbabilityAverage`` checks it against its members.
    public init(classes: [Int], weights: [Double]) {
        self.classes = classes
        self.weights = weights
    }

    /// What is wrong with this split for a mixture of `memberCount` members over `classCount`
    /// classes, or nil when nothing is.
    public func problem(classCount: Int, memberCount: Int) -> String? {
        if classes.count < 2 || Set(classes).count != classes.count || !classes.allSatisfy({ (0..<classCount).contains($0) }) {
            return "a class split needs two or more distinct classes among the \(classCount)"
        }
        if weights.count != memberCount || !weights.allSatisfy({ $0.isFinite && $0 >= 0 }) || weights.reduce(0, +) <= 0 {
            return "a class split needs one finite, non-negative weight per mixture member, not all zero"
        }
        return nil
    }
}
