import Foundation
import TaleaAudio
import TaleaScore

// talea-bench render: real-time factor of `AudioRenderer` (seconds of audio per CPU second).
//
//   talea-bench render [--corpus DIR] [--per-label N | --all] [--files LIST] [--rate HZ]
//                      [--soundfont PATH] [--format wav|flac|ogg] [--csv PATH] [--list] [--file-programs]
//
// Each file is loaded (not timed), then rendered exactly as `talea render` does it (fresh
// synthesiser and SoundFont load per file, 16-bit WAV into a scratch directory, deleted
// afterwards); the timed span is the render call, measured in process CPU time (user + system,
// getrusage) and wall time. The sample is every k-th file of each label of the manifest, sorted
// by path, so that reruns measure the same files; `--all` takes the whole corpus, `--files` a
// list of paths (one per line, as Benchmarks/render.sh passes to both Talea and the fluidsynth CLI);
// `--list` prints the sample and stops.

private struct RenderBenchmarkOptions {
    var corpus = ProcessInfo.processInfo.environment["TALEA_CORPUS"] ?? "../shared/corpus"
    var perLabel: Int? = 8
    var fileList: String?
    var sampleRate = 44_100
    var soundFont: String?
    var format = "wav"
    var csvPath: String?
    var listOnly = false
    var filePrograms = false
}

private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

private func wallSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// (path, label) pairs of the benchmark sample.
private func sampleFiles(_ options: RenderBenchmarkOptions) throws -> [(path: String, label: String)] {
    if let list = options.fileList {
        return try String(contentsOfFile: list, encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { ($0, URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent) }
    }
    let manifest = try String(contentsOfFile: options.corpus + "/manifest.csv", encoding: .utf8)
    var byLabel: [String: [String]] = [:]
    for line in manifest.split(whereSeparator: \.isNewline).dropFirst() {
        // id,path,label,… — the first three fields never hold commas.
        let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3 else { continue }
        byLabel[String(fields[2]), default: []].append(options.corpus + "/" + fields[1])
    }
    var sample: [(String, String)] = []
    for label in byLabel.keys.sorted() {
        let paths = byLabel[label, default: []].sorted()
        if let perLabel = options.perLabel, paths.count > perLabel {
            let stride = Double(paths.count) / Double(perLabel)
            sample += (0..<perLabel).map { (paths[Int(Double($0) * stride)], label) }
        } else {
            sample += paths.map { ($0, label) }
        }
    }
    return sample
}

func runRenderBenchmark(_ arguments: [String]) {
    var options = RenderBenchmarkOptions()
    var reader = BenchOptions(arguments)
    while let argument = reader.next() {
        func value() -> String { reader.value(after: argument) }
        switch argument {
        case "--corpus": options.corpus = value()
        case "--per-label": options.perLabel = Int(value()) ?? 8
        case "--all": options.perLabel = nil
        case "--files": options.fileList = value()
        case "--rate": options.sampleRate = Int(value()) ?? 44_100
        case "--soundfont": options.soundFont = value()
        case "--format": options.format = value()
        case "--csv": options.csvPath = value()
        case "--list": options.listOnly = true
        case "--file-programs": options.filePrograms = true
        default: BenchOptions.unknown(argument)
        }
    }

    let files: [(path: String, label: String)]
    let soundFont: SoundFont
    do {
        files = try sampleFiles(options)
        if options.listOnly {
            for file in files { print(file.path) }
            return
        }
        soundFont = try SoundFont.locate(explicitPath: options.soundFont)
    } catch {
        print("render benchmark: \(error)")
        exit(1)
    }
    var renderOptions = RenderOptions()
    renderOptions.sampleRate = options.sampleRate
    renderOptions.useFilePrograms = options.filePrograms
    let renderer = AudioRenderer(soundFont: soundFont, options: renderOptions)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("talea-render-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }

    print("render benchmark: \(files.count) files, \(options.sampleRate) Hz, \(options.format), "
        + "soundfont \(soundFont.url.path), reverb/chorus off, "
        + (options.filePrograms ? "the files' own programs" : "Talea's instrument choice"))
    var csv = "path,label,audio_seconds,cpu_seconds,wall_seconds,realtime_factor\n"
    var totals: [String: (audio: Double, cpu: Double, wall: Double, files: Int)] = [:]
    var perFileFactors: [Double] = []
    var failures = 0
    for (path, label) in files {
        do {
            let score = try Score.load(contentsOf: URL(fileURLWithPath: path))
            let out = scratch.appendingPathComponent("out.\(options.format)")
            let cpuBefore = cpuSeconds(), wallBefore = wallSeconds()
            let summary = try renderer.render(score, to: out)
            let cpu = cpuSeconds() - cpuBefore, wall = wallSeconds() - wallBefore
            try? FileManager.default.removeItem(at: out)
            let audio = summary.durationSeconds
            var total = totals[label, default: (0, 0, 0, 0)]
            total.audio += audio
            total.cpu += cpu
            total.wall += wall
            total.files += 1
            totals[label] = total
            perFileFactors.append(audio / max(cpu, 1e-6))
            csv += "\(path),\(label),\(audio),\(cpu),\(wall),\(audio / max(cpu, 1e-6))\n"
        } catch {
            failures += 1
            print("  skipped \(path): \(error)")
        }
    }
    if let csvPath = options.csvPath {
        try? csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
    }

    func line(_ name: String, _ value: (audio: Double, cpu: Double, wall: Double, files: Int)) -> String {
        let padded = name.padding(toLength: max(name.count, 18), withPad: " ", startingAt: 0)
        return padded + String(format: " %5d files  %9.1f s audio  %8.2f s CPU  %8.2f s wall  RTF %7.1f x (CPU)  %7.1f x (wall)",
               value.files, value.audio, value.cpu, value.wall,
               value.audio / max(value.cpu, 1e-9), value.audio / max(value.wall, 1e-9))
    }
    var all = (audio: 0.0, cpu: 0.0, wall: 0.0, files: 0)
    for label in totals.keys.sorted() {
        let value = totals[label, default: (0, 0, 0, 0)]
        print(line(label, value))
        all.audio += value.audio
        all.cpu += value.cpu
        all.wall += value.wall
        all.files += value.files
    }
    print(line("all", all))
    let sorted = perFileFactors.sorted()
    if !sorted.isEmpty {
        print(String(format: "per-file RTF: min %.1f, median %.1f, max %.1f; %d failed",
                     sorted[0], sorted[sorted.count / 2], sorted[sorted.count - 1], failures))
    }
}
