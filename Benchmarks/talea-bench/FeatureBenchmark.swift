import Foundation
import TaleaFeatures
import TaleaMIDI
import TaleaScore

// talea-bench features [--corpus DIR] [--limit N] [--files LIST] [--jobs N] [--via-midifile]
//                     [--dump OUT.csv] [--dump-bits OUT]
//
// Feature-extraction throughput over the corpus: every file's bytes are read into memory first
// (disk is not timed), then each timed pass parses the bytes and extracts every
// feature, (a) for the whole piece and (b) for each of its voices on its own (a single-voice score per
// voice, parsed once per file). Files/s are reported on one core and on all cores
// (DispatchQueue.concurrentPerform); the best of three passes is kept. `--dump` writes the feature
// vectors (whole pieces and single voices) with the manifest label, for sanity checks.
//
// Parsing is `Score(bytes:)`, the path of `talea features`, `Score.load` and training (the reader's
// compact events straight into the score builder). Until 2026-11-29 this benchmark parsed through
// `MIDIFile(bytes:)` + `Score(midi:)`, which decodes every event into a `MIDIMessage` and encodes it
// back; `--via-midifile` keeps that path for comparison with the figures measured that way.

/// One corpus file for the benchmark.
private struct BenchFile {
    var id: String
    var label: String
    var bytes: [UInt8]
}

func runFeatureBenchmark(_ arguments: [String]) {
    var corpus = ProcessInfo.processInfo.environment["TALEA_CORPUS"] ?? "../shared/corpus"
    var limit = Int.max
    var listPath: String?
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    var dumpPath: String?
    var bitsPath: String?
    var viaMIDIFile = false
    var reader = BenchOptions(arguments)
    while let argument = reader.next() {
        func value() -> String { reader.value(after: argument) }
        switch argument {
        case "--corpus": corpus = value()
        case "--limit": limit = Int(value()) ?? limit
        case "--files": listPath = value()
        case "--jobs": jobs = max(1, Int(value()) ?? jobs)
        case "--dump": dumpPath = value()
        case "--dump-bits": bitsPath = value()
        case "--via-midifile": viaMIDIFile = true
        default: BenchOptions.unknown(argument)
        }
    }
    let files = loadBenchFiles(corpus: corpus, listPath: listPath, limit: limit)
    guard !files.isEmpty else {
        print("no MIDI files found under \(corpus) (manifest.csv)")
        exit(1)
    }
    let megabytes = Double(files.reduce(0) { $0 + $1.bytes.count }) / 1_000_000
    print("feature benchmark: \(files.count) files (\(String(format: "%.1f", megabytes)) MB in memory), "
          + "\(FeatureExtractor.definitions.count) features (\(FeatureExtractor.schemaVersion)), cores available: \(ProcessInfo.processInfo.activeProcessorCount), "
          + "parsing " + (viaMIDIFile ? "MIDIFile(bytes:) + Score(midi:)" : "Score(bytes:)"))

    if let dumpPath {
        dumpFeatures(files, to: dumpPath)
        return
    }
    if let bitsPath {
        dumpFeatureBits(files, to: bitsPath, viaMIDIFile: viaMIDIFile)
        return
    }
    for (mode, perVoice) in [("whole pieces", false), ("single voices", true)] {
        for workers in Array(Set([1, jobs])).sorted() {
            var best = Double.infinity, bestCPU = Double.infinity
            var units = 0
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                let cpuStart = processCPUSeconds()
                units = process(files, perVoice: perVoice, workers: workers, viaMIDIFile: viaMIDIFile)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                best = min(best, seconds)
                bestCPU = min(bestCPU, processCPUSeconds() - cpuStart)
            }
            let rate = Double(files.count) / best
            let extra = perVoice ? String(format: ", %d single-voice vectors, %.0f vectors/s", units, Double(units) / best) : ""
            // CPU time of the process: on a shared machine, wall time also counts waiting for a core.
            print(String(format: "features %@ on %d core%@: %.0f files/s (%.3f ms/file, %.3f s for the corpus%@; CPU %.3f s = %.0f files per CPU-second)",
                         mode, workers, workers == 1 ? "" : "s", rate, 1000 * best / Double(files.count), best, extra,
                         bestCPU, Double(files.count) / max(bestCPU, 1e-9)))
        }
    }
}

/// CPU time consumed by the process so far (all threads), in seconds.
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Parses and extracts every file; returns the number of feature vectors computed.
private func process(_ files: [BenchFile], perVoice: Bool, workers: Int, viaMIDIFile: Bool) -> Int {
    let extractor = FeatureExtractor()
    let chunks = max(1, workers * 8)
    let counts = ChunkCounts(chunks)
    let work: @Sendable (Int) -> Void = { chunk in
        var vectors = 0
        var checksum = 0.0
        var fileIndex = chunk
        while fileIndex < files.count {
            defer { fileIndex += chunks }
            guard let score = parseScore(files[fileIndex].bytes, viaMIDIFile: viaMIDIFile) else { continue }
            if perVoice {
                for voice in score.voices {
                    var single = score
                    single.voices = [voice]
                    checksum += extractor.extract(single).values.first ?? 0
                    vectors += 1
                }
            } else {
                checksum += extractor.extract(score).values.first ?? 0
                vectors += 1
            }
        }
        counts.set(chunk, vectors + (checksum.isNaN ? 1 : 0))
    }
    if workers == 1 {
        for chunk in 0..<chunks { work(chunk) }
    } else {
        DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
    }
    return counts.total
}

/// The score of a file's bytes: `Score(bytes:)`, or through a decoded `MIDIFile` (the old path).
private func parseScore(_ bytes: [UInt8], viaMIDIFile: Bool) -> Score? {
    if viaMIDIFile {
        guard let midi = try? MIDIFile(bytes: bytes) else { return nil }
        return try? Score(midi: midi)
    }
    return try? Score(bytes: bytes)
}

/// Per-chunk results written by concurrent workers, each to its own slot.
private final class ChunkCounts: @unchecked Sendable {
    private var values: [Int]
    private let lock = NSLock()
    init(_ count: Int) { values = [Int](repeating: 0, count: count) }
    func set(_ index: Int, _ value: Int) { lock.lock(); values[index] = value; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return values.reduce(0, +) }
}

/// Reads the manifest (id, path, label) or a list of paths, and the bytes of each file.
private func loadBenchFiles(corpus: String, listPath: String?, limit: Int) -> [BenchFile] {
    var entries: [(id: String, label: String, path: String)] = []
    if let listPath, let text = try? String(contentsOfFile: listPath, encoding: .utf8) {
        for line in text.split(whereSeparator: \.isNewline) where !line.isEmpty {
            let path = String(line)
            let url = URL(fileURLWithPath: path)
            entries.append((url.deletingPathExtension().lastPathComponent, url.deletingLastPathComponent().lastPathComponent, path))
        }
    } else if let text = try? String(contentsOfFile: corpus + "/manifest.csv", encoding: .utf8) {
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            // id,path,label are the first three columns and contain no commas.
            let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            entries.append((String(fields[0]), String(fields[2]), corpus + "/" + String(fields[1])))
        }
    }
    var files: [BenchFile] = []
    for entry in entries.prefix(limit) {
        guard let data = FileManager.default.contents(atPath: entry.path) else { continue }
        files.append(BenchFile(id: entry.id, label: entry.label, bytes: [UInt8](data)))
    }
    return files
}

/// Writes `id voice <hex bit patterns…>` lines for the whole piece (voice = "all") and for every voice
/// on its own (drum voices included, as the timed single-voice pass does), so that two builds can be
/// checked for bit-identical features with `cmp`.
private func dumpFeatureBits(_ files: [BenchFile], to path: String, viaMIDIFile: Bool) {
    let extractor = FeatureExtractor()
    var text = ""
    var vectors = 0
    func row(_ id: String, _ voice: String, _ vector: FeatureVector) {
        text += id + " " + voice
        for value in vector.values { text += " " + String(value.bitPattern, radix: 16) }
        text += "\n"
        vectors += 1
    }
    for file in files {
        guard let score = parseScore(file.bytes, viaMIDIFile: viaMIDIFile) else {
            text += file.id + " unreadable\n"
            continue
        }
        row(file.id, "all", extractor.extract(score))
        for (position, voice) in score.voices.enumerated() {
            var single = score
            single.voices = [voice]
            row(file.id, String(position), extractor.extract(single))
        }
    }
    do {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(vectors) vectors to \(path)")
    } catch {
        print("cannot write \(path): \(error)")
    }
}

/// Writes `id,label,voice,<features…>` rows: the whole piece (voice = "all") then each voice alone.
private func dumpFeatures(_ files: [BenchFile], to path: String) {
    let extractor = FeatureExtractor()
    var text = "id,label,voice," + FeatureExtractor.names.joined(separator: ",") + "\n"
    for file in files {
        guard let midi = try? MIDIFile(bytes: file.bytes), let score = try? Score(midi: midi) else { continue }
        func row(_ voice: String, _ vector: FeatureVector) {
            text += file.id + "," + file.label + "," + voice + ","
                + vector.values.map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n"
        }
        row("all", extractor.extract(score))
        for voice in score.voices where !voice.isDrum {
            var single = score
            single.voices = [voice]
            row(String(voice.index), extractor.extract(single))
        }
    }
    do {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    } catch {
        print("cannot write \(path): \(error)")
    }
}
