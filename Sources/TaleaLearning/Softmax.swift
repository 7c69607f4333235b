import Foundation

/// Numerically stable softmax helpers shared by the classifiers, calibration and metrics.
public enum Softmax {
    /// `log Σ exp(x)` without overflow. Returns `-infinity` for an empty input.
    public static func logSumExp(_ x: [Double]) -> Double {
        guard let m = x.max(), m.isFinite else { return x.max() ?? -.infinity }
        var s = 0.0
        for v in x { s += exp(v - m) }
        return m + log(s)
    }

    /// Probabilities `exp(x_k) / Σ exp(x)`. Non-finite logits are treated as very negative
    /// (NaN, −∞) or dominant (+∞) so the result is always a valid distribution.
    public static func probabilities(_ logits: [Double]) -> [Double] {
        guard !logits.isEmpty else { return [] }
        let infinite = logits.indices.filter { logits[$0] == .infinity }
        if !infinite.isEmpty {
            return logits.indices.map { infinite.contains($0) ? 1 / Double(infinite.count) : 0 }
        }
        let clean = logits.map { $0.isFinite ? $0 : -Double.greatestFiniteMagnitude }
        guard let m = clean.max(), m > -Double.greatestFiniteMagnitude else {
            return [Double](repeating: 1 / Double(logits.count), count: logits.count)
        }
        var e = clean.map { exp($0 - m) }
        let s = e.reduce(0, +)
        for k in e.indices { e[k] /= s }
        return e
    }

    /// The index of the largest value (the first on ties); 0 for an empty input.
    public static func argmax(_ x: [Double]) -> Int {
        var best = 0
        for k in x.indices where x[k] > x[best] { best = k }
        return best
    }
}
