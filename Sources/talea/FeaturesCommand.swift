import ArgumentParser
import Foundation
import TaleaCorpus
import TaleaFeatures
import TaleaScore

/// `talea features FILE [--voice NAME|INDEX] [--json]`: the feature extractor's vector (the model adds the idiom scores).
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print the feature vector of a MIDI file (whole piece, or one voice).",
        discussion: "These are the \(FeatureExtractor.definitions.count) numbers of the feature extractor. A model reads \(IdiomFeatures.definitions.count) more, the idiom scores it learnt from the corpus (docs/features.md, Learnt idiom scores); `talea classify` names them when they are among its reasons.")

    @Argument(help: "The MIDI file.")
    var file: String?

    @Option(name: .long, help: "Only this voice: its name or 0-based index (see `talea inspect`).")
    var voice: String?

    @Flag(name: .long, help: "Print JSON (schema, file, voice, ordered features).")
    var json = false

    @Flag(name: .long, help: "Print the Markdown documentation of every feature (docs/features.md) and exit.")
    var listMarkdown = false

    func run() throws {
        if listMarkdown {
            print(FeatureExtractor.markdownDocumentation() + IdiomFeatures.markdownDocumentation(), terminator: "")
            return
        }
        guard let file else { throw ValidationError("give a MIDI file (or --list-markdown)") }
        let score = try CommandVoices.load(file, voice: voice)
        let vector = FeatureExtractor().extract(score)
        if json {
            var lines: [String] = []
            for (name, value) in zip(vector.names, vector.values) {
                lines.append("    \(CommandVoices.jsonString(name)): \(CommandVoices.jsonNumber(value))")
            }
            print("{")
            print("  \"schema\": \(CommandVoices.jsonString(FeatureExtractor.schemaVersion)),")
            print("  \"file\": \(CommandVoices.jsonString(file)),")
            print("  \"voice\": \(voice.map(CommandVoices.jsonString) ?? "null"),")
            print("  \"features\": {")
            print(lines.joined(separator: ",\n"))
            print("  }")
            print("}")
        } else {
            let width = vector.names.map(\.count).max() ?? 0
            for (name, value) in zip(vector.names, vector.values) {
                print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + CommandVoices.jsonNumber(value))
            }
        }
    }
}

/// Loading a file and narrowing it to one voice, shared by `features` and `isorhythm`.
enum CommandVoices {
    /// Loads the score of `path`, keeping only the voice(s) named or numbered by `selector` if given
    /// (``VoiceSelector``: digits = 0-based index, else a name, case-insensitive, or part of one).
    static func load(_ path: String, voice selector: String?) throws -> Score {
        let score = try Score.load(contentsOf: URL(fileURLWithPath: path))
        guard let selector else { return score }
        return try score.selectingVoices([VoiceSelector(selector)])
    }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// A finite number with up to 6 decimals (JSON has no NaN; features never are).
    static func jsonNumber(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.6f", value)
    }
}
