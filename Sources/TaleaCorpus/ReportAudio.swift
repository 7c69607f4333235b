import Foundation
import TaleaAudio
import TaleaScore

/// Renders short listening excerpts of misclassified items for the evaluation report.
public struct ReportAudio: Sendable {
    /// The renderer (its options set the sample rate; Ogg Vorbis keeps the report small).
    public var renderer: AudioRenderer
    /// Length of an excerpt in seconds.
    public var seconds: Double
    /// At most this many excerpts (the most confident mistakes first).
    public var limit: Int

    /// Creates an excerpt maker with a SoundFont found as `talea render` finds it.
    public init(soundFontPath: String? = nil, seconds: Double = 20, limit: Int = 12) throws {
        var options = RenderOptions()
        options.sampleRate = 22_050
        renderer = AudioRenderer(soundFont: try SoundFont.locate(explicitPath: soundFontPath), options: options)
        self.seconds = seconds
        self.limit = limit
    }

    /// Excerpts of the misclassified items of `report`, keyed by `entryID|part`. An item that
    /// cannot be rendered is left without one (the report still lists it).
    public func excerpts(for report: EvaluationReport, manifest: Manifest) -> [String: ReportWriter.AudioExcerpt] {
        let entries = Dictionary(manifest.entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let chosen = report.misclassified.sorted { ($0.confidence, $0.entryID, $0.part) > ($1.confidence, $1.entryID, $1.part) }.prefix(limit)
        var result: [String: ReportWriter.AudioExcerpt] = [:]
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("talea-report-audio-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (n, item) in chosen.enumerated() {
            guard let entry = entries[item.entryID], var score = try? Score.load(contentsOf: manifest.url(of: entry)) else { continue }
            if item.view == .voice, let index = Self.voiceIndex(item.part) {
                score = ScoreVariants.singleVoice(score, index: index)
            }
            let name = "\(n + 1)-\(item.entryID)" + (item.view == .voice ? "-voice\(Self.voiceIndex(item.part) ?? 0)" : "") + ".ogg"
            let url = scratch.appendingPathComponent(name)
            guard (try? renderer.renderExcerpt(score, to: url, maxSeconds: seconds)) != nil,
                  let bytes = try? Data(contentsOf: url) else { continue }
            result["\(item.entryID)|\(item.part)"] = ReportWriter.AudioExcerpt(fileName: name, mimeType: "audio/ogg", bytes: bytes)
        }
        return result
    }

    /// The voice index in a part label such as `voice 2 (Tenor)`.
    static func voiceIndex(_ part: String) -> Int? {
        let words = part.split(separator: " ")
        guard words.count >= 2, words[0] == "voice" else { return nil }
        return Int(words[1])
    }
}
