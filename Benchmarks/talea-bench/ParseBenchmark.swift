import Foundation
import TaleaMIDI
import TaleaScore

/// `talea-bench parse [--corpus DIR] [--passes N]`: reads every `.mid` under DIR into memory, then
/// times MIDI parsing plus score building over N passes and reports files/s, MB/s and notes/s.
/// The last line is machine-readable (`RESULT …`) for Benchmarks/parse.sh.
func runParseBenchmark(_ arguments: [String]) {
    var corpus = ProcessInfo.processInfo.environment["TALEA_CORPUS"] ?? "../shared/corpus"
    var passes = 10
    var reader = BenchOptions(arguments)
    while let argument = reader.next() {
        switch argument {
        case "--corpus": corpus = reader.value(after: argument)
        case "--passes": passes = max(1, Int(reader.value(after: argument)) ?? passes)
        default:
            print("usage: talea-bench parse [--corpus DIR] [--passes N]")
            exit(2)
        }
    }

    let root = URL(fileURLWithPath: corpus)
    var paths: [URL] = []
    if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) {
        for case let url as URL in walker where ["mid", "midi", "rmi"].contains(url.pathExtension.lowercased()) {
            paths.append(url)
        }
    }
    paths.sort { $0.path < $1.path }
    guard !paths.isEmpty else {
        print("no MIDI files under \(root.path)")
        exit(1)
    }
    let files: [[UInt8]] = paths.compactMap { try? [UInt8](Data(contentsOf: $0)) }
    let totalBytes = files.reduce(0) { $0 + $1.count }

    // One untimed pass: warms caches and counts notes and failures.
    var notesPerPass = 0
    var failures = 0
    for bytes in files {
        do {
            notesPerPass += try Score(bytes: bytes).noteCount
        } catch {
            failures += 1
        }
    }

    var passSeconds: [Double] = []
    var passCPUSeconds: [Double] = []
    var checksum = 0
    for _ in 0..<passes {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUSeconds()
        if ProcessInfo.processInfo.environment["TALEA_BENCH_MIDI_ONLY"] != nil {
            // Diagnostic: the MIDI reader alone (compact events), without the score.
            for bytes in files {
                if let midi = try? MIDIRawFile(bytes: bytes) { checksum &+= midi.tracks.count }
            }
        } else {
            for bytes in files {
                if let score = try? Score(bytes: bytes) { checksum &+= score.voices.count }
            }
        }
        passSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        passCPUSeconds.append(threadCPUSeconds() - cpuStart)
    }
    let sorted = passSeconds.sorted()
    let wallMedian = sorted[sorted.count / 2]
    // CPU time of this thread: robust when other processes share the cores; wall time is printed too.
    let median = passCPUSeconds.sorted()[passCPUSeconds.count / 2]
    let best = passCPUSeconds.min() ?? median
    let filesPerSecond = Double(files.count) / median
    let megabytesPerSecond = Double(totalBytes) / 1_000_000 / median
    let notesPerSecond = Double(notesPerPass) / median
    print("parse: \(files.count) files, \(String(format: "%.1f", Double(totalBytes) / 1_000_000)) MB, \(notesPerPass) notes, \(failures) failed; \(passes) timed passes (median)")
    print(String(format: "  CPU time: %.0f files/s, %.1f MB/s, %.2f M notes/s, %.4f ms per file (best pass %.0f files/s)",
                 filesPerSecond, megabytesPerSecond, notesPerSecond / 1e6, median * 1000 / Double(files.count),
                 Double(files.count) / best))
    print(String(format: "  wall time: %.0f files/s (median pass), %.0f files/s (best pass)",
                 Double(files.count) / wallMedian, Double(files.count) / sorted[0]))
    print(String(format: "RESULT files=%d bytes=%d notes=%d seconds=%.6f files_per_s=%.1f mb_per_s=%.2f notes_per_s=%.0f best_files_per_s=%.1f check=%d",
                 files.count, totalBytes, notesPerPass, median, filesPerSecond, megabytesPerSecond, notesPerSecond,
                 Double(files.count) / best, checksum))
}

/// CPU seconds used by the calling thread.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
