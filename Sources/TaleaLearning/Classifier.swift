/// What every trained classifier offers: logits, probabilities and a per-feature explanation.
///
/// Rows are expected in the space the classifier was trained in (standardised, when the model
/// file's `Standardizer` is used).
public protocol Classifier: Sendable {
    /// The number of classes.
    var classCount: Int { get }
    /// The number of features per row.
    var featureCount: Int { get }
    /// One unnormalised log-probability per class.
    func logits(_ row: [Double]) -> [Double]
    /// Per-class bias and per-feature contributions that add up to the logits.
    func explain(_ row: [Double]) -> Explanation
}

extension Classifier {
    /// Softmax of the logits: one probability per class, summing to 1.
    public func probabilities(_ row: [Double]) -> [Double] {
        Softmax.probabilities(logits(row))
    }

    /// The most probable class (the first on ties).
    public func predict(_ row: [Double]) -> Int {
        Softmax.argmax(logits(row))
    }
}

/// Why a classifier gave a row its logits: for every class, a bias plus one contribution per feature,
/// with `bias[k] + Σ_j contributions[k][j] == logits[k]` (up to rounding).
///
/// For logistic regression a contribution is `coefficient × standardised value`; for the boosted
/// trees it is the Saabas path attribution (the change in node value at every split on that feature).
public struct Explanation: Codable, Equatable, Sendable {
    /// The part of each class logit that does not depend on any feature.
    public let bias: [Double]
    /// `contributions[k][j]`: how much feature `j` added to the logit of class `k`.
    public let contributions: [[Double]]

    /// Creates an explanation from its parts.
    public init(bias: [Double], contributions: [[Double]]) {
        self.bias = bias
        self.contributions = contributions
    }

    /// The logits that the explanation adds up to.
    public var logits: [Double] {
        zip(bias, contributions).map { b, row in row.reduce(b, +) }
    }

    /// How much each feature pushed the row towards class `k` *relative to the other classes*:
    /// `contributions[k][j] − mean_c contributions[c][j]`. Softmax ignores what all classes share,
    /// so this is the quantity that actually moves the probability of `k`.
    public func relativeContributions(towards k: Int) -> [Double] {
        guard k >= 0, k < contributions.count, let width = contributions.first?.count else { return [] }
        let classes = Double(contributions.count)
        return (0..<width).map { j in
            let mean = contributions.reduce(0) { $0 + $1[j] } / classes
            return contributions[k][j] - mean
        }
    }

    /// The `count` features that pushed hardest towards class `k` (largest positive relative
    /// contribution first; ties by feature index). Features that pushed away are not listed.
    public func topFeatures(towards k: Int, count: Int = 3) -> [(feature: Int, contribution: Double)] {
        let relative = relativeContributions(towards: k)
        return relative.enumerated()
            .filter { $0.element > 0 }
            .sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
            .prefix(max(0, count))
            .map { (feature: $0.offset, contribution: $0.element) }
    }
}

/// A trained classifier of any supported kind, as stored in a `ModelFile`.
public enum AnyClassifier: Codable, Equatable, Sendable, Classifier {
    /// Multinomial logistic regression.
    case logisticRegression(LogisticRegression)
    /// Gradient-boosted decision trees.
    case boostedTrees(GradientBoostedTrees)
    /// A weighted average of the class probabilities of several classifiers.
    indirect case averaged(ProbabilityAverage)

    private var base: any Classifier {
        switch self {
        case .logisticRegression(let model): return model
        case .boostedTrees(let model): return model
        case .averaged(let model): return model
        }
    }

    /// The number of classes.
    public var classCount: Int { base.classCount }
    /// The number of features per row.
    public var featureCount: Int { base.featureCount }
    /// One unnormalised log-probability per class.
    public func logits(_ row: [Double]) -> [Double] { base.logits(row) }
    /// Per-class bias and per-feature contributions that add up to the logits.
    public func explain(_ row: [Double]) -> Explanation { base.explain(row) }

    /// Per-feature importance (normalised to sum 1): total split gain for trees, mean absolute
    /// coefficient across classes for logistic regression, the weighted mean of the members'
    /// importances for a mixture.
    public var featureImportance: [Double] {
        switch self {
        case .logisticRegression(let model):
            let raw = (0..<model.featureCount).map { j in
                model.coefficients.reduce(0) { $0 + abs($1[j]) } / Double(model.classCount)
            }
            let total = raw.reduce(0, +)
            return total > 0 ? raw.map { $0 / total } : raw
        case .boostedTrees(let model):
            return model.normalizedFeatureImportance
        case .averaged(let mixture):
            var total = [Double](repeating: 0, count: mixture.featureCount)
            for (member, weight) in zip(mixture.members, mixture.weights) {
                for (j, importance) in member.featureImportance.enumerated() { total[j] += weight * importance }
            }
            return total
        }
    }
}

/// A recipe for training a classifier: the kind and its hyperparameters.
public enum ClassifierConfiguration: Codable, Equatable, Sendable {
    /// Multinomial logistic regression.
    case logisticRegression(LogisticRegression.Configuration)
    /// Gradient-boosted trees.
    case boostedTrees(GradientBoostedTrees.Configuration)
    /// Several classifiers trained on the same rows, their probabilities averaged with these weights
    /// (and a group of classes optionally shared out with others: ``ClassGroupSplit``).
    indirect case averaged([ClassifierConfiguration], weights: [Double], split: ClassGroupSplit? = nil)

    /// Trains a classifier of this kind on `data` (rows already standardised).
    public func train(on data: Dataset) throws -> AnyClassifier {
        switch self {
        case .logisticRegression(let configuration):
            return .logisticRegression(try LogisticRegression(training: data, configuration: configuration))
        case .boostedTrees(let configuration):
            return .boostedTrees(try GradientBoostedTrees(training: data, configuration: configuration))
        case .averaged(let members, let weights, let split):
            return .averaged(try ProbabilityAverage(members: members.map { try $0.train(on: data) }, weights: weights,
                                                    split: split))
        }
    }

    /// The same recipe with every member's class weighting replaced by `weighting`.
    public func withClassWeighting(_ weighting: ClassWeighting) -> ClassifierConfiguration {
        switch self {
        case .logisticRegression(var configuration):
            configuration.classWeighting = weighting
            return .logisticRegression(configuration)
        case .boostedTrees(var configuration):
            configuration.classWeighting = weighting
            return .boostedTrees(configuration)
        case .averaged(let members, let weights, let split):
            return .averaged(members.map { $0.withClassWeighting(weighting) }, weights: weights, split: split)
        }
    }

    /// True for gradient-boosted trees.
    public var isBoostedTrees: Bool {
        if case .boostedTrees = self { return true }
        return false
    }

    /// The same mixture with `classes` sharing their summed probability in the proportions of its
    /// boosted trees weighted `treesShare` together and its other members the rest, each side in
    /// proportion to the members' mixture weights (``ClassGroupSplit``). A share equal to the trees'
    /// mixture weight gives the plain average (no split); a recipe that is not a mixture with boosted
    /// trees is returned unchanged.
    public func dividing(_ classes: [Int], treesShare share: Double) -> ClassifierConfiguration {
        guard case .averaged(let members, let weights, _) = self, members.contains(where: \.isBoostedTrees) else { return self }
        let total = weights.reduce(0, +)
        let treesWeight = Self.treesWeight(members, weights)
        if abs(treesWeight / total - share) < 1e-12 { return .averaged(members, weights: weights) }
        let othersWeight = total - treesWeight
        let splitWeights = zip(weights, members).map { weight, member in
            member.isBoostedTrees ? share * weight / treesWeight : (othersWeight > 0 ? (1 - share) * weight / othersWeight : 0)
        }
        return .averaged(members, weights: weights, split: ClassGroupSplit(classes: classes, weights: splitWeights))
    }

    /// The boosted trees' share when the mixture divides its split group's probability — the split's
    /// weights, or the mixture's own when there is no split (the plain average) — or nil for a
    /// recipe that is not a mixture with boosted trees.
    public var splitTreesShare: Double? {
        guard case .averaged(let members, let weights, let split) = self, members.contains(where: \.isBoostedTrees) else { return nil }
        let used = split?.weights ?? weights
        return Self.treesWeight(members, used) / used.reduce(0, +)
    }

    /// The summed weight of the boosted-trees members.
    static func treesWeight(_ members: [ClassifierConfiguration], _ weights: [Double]) -> Double {
        zip(weights, members).reduce(0) { $0 + ($1.1.isBoostedTrees ? $1.0 : 0) }
    }

    /// The same recipe with its boosted trees trained with `count` seeds and averaged: every
    /// boosted-trees member (or run of members that differ only in their seed, which is first taken
    /// back to its first member) becomes `count` copies with seeds seed, seed + 1, …, sharing its
    /// weight, and its split weight, equally. Lone trees become a mixture of the copies when `count`
    /// is 2 or more; a logistic regression is returned unchanged.
    public func baggingTrees(seeds count: Int) -> ClassifierConfiguration {
        let count = max(1, count)
        switch self {
        case .logisticRegression:
            return self
        case .boostedTrees(let trees):
            guard count > 1 else { return self }
            return .averaged(Self.seedCopies(trees, count), weights: Array(repeating: 1, count: count))
        case .averaged(let members, let weights, let split):
            var newMembers: [ClassifierConfiguration] = []
            var newWeights: [Double] = []
            var newSplit: [Double] = []
            for run in Self.seedRuns(members) {
                let weight = run.reduce(0) { $0 + weights[$1] }
                let splitWeight = split.map { split in run.reduce(0) { $0 + split.weights[$1] } } ?? 0
                if case .boostedTrees(let trees) = members[run.lowerBound] {
                    newMembers += Self.seedCopies(trees, count)
                    newWeights += Array(repeating: weight / Double(count), count: count)
                    newSplit += Array(repeating: splitWeight / Double(count), count: count)
                } else {
                    newMembers.append(members[run.lowerBound])
                    newWeights.append(weight)
                    newSplit.append(splitWeight)
                }
            }
            if newMembers.count == 1 { return newMembers[0] }
            return .averaged(newMembers, weights: newWeights,
                             split: split.map { ClassGroupSplit(classes: $0.classes, weights: newSplit) })
        }
    }

    /// `count` copies of a trees recipe with seeds seed, seed + 1, ….
    static func seedCopies(_ trees: GradientBoostedTrees.Configuration, _ count: Int) -> [ClassifierConfiguration] {
        (0..<count).map { k in
            var copy = trees
            copy.seed = trees.seed &+ UInt64(k)
            return .boostedTrees(copy)
        }
    }

    /// The kind in two or three words: `boosted trees`, `logistic regression`, or `ensemble`.
    public var kindName: String {
        switch self {
        case .logisticRegression: return "logistic regression"
        case .boostedTrees: return "boosted trees"
        case .averaged: return "ensemble"
        }
    }

    /// A short human-readable summary, e.g. for reports.
    public var summary: String { summary(classNames: nil) }

    /// A short human-readable summary that names a split's classes by `classNames` (by index when nil).
    public func summary(classNames: [String]?) -> String {
        switch self {
        case .logisticRegression(let c):
            return "logistic regression (l2 \(c.l2), \(c.classWeighting))"
        case .boostedTrees(let c):
            return "boosted trees (\(c.rounds) rounds, rate \(c.learningRate), depth \(c.maxDepth), "
                + "min leaf \(c.minSamplesLeaf), rows \(c.rowSubsample), features \(c.featureSubsample), "
                + "\(c.classWeighting))"
        case .averaged(let members, let weights, let split):
            // Trees that differ only in their seed are named once, with their weights added up.
            let runs = Self.seedRuns(members)
            func total(_ run: Range<Int>, _ w: [Double]) -> String { Self.weight(run.reduce(0) { $0 + w[$1] }) }
            let average = "probability average of " + runs.map { run in
                let first = members[run.lowerBound]
                let name = run.count > 1 ? String(first.summary.dropLast()) + "; \(run.count) seeds averaged)" : first.summary
                return "\(total(run, weights)) × \(name)"
            }.joined(separator: " and ")
            guard let split else { return average }
            let group = split.classes.map { k in classNames.flatMap { k < $0.count ? $0[k] : nil } ?? "class \(k)" }
            return average + "; " + group.joined(separator: " or ") + " divided between them by "
                + runs.map { "\(total($0, split.weights)) × \(members[$0.lowerBound].kindName)" }.joined(separator: " and ")
        }
    }

    /// Consecutive members that are boosted trees differing only in their seed, as index ranges
    /// (every other member a range of its own).
    static func seedRuns(_ members: [ClassifierConfiguration]) -> [Range<Int>] {
        func unseeded(_ member: ClassifierConfiguration) -> GradientBoostedTrees.Configuration? {
            guard case .boostedTrees(var trees) = member else { return nil }
            trees.seed = 0
            return trees
        }
        var runs: [Range<Int>] = []
        for index in members.indices {
            if let last = runs.last, let trees = unseeded(members[index]), unseeded(members[last.lowerBound]) == trees {
                runs[runs.count - 1] = last.lowerBound..<(index + 1)
            } else {
                runs.append(index..<(index + 1))
            }
        }
        return runs
    }

    /// A weight in a summary: up to six significant digits (`0.5`, `0.166667`).
    static func weight(_ value: Double) -> String {
        let rounded = (value * 1e6).rounded() / 1e6
        return rounded == rounded.rounded() ? String(Int(rounded)) : "\(rounded)"
    }
}

