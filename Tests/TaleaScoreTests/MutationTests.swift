import Foundation
import TaleaMIDI
import TaleaScore
import TaleaTestSupport
import XCTest

/// Deterministic damage to real files: every mutant is read (with warnings) or rejected with a typed
/// error naming a byte offset, never a crash or a hang.
final class MutationTests: XCTestCase {
    func testByteFlipsAndTruncationsOfCorpusFiles() throws {
        let rows = try corpusManifest()
        // Every 34th file of the manifest: about 50 files from every repertory.
        let picked = stride(from: 0, to: rows.count, by: 34).map { rows[$0] }
        var rng = SplitMix64(seed: 0x7A1EA)
        var mutants = 0, read = 0, rejected = 0, readWithWarnings = 0
        var slowest = 0.0
        let started = Date()
        for row in picked {
            let original = try [UInt8](Data(contentsOf: corpusDirectory().appendingPathComponent(row.path)))
            guard original.count > 32 else { continue }
            for round in 0..<44 {
                var bytes = original
                switch round % 4 {
                case 0: // truncation anywhere
                    bytes.removeLast(Int.random(in: 1..<bytes.count, using: &rng))
                case 1: // one byte replaced
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 2: // a burst of 2–8 random bytes
                    for _ in 0..<Int.random(in: 2...8, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                default: // a flipped bit in the first 64 bytes (headers, lengths) plus a truncation
                    let at = Int.random(in: 0..<min(64, bytes.count), using: &rng)
                    bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
                    if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<(bytes.count / 2), using: &rng)) }
                }
                mutants += 1
                let start = Date()
                do {
                    let midi = try MIDIFile(bytes: bytes)
                    let score = try Score(midi: midi)
                    XCTAssertEqual(try Score(bytes: bytes), score, "\(row.path) round \(round): fast path differs")
                    read += 1
                    if !score.warnings.isEmpty { readWithWarnings += 1 }
                    for voice in score.voices {
                        for note in voice.notes {
                            XCTAssertTrue((0...127).contains(note.pitch) && note.durationTicks >= 0 && note.onsetSeconds.isFinite,
                                          "\(row.path) round \(round): bad note \(note)")
                        }
                    }
                } catch let error as MIDIReadError {
                    rejected += 1
                    if case .fileTooLarge = error {} else {
                        XCTAssertTrue(error.description.contains("at byte"), "\(error)")
                    }
                } catch let error as ScoreError {
                    rejected += 1
                    XCTAssertFalse(error.description.isEmpty)
                }
                let seconds = Date().timeIntervalSince(start)
                slowest = max(slowest, seconds)
                XCTAssertLessThan(seconds, 2, "\(row.path) round \(round) took \(seconds) s")
            }
        }
        let total = Date().timeIntervalSince(started)
        print("mutation test: \(mutants) mutants of \(picked.count) files: \(read) read (\(readWithWarnings) with warnings), \(rejected) rejected; slowest \(String(format: "%.3f", slowest)) s, total \(String(format: "%.1f", total)) s")
        XCTAssertGreaterThanOrEqual(mutants, 2000)
        XCTAssertEqual(read + rejected, mutants)
        // Generous salvage: most damaged real files still give their notes.
        XCTAssertGreaterThan(Double(read) / Double(mutants), 0.75)
    }
}

