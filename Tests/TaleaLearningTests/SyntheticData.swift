import Foundation
@testable import TaleaLearning

/// Synthetic data sets with known answers, all drawn from a `SeededGenerator`.
enum Synthetic {
    /// A standard normal draw (Box–Muller).
    static func normal(_ generator: inout SeededGenerator) -> Double {
        let u1 = max(generator.nextUnit(), 1e-300), u2 = generator.nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `perClass` points around each of `centres` with standard deviation `spread`.
    static func gaussians(centres: [[Double]], perClass: Int, spread: Double, seed: UInt64,
                          groupSize: Int = 1) -> (rows: [[Double]], labels: [Int], groups: [String]) {
        var generator = SeededGenerator(seed: seed)
        var rows: [[Double]] = [], labels: [Int] = [], groups: [String] = []
        for (label, centre) in centres.enumerated() {
            for i in 0..<perClass {
                rows.append(centre.map { $0 + spread * normal(&generator) })
                labels.append(label)
                groups.append("c\(label)-g\(i / groupSize)")
            }
        }
        return (rows, labels, groups)
    }

    /// XOR: label = (x > 0) != (y > 0) on uniform points in [−1, 1]², plus `noiseFeatures` uniform noise columns.
    static func xor(count: Int, noiseFeatures: Int = 0, seed: UInt64) -> (rows: [[Double]], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var rows: [[Double]] = [], labels: [Int] = []
        while rows.count < count {
            let x = 2 * generator.nextUnit() - 1, y = 2 * generator.nextUnit() - 1
            if abs(x) < 0.05 || abs(y) < 0.05 { continue }  // keep a margin so the task is exact
            rows.append([x, y] + (0..<noiseFeatures).map { _ in 2 * generator.nextUnit() - 1 })
            labels.append((x > 0) != (y > 0) ? 1 : 0)
        }
        return (rows, labels)
    }

    static let threeCentres: [[Double]] = [[0, 0, 0], [4, 0, 1], [0, 4, -1]]
}

func accuracy(_ classifier: some Classifier, rows: [[Double]], labels: [Int]) -> Double {
    Metrics.accuracy(labels: labels, predictions: rows.map { classifier.predict($0) })
}
