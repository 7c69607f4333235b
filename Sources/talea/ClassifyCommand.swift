import ArgumentParser
import Foundation
import TaleaCorpus
import TaleaScore

/// `talea classify`: the main job.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Say whether MIDI files are isorhythmic motets, Bach chorales or lieder, and why.",
        discussion: """
        Prints the label (or `unknown` when the model should not commit), calibrated probabilities, \
        and the three features that pushed hardest towards the most likely genre. With --voice, \
        only that voice is classified (a name, case-insensitive, or a 0-based index as `talea inspect` lists).
        """)

    @Argument(help: "MIDI files (.mid, .midi, .kar, .rmi).")
    var files: [String]

    @Option(help: "Classify only this voice (name or 0-based index).")
    var voice: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Model file (default: TALEA_MODEL, then Models/talea.json of this package).")
    var model: String?

    func run() throws {
        let classifier = try ModelLocation.load(model)
        var results: [FileClassification] = []
        for path in files {
            results.append(FileClassification.classify(path: path, voice: voice, classifier: classifier))
        }
        if json {
            print(try jsonString(results))
        } else {
            for result in results { print(result.humanReadable) }
        }
        if results.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }
}

/// The classification of one file (or one voice of it), or why it failed.
struct FileClassification: Encodable {
    var path: String
    var voice: String?
    var label: String
    var confidence: Double?
    var probabilities: [String: Double]?
    var reasons: [Reason]?
    var caveat: String?
    var error: String?

    static func classify(path: String, voice: String?, classifier: GenreClassifier) -> FileClassification {
        do {
            let file = try Score.load(contentsOf: URL(fileURLWithPath: path))
            var score = file
            var voiceName: String? = nil
            if let voice {
                score = try file.selectingOneVoice(VoiceSelector(voice))
                voiceName = score.voices.first?.name
            }
            guard score.noteCount > 0 else { throw CLIError("the file has no notes to classify") }
            let result = classifier.classify(score, within: voice == nil ? nil : ScoreFacts(file))
            return FileClassification(path: path, voice: voiceName, label: result.label, confidence: result.confidence,
                                      probabilities: result.probabilities, reasons: result.reasons,
                                      caveat: result.caveat, error: nil)
        } catch {
            return FileClassification(path: path, voice: voice, label: "error", error: String(describing: error))
        }
    }

    var humanReadable: String {
        let title = path + (voice.map { " (voice: \($0))" } ?? "")
        guard error == nil, let confidence, let probabilities, let reasons else {
            return "\(title)\n  error: \(error ?? "unknown error")\n"
        }
        var lines = ["\(title)", "  label: \(label)  (confidence \(percent(confidence)))"]
        if let caveat { lines.append("  note: \(caveat)") }
        lines.append("  probabilities: " + Genre.allCases.map { "\($0.rawValue) \(percent(probabilities[$0.rawValue] ?? 0))" }.joined(separator: ", "))
        let towards = Genre.allCases.max { (probabilities[$0.rawValue] ?? 0) < (probabilities[$1.rawValue] ?? 0) }?.displayName ?? label
        if !reasons.isEmpty {
            lines.append("  why (\(towards)):")
            for reason in reasons {
                lines.append(String(format: "    %@ %@  [%+.2f]", reason.contribution >= 0 ? "+" : "-", reason.sentence, reason.contribution))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
