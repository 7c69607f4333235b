import Foundation
import TaleaLearning

/// Writes an evaluation as `metrics.json`, `report.md` and a self-contained `report.html`
/// (inline SVG reliability diagrams; audio excerpts embedded as data URIs, so it works offline).
public struct ReportWriter: Sendable {
    /// The evaluation.
    public var report: EvaluationReport
    /// The corpus manifest (for titles and paths of misclassified items).
    public var manifest: Manifest
    /// One line about the model file, if one was found.
    public var modelDescription: String?
    /// Audio excerpts (file name → bytes and MIME type) of misclassified items, keyed by `entryID|part`.
    public var audioExcerpts: [String: AudioExcerpt]

    /// A rendered excerpt for the report.
    public struct AudioExcerpt: Sendable {
        /// File name written beside the report.
        public var fileName: String
        /// MIME type (`audio/flac`, `audio/ogg`).
        public var mimeType: String
        /// The encoded audio.
        public var bytes: Data

        /// Creates an excerpt.
        public init(fileName: String, mimeType: String, bytes: Data) {
            self.fileName = fileName
            self.mimeType = mimeType
            self.bytes = bytes
        }
    }

    /// Creates a writer.
    public init(report: EvaluationReport, manifest: Manifest, modelDescription: String?,
                audioExcerpts: [String: AudioExcerpt] = [:]) {
        self.report = report
        self.manifest = manifest
        self.modelDescription = modelDescription
        self.audioExcerpts = audioExcerpts
    }

    /// Writes metrics.json, report.md, report.html and the audio excerpts into `directory`.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(report).write(to: directory.appendingPathComponent("metrics.json"))
        let lineEncoder = JSONEncoder()
        lineEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (items, name) in [(report.items, "items.jsonl"), (report.stressItems, "stress-items.jsonl")] {
            var lines = Data()
            for item in items {
                lines.append(try lineEncoder.encode(item))
                lines.append(0x0A)
            }
            try lines.write(to: directory.appendingPathComponent(name))
        }
        try Data(markdown().utf8).write(to: directory.appendingPathComponent("report.md"))
        try Data(html().utf8).write(to: directory.appendingPathComponent("report.html"))
        if !audioExcerpts.isEmpty {
            let audioDirectory = directory.appendingPathComponent("audio")
            try FileManager.default.createDirectory(at: audioDirectory, withIntermediateDirectories: true)
            for excerpt in audioExcerpts.values {
                try excerpt.bytes.write(to: audioDirectory.appendingPathComponent(excerpt.fileName))
            }
        }
    }

    // MARK: - Markdown

    /// What the three macro-F1 figures count, as Markdown.
    static let macroF1Note = "*Macro-F1* counts a genre answer for an `other` file against that genre's precision; "
        + "*genre files only* leaves the `other` files out, as a test set of the three repertories alone would; "
        + "*every genre weighted equally* also scales each genre's answers to the same total before precisions are "
        + "taken, as a test set holding as many items of each genre would (in the corpus a few chorale and lied "
        + "voices called motets outweigh the motet voices)."

    /// How the numbers were made and which answers count, as Markdown (code in backticks).
    private var methodNote: String {
        "Every number below comes from models that never saw the work they score: folds keep all encodings "
            + "of a work, and every flagged near-duplicate, on one side. The feature scaler and the temperature "
            + "are fitted inside each training fold only. `other` files (Palestrina, Monteverdi, Josquin, folk "
            + "songs, Italian trecento songs) are expected to be answered `unknown`. The answers are those "
            + "`talea classify` gives: the model's (for a file whose only time signature is 4/4, its reading as "
            + "written and as if unsigned averaged \(Self.share(1 - GenreClassifier.fourFourDoubt)) and "
            + "\(Self.share(GenreClassifier.fourFourDoubt)): `fourFourDoubt`), then its three rules read from the file "
            + "as written — fewer than \(GenreClassifier.minimumNotes) notes is `unknown`, so is any genre answer for "
            + "a file through which a drum kit plays (`DrumKit`; no corpus file has one), and so is a lied answer for "
            + "a file of two or more parts none of which a singer could sing (`SingablePart`)."
    }

    /// A weight between 0 and 1 as the report writes it: "0.4".
    private static func share(_ weight: Double) -> String {
        String(format: "%g", (weight * 100).rounded() / 100)
    }

    /// The report as Markdown.
    public func markdown() -> String {
        var md: [String] = []
        md.append("# Talea evaluation report\n")
        md.append(contentsOf: summaryLines().map { "- " + $0 })
        md.append("\n" + methodNote + "\n")
        md.append("## Model choice (grouped \(report.folds)-fold cross-validation, same folds)\n")
        md.append(Self.macroF1Note + "\n")
        md.append(table(["candidate", "classifier", "pieces macro-F1", "voices macro-F1", "genre files only: pieces / voices", "motet recall (voices)", "ECE (calibrated)", "log-loss"],
                        report.candidates.map { [$0.name, $0.summary, f3($0.pieceMacroF1), f3($0.voiceMacroF1), "\(f3($0.pieceGenreOnlyMacroF1)) / \(f3($0.voiceGenreOnlyMacroF1))", f3($0.motetVoiceRecall), f3($0.calibratedECE), f3($0.logLoss)] }))
        md.append("\n## Grouped cross-validation\n")
        md.append(viewSection("Whole pieces", report.crossValidation.pieces))
        md.append(viewSection("Single voices", report.crossValidation.voices))
        md.append(rolesSection())
        md.append("Temperatures fitted per fold: " + report.foldTemperatures.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "\n")
        if !report.stress.isEmpty {
            md.append("## Stress tests: the same folds, every file re-encoded\n")
            md.append("Each test file of each fold is rewritten and scored by the fold's model (for *another encoder*, "
                      + "the same work as the other encoder wrote it, where it has that file). *Agreement* is the share "
                      + "of items (pieces and voices) whose label equals the label of the unmodified file.\n")
            let stress = stressTable(withECE: true)
            md.append(table(stress.header, stress.rows))
        }
        if let lowo = report.leaveOneMotetOut {
            md.append("\n## Leave one motet out\n")
            md.append("Each motet work is scored by a model trained on everything else (all other motets, chorales, "
                      + "lieder and `other` files), as a whole piece and as every single voice, in every re-encoding.\n")
            md.append("- Whole pieces: motet recall \(f3(lowo.pieces.recall(of: .isorhythmicMotet))) (\(lowo.pieces.count) items)")
            md.append("- Single voices: motet recall \(f3(lowo.voices.recall(of: .isorhythmicMotet))) (\(lowo.voices.count) items)\n")
            md.append(table(["motet", "variant", "part", "answer", "confidence"],
                            report.leaveOneMotetOutItems.filter { $0.variant == StressVariant.original.rawValue || !$0.isCorrect }
                                .map { [$0.entryID, $0.variant, $0.part, $0.isCorrect ? $0.predicted : "**\($0.predicted)**", f3($0.confidence)] }))
        }
        let splits: [(title: String, intro: String, metrics: SplitMetrics?)] = [
            ("A single 80/20 split", "One work-grouped, stratified split: \(report.holdoutFiles) files (20 % of the groups) are held out, "
                + "the model is trained on the rest exactly as `talea train` trains.", report.holdout),
            ("Cross-repertory: train on one part, test on another", "Chorales with Riemenschneider number up to 185 and lieder "
                + "by composers A–K train (with every motet and `other` file); the remaining chorales and lieder test.", report.crossRepertory),
        ]
        for split in splits {
            guard let metrics = split.metrics else { continue }
            md.append("\n## \(split.title)\n")
            md.append(split.intro + "\n")
            md.append(viewSection("Whole pieces", metrics.pieces))
            md.append(viewSection("Single voices", metrics.voices))
        }
        md.append("\n## Misclassified items (grouped cross-validation)\n")
        if report.misclassified.isEmpty {
            md.append("None.\n")
        } else {
            md.append(table(["file", "part", "truth", "answer", "confidence", "listen"],
                            report.misclassified.map { item in
                                let audio = audioExcerpts["\(item.entryID)|\(item.part)"].map { "[excerpt](audio/\($0.fileName))" } ?? ""
                                return [item.entryID, item.part, item.truth, item.predicted, f3(item.confidence), audio]
                            }))
        }
        if !report.removed.isEmpty || !report.failures.isEmpty {
            md.append("\n## Cleaning\n")
            md.append(contentsOf: report.removed.map { "- removed \($0)" })
            md.append(contentsOf: report.failures.map { "- unreadable \($0)" })
        }
        return md.joined(separator: "\n") + "\n"
    }

    private func summaryLines() -> [String] {
        var lines = ["Corpus: \(report.manifestFiles) files in the manifest, \(report.filesUsed) used, \(report.removed.count) removed as exact copies, \(report.failures.count) unreadable; \(report.groups) split groups; \(report.folds) grouped folds.",
                     "Configuration evaluated: \(report.configuration)."]
        if let modelDescription { lines.append("Committed model: \(modelDescription).") }
        let cv = report.crossValidation
        lines.append("Headline: whole pieces macro-F1 \(f3(cv.pieces.macroF1)), single voices macro-F1 \(f3(cv.voices.macroF1)) (genre files only, `other` left out: \(f3(cv.pieces.genreOnlyMacroF1)) and \(f3(cv.voices.genreOnlyMacroF1)); with every genre weighted equally: \(f3(cv.pieces.genreBalancedMacroF1)) and \(f3(cv.voices.genreBalancedMacroF1))); motet recall \(f3(cv.pieces.recall(of: .isorhythmicMotet))) (pieces) and \(f3(cv.voices.recall(of: .isorhythmicMotet))) (voices); ECE after temperature \(f3(cv.pieces.calibrationAfter.expectedCalibrationError)) (pieces), \(f3(cv.voices.calibrationAfter.expectedCalibrationError)) (voices).")
        return lines
    }

    /// A view's three macro-F1 figures in words (``macroF1Note`` says what each counts).
    private static func macroF1Figures(_ metrics: ViewMetrics) -> String {
        "macro-F1 \(f3(metrics.macroF1)) (genre files only: \(f3(metrics.genreOnlyMacroF1)); "
            + "every genre weighted equally: \(f3(metrics.genreBalancedMacroF1)))"
    }

    /// The stress tests as a table: header and rows (the HTML leaves out the ECE column).
    private func stressTable(withECE: Bool) -> (header: [String], rows: [[String]]) {
        let header = ["variant", "pieces macro-F1", "voices macro-F1", "genre files only: pieces / voices",
                      "genre voices, every genre weighted equally", "motet recall pieces", "motet recall voices"]
            + (withECE ? ["ECE pieces"] : []) + ["agreement"]
        let rows = report.stress.map { result -> [String] in
            let pieces = result.metrics.pieces, voices = result.metrics.voices
            return [result.variant, f3(pieces.macroF1), f3(voices.macroF1),
                    "\(f3(pieces.genreOnlyMacroF1)) / \(f3(voices.genreOnlyMacroF1))", f3(voices.genreBalancedMacroF1),
                    f3(pieces.recall(of: .isorhythmicMotet)), f3(voices.recall(of: .isorhythmicMotet))]
                + (withECE ? [f3(pieces.calibrationAfter.expectedCalibrationError)] : []) + [f3(result.agreementWithOriginal)]
        }
        return (header, rows)
    }

    private func viewSection(_ title: String, _ metrics: ViewMetrics) -> String {
        var md = ["### \(title) (\(metrics.count) items)\n"]
        md.append("Accuracy \(f3(metrics.accuracy)), \(Self.macroF1Figures(metrics))"
                  + (metrics.otherRejectedRate.map { ", `other` answered `unknown`: \(f3($0))" } ?? "")
                  + "; ECE \(f3(metrics.calibrationBefore.expectedCalibrationError)) before temperature scaling, \(f3(metrics.calibrationAfter.expectedCalibrationError)) after.\n")
        md.append(table(["genre", "precision", "recall", "F1", "support"],
                        zip(Genre.allCases, metrics.perGenre).map { [$0.rawValue, f3($1.precision), f3($1.recall), f3($1.f1), String($1.support)] }))
        md.append("\nConfusion (rows: expected answer; columns: Talea's answer)\n")
        md.append(table(["expected \\ answer"] + metrics.labels,
                        zip(metrics.labels, metrics.confusion).map { [$0] + $1.map(String.init) }))
        md.append("")
        return md.joined(separator: "\n") + "\n"
    }

    /// Single-voice recall by the part a voice is in its work (``VoiceRole``): as written, humanised
    /// and over every re-encoding.
    private func rolesSection() -> String {
        let (header, rows) = rolesTable()
        guard !rows.isEmpty else { return "" }
        return "### Single voices by part\n\nThe single voices above, by what each is in its work (read from its part name: "
            + "`VoiceRole`), with the answers they were given as written, and their recall in the humanised stress test "
            + "and over every re-encoding of the stress tests.\n\n" + table(header, rows)
    }

    private func rolesTable() -> (header: [String], rows: [[String]]) {
        let written = VoiceRoleResult.breakdown(report.items)
        let humanised = Dictionary(uniqueKeysWithValues: VoiceRoleResult.breakdown(
            report.stressItems.filter { $0.variant == StressVariant.humanised.rawValue }).map { ($0.role, $0) })
        let reencoded = Dictionary(uniqueKeysWithValues: VoiceRoleResult.breakdown(report.stressItems).map { ($0.role, $0) })
        let answers = Genre.allCases.map(\.rawValue) + [ModelClasses.unknown]
        let header = ["genre", "part", "voices", "recall as written"] + answers.map { "answered \($0)" }
            + ["recall humanised", "recall over every re-encoding (voices)"]
        let rows = written.map { result in
            [result.role.genre.rawValue, result.role.rawValue, String(result.count), f3(result.recall)]
                + answers.map { String(result.answers[$0, default: 0]) }
                + [humanised[result.role].map { f3($0.recall) } ?? "–",
                   reencoded[result.role].map { "\(f3($0.recall)) (\($0.count))" } ?? "–"]
        }
        return (header, rows)
    }

    private func table(_ header: [String], _ rows: [[String]]) -> String {
        let escape = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
        return (["| " + header.map(escape).joined(separator: " | ") + " |", "|" + header.map { _ in " --- |" }.joined()]
                + rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }).joined(separator: "\n") + "\n"
    }

    // MARK: - HTML

    /// The report as one self-contained HTML page.
    public func html() -> String {
        var body = ""
        body += "<h1>Talea evaluation report</h1><ul>" + summaryLines().map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>"
        body += "<p>" + inlineHTML(methodNote) + "</p>"
        body += "<h2>Model choice</h2><p>" + inlineHTML(Self.macroF1Note) + "</p>" + htmlTable(["candidate", "classifier", "pieces macro-F1", "voices macro-F1", "genre files only: pieces / voices", "motet recall (voices)", "ECE", "log-loss"],
            report.candidates.map { [$0.name, $0.summary, f3($0.pieceMacroF1), f3($0.voiceMacroF1), "\(f3($0.pieceGenreOnlyMacroF1)) / \(f3($0.voiceGenreOnlyMacroF1))", f3($0.motetVoiceRecall), f3($0.calibratedECE), f3($0.logLoss)] })
        body += "<h2>Grouped cross-validation</h2>"
        for (title, metrics) in [("Whole pieces", report.crossValidation.pieces), ("Single voices", report.crossValidation.voices)] {
            body += "<h3>\(title) (\(metrics.count) items)</h3>"
            body += "<p>Accuracy \(f3(metrics.accuracy)), \(Self.macroF1Figures(metrics))"
                + (metrics.otherRejectedRate.map { ", <code>other</code> answered <code>unknown</code>: \(f3($0))" } ?? "") + ".</p>"
            body += htmlTable(["genre", "precision", "recall", "F1", "support"],
                              zip(Genre.allCases, metrics.perGenre).map { [$0.rawValue, f3($1.precision), f3($1.recall), f3($1.f1), String($1.support)] })
            body += "<p>Confusion (rows: expected; columns: answer)</p>"
            body += htmlTable(["expected \\ answer"] + metrics.labels, zip(metrics.labels, metrics.confusion).map { [$0] + $1.map(String.init) })
            body += "<div class=\"row\">" + reliabilitySVG(metrics.calibrationBefore, title: "before temperature scaling")
                + reliabilitySVG(metrics.calibrationAfter, title: "after temperature scaling") + "</div>"
        }
        let roles = rolesTable()
        if !roles.rows.isEmpty {
            body += "<h3>Single voices by part</h3>" + htmlTable(roles.header, roles.rows)
        }
        if !report.stress.isEmpty {
            let stress = stressTable(withECE: false)
            body += "<h2>Stress tests</h2>" + htmlTable(stress.header, stress.rows)
        }
        if let lowo = report.leaveOneMotetOut {
            body += "<h2>Leave one motet out</h2><p>Motet recall: pieces \(f3(lowo.pieces.recall(of: .isorhythmicMotet))), voices \(f3(lowo.voices.recall(of: .isorhythmicMotet))).</p>"
        }
        if let holdout = report.holdout {
            body += "<h2>A single 80/20 split</h2><p>\(report.holdoutFiles) files held out. Pieces macro-F1 \(f3(holdout.pieces.macroF1)), voices macro-F1 \(f3(holdout.voices.macroF1)); motet recall \(f3(holdout.pieces.recall(of: .isorhythmicMotet))) / \(f3(holdout.voices.recall(of: .isorhythmicMotet))).</p>"
        }
        if let cross = report.crossRepertory {
            body += "<h2>Cross-repertory</h2><p>Pieces macro-F1 \(f3(cross.pieces.macroF1)), voices macro-F1 \(f3(cross.voices.macroF1)).</p>"
        }
        body += "<h2>Misclassified items</h2>"
        body += htmlTable(["file", "part", "truth", "answer", "confidence", "listen"], report.misclassified.map { item in
            let key = "\(item.entryID)|\(item.part)"
            let audio = audioExcerpts[key].map { "<audio controls preload=\"none\" src=\"data:\($0.mimeType);base64,\($0.bytes.base64EncodedString())\"></audio>" } ?? ""
            return [item.entryID, item.part, item.truth, item.predicted, f3(item.confidence), audio]
        }, rawLastColumn: true)
        return """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Talea evaluation report</title>
        <style>body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}
        table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
        th{background:#f3f3f3}.row{display:flex;gap:2em;flex-wrap:wrap}code{background:#f3f3f3;padding:0 .2em}</style>
        </head><body>\(body)</body></html>
        """
    }

    private func htmlTable(_ header: [String], _ rows: [[String]], rawLastColumn: Bool = false) -> String {
        var html = "<table><tr>" + header.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr>"
        for row in rows {
            html += "<tr>" + row.enumerated().map { index, cell in
                "<td>\(rawLastColumn && index == row.count - 1 ? cell : escapeHTML(cell))</td>"
            }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    /// A reliability diagram: accuracy against mean confidence per bin, bars scaled by count.
    private func reliabilitySVG(_ calibration: CalibrationReport, title: String) -> String {
        let size = 240.0, pad = 30.0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size + 2 * pad))\" height=\"\(Int(size + 2 * pad + 20))\" role=\"img\" aria-label=\"reliability diagram \(title)\">"
        svg += "<text x=\"\(pad)\" y=\"16\" font-size=\"12\">\(escapeHTML(title)): ECE \(f3(calibration.expectedCalibrationError))</text>"
        let top = pad + 10
        svg += "<rect x=\"\(pad)\" y=\"\(top)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(pad)\" y1=\"\(top + size)\" x2=\"\(pad + size)\" y2=\"\(top)\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>"
        let maxCount = Double(calibration.bins.map(\.count).max() ?? 1)
        for bin in calibration.bins where bin.count > 0 {
            let x = pad + bin.lower * size, width = (bin.upper - bin.lower) * size
            let height = bin.accuracy * size
            let opacity = 0.25 + 0.75 * Double(bin.count) / max(maxCount, 1)
            svg += "<rect x=\(q(x)) y=\(q(top + size - height)) width=\(q(width - 1)) height=\(q(height)) fill=\"#3b6ea5\" fill-opacity=\"\(String(format: "%.2f", opacity))\"><title>confidence \(f3(bin.meanConfidence)), accuracy \(f3(bin.accuracy)), \(bin.count) items</title></rect>"
            svg += "<circle cx=\(q(pad + bin.meanConfidence * size)) cy=\(q(top + size - bin.accuracy * size)) r=\"3\" fill=\"#c0392b\"/>"
        }
        svg += "<text x=\"\(pad)\" y=\"\(top + size + 16)\" font-size=\"10\">confidence 0 … 1 (bars: accuracy per bin; dashed: perfect calibration)</text>"
        return svg + "</svg>"
    }

    private func q(_ value: Double) -> String { "\"" + String(format: "%.1f", value) + "\"" }
}

func f3(_ value: Double) -> String { String(format: "%.3f", value) }

/// A line of Markdown prose as HTML: escaped, `code` spans and *emphasis* kept.
func inlineHTML(_ markdown: String) -> String {
    func spans(_ text: String, marker: Character, tag: String) -> String {
        text.split(separator: marker, omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 1 ? "<\(tag)>\($0.element)</\(tag)>" : String($0.element) }.joined()
    }
    return spans(spans(escapeHTML(markdown), marker: "`", tag: "code"), marker: "*", tag: "em")
}

func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
