import Foundation

/// Temperature scaling (Guo et al., 2017): calibrated probabilities are `softmax(logits / T)` with a
/// single temperature `T > 0` fitted on held-out data by minimising the negative log-likelihood.
/// T > 1 softens an over-confident model, T < 1 sharpens an under-confident one; the predicted
/// class never changes.
public struct TemperatureScaling: Codable, Equatable, Sendable {
    /// The temperature T (positive, finite). 1 means no change.
    public let temperature: Double

    /// The identity calibration (T = 1).
    public static let identity = TemperatureScaling(uncheckedTemperature: 1)

    private init(uncheckedTemperature: Double) { temperature = uncheckedTemperature }

    /// A calibration with an explicit temperature (must be positive and finite).
    public init(temperature: Double) throws {
        guard temperature.isFinite, temperature > 0 else {
            throw LearningError.invalidParameter("temperature must be positive and finite (got \(temperature))")
        }
        self.temperature = temperature
    }

    /// Fits T on held-out `logits` and `labels` (optionally weighted).
    ///
    /// Searches log T in [log 0.01, log 100]: a coarse grid of 81 points picks the best bracket, then
    /// golden-section search refines it to about 1e-6 in log T. The NLL is smooth and unimodal in
    /// log T, and the grid guards against flat regions. Non-finite logits are ignored.
    public init(fitting logits: [[Double]], labels: [Int], weights: [Double]? = nil) throws {
        guard !logits.isEmpty else { throw LearningError.emptyData }
        guard logits.count == labels.count else {
            throw LearningError.lengthMismatch(what: "labels", expected: logits.count, found: labels.count)
        }
        if let weights, weights.count != logits.count {
            throw LearningError.lengthMismatch(what: "weights", expected: logits.count, found: weights.count)
        }
        var usable: [(logits: [Double], label: Int, weight: Double)] = []
        for i in logits.indices {
            let row = logits[i], label = labels[i], weight = weights?[i] ?? 1
            guard label >= 0, label < row.count else {
                throw LearningError.labelOutOfRange(row: i, label: label, classCount: row.count)
            }
            if row.allSatisfy(\.isFinite), weight.isFinite, weight > 0 { usable.append((row, label, weight)) }
        }
        guard !usable.isEmpty else { throw LearningError.emptyData }

        func loss(_ logT: Double) -> Double {
            let t = exp(logT)
            var total = 0.0, weightSum = 0.0
            for item in usable {
                let scaled = item.logits.map { $0 / t }
                total += item.weight * (Softmax.logSumExp(scaled) - scaled[item.label])
                weightSum += item.weight
            }
            return total / weightSum
        }

        let low = log(0.01), high = log(100.0), steps = 80
        let grid = (0...steps).map { low + (high - low) * Double($0) / Double(steps) }
        let values = grid.map(loss)
        var bestIndex = 0
        for i in values.indices where values[i] < values[bestIndex] { bestIndex = i }
        var a = grid[max(0, bestIndex - 1)], b = grid[min(steps, bestIndex + 1)]
        let ratio = (5.0.squareRoot() - 1) / 2
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = loss(c), fd = loss(d)
        while b - a > 1e-6 {
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a); fc = loss(c)
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a); fd = loss(d)
            }
        }
        let logT = (a + b) / 2
        let chosen = loss(logT) <= values[bestIndex] ? logT : grid[bestIndex]
        temperature = exp(chosen)
    }

    /// The logits divided by T.
    public func scale(_ logits: [Double]) -> [Double] {
        logits.map { $0 / temperature }
    }

    /// Calibrated probabilities `softmax(logits / T)`.
    public func probabilities(_ logits: [Double]) -> [Double] {
        Softmax.probabilities(scale(logits))
    }
}
