/// A validated table of training examples: numeric rows, integer class labels, optional sample
/// weights and optional group ids (all rows of one group — e.g. one work — stay together in splits).
public struct Dataset: Sendable {
    /// One feature vector per example, all of the same length.
    public let rows: [[Double]]
    /// One class index in `0..<classCount` per row.
    public let labels: [Int]
    /// The number of classes (classes may be absent from a particular subset).
    public let classCount: Int
    /// One non-negative weight per row, or `nil` for all ones.
    public let sampleWeights: [Double]?
    /// One group id per row, or `nil` when no grouping is known.
    public let groups: [String]?

    /// The number of values in each row.
    public var featureCount: Int { rows.first?.count ?? 0 }
    /// The number of rows.
    public var count: Int { rows.count }

    /// Validates and stores the data.
    ///
    /// Throws `LearningError` if there are no rows, rows differ in length, a label is out of range,
    /// a weight is negative or non-finite, or the parallel arrays differ in length. Non-finite feature
    /// values are allowed: the `Standardizer` maps them to the column mean and the trees send them left.
    public init(rows: [[Double]], labels: [Int], classCount: Int,
                sampleWeights: [Double]? = nil, groups: [String]? = nil) throws {
        guard !rows.isEmpty else { throw LearningError.emptyData }
        guard classCount >= 2 else {
            throw LearningError.invalidParameter("classCount must be at least 2 (got \(classCount))")
        }
        let width = rows[0].count
        guard width > 0 else { throw LearningError.invalidParameter("rows have no features") }
        for (index, row) in rows.enumerated() where row.count != width {
            throw LearningError.ragged(row: index, expected: width, found: row.count)
        }
        guard labels.count == rows.count else {
            throw LearningError.lengthMismatch(what: "labels", expected: rows.count, found: labels.count)
        }
        for (index, label) in labels.enumerated() where label < 0 || label >= classCount {
            throw LearningError.labelOutOfRange(row: index, label: label, classCount: classCount)
        }
        if let sampleWeights {
            guard sampleWeights.count == rows.count else {
                throw LearningError.lengthMismatch(what: "sample weights", expected: rows.count,
                                                   found: sampleWeights.count)
            }
            for (index, weight) in sampleWeights.enumerated() where !(weight.isFinite && weight >= 0) {
                throw LearningError.invalidWeight(row: index, weight: weight)
            }
            guard sampleWeights.contains(where: { $0 > 0 }) else {
                throw LearningError.invalidParameter("all sample weights are zero")
            }
        }
        if let groups, groups.count != rows.count {
            throw LearningError.lengthMismatch(what: "groups", expected: rows.count, found: groups.count)
        }
        self.rows = rows
        self.labels = labels
        self.classCount = classCount
        self.sampleWeights = sampleWeights
        self.groups = groups
    }

    /// The rows at `indices` (in that order), with their labels, weights and groups.
    ///
    /// Indices outside the data are ignored; an empty selection throws `LearningError.emptyData`.
    public func subset(_ indices: [Int]) throws -> Dataset {
        let valid = indices.filter { $0 >= 0 && $0 < rows.count }
        return try Dataset(rows: valid.map { rows[$0] }, labels: valid.map { labels[$0] },
                           classCount: classCount,
                           sampleWeights: sampleWeights.map { w in valid.map { w[$0] } },
                           groups: groups.map { g in valid.map { g[$0] } })
    }

    /// A copy whose rows have been replaced (e.g. by their standardised versions).
    public func replacingRows(_ newRows: [[Double]]) throws -> Dataset {
        try Dataset(rows: newRows, labels: labels, classCount: classCount,
                    sampleWeights: sampleWeights, groups: groups)
    }

    /// The weight of every row: sample weight × class weight, rescaled to average 1 over the rows.
    func effectiveWeights(_ weighting: ClassWeighting) throws -> [Double] {
        let base = sampleWeights ?? [Double](repeating: 1, count: rows.count)
        let perClass = try weighting.classWeights(labels: labels, sampleWeights: base, classCount: classCount)
        var weights = zip(base, labels).map { $0 * perClass[$1] }
        let total = weights.reduce(0, +)
        guard total > 0, total.isFinite else {
            throw LearningError.invalidParameter("the effective weights sum to \(total)")
        }
        let scale = Double(weights.count) / total
        for i in weights.indices { weights[i] *= scale }
        return weights
    }
}

/// How much each class counts in the training loss, on top of the per-row sample weights.
public enum ClassWeighting: Codable, Equatable, Sendable {
    /// Every class counts by its (weighted) number of rows.
    case none
    /// Every class present counts equally in total: weight_c = total / (presentClasses × total_c).
    case balanced
    /// Explicit multipliers, one per class (all finite and non-negative).
    case custom([Double])

    /// The multiplier for each class, given the labels and sample weights of the training rows.
    public func classWeights(labels: [Int], sampleWeights: [Double], classCount: Int) throws -> [Double] {
        switch self {
        case .none:
            return [Double](repeating: 1, count: classCount)
        case .balanced:
            var totals = [Double](repeating: 0, count: classCount)
            for (label, weight) in zip(labels, sampleWeights) { totals[label] += weight }
            let present = totals.filter { $0 > 0 }
            let grand = present.reduce(0, +)
            return totals.map { $0 > 0 ? grand / (Double(present.count) * $0) : 0 }
        case .custom(let weights):
            guard weights.count == classCount else {
                throw LearningError.lengthMismatch(what: "class weights", expected: classCount, found: weights.count)
            }
            guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw LearningError.invalidParameter("class weights must be finite and non-negative")
            }
            return weights
        }
    }
}
