import Foundation

/// Multinomial (softmax) logistic regression with L2 regularisation, class weights and sample
/// weights, trained full-batch with L-BFGS from zeros (so training is deterministic).
///
/// It expects standardised rows (see `Standardizer`): the L2 penalty then treats all features alike
/// and `coefficient × value` is a meaningful per-feature contribution.
///
/// The objective is `(1/n) Σ wᵢ · (−log pᵢ,yᵢ) + (l2/2) · ‖W‖²`, where the effective weights `wᵢ`
/// (sample weight × class weight) are rescaled to average 1, and intercepts are not penalised.
public struct LogisticRegression: Codable, Equatable, Sendable {
    /// Hyperparameters.
    public struct Configuration: Codable, Equatable, Sendable {
        /// L2 penalty strength on the coefficients (not the intercepts). Default 0.01.
        public var l2: Double
        /// How classes are weighted in the loss. Default `.balanced`.
        public var classWeighting: ClassWeighting
        /// Maximum L-BFGS iterations. Default 500.
        public var maxIterations: Int
        /// Convergence threshold on the largest gradient component. Default 1e-6.
        public var tolerance: Double

        /// Creates a configuration; every argument has a sensible default.
        public init(l2: Double = 0.01, classWeighting: ClassWeighting = .balanced,
                    maxIterations: Int = 500, tolerance: Double = 1e-6) {
            self.l2 = l2
            self.classWeighting = classWeighting
            self.maxIterations = maxIterations
            self.tolerance = tolerance
        }
    }

    /// `coefficients[k][j]` multiplies feature `j` in the logit of class `k`.
    public let coefficients: [[Double]]
    /// The intercept of each class logit (centred to sum to zero).
    public let intercepts: [Double]
    /// The configuration used for training.
    public let configuration: Configuration
    /// L-BFGS iterations used.
    public let iterations: Int
    /// Whether the optimiser met its stopping criterion before `maxIterations`.
    public let converged: Bool

    /// Builds a model from explicit parameters (e.g. for tests).
    public init(coefficients: [[Double]], intercepts: [Double], configuration: Configuration = Configuration()) throws {
        guard coefficients.count == intercepts.count, coefficients.count >= 2 else {
            throw LearningError.invalidParameter("need one coefficient row and one intercept per class (at least 2)")
        }
        let width = coefficients[0].count
        guard coefficients.allSatisfy({ $0.count == width }) else {
            throw LearningError.invalidParameter("coefficient rows differ in length")
        }
        self.coefficients = coefficients
        self.intercepts = intercepts
        self.configuration = configuration
        self.iterations = 0
        self.converged = true
    }

    /// Trains on `data` (rows should already be standardised).
    public init(training data: Dataset, configuration: Configuration = Configuration()) throws {
        guard configuration.l2 >= 0, configuration.l2.isFinite else {
            throw LearningError.invalidParameter("l2 must be finite and non-negative")
        }
        guard configuration.maxIterations >= 0 else {
            throw LearningError.invalidParameter("maxIterations must be non-negative")
        }
        let n = data.count, f = data.featureCount, k = data.classCount
        let weights = try data.effectiveWeights(configuration.classWeighting)
        // Row-major flat copy; non-finite inputs become 0 so they cannot poison the optimiser.
        var x = [Double](repeating: 0, count: n * f)
        for i in 0..<n {
            for j in 0..<f where data.rows[i][j].isFinite { x[i * f + j] = data.rows[i][j] }
        }
        let labels = data.labels
        let l2 = configuration.l2
        let invN = 1 / Double(n)

        // Parameters: k·f coefficients (class-major), then k intercepts.
        func objective(_ theta: [Double]) -> (Double, [Double]) {
            var gradient = [Double](repeating: 0, count: theta.count)
            var loss = 0.0
            var z = [Double](repeating: 0, count: k)
            theta.withUnsafeBufferPointer { t in
                x.withUnsafeBufferPointer { xs in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for i in 0..<n {
                            let w = weights[i]
                            if w == 0 { continue }
                            let base = i * f
                            for c in 0..<k {
                                var s = t[k * f + c]
                                let wBase = c * f
                                for j in 0..<f { s += t[wBase + j] * xs[base + j] }
                                z[c] = s
                            }
                            var m = z[0]
                            for c in 1..<k where z[c] > m { m = z[c] }
                            let label = labels[i]
                            let labelLogit = z[label]
                            var sum = 0.0
                            for c in 0..<k { z[c] = exp(z[c] - m); sum += z[c] }
                            // −log p_label = logSumExp(z) − z_label, finite even when p_label underflows.
                            loss += w * invN * (m + log(sum) - labelLogit)
                            for c in 0..<k {
                                let r = w * invN * (z[c] / sum - (c == label ? 1 : 0))
                                if r == 0 { continue }
                                let wBase = c * f
                                for j in 0..<f { g[wBase + j] += r * xs[base + j] }
                                g[k * f + c] += r
                            }
                        }
                    }
                }
            }
            var penalty = 0.0
            for p in 0..<(k * f) {
                penalty += theta[p] * theta[p]
                gradient[p] += l2 * theta[p]
            }
            return (loss + 0.5 * l2 * penalty, gradient)
        }

        var optimiser = LBFGS()
        optimiser.maxIterations = configuration.maxIterations
        optimiser.gradientTolerance = configuration.tolerance
        let result = optimiser.minimize(from: [Double](repeating: 0, count: k * (f + 1)), objective: objective)
        let theta = result.x
        coefficients = (0..<k).map { c in Array(theta[(c * f)..<(c * f + f)]) }
        let rawIntercepts = Array(theta[(k * f)...])
        // Softmax is invariant to a common shift; centring makes the stored intercepts canonical.
        let mean = rawIntercepts.reduce(0, +) / Double(k)
        intercepts = rawIntercepts.map { $0 - mean }
        self.configuration = configuration
        iterations = result.iterations
        converged = result.converged
    }
}

extension LogisticRegression: Classifier {
    /// The number of classes.
    public var classCount: Int { intercepts.count }
    /// The number of features each row must have.
    public var featureCount: Int { coefficients.first?.count ?? 0 }

    /// Class logits `intercept_k + Σ_j coefficient_kj · row_j` (missing or non-finite values count as 0).
    public func logits(_ row: [Double]) -> [Double] {
        (0..<classCount).map { c in
            var s = intercepts[c]
            let w = coefficients[c]
            for j in 0..<min(w.count, row.count) where row[j].isFinite { s += w[j] * row[j] }
            return s
        }
    }

    /// Contributions `coefficient_kj · row_j`; the bias of class k is its intercept, so
    /// bias + Σ contributions reproduces the logit exactly.
    public func explain(_ row: [Double]) -> Explanation {
        let contributions = (0..<classCount).map { c in
            (0..<featureCount).map { j in
                j < row.count && row[j].isFinite ? coefficients[c][j] * row[j] : 0
            }
        }
        return Explanation(bias: intercepts, contributions: contributions)
    }
}
