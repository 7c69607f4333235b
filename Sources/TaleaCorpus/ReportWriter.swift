import Foundation

/// Writes an evaluation as `metrics.json`, `report.md` and a self-contained `report.html`.
public struct ReportWriter: Sendable {
    /// The evaluation.
    public var report: EvaluationReport
    /// The corpus manifest (for titles and paths of misclassified items).
    public var manifest: Manifest
    /// One line about the model file, if one was found.
    public var modelDescription: String?
    /// Render audio excerpts of misclassified items.
    public var audio: Bool

    /// Creates a writer.
    public init(report: EvaluationReport, manifest: Manifest, modelDescription: String?, audio: Bool) {
        self.report = report
        self.manifest = manifest
        self.modelDescription = modelDescription
        self.audio = audio
    }

    /// Writes the three files into `directory`.
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(report).write(to: directory.appendingPathComponent("metrics.json"))
    }
}
