/// Per-column standardisation `z = (x − mean) / scale`, fitted on training rows only.
///
/// Constant columns (standard deviation below `1e-12 × (1 + |mean|)`) get scale 1, so they become
/// all zeros rather than dividing by zero. Non-finite values are ignored when fitting and mapped to
/// 0 (the column mean) when transforming, so a broken feature never poisons a prediction.
public struct Standardizer: Codable, Equatable, Sendable {
    /// The training mean of each column.
    public let means: [Double]
    /// The training standard deviation of each column (population formula), or 1 for a constant column.
    public let scales: [Double]

    /// The number of columns this standardiser expects.
    public var featureCount: Int { means.count }

    /// Stores explicit means and scales (scales must be positive and finite).
    public init(means: [Double], scales: [Double]) throws {
        guard means.count == scales.count else {
            throw LearningError.lengthMismatch(what: "scales", expected: means.count, found: scales.count)
        }
        guard means.allSatisfy(\.isFinite), scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw LearningError.invalidParameter("standardizer means must be finite and scales positive")
        }
        self.means = means
        self.scales = scales
    }

    /// Fits means and scales on `rows` (all of the same length; throws otherwise).
    public init(fitting rows: [[Double]]) throws {
        guard let width = rows.first?.count, width > 0 else { throw LearningError.emptyData }
        var sums = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        for (index, row) in rows.enumerated() {
            guard row.count == width else { throw LearningError.ragged(row: index, expected: width, found: row.count) }
            for j in 0..<width where row[j].isFinite {
                sums[j] += row[j]
                counts[j] += 1
            }
        }
        let means = (0..<width).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }
        // Second pass for the variance: numerically safer than sum of squares.
        var squares = [Double](repeating: 0, count: width)
        for row in rows {
            for j in 0..<width where row[j].isFinite {
                let d = row[j] - means[j]
                squares[j] += d * d
            }
        }
        let scales = (0..<width).map { j -> Double in
            guard counts[j] > 0 else { return 1 }
            let sd = (squares[j] / Double(counts[j])).squareRoot()
            return sd.isFinite && sd > 1e-12 * (1 + abs(means[j])) ? sd : 1
        }
        self.means = means.map { $0.isFinite ? $0 : 0 }
        self.scales = scales
    }

    /// Standardises one row. Missing trailing values count as non-finite; extra values are dropped.
    public func transform(_ row: [Double]) -> [Double] {
        (0..<means.count).map { j in
            guard j < row.count, row[j].isFinite else { return 0 }
            let z = (row[j] - means[j]) / scales[j]
            return z.isFinite ? z : 0
        }
    }

    /// Standardises many rows.
    public func transform(_ rows: [[Double]]) -> [[Double]] {
        rows.map { transform($0) }
    }
}
