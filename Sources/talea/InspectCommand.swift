import ArgumentParser
import Foundation
import TaleaFeatures
import TaleaMIDI
import TaleaScore

/// `talea inspect FILE… [--json]`: what is in a MIDI file, as the score model sees it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the tracks, voices, notes, duration, tempi, metres and keys of MIDI files.",
        discussion: "A file that cannot be read prints its error and the command goes on; the exit status is 1 if any file failed."
    )

    @Argument(help: "MIDI files (.mid, .midi, .kar, .rmi).")
    var files: [String]

    @Flag(name: .long, help: "Print a JSON array with one object per file.")
    var json = false

    func run() throws {
        var reports: [FileReport] = []
        var failed = 0
        for path in files {
            let report = FileReport.make(path: path)
            if report.error != nil { failed += 1 }
            if json {
                reports.append(report)
            } else {
                print(report.text, terminator: "")
                if let error = report.error {
                    FileHandle.standardError.write(Data("talea inspect: \(path): \(error)\n".utf8))
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(reports)
            print(String(decoding: data, as: UTF8.self))
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// One file's inspection, for text and JSON output.
struct FileReport: Encodable {
    struct VoiceReport: Encodable {
        var index: Int
        var name: String
        var track: Int
        var channel: Int
        var program: Int?
        var isDrum: Bool
        var notes: Int
        /// A line a voice could sing (`SingablePart`): a lied needs one.
        var singable: Bool
        var lowest: String?
        var highest: String?
        var lowestPitch: Int?
        var highestPitch: Int?
    }
    struct TempoReport: Encodable {
        var quarters: Double
        var seconds: Double
        var quartersPerMinute: Double
    }
    struct MarkReport: Encodable {
        var quarters: Double
        var name: String
    }

    var path: String
    var error: String?
    var format: Int?
    var division: String?
    var tracks: Int?
    var notes: Int?
    var durationQuarters: Double?
    var durationSeconds: Double?
    var voices: [VoiceReport]?
    var tempi: [TempoReport]?
    var metres: [MarkReport]?
    var keys: [MarkReport]?
    /// A drum kit plays through the music (`DrumKit`): none of the three repertories has one.
    var drumKitPlaysThrough: Bool?
    var warnings: [String]?

    static func make(path: String) -> FileReport {
        var report = FileReport(path: path)
        let midi: MIDIFile
        let score: Score
        do {
            midi = try Score.readMIDIFile(contentsOf: URL(fileURLWithPath: path))
            score = try Score(midi: midi)
        } catch {
            report.error = "\(error)"
            return report
        }
        report.format = midi.format
        switch midi.division {
        case let .ticksPerQuarter(tpq): report.division = "\(tpq) ticks per quarter"
        case let .smpte(fps, tpf):
            report.division = "SMPTE \(fps) frames/s × \(tpf) ticks (quarters assume \(Int(Score.assumedSMPTEQuartersPerMinute))/min)"
        }
        report.tracks = midi.tracks.count
        report.notes = score.noteCount
        report.durationQuarters = score.durationQuarters
        report.durationSeconds = score.durationSeconds
        let verdicts = SingablePart.verdicts(of: score)
        report.voices = zip(score.voices, verdicts).map { voice, verdict in
            let range = voice.ambitus
            return VoiceReport(index: voice.index, name: voice.name, track: voice.trackIndex, channel: voice.channel + 1,
                               program: voice.program, isDrum: voice.isDrum, notes: voice.notes.count,
                               singable: verdict == .singable,
                               lowest: range.map { Note.name(ofPitch: $0.lowerBound) },
                               highest: range.map { Note.name(ofPitch: $0.upperBound) },
                               lowestPitch: range?.lowerBound, highestPitch: range?.upperBound)
        }
        report.tempi = score.tempi.map { TempoReport(quarters: $0.quarters, seconds: $0.seconds, quartersPerMinute: $0.quartersPerMinute) }
        report.metres = score.timeSignatures.map { MarkReport(quarters: $0.quarters, name: $0.name) }
        report.keys = score.keySignatures.map { MarkReport(quarters: $0.quarters, name: $0.name) }
        report.drumKitPlaysThrough = DrumKit.playsThrough(score)
        report.warnings = score.warnings
        return report
    }

    /// Human-readable block.
    var text: String {
        var out = "\(path)\n"
        if let error {
            return out + "  error: \(error)\n\n"
        }
        func number(_ x: Double, _ digits: Int = 2) -> String {
            let s = String(format: "%.\(digits)f", x)
            return s.contains(".") ? String(s.reversed().drop { $0 == "0" }.drop { $0 == "." }.reversed()) : s
        }
        out += "  format \(format ?? 0), \(division ?? "?"), \(tracks ?? 0) tracks, \(notes ?? 0) notes\n"
        out += "  duration \(number(durationQuarters ?? 0)) quarters, \(number(durationSeconds ?? 0)) s\n"
        let tempoText = (tempi ?? []).prefix(8).map { "\(number($0.quartersPerMinute, 1))/min at q\(number($0.quarters))" }
        out += "  tempi (\(tempi?.count ?? 0)): \(tempoText.joined(separator: ", "))\((tempi?.count ?? 0) > 8 ? ", …" : "")\n"
        let metreText = (metres ?? []).prefix(8).map { "\($0.name) at q\(number($0.quarters))" }
        out += "  metres (\(metres?.count ?? 0)): \(metreText.isEmpty ? "none" : metreText.joined(separator: ", "))\((metres?.count ?? 0) > 8 ? ", …" : "")\n"
        let keyText = (keys ?? []).prefix(8).map { "\($0.name) at q\(number($0.quarters))" }
        out += "  keys (\(keys?.count ?? 0)): \(keyText.isEmpty ? "none" : keyText.joined(separator: ", "))\((keys?.count ?? 0) > 8 ? ", …" : "")\n"
        out += "  voices (\(voices?.count ?? 0)):\n"
        let width = min(28, (voices ?? []).map(\.name.count).max() ?? 4)
        let indexWidth = String(max(0, (voices?.count ?? 1) - 1)).count
        for v in voices ?? [] {
            let index = String(repeating: " ", count: max(0, indexWidth - String(v.index).count)) + String(v.index)
            let name = v.name.count >= width ? v.name : v.name + String(repeating: " ", count: width - v.name.count)
            let program = v.program.map { "program \($0)" } ?? "no program"
            let range = v.lowest.map { "\($0)–\(v.highest ?? $0)" } ?? "-"
            out += "    \(index)  \(name)  track \(v.track), channel \(v.channel)\(v.isDrum ? " (drums)" : ""), \(program), \(v.notes) notes, \(range)\(v.singable ? ", singable line" : "")\n"
        }
        if drumKitPlaysThrough == true {
            out += "  drum kit: plays through the music (no motet, chorale or lied has one; classify answers unknown)\n"
        }
        let warningList = warnings ?? []
        out += "  warnings (\(warningList.count))\(warningList.isEmpty ? "" : ":")\n"
        for warning in warningList { out += "    - \(warning)\n" }
        return out + "\n"
    }
}
