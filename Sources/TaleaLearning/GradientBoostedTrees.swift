import Foundation

/// Gradient-boosted decision trees for multiclass classification (softmax loss, one regression
/// tree per class per round), in the style of XGBoost/LightGBM:
///
/// - features are binned once into at most `maxBins` quantile bins, and split search scans
///   per-node histograms of gradients and hessians (the larger child's histogram is obtained by
///   subtracting the smaller child's from the parent's);
/// - every tree is fitted to the second-order (Newton) expansion of the weighted softmax loss:
///   leaf value `−learningRate · G / (H + l2Leaf)`, split gain `G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)`;
/// - depth limit, minimum rows and minimum hessian per leaf, row subsampling per round and feature
///   subsampling per tree, all driven by a `SeededGenerator`, so training is deterministic.
///
/// Missing (NaN) values go to the left child; ±∞ are ordinary extremes. The trees are invariant to
/// monotone rescaling, so standardised and raw rows give the same model up to binning.
public struct GradientBoostedTrees: Codable, Equatable, Sendable {
    /// Hyperparameters.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Boosting rounds (each adds one tree per class). Default 100.
        public var rounds: Int
        /// Shrinkage applied to every leaf value. Default 0.1.
        public var learningRate: Double
        /// Maximum depth of a tree (a depth-1 tree is a stump). Default 4.
        public var maxDepth: Int
        /// Minimum number of training rows in each leaf. Default 5.
        public var minSamplesLeaf: Int
        /// Minimum sum of hessians (weighted p(1−p)) in each leaf. Default 1e-3.
        public var minChildWeight: Double
        /// L2 penalty on leaf values (λ in the formulas). Default 1.
        public var l2Leaf: Double
        /// A split must gain more than this. Default 0.
        public var minSplitGain: Double
        /// Fraction of rows drawn (without replacement, per round). Default 0.8.
        public var rowSubsample: Double
        /// Fraction of features offered to each tree. Default 0.8.
        public var featureSubsample: Double
        /// Maximum number of histogram bins per feature, 2...256. Default 64.
        public var maxBins: Int
        /// How classes are weighted in the loss. Default `.balanced`.
        public var classWeighting: ClassWeighting
        /// Seed of every random choice. Default 0.
        public var seed: UInt64

        /// Creates a configuration; every argument has a sensible default.
        public init(rounds: Int = 100, learningRate: Double = 0.1, maxDepth: Int = 4,
                    minSamplesLeaf: Int = 5, minChildWeight: Double = 1e-3, l2Leaf: Double = 1,
                    minSplitGain: Double = 0, rowSubsample: Double = 0.8, featureSubsample: Double = 0.8,
                    maxBins: Int = 64, classWeighting: ClassWeighting = .balanced, seed: UInt64 = 0) {
            self.rounds = rounds
            self.learningRate = learningRate
            self.maxDepth = maxDepth
            self.minSamplesLeaf = minSamplesLeaf
            self.minChildWeight = minChildWeight
            self.l2Leaf = l2Leaf
            self.minSplitGain = minSplitGain
            self.rowSubsample = rowSubsample
            self.featureSubsample = featureSubsample
            self.maxBins = maxBins
            self.classWeighting = classWeighting
            self.seed = seed
        }

        func validate() throws {
            func check(_ ok: Bool, _ message: String) throws {
                if !ok { throw LearningError.invalidParameter(message) }
            }
            try check(rounds >= 1, "rounds must be at least 1")
            try check(learningRate > 0 && learningRate <= 1, "learningRate must be in (0, 1]")
            try check(maxDepth >= 1 && maxDepth <= 20, "maxDepth must be in 1...20")
            try check(minSamplesLeaf >= 1, "minSamplesLeaf must be at least 1")
            try check(minChildWeight >= 0 && minChildWeight.isFinite, "minChildWeight must be finite and non-negative")
            try check(l2Leaf >= 0 && l2Leaf.isFinite, "l2Leaf must be finite and non-negative")
            try check(minSplitGain >= 0 && minSplitGain.isFinite, "minSplitGain must be finite and non-negative")
            try check(rowSubsample > 0 && rowSubsample <= 1, "rowSubsample must be in (0, 1]")
            try check(featureSubsample > 0 && featureSubsample <= 1, "featureSubsample must be in (0, 1]")
            try check(maxBins >= 2 && maxBins <= 256, "maxBins must be in 2...256")
        }
    }

    /// The starting logit of each class (log of the weighted class prior, centred).
    public let baseScores: [Double]
    /// Total split gain of each feature over all trees (unnormalised).
    public let featureGain: [Double]
    /// The number of features per row.
    public let featureCount: Int
    /// The configuration used for training.
    public let configuration: Configuration

    // All trees live in five flat node arrays (compact in JSON, no per-tree allocation when
    // predicting). Tree t = round × classCount + class owns nodes treeStarts[t] ..< treeStarts[t+1]
    // (or ..< nodeCount for the last), its root first. A node with feature −1 is a leaf. An internal
    // node sends a row to `nodeLeft` when `row[feature] <= threshold` or the value is NaN, else to
    // `nodeRight` (absolute node indices). `nodeValue` is the shrunken Newton value of the node on
    // its training rows: a leaf's output, or what an internal node would have output (for Saabas).

    /// First node of every tree.
    public let treeStarts: [Int]
    /// Split feature per node, −1 for leaves.
    public let nodeFeature: [Int]
    /// Split threshold per node (0 for leaves).
    public let nodeThreshold: [Double]
    /// Left child (absolute index) per node, −1 for leaves.
    public let nodeLeft: [Int]
    /// Right child (absolute index) per node, −1 for leaves.
    public let nodeRight: [Int]
    /// Value per node (see above).
    public let nodeValue: [Double]

    /// The number of trees (rounds × classes).
    public var treeCount: Int { treeStarts.count }
    /// The total number of nodes.
    public var nodeCount: Int { nodeFeature.count }

    /// Feature gain normalised to sum 1 (all zeros if no split was made).
    public var normalizedFeatureImportance: [Double] {
        let total = featureGain.reduce(0, +)
        return total > 0 ? featureGain.map { $0 / total } : featureGain
    }

    /// Trains on `data`.
    public init(training data: Dataset, configuration: Configuration = Configuration()) throws {
        try configuration.validate()
        let n = data.count, featureCount = data.featureCount, k = data.classCount
        let weights = try data.effectiveWeights(configuration.classWeighting)
        let binner = Binner(rows: data.rows, maxBins: configuration.maxBins)
        let bins = binner.columnMajorBins(data.rows)

        // Base scores: log of the weighted class priors, lightly smoothed so absent classes stay finite.
        var classTotals = [Double](repeating: 0, count: k)
        for i in 0..<n { classTotals[data.labels[i]] += weights[i] }
        let grand = classTotals.reduce(0, +)
        let logPriors = classTotals.map { log(($0 + 0.5) / (grand + 0.5 * Double(k))) }
        let meanLog = logPriors.reduce(0, +) / Double(k)
        let baseScores = logPriors.map { $0 - meanLog }

        var raw = [Double](repeating: 0, count: n * k)
        for i in 0..<n { for c in 0..<k { raw[i * k + c] = baseScores[c] } }

        var generator = SeededGenerator(seed: configuration.seed)
        var builder = TreeBuilder(bins: bins, rowCount: n, featureCount: featureCount,
                                  binCounts: binner.edges.map { $0.count + 1 }, edges: binner.edges,
                                  configuration: configuration)
        var treeStarts: [Int] = []
        var nodes = TreeNodes()
        var gradients = [Double](repeating: 0, count: n)
        var hessians = [Double](repeating: 0, count: n)
        var probabilities = [Double](repeating: 0, count: n * k)
        let allFeatures = Array(0..<featureCount)
        let featuresPerTree = max(1, Int((configuration.featureSubsample * Double(featureCount)).rounded()))

        for _ in 0..<configuration.rounds {
            softmaxRows(raw, classCount: k, into: &probabilities)
            var sample: [Int]
            if configuration.rowSubsample < 1 {
                sample = (0..<n).filter { _ in generator.nextUnit() < configuration.rowSubsample }
                if sample.count < 2 * configuration.minSamplesLeaf { sample = Array(0..<n) }
            } else {
                sample = Array(0..<n)
            }
            for c in 0..<k {
                for i in 0..<n {
                    let p = probabilities[i * k + c]
                    let y: Double = data.labels[i] == c ? 1 : 0
                    gradients[i] = weights[i] * (p - y)
                    hessians[i] = weights[i] * max(p * (1 - p), 1e-6)
                }
                var features = allFeatures
                if featuresPerTree < featureCount {
                    generator.shuffle(&features)
                    features = Array(features.prefix(featuresPerTree)).sorted()
                }
                let tree = builder.build(rows: sample, features: features, gradients: gradients, hessians: hessians)
                // Update every row's score, also rows left out of this round's sample.
                for i in 0..<n {
                    raw[i * k + c] += tree.value[tree.leafOfTrainingRow(i, bins: bins, rowCount: n)]
                }
                treeStarts.append(nodes.feature.count)
                nodes.append(tree)
            }
        }
        self.baseScores = baseScores
        self.featureGain = builder.featureGain
        self.featureCount = featureCount
        self.configuration = configuration
        self.treeStarts = treeStarts
        self.nodeFeature = nodes.feature
        self.nodeThreshold = nodes.threshold
        self.nodeLeft = nodes.left
        self.nodeRight = nodes.right
        self.nodeValue = nodes.value
    }

    /// Checks the node arrays of a decoded model; returns a reason when they are malformed.
    func structuralProblem() -> String? {
        let n = nodeFeature.count
        guard nodeThreshold.count == n, nodeLeft.count == n, nodeRight.count == n, nodeValue.count == n else {
            return "node arrays differ in length"
        }
        guard baseScores.count >= 2, treeStarts.count % baseScores.count == 0 else {
            return "\(treeStarts.count) trees do not divide into rounds of \(baseScores.count) classes"
        }
        guard featureGain.count == featureCount else { return "feature gain has the wrong length" }
        guard nodeValue.allSatisfy(\.isFinite), nodeThreshold.allSatisfy({ !$0.isNaN }) else {
            return "non-finite node values"
        }
        for t in treeStarts.indices {
            let start = treeStarts[t], end = t + 1 < treeStarts.count ? treeStarts[t + 1] : n
            guard start >= 0, start < end, end <= n else { return "tree \(t) has an empty or invalid node range" }
            for i in start..<end where nodeFeature[i] >= 0 {
                guard nodeFeature[i] < featureCount, nodeLeft[i] > i, nodeLeft[i] < end,
                      nodeRight[i] > i, nodeRight[i] < end else {
                    return "node \(i) of tree \(t) points outside its tree or the features"
                }
            }
        }
        return nil
    }

    /// Walks every tree for `row`: `path(class, node, parent)` for every node below a root
    /// (if given), then `leaf(class, tree, leafNode)` once per tree.
    fileprivate func walk(_ row: [Double], path: ((Int, Int, Int) -> Void)? = nil, leaf: (Int, Int, Int) -> Void) {
        let k = baseScores.count, total = nodeFeature.count
        guard k > 0 else { return }
        nodeFeature.withUnsafeBufferPointer { feature in
            nodeThreshold.withUnsafeBufferPointer { threshold in
                nodeLeft.withUnsafeBufferPointer { left in
                    nodeRight.withUnsafeBufferPointer { right in
                        treeStarts.withUnsafeBufferPointer { starts in
                            for t in 0..<starts.count {
                                var node = starts[t]
                                let end = t + 1 < starts.count ? starts[t + 1] : total
                                guard node >= 0, node < end, end <= total else { continue }
                                while feature[node] >= 0 {
                                    let f = feature[node]
                                    let x = f < row.count ? row[f] : .nan
                                    let next = (x.isNaN || x <= threshold[node]) ? left[node] : right[node]
                                    guard next > node, next < end else { break }  // malformed: stop safely
                                    path?(t % k, next, node)
                                    node = next
                                }
                                leaf(t % k, t, node)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension GradientBoostedTrees: Classifier {
    /// The number of classes.
    public var classCount: Int { baseScores.count }

    /// Base score plus the leaf value of every tree of each class.
    public func logits(_ row: [Double]) -> [Double] {
        var logits = baseScores
        nodeValue.withUnsafeBufferPointer { value in
            walk(row) { c, _, node in logits[c] += value[node] }
        }
        return logits
    }

    /// Saabas path attribution: along each tree's path, the change of node value at a split is
    /// credited to the split feature; the bias is the base score plus every root value.
    public func explain(_ row: [Double]) -> Explanation {
        var bias = baseScores
        var contributions = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: classCount)
        let width = featureCount
        nodeValue.withUnsafeBufferPointer { value in
            nodeFeature.withUnsafeBufferPointer { feature in
                walk(row, path: { c, node, parent in
                    let f = feature[parent]
                    if f < width { contributions[c][f] += value[node] - value[parent] }
                }, leaf: { c, t, _ in
                    bias[c] += value[treeStarts[t]]
                })
            }
        }
        return Explanation(bias: bias, contributions: contributions)
    }
}

/// One tree under construction, with node indices relative to its root.
struct TreeNodes {
    var feature: [Int] = []
    var threshold: [Double] = []
    var left: [Int] = []
    var right: [Int] = []
    var value: [Double] = []
    /// Split bin per node (training only).
    var splitBin: [Int] = []

    /// Appends `tree`, shifting its child indices by the current node count.
    mutating func append(_ tree: TreeNodes) {
        let offset = feature.count
        feature += tree.feature
        threshold += tree.threshold
        left += tree.left.map { $0 >= 0 ? $0 + offset : -1 }
        right += tree.right.map { $0 >= 0 ? $0 + offset : -1 }
        value += tree.value
    }

    /// The leaf of training row `i`, found through bin indices (exactly matching training).
    func leafOfTrainingRow(_ i: Int, bins: [UInt8], rowCount: Int) -> Int {
        var node = 0
        while feature[node] >= 0 {
            node = Int(bins[feature[node] * rowCount + i]) <= splitBin[node] ? left[node] : right[node]
        }
        return node
    }
}

/// Row-wise softmax of `raw` (n × k, row-major) into `out`, without allocating per row.
private func softmaxRows(_ raw: [Double], classCount k: Int, into out: inout [Double]) {
    let n = raw.count / k
    for i in 0..<n {
        var m = raw[i * k]
        for c in 1..<k where raw[i * k + c] > m { m = raw[i * k + c] }
        var sum = 0.0
        for c in 0..<k {
            let e = exp(raw[i * k + c] - m)
            out[i * k + c] = e
            sum += e
        }
        for c in 0..<k { out[i * k + c] /= sum }
    }
}

/// Quantile binning of each feature into at most `maxBins` bins.
struct Binner {
    /// `edges[f]` ascending; bin b holds values in (edges[b−1], edges[b]]; NaN goes to bin 0.
    let edges: [[Double]]

    init(rows: [[Double]], maxBins: Int) {
        let width = rows.first?.count ?? 0
        edges = (0..<width).map { f in
            let sorted = rows.compactMap { $0[f].isFinite ? $0[f] : nil }.sorted()
            var distinct: [Double] = []
            for v in sorted where distinct.last != v { distinct.append(v) }
            guard distinct.count > 1 else { return [] }
            if distinct.count <= maxBins {
                return (1..<distinct.count).map { midpoint(distinct[$0 - 1], distinct[$0]) }
            }
            // Quantile cut points, each placed halfway to the next distinct value.
            var result: [Double] = []
            for q in 1..<maxBins {
                let v = sorted[q * sorted.count / maxBins]
                let position = firstIndex(in: distinct, notLessThan: v)
                guard position + 1 < distinct.count else { continue }
                let edge = midpoint(distinct[position], distinct[position + 1])
                if result.last.map({ edge > $0 }) ?? true { result.append(edge) }
            }
            return result
        }
    }

    /// Column-major bin indices: the bin of row i in feature f is at `f × rows.count + i`.
    func columnMajorBins(_ rows: [[Double]]) -> [UInt8] {
        let width = edges.count, n = rows.count
        var bins = [UInt8](repeating: 0, count: n * width)
        for f in 0..<width {
            let featureEdges = edges[f]
            for i in 0..<n {
                let x = rows[i][f]
                if x.isNaN { continue }
                bins[f * n + i] = UInt8(firstIndex(in: featureEdges, notLessThan: x))
            }
        }
        return bins
    }
}

private func midpoint(_ a: Double, _ b: Double) -> Double {
    let m = a + (b - a) / 2
    return m.isFinite ? m : a
}

/// The first index whose element is `>= x` (or `array.count`), by binary search.
private func firstIndex(in array: [Double], notLessThan x: Double) -> Int {
    var low = 0, high = array.count
    while low < high {
        let mid = (low + high) / 2
        if array[mid] < x { low = mid + 1 } else { high = mid }
    }
    return low
}

/// Grows one tree on binned data; keeps the running per-feature gain.
struct TreeBuilder {
    let bins: [UInt8]
    let rowCount: Int
    let featureCount: Int
    let binCounts: [Int]
    let edges: [[Double]]
    let configuration: GradientBoostedTrees.Configuration
    let stride: Int
    var featureGain: [Double]

    init(bins: [UInt8], rowCount: Int, featureCount: Int, binCounts: [Int], edges: [[Double]],
         configuration: GradientBoostedTrees.Configuration) {
        self.bins = bins
        self.rowCount = rowCount
        self.featureCount = featureCount
        self.binCounts = binCounts
        self.edges = edges
        self.configuration = configuration
        self.stride = configuration.maxBins
        self.featureGain = [Double](repeating: 0, count: featureCount)
    }

    private struct Split {
        var feature: Int
        var bin: Int
        var gain: Double
    }

    mutating func build(rows: [Int], features: [Int], gradients: [Double], hessians: [Double]) -> TreeNodes {
        var tree = TreeNodes()
        let rootHistogram = histogram(rows: rows, features: features, gradients: gradients, hessians: hessians)
        grow(rows: rows, histogram: rootHistogram, depth: 0, features: features,
             gradients: gradients, hessians: hessians, tree: &tree)
        return tree
    }

    /// Interleaved (gradient, hessian, count) per (feature, bin), for the selected features.
    ///
    /// Feature by feature, so each feature's histogram (maxBins × 3 doubles) stays in L1 cache;
    /// the node's gradients are first gathered into contiguous arrays.
    private func histogram(rows: [Int], features: [Int], gradients: [Double], hessians: [Double]) -> [Double] {
        var hist = [Double](repeating: 0, count: featureCount * stride * 3)
        let m = rows.count, n = rowCount, stride = self.stride
        let orderedG = rows.map { gradients[$0] }
        let orderedH = rows.map { hessians[$0] }
        hist.withUnsafeMutableBufferPointer { h in
            bins.withUnsafeBufferPointer { b in
                orderedG.withUnsafeBufferPointer { g in
                    orderedH.withUnsafeBufferPointer { hs in
                        rows.withUnsafeBufferPointer { r in
                            guard let binBase = b.baseAddress, let histBase = h.baseAddress else { return }
                            for f in features {
                                let column = binBase + f * n
                                let out = histBase + f * stride * 3
                                for idx in 0..<m {
                                    let index = Int(column[r[idx]]) * 3
                                    out[index] += g[idx]
                                    out[index + 1] += hs[idx]
                                    out[index + 2] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return hist
    }

    private mutating func grow(rows: [Int], histogram hist: [Double], depth: Int, features: [Int],
                               gradients: [Double], hessians: [Double], tree: inout TreeNodes) {
        var sumG = 0.0, sumH = 0.0
        for r in rows { sumG += gradients[r]; sumH += hessians[r] }
        let lambda = configuration.l2Leaf
        let node = tree.feature.count
        tree.feature.append(-1)
        tree.threshold.append(0)
        tree.left.append(-1)
        tree.right.append(-1)
        let denominator = sumH + lambda
        tree.value.append(denominator > 0 ? -configuration.learningRate * sumG / denominator : 0)
        tree.splitBin.append(-1)

        let minLeaf = configuration.minSamplesLeaf
        guard depth < configuration.maxDepth, rows.count >= 2 * minLeaf else { return }
        guard let split = bestSplit(histogram: hist, features: features, sumG: sumG, sumH: sumH,
                                    count: rows.count) else { return }

        var leftRows: [Int] = [], rightRows: [Int] = []
        leftRows.reserveCapacity(rows.count)
        rightRows.reserveCapacity(rows.count)
        let columnStart = split.feature * rowCount
        for r in rows {
            if Int(bins[columnStart + r]) <= split.bin { leftRows.append(r) } else { rightRows.append(r) }
        }
        guard leftRows.count >= minLeaf, rightRows.count >= minLeaf else { return }

        featureGain[split.feature] += split.gain
        tree.feature[node] = split.feature
        tree.threshold[node] = edges[split.feature][split.bin]
        tree.splitBin[node] = split.bin

        // Histogram subtraction: build the smaller child, derive the larger one. Children that
        // cannot split further (depth limit) need no histogram at all.
        let needHistograms = depth + 1 < configuration.maxDepth
        var leftHist: [Double] = [], rightHist: [Double] = []
        if needHistograms {
            let leftIsSmaller = leftRows.count <= rightRows.count
            let small = histogram(rows: leftIsSmaller ? leftRows : rightRows, features: features,
                                  gradients: gradients, hessians: hessians)
            var large = hist
            for i in large.indices { large[i] -= small[i] }
            leftHist = leftIsSmaller ? small : large
            rightHist = leftIsSmaller ? large : small
        }

        tree.left[node] = tree.feature.count
        grow(rows: leftRows, histogram: leftHist, depth: depth + 1, features: features,
             gradients: gradients, hessians: hessians, tree: &tree)
        tree.right[node] = tree.feature.count
        grow(rows: rightRows, histogram: rightHist, depth: depth + 1, features: features,
             gradients: gradients, hessians: hessians, tree: &tree)
    }

    private func bestSplit(histogram hist: [Double], features: [Int], sumG: Double, sumH: Double,
                           count: Int) -> Split? {
        let lambda = configuration.l2Leaf
        let minLeaf = Double(configuration.minSamplesLeaf)
        let minHess = configuration.minChildWeight
        let parentScore = sumG * sumG / (sumH + lambda)
        var best: Split?
        let total = Double(count)
        for f in features {
            let binCount = binCounts[f]
            guard binCount > 1 else { continue }
            var gl = 0.0, hl = 0.0, cl = 0.0
            for b in 0..<(binCount - 1) {
                let index = (f * stride + b) * 3
                gl += hist[index]
                hl += hist[index + 1]
                cl += hist[index + 2]
                let cr = total - cl
                if cl < minLeaf { continue }
                if cr < minLeaf { break }
                let gr = sumG - gl, hr = sumH - hl
                if hl < minHess || hr < minHess { continue }
                let gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parentScore
                if gain > configuration.minSplitGain, gain.isFinite, gain > (best?.gain ?? 0) {
                    best = Split(feature: f, bin: b, gain: gain)
                }
            }
        }
        return best
    }
}
