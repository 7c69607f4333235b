import Foundation

/// One train/test partition of row indices (both ascending).
public struct Fold: Codable, Equatable, Sendable {
    /// Rows to train on.
    public let trainIndices: [Int]
    /// Rows to test on.
    public let testIndices: [Int]
}

/// The per-group facts that the splitters balance.
private struct GroupSummary {
    let id: String
    var rows: [Int]
    var classCounts: [Int]
}

private func summarise(labels: [Int], groups: [String], classCount: Int) throws -> [GroupSummary] {
    guard !labels.isEmpty else { throw LearningError.emptyData }
    guard groups.count == labels.count else {
        throw LearningError.lengthMismatch(what: "groups", expected: labels.count, found: groups.count)
    }
    guard classCount >= 1 else { throw LearningError.invalidParameter("classCount must be positive") }
    var order: [String] = []
    var byID: [String: GroupSummary] = [:]
    for (row, (label, group)) in zip(labels, groups).enumerated() {
        guard label >= 0, label < classCount else {
            throw LearningError.labelOutOfRange(row: row, label: label, classCount: classCount)
        }
        if byID[group] == nil {
            order.append(group)
            byID[group] = GroupSummary(id: group, rows: [], classCounts: [Int](repeating: 0, count: classCount))
        }
        byID[group]?.rows.append(row)
        byID[group]?.classCounts[label] += 1
    }
    // Sorting the ids makes the result independent of row order; the seeded shuffle comes later.
    return order.sorted().compactMap { byID[$0] }
}

/// K-fold cross-validation in which every group (e.g. every work with all its voices and excerpts)
/// lies wholly in one fold, and the class proportions of the folds are kept as even as the groups
/// allow.
///
/// Algorithm (as scikit-learn's `StratifiedGroupKFold` with shuffling): the groups are shuffled with
/// the seed, then stably sorted by how concentrated their rows are in few classes (standard deviation
/// of their class counts, largest first); each group in turn goes to the fold that minimises the mean,
/// over classes, of the standard deviation across folds of the fraction of that class's rows in each
/// fold — ties go to the fold with fewest rows, then the lowest index.
public struct GroupedStratifiedKFold: Sendable {
    /// The number of folds (at least 2).
    public let folds: Int
    /// The seed of the group shuffle.
    public let seed: UInt64

    /// Creates a splitter with `folds` folds (default 5) and a seed.
    public init(folds: Int = 5, seed: UInt64 = 0) {
        self.folds = folds
        self.seed = seed
    }

    /// The folds for the given labels and group ids, in fold order. Throws when there are fewer
    /// groups than folds.
    public func split(labels: [Int], groups: [String], classCount: Int) throws -> [Fold] {
        guard folds >= 2 else { throw LearningError.invalidParameter("need at least 2 folds (got \(folds))") }
        var summaries = try summarise(labels: labels, groups: groups, classCount: classCount)
        guard summaries.count >= folds else { throw LearningError.tooFewGroups(groups: summaries.count, folds: folds) }
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&summaries)
        let keyed = summaries.enumerated().map { (offset: $0.offset, group: $0.element, spread: standardDeviation($0.element.classCounts.map(Double.init))) }
        let ordered = keyed.sorted { $0.spread != $1.spread ? $0.spread > $1.spread : $0.offset < $1.offset }.map(\.group)

        let classTotals = (0..<classCount).map { c in Double(labels.filter { $0 == c }.count) }
        var foldClassCounts = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: folds)
        var foldSizes = [Int](repeating: 0, count: folds)
        var assignment = [Int](repeating: 0, count: labels.count)
        for group in ordered {
            var bestFold = 0
            var bestScore = Double.infinity
            for fold in 0..<folds {
                for c in 0..<classCount { foldClassCounts[fold][c] += Double(group.classCounts[c]) }
                var score = 0.0
                var present = 0
                for c in 0..<classCount where classTotals[c] > 0 {
                    score += standardDeviation((0..<folds).map { foldClassCounts[$0][c] / classTotals[c] })
                    present += 1
                }
                score /= Double(max(1, present))
                for c in 0..<classCount { foldClassCounts[fold][c] -= Double(group.classCounts[c]) }
                if score < bestScore - 1e-12
                    || (abs(score - bestScore) <= 1e-12 && foldSizes[fold] < foldSizes[bestFold]) {
                    bestScore = score
                    bestFold = fold
                }
            }
            for c in 0..<classCount { foldClassCounts[bestFold][c] += Double(group.classCounts[c]) }
            foldSizes[bestFold] += group.rows.count
            for row in group.rows { assignment[row] = bestFold }
        }
        return (0..<folds).map { fold in
            Fold(trainIndices: assignment.indices.filter { assignment[$0] != fold },
                 testIndices: assignment.indices.filter { assignment[$0] == fold })
        }
    }
}

/// A single grouped, stratified train/test split (e.g. 80/20): no group on both sides.
///
/// Groups are assigned to their majority class (ties to the lower class index), shuffled with the
/// seed within each class, and moved into the test side one by one while that brings the class's
/// test row count closer to `testFraction ×` its total. A class with at least two groups always
/// keeps at least one group on each side.
public struct GroupedStratifiedSplit: Sendable {
    /// The target fraction of each class's rows in the test side, in (0, 1).
    public let testFraction: Double
    /// The seed of the group shuffle.
    public let seed: UInt64

    /// Creates a splitter (default 20 % test).
    public init(testFraction: Double = 0.2, seed: UInt64 = 0) {
        self.testFraction = testFraction
        self.seed = seed
    }

    /// The partition of row indices.
    public func split(labels: [Int], groups: [String], classCount: Int) throws -> Fold {
        guard testFraction > 0, testFraction < 1 else {
            throw LearningError.invalidParameter("testFraction must be in (0, 1) (got \(testFraction))")
        }
        let summaries = try summarise(labels: labels, groups: groups, classCount: classCount)
        guard summaries.count >= 2 else { throw LearningError.tooFewGroups(groups: summaries.count, folds: 2) }
        var generator = SeededGenerator(seed: seed)
        var isTest = [Bool](repeating: false, count: labels.count)
        for c in 0..<classCount {
            var members = summaries.filter { Softmax.argmax($0.classCounts.map(Double.init)) == c }
            guard !members.isEmpty else { continue }
            generator.shuffle(&members)
            let total = Double(members.reduce(0) { $0 + $1.rows.count })
            let target = testFraction * total
            var taken = 0.0
            var takenGroups = 0
            for group in members {
                let size = Double(group.rows.count)
                let improves = abs(taken + size - target) < abs(taken - target)
                let mustTake = takenGroups == 0 && members.count >= 2
                let mustLeave = takenGroups == members.count - 1
                if (improves || mustTake) && !mustLeave {
                    taken += size
                    takenGroups += 1
                    for row in group.rows { isTest[row] = true }
                }
            }
        }
        return Fold(trainIndices: isTest.indices.filter { !isTest[$0] },
                    testIndices: isTest.indices.filter { isTest[$0] })
    }
}

private func standardDeviation(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return variance.squareRoot()
}
