import ArgumentParser
import Foundation
import TaleaCorpus
import TaleaScore

/// `talea batch`: label a whole folder.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Classify every MIDI file under a folder; one row per file, failures included.",
        discussion: """
        Finds .mid, .midi, .kar and .rmi files recursively and writes rows in path order with the \
        columns path,label,confidence,p_isorhythmic_motet,p_bach_chorale,p_lied,error (CSV, or the same \
        keys as JSON lines when --out ends in .jsonl). A file that cannot be read gets label `error` and \
        its message; the run goes on. --shard K/N keeps every N-th file starting at the K-th (1-based) \
        so that N machines can share a corpus.
        """)

    @Argument(help: "Folder to search.")
    var directory: String

    @Option(help: "Output file (.csv or .jsonl); standard output (CSV) when absent.")
    var out: String?

    @Option(help: "Parallel jobs (the default is the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Add a row for every voice of every file (column `voice`).")
    var perVoice = false

    @Option(help: "Process only shard K of N (e.g. 2/4).")
    var shard: String?

    @Option(help: "Model file (default: TALEA_MODEL, then Models/talea.json of this package).")
    var model: String?

    func run() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        let format: BatchFormat
        if let out, out.lowercased().hasSuffix(".jsonl") { format = .jsonLines }
        else if let out, !out.lowercased().hasSuffix(".csv") { throw ValidationError("--out must end in .csv or .jsonl") }
        else { format = .csv }
        let found = try BatchFiles.find(under: URL(fileURLWithPath: directory))
        let files = try shard.map { try BatchFiles.shard(found, spec: $0) } ?? found
        let classifier = try ModelLocation.load(model)
        let bar = ProgressBar(total: files.count, label: "classifying")
        let perVoice = self.perVoice
        // Rows are written as they are ready, in path order: a run that is stopped keeps every row
        // before the file it was working on, and memory does not grow with the corpus.
        let sink = try BatchSink(path: out, format: format, perVoice: perVoice)
        ConcurrentMap.forEachInOrder(files.indices, jobs: jobs, progress: { done, _ in bar.update(done) }) { index in
            BatchRow.rows(for: files[index], perVoice: perVoice, classifier: classifier)
        } deliver: { _, rows in
            sink.write(rows)
        }
        try sink.finish()
        if let out {
            printError("wrote \(sink.rowCount) rows for \(files.count) files to \(out) (\(sink.failedFiles) failed)")
            printError("files by label: " + sink.tally())
        }
    }
}

/// Where the rows of a batch go, one at a time: a file (created, or emptied, before any work) or
/// standard output. Not thread-safe: ``ConcurrentMap/forEachInOrder`` calls it from one thread at a time.
final class BatchSink: @unchecked Sendable {
    private let handle: FileHandle
    private let path: String?
    private let format: BatchFormat
    private let perVoice: Bool
    private var failure: Error?
    /// Rows written (file rows and voice rows).
    private(set) var rowCount = 0
    /// Whole-file rows by label.
    private var filesByLabel: [String: Int] = [:]

    /// Opens the output and writes the CSV header. Fails at once when the file cannot be created.
    init(path: String?, format: BatchFormat, perVoice: Bool) throws {
        self.path = path
        self.format = format
        self.perVoice = perVoice
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: path) else {
                throw CLIError("cannot write \(path): its folder is missing or not writable, or a folder has that name")
            }
            self.handle = handle
        } else {
            handle = FileHandle.standardOutput
        }
        if format == .csv { write(text: CSV.line(BatchRow.columns(perVoice: perVoice)) + "\n") }
    }

    /// Files whose row is an error.
    var failedFiles: Int { filesByLabel["error"] ?? 0 }

    /// Writes the rows of one file (its own row, then its voices').
    func write(_ rows: [BatchRow]) {
        var text = ""
        for row in rows {
            if row.voice == nil { filesByLabel[row.label, default: 0] += 1 }
            do {
                text += (format == .csv ? row.csvLine(perVoice: perVoice) : try row.jsonLine(perVoice: perVoice)) + "\n"
            } catch {
                failure = failure ?? error
            }
        }
        rowCount += rows.count
        write(text: text)
    }

    /// Closes the file; throws the first write failure (a full disk), if any.
    func finish() throws {
        if path != nil { try? handle.close() }
        if let failure {
            throw CLIError("writing \(path ?? "standard output") failed: \(failure.localizedDescription)")
        }
    }

    /// How many files got each label, as ``BatchRow/tally(_:)`` words it.
    func tally() -> String { BatchRow.tally(filesByLabel) }

    private func write(text: String) {
        guard failure == nil else { return }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { failure = error }
    }
}

enum BatchFormat { case csv, jsonLines }

/// Finding and sharding the files of a batch.
enum BatchFiles {
    static let extensions: Set<String> = ["mid", "midi", "kar", "rmi"]

    /// MIDI files under a folder, recursively, sorted by path.
    static func find(under directory: URL) throws -> [String] {
        guard isFolder(directory.path) else {
            // Foundation lists a folder only by a UTF-8 name; the files inside one are read by their bytes.
            throw CLIError("\(directory.path) is not a folder"
                           + (LossyPath.isLossy(directory.path) ? " Talea can list (its name is not UTF-8): label its parent folder, or rename it" : ""))
        }
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw CLIError("cannot list \(directory.path)")
        }
        // Paths are reported as the user wrote the folder, followed by the path inside it.
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = directory.relativePath.hasSuffix("/") ? directory.relativePath : directory.relativePath + "/"
        var files: [String] = []
        for case let url as URL in enumerator where extensions.contains(url.pathExtension.lowercased()) {
            // The folder part is resolved like the root; the file name is kept as it is, so that a
            // symbolic link to a MIDI file is listed under its own name, not its target's.
            let full = url.deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath()
                .appendingPathComponent(url.lastPathComponent).path
            files.append(full.hasPrefix(root + "/") ? prefix + full.dropFirst(root.count + 1) : url.path)
        }
        return files.sorted()
    }

    /// The K-th of N shards (1-based): files at positions K-1, K-1+N, … of the sorted list.
    static func shard(_ files: [String], spec: String) throws -> [String] {
        let parts = spec.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 1/4")
        }
        return files.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
    }
}

/// One output row of a batch.
struct BatchRow: Encodable {
    var path: String
    var voice: String?
    var label: String
    var confidence: Double?
    var p_isorhythmic_motet: Double?
    var p_bach_chorale: Double?
    var p_lied: Double?
    var error: String?

    static func columns(perVoice: Bool) -> [String] {
        ["path"] + (perVoice ? ["voice"] : []) + ["label", "confidence", "p_isorhythmic_motet", "p_bach_chorale", "p_lied", "error"]
    }

    static func rows(for path: String, perVoice: Bool, classifier: GenreClassifier) -> [BatchRow] {
        let score: Score
        do {
            score = try Score.load(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return [BatchRow(path: path, label: "error", error: String(describing: error))]
        }
        let fileFacts = ScoreFacts(score)
        let voices = perVoice ? score.voices.indices.map { ScoreVariants.singleVoice(score, index: $0) } : []
        // One call for the piece and its voices: each voice's idiom is scored once, not twice.
        let features = classifier.features(of: [score] + voices)
        var rows = [row(path: path, voice: nil, score: score, features: features[0], facts: fileFacts, classifier: classifier)]
        for (index, single) in voices.enumerated() {
            rows.append(row(path: path, voice: "\(index):\(score.voices[index].name)", score: single, features: features[index + 1],
                            facts: ScoreFacts(single, within: fileFacts), classifier: classifier))
        }
        return rows
    }

    /// The row of `score` (the whole file, or one voice of it), whose model input is `features` and
    /// whose facts are `facts`.
    private static func row(path: String, voice: String?, score: Score, features: [Double], facts: ScoreFacts,
                            classifier: GenreClassifier) -> BatchRow {
        guard score.noteCount > 0 else { return BatchRow(path: path, voice: voice, label: "error", error: "no notes to classify") }
        let result = classifier.classify(features: features, facts: facts, reasonCount: 0)
        return BatchRow(path: path, voice: voice, label: result.label, confidence: result.confidence,
                        p_isorhythmic_motet: result.probability(of: .isorhythmicMotet),
                        p_bach_chorale: result.probability(of: .bachChorale), p_lied: result.probability(of: .lied), error: nil)
    }

    /// Counts of files by label in words, in the order motet, chorale, lied, `unknown`, `error`,
    /// leaving out labels no file got: "lied 3, unknown 1".
    static func tally(_ files: [String: Int]) -> String {
        let order = Genre.allCases.map(\.rawValue) + [ModelClasses.unknown, "error"]
        let counts = order.compactMap { label in files[label].map { "\(label) \($0)" } }
        return counts.isEmpty ? "none" : counts.joined(separator: ", ")
    }

    func csvLine(perVoice: Bool) -> String {
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "" }
        return CSV.line([path] + (perVoice ? [voice ?? ""] : []) + [label, number(confidence), number(p_isorhythmic_motet),
                        number(p_bach_chorale), number(p_lied), error ?? ""])
    }

    func jsonLine(perVoice: Bool) throws -> String {
        var copy = self
        if !perVoice { copy.voice = nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(copy), as: UTF8.self)
    }
}
