import Foundation
import TaleaCorpus

/// Where the committed model is found when `--model` is not given.
enum ModelLocation {
    /// `--model`, then `TALEA_MODEL`, then `Models/talea.json` in the package that built this
    /// executable (found by walking up from the executable), then `Models/talea.json` below the
    /// current directory.
    static func resolve(_ explicit: String?) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TALEA_MODEL"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        return packageFile("Models/talea.json")
    }

    /// `relativePath` in the package that built this executable (found by walking up from the
    /// executable), else below the current directory.
    static func packageFile(_ relativePath: String) -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativePath)
    }

    /// The fermata annotations of the corpus (for the stress test ``StressVariant/heldFermatas``):
    /// `--fermatas`, else `Corpus/fermatas.csv` of this package. `none` turns them off. A missing
    /// default file is said on standard error and the evaluation goes on without that test.
    static func fermatas(_ explicit: String?) throws -> FermataAnnotations {
        if explicit == "none" { return .none }
        let url = explicit.map { URL(fileURLWithPath: $0) } ?? packageFile("Corpus/fermatas.csv")
        guard FileManager.default.fileExists(atPath: url.path) else {
            if explicit != nil { throw CLIError("no fermata annotations at \(url.path)") }
            printError("warning: no fermata annotations at \(url.path) (Corpus/fermatas.py writes them); no 'fermatas held' stress test")
            return .none
        }
        return try FermataAnnotations(contentsOf: url)
    }

    /// Loads the classifier, with an error that says where it looked.
    static func load(_ explicit: String?) throws -> GenreClassifier {
        let url = resolve(explicit)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CLIError("no model at \(url.path): pass --model PATH, set TALEA_MODEL, or run `talea train --corpus DIR`")
        }
        do {
            return try GenreClassifier(contentsOf: url)
        } catch {
            throw CLIError("cannot use model \(url.path): \(error)")
        }
    }
}

/// An error the CLI prints as it is.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// True when `path` names an existing folder.
func isFolder(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// True when standard error is a terminal (progress bars are drawn only then).
var standardErrorIsTerminal: Bool { isatty(2) == 1 }

/// A one-line progress bar on standard error, drawn only on a terminal.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let lock = NSLock()
    private var lastDrawn = -1
    private let enabled: Bool

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = standardErrorIsTerminal
    }

    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let percent = done * 100 / total
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// JSON with sorted keys, for output scripts can diff.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Formats a probability for people.
func percent(_ p: Double) -> String { String(format: "%.1f%%", p * 100) }
