import Foundation

/// Pitch-class measures on a 12-bin histogram (index 0 = C), all independent of transposition.
enum PitchClassProfile {
    /// Krumhansl–Kessler probe-tone profiles (major, minor), tonic first.
    static let major: [Double] = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
    static let minor: [Double] = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
    /// Church-mode templates (final first): 1 on the mode's degrees, 3 on the final, 2 on the fifth.
    static let modes: [[Double]] = {
        let scales: [[Int]] = [
            [0, 2, 3, 5, 7, 9, 10],  // Dorian
            [0, 1, 3, 5, 7, 8, 10],  // Phrygian
            [0, 2, 4, 6, 7, 9, 11],  // Lydian
            [0, 2, 4, 5, 7, 9, 10],  // Mixolydian
        ]
        return scales.map { degrees in
            var template = [Double](repeating: 0, count: 12)
            for degree in degrees { template[degree] = 1 }
            template[0] = 3
            template[7] = 2
            return template
        }
    }()
    /// The white-key diatonic collection.
    static let diatonic: [Int] = [0, 2, 4, 5, 7, 9, 11]

    /// Pearson correlation of the histogram rotated so that `tonic` is index 0 with a template
    /// (no allocation: the rotation is done by indexing).
    static func correlation(_ histogram: [Double], tonic: Int, template: [Double]) -> Double {
        var meanA = 0.0, meanB = 0.0
        for index in 0..<12 { meanA += histogram[index]; meanB += template[index] }
        meanA /= 12; meanB /= 12
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for index in 0..<12 {
            let x = histogram[(index + tonic) % 12] - meanA, y = template[index] - meanB
            covariance += x * y; varianceA += x * x; varianceB += y * y
        }
        guard varianceA > 0, varianceB > 0 else { return 0 }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let meanA = a.reduce(0, +) / n, meanB = b.reduce(0, +) / n
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for index in a.indices {
            let x = a[index] - meanA, y = b[index] - meanB
            covariance += x * y; varianceA += x * x; varianceB += y * y
        }
        guard varianceA > 0, varianceB > 0 else { return 0 }
        return covariance / sqrt(varianceA * varianceB)
    }

    /// Best key: tonic pitch class, minor flag, its correlation and the best major and minor correlations.
    static func key(_ histogram: [Double]) -> (tonic: Int, isMinor: Bool, best: Double, major: Double, minor: Double, clarity: Double) {
        var scores: [(Double, Int, Bool)] = []
        for tonic in 0..<12 {
            scores.append((correlation(histogram, tonic: tonic, template: major), tonic, false))
            scores.append((correlation(histogram, tonic: tonic, template: minor), tonic, true))
        }
        // Highest correlation; ties broken by the histogram value at the tonic so that the choice
        // follows the music under transposition rather than the index.
        let ordered = scores.sorted { lhs, rhs in
            if lhs.0 != rhs.0 { return lhs.0 > rhs.0 }
            if histogram[lhs.1] != histogram[rhs.1] { return histogram[lhs.1] > histogram[rhs.1] }
            return !lhs.2 && rhs.2
        }
        let best = ordered[0]
        let bestMajor = scores.filter { !$0.2 }.map(\.0).max() ?? 0
        let bestMinor = scores.filter { $0.2 }.map(\.0).max() ?? 0
        let clarity = ordered.count > 1 ? best.0 - ordered[1].0 : 0
        return (best.1, best.2, best.0, bestMajor, bestMinor, clarity)
    }

    /// Best correlation with a church-mode template over every final.
    static func modalCorrelation(_ histogram: [Double]) -> Double {
        var best = -1.0
        for template in modes {
            for tonic in 0..<12 { best = max(best, correlation(histogram, tonic: tonic, template: template)) }
        }
        return best
    }

    /// Share of the histogram's weight on the best-fitting diatonic collection, and that collection's offset.
    static func bestDiatonic(_ histogram: [Double]) -> (fit: Double, offset: Int) {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return (0, 0) }
        var best = -1.0, bestOffset = 0
        for offset in 0..<12 {
            var sum = 0.0
            for degree in diatonic { sum += histogram[(degree + offset) % 12] }
            // Ties: keep the collection whose 'C' holds the most weight (follows transposition).
            if sum > best || (sum == best && histogram[offset] > histogram[bestOffset]) {
                best = sum; bestOffset = offset
            }
        }
        return (best / total, bestOffset)
    }

    static func diatonicFit(_ histogram: [Double]) -> Double { bestDiatonic(histogram).fit }

    /// Number of pitch classes holding at least 3% of the weight.
    static func classesUsed(_ histogram: [Double]) -> Double {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return 0 }
        return Double(histogram.filter { $0 >= 0.03 * total }.count)
    }

    /// Shannon entropy in bits of the normalised histogram.
    static func entropy(_ histogram: [Double]) -> Double {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return 0 }
        var entropy = 0.0
        for value in histogram where value > 0 {
            let p = value / total
            entropy -= p * log2(p)
        }
        return entropy
    }
}
