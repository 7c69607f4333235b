// talea-bench: release-mode throughput measurements. Build with
import Foundation
//   swift build -c release --product talea-bench
// and run `talea-bench parse|features|render [options]`; the scripts in Benchmarks/ run the
// peers (symusic, music21, …) side by side and print the ratios. `talea-bench fidelity` measures
// not speed but how far performances move a voice's rhythm features from its notation's.

let arguments = Array(CommandLine.arguments.dropFirst())
guard let which = arguments.first else {
    print("usage: talea-bench parse|features|render|fidelity [options]")
    exit(2)
}
let rest = Array(arguments.dropFirst())
switch which {
case "parse": runParseBenchmark(rest)
case "features": runFeatureBenchmark(rest)
case "render": runRenderBenchmark(rest)
case "fidelity": runFidelityBenchmark(rest)
default:
    print("unknown benchmark \(which); expected parse, features, render or fidelity")
    exit(2)
}
