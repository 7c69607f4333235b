// talea-bench: release-mode throughput measurements. Build with
import Foundation
//   swift build -c release --product talea-bench
// and run `talea-bench parse|features|render [options]`; the scripts in Benchmarks/ run the
// peers (symusic, music21, …) side by side and print the ratios. `talea-bench fidelity` measures
// not speed but how far performances move a voice's rhythm features from its notation's.

/// A benchmark's options, read in order: `next()` gives each option, `value(after:)` the value that
/// follows it (or a message and exit status 2 when there is none).
struct BenchOptions {
    private var remaining: ArraySlice<String>

    init(_ arguments: [String]) { remaining = arguments[...] }

    mutating func next() -> String? { remaining.popFirst() }

    mutating func value(after option: String) -> String {
        guard let value = remaining.popFirst() else {
            print("missing value after \(option)")
            exit(2)
        }
        return value
    }

    /// The comma-separated list that follows an option.
    mutating func list(after option: String) -> [String] {
        value(after: option).split(separator: ",").map(String.init)
    }

    /// Says that an option is not one of the benchmark's, and exits with status 2.
    static func unknown(_ option: String) -> Never {
        print("unknown option \(option)")
        exit(2)
    }
}

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
