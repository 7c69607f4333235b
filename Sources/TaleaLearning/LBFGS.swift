/// A deterministic limited-memory BFGS minimiser with a backtracking (Armijo) line search.
///
/// Used for the multinomial logistic regression, whose objective is smooth and strictly convex
/// once L2 regularisation is on; for such objectives this converges in tens to a few hundred steps.
struct LBFGS {
    /// Number of (s, y) correction pairs kept.
    var memory = 10
    /// Stop when the largest absolute gradient component falls below this.
    var gradientTolerance = 1e-6
    /// Stop when an accepted step lowers the objective by less than this, relative to max(1, |f|).
    var relativeTolerance = 1e-12
    /// Hard cap on iterations.
    var maxIterations = 500

    struct Result {
        var x: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// Minimises `objective` (which returns the value and the gradient) from `start`.
    func minimize(from start: [Double], objective: ([Double]) -> (Double, [Double])) -> Result {
        var x = start
        var (f, g) = objective(x)
        var sHistory: [[Double]] = []
        var yHistory: [[Double]] = []
        var rhoHistory: [Double] = []
        var iterations = 0
        var converged = false
        guard f.isFinite else { return Result(x: x, value: f, iterations: 0, converged: false) }

        while iterations < maxIterations {
            if maxAbs(g) < gradientTolerance { converged = true; break }
            iterations += 1
            // Two-loop recursion: d = −H·g.
            var q = g
            var alphas = [Double](repeating: 0, count: sHistory.count)
            for i in stride(from: sHistory.count - 1, through: 0, by: -1) {
                let a = rhoHistory[i] * dot(sHistory[i], q)
                alphas[i] = a
                axpy(-a, yHistory[i], &q)
            }
            if let s = sHistory.last, let y = yHistory.last {
                let gamma = dot(s, y) / max(dot(y, y), 1e-300)
                for i in q.indices { q[i] *= gamma }
            }
            for i in 0..<sHistory.count {
                let b = rhoHistory[i] * dot(yHistory[i], q)
                axpy(alphas[i] - b, sHistory[i], &q)
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart with steepest descent.
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                direction = g.map { -$0 }
                slope = dot(g, direction)
            }
            var step = sHistory.isEmpty ? min(1, 1 / max(norm(g), 1e-300)) : 1
            var accepted = false
            var newX = x, newF = f, newG = g
            for _ in 0..<60 {
                newX = x
                axpy(step, direction, &newX)
                (newF, newG) = objective(newX)
                if newF.isFinite && newF <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { converged = true; break }  // no further progress is possible
            let s = zip(newX, x).map { $0 - $1 }
            let y = zip(newG, g).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-12 * max(dot(y, y), 1e-300) {
                sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
                if sHistory.count > memory {
                    sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst()
                }
            }
            let decrease = f - newF
            x = newX; f = newF; g = newG
            if decrease <= relativeTolerance * max(1, abs(f)) { converged = true; break }
        }
        return Result(x: x, value: f, iterations: iterations, converged: converged)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }
    private func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
    private func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
    private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for i in y.indices { y[i] += alpha * x[i] }
    }
}
