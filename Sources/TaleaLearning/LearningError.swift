/// Everything that can go wrong when training, evaluating or loading a model.
public enum LearningError: Error, CustomStringConvertible, Equatable, Sendable {
    /// There are no rows to learn from (or to evaluate).
    case emptyData
    /// Row `row` has `found` values where `expected` were required.
    case ragged(row: Int, expected: Int, found: Int)
    /// Two parallel arrays (rows and labels, weights or groups) differ in length.
    case lengthMismatch(what: String, expected: Int, found: Int)
    /// A label lies outside `0..<classCount`.
    case labelOutOfRange(row: Int, label: Int, classCount: Int)
    /// A sample weight is negative or not finite.
    case invalidWeight(row: Int, weight: Double)
    /// A hyperparameter or argument has a value that cannot work.
    case invalidParameter(String)
    /// Fewer distinct groups than folds, so a grouped split is impossible.
    case tooFewGroups(groups: Int, folds: Int)
    /// Grouped splits were asked for but the data carries no group ids.
    case missingGroups

    /// A sentence a user can act on.
    public var description: String {
        switch self {
        case .emptyData:
            return "no rows to learn from"
        case let .ragged(row, expected, found):
            return "row \(row) has \(found) values; expected \(expected)"
        case let .lengthMismatch(what, expected, found):
            return "\(what) has \(found) entries; expected \(expected) (one per row)"
        case let .labelOutOfRange(row, label, classCount):
            return "row \(row) has label \(label), outside 0..<\(classCount)"
        case let .invalidWeight(row, weight):
            return "row \(row) has sample weight \(weight); weights must be finite and non-negative"
        case let .invalidParameter(message):
            return "invalid parameter: \(message)"
        case let .tooFewGroups(groups, folds):
            return "only \(groups) distinct groups for \(folds) folds; a grouped split needs at least one group per fold"
        case .missingGroups:
            return "grouped splitting needs a group id for every row"
        }
    }
}
