// Release-mode throughput benchmark of TaleaLearning on synthetic data shaped like Talea's training
// set (~20,000 rows × 120 features, 4 imbalanced classes). Built by run.sh with `swiftc -O` from the
// module's sources, so it needs no change to Package.swift. Usage: learning-bench [outputDirectory]
import Foundation

func normal(_ g: inout SeededGenerator) -> Double {
    let u1 = max(g.nextUnit(), 1e-300), u2 = g.nextUnit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

/// 120 features: 20 informative (class-shifted, some through products and thresholds), 100 noise
/// or correlated copies; classes 0..3 in proportions 45 % / 45 % / 2 % / 8 %.
func makeData(count: Int, seed: UInt64) -> (rows: [[Double]], labels: [Int], groups: [String]) {
    var g = SeededGenerator(seed: seed)
    var rows: [[Double]] = [], labels: [Int] = [], groups: [String] = []
    for i in 0..<count {
        let u = g.nextUnit()
        let label = u < 0.45 ? 0 : u < 0.90 ? 1 : u < 0.92 ? 2 : 3
        var row = [Double](repeating: 0, count: 120)
        for j in 0..<20 {
            let shift = Double((label * 7 + j * 3) % 5 - 2) * 0.35
            row[j] = shift + normal(&g)
        }
        // Non-linear signal: class 3 when two features share a sign.
        if label == 3 { row[20] = abs(normal(&g)) * (row[0] > 0 ? 1 : -1) } else { row[20] = normal(&g) }
        for j in 21..<70 { row[j] = normal(&g) }
        for j in 70..<120 { row[j] = row[j - 70] * 0.5 + normal(&g) * 0.5 }
        rows.append(row)
        labels.append(label)
        groups.append("work\(i / 8)")
    }
    return (rows, labels, groups)
}

/// Wall-clock seconds of `body`; the process CPU seconds are printed too, because the 2-core
/// machine is shared and wall time alone overstates the cost under load.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = clock()
    try body()
    let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "  [wall %.2f s, cpu %.2f s]", wall, cpu))
    return wall
}

let outputDirectory = CommandLine.arguments.dropFirst().first
let train = makeData(count: 20_000, seed: 1)
let test = makeData(count: 5_000, seed: 2)
if let outputDirectory {
    for (name, data) in [("train", train), ("test", test)] {
        var text = ""
        for (row, label) in zip(data.rows, data.labels) {
            text += row.map { String($0) }.joined(separator: ",") + ",\(label)\n"
        }
        try text.write(toFile: "\(outputDirectory)/\(name).csv", atomically: true, encoding: .utf8)
    }
}

let dataset = try Dataset(rows: train.rows, labels: train.labels, classCount: 4, groups: train.groups)
var standardizer: Standardizer?
let tStd = try seconds { standardizer = try Standardizer(fitting: train.rows) }
let scaler = standardizer!
let zTrain = try dataset.replacingRows(scaler.transform(train.rows))
let zTest = scaler.transform(test.rows)

func report(_ name: String, _ fit: Double, _ model: some Classifier, extra: String = "") {
    var predictions: [[Double]] = []
    let tPredict = seconds { predictions = zTest.map { model.probabilities($0) } }
    let summary = EvaluationSummary(probabilities: predictions, labels: test.labels, classCount: 4)
    print(String(format: "%@: fit %.2f s, predict %.1f µs/row, test accuracy %.4f, macro-F1 %.4f, log-loss %.4f %@",
                 name, fit, tPredict / Double(zTest.count) * 1e6, summary.accuracy, summary.macroF1,
                 summary.negativeLogLikelihood, extra))
}

print("data: 20000 × 120 train, 5000 test, 4 classes; standardizer fit \(String(format: "%.3f", tStd)) s")
var lr: LogisticRegression?
let tLR = try seconds { lr = try LogisticRegression(training: zTrain, configuration: .init(l2: 0.01)) }
report("logistic regression (l2 0.01, balanced)", tLR, lr!, extra: "(\(lr!.iterations) L-BFGS iterations)")

var gbt: GradientBoostedTrees?
let tGBT = try seconds { gbt = try GradientBoostedTrees(training: zTrain, configuration: .init()) }
report("boosted trees (defaults: 100 rounds, depth 4, 64 bins)", tGBT, gbt!)

var explainTime = 0.0
explainTime = seconds { for row in zTest.prefix(1000) { _ = gbt!.explain(row) } }
print(String(format: "boosted trees explain: %.1f µs/row", explainTime / 1000 * 1e6))

var bytes = Data()
let tEncode = try seconds {
    bytes = try ModelFile(featureSchema: FeatureSchema(version: "bench", names: (0..<120).map { "f\($0)" }),
                          classNames: ["a", "b", "c", "d"], standardizer: scaler,
                          classifier: .boostedTrees(gbt!)).jsonData()
}
var decoded: ModelFile?
let tDecode = try seconds { decoded = try ModelFile(jsonData: bytes) }
print(String(format: "model file: %d bytes, encode %.3f s, decode+validate %.3f s, equal after round trip: %@",
             bytes.count, tEncode, tDecode, decoded.map { $0.classifier == .boostedTrees(gbt!) } == true ? "yes" : "no"))

var results: [CandidateResult] = []
let tCV = try seconds {
    results = try ModelSelection.crossValidate(dataset, candidates: [
        ModelCandidate(name: "logistic", configuration: .logisticRegression(.init())),
        ModelCandidate(name: "trees-50", configuration: .boostedTrees(.init(rounds: 50))),
    ], folds: 5, seed: 0)
}
for r in results {
    print(String(format: "5-fold grouped CV %@: macro-F1 %.4f ± %.4f, log-loss %.4f", r.candidate.name,
                 r.meanMacroF1, r.macroF1StandardDeviation, r.meanLogLoss))
}
print(String(format: "5-fold grouped CV of both candidates: %.1f s", tCV))
