import Foundation
import TaleaMIDI
import TaleaScore
import TaleaTestSupport
import XCTest

/// The shared corpus: `TALEA_CORPUS` if set, else `<package root>/../shared/corpus`.
func corpusDirectory() -> URL {
    SharedCorpus.directory ?? SharedCorpus.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
}

/// (relative path, notes column) for every manifest row, or XCTSkip when the corpus is absent.
func corpusManifest() throws -> [(path: String, notes: Int)] {
    let manifest = corpusDirectory().appendingPathComponent("manifest.csv")
    guard let text = try? String(contentsOf: manifest, encoding: .utf8) else {
        throw XCTSkip("corpus not found at \(corpusDirectory().path) (set TALEA_CORPUS); corpus tests skipped")
    }
    var lines = text.split(whereSeparator: \.isNewline).map(String.init)
    let header = parseCSVLine(lines.removeFirst())
    guard let pathColumn = header.firstIndex(of: "path"), let notesColumn = header.firstIndex(of: "notes") else {
        XCTFail("manifest.csv lacks path or notes columns: \(header)")
        return []
    }
    return lines.compactMap { line in
        let fields = parseCSVLine(line)
        guard fields.count > max(pathColumn, notesColumn), let notes = Int(fields[notesColumn]) else { return nil }
        return (fields[pathColumn], notes)
    }
}

/// Minimal CSV field splitter with double-quoted fields.
func parseCSVLine(_ line: String) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var iterator = line.makeIterator()
    while let c = iterator.next() {
        if quoted {
            if c == "\"" { quoted = false } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            fields.append(field)
            field = ""
        } else if c != "\r" {
            field.append(c)
        }
    }
    fields.append(field)
    return fields
}

final class CorpusTests: XCTestCase {
    /// Every corpus file parses without error and its note-on count equals the manifest's `notes`.
    func testEveryCorpusFileParsesWithManifestNoteCount() throws {
        let rows = try corpusManifest()
        XCTAssertGreaterThan(rows.count, 1000)
        var failures: [String] = []
        for row in rows {
            let url = corpusDirectory().appendingPathComponent(row.path)
            do {
                let bytes = try [UInt8](Data(contentsOf: url))
                let midi = try MIDIFile(bytes: bytes)
                var noteOns = 0
                for track in midi.tracks {
                    for event in track.events {
                        if case let .noteOn(_, _, velocity) = event.message, velocity > 0 { noteOns += 1 }
                    }
                }
                let score = try Score(midi: midi)
                // The fast path (compact events, no MIDIMessage per event) builds the same score.
                if try Score(bytes: bytes) != score {
                    failures.append("\(row.path): Score(bytes:) differs from Score(midi:)")
                }
                if noteOns != row.notes || score.noteCount != row.notes {
                    failures.append("\(row.path): manifest \(row.notes), note-ons \(noteOns), score notes \(score.noteCount)")
                }
                if !score.warnings.isEmpty {
                    failures.append("\(row.path): unexpected warnings \(score.warnings)")
                }
            } catch {
                failures.append("\(row.path): \(error)")
            }
        }
        XCTAssertEqual(failures, [], "\(failures.count) of \(rows.count) corpus files disagree")
    }
}
