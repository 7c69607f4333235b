import Foundation
import XCTest
import TaleaScore
import TaleaTestSupport
@testable import TaleaCorpus

/// Held fermatas: the annotation file, the time warp that holds them, and the stress variant.
final class FermataTests: XCTestCase {
    private func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fermatas-\(UUID().uuidString).csv")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testAnnotationsAreReadAndSortedAndMalformedRowsAreNamed() throws {
        let good = try FermataAnnotations(contentsOf: write("id,fermatas_quarters\nchorale-a,7-8;3-4\nchorale-b,10-12\n"))
        XCTAssertEqual(good.spans(of: "chorale-a"), [FermataSpan(startQuarters: 3, endQuarters: 4), FermataSpan(startQuarters: 7, endQuarters: 8)])
        XCTAssertEqual(good.spans(of: "chorale-b").count, 1)
        XCTAssertEqual(good.spans(of: "absent"), [])
        let reversed = try write("id,fermatas_quarters\nchorale-a,8-7\n")
        XCTAssertThrowsError(try FermataAnnotations(contentsOf: reversed)) { error in
            XCTAssertEqual(error as? FermataAnnotationError, .malformed(path: reversed.path, row: 2, reason: "'8-7' is not a span start-end"))
        }
        XCTAssertThrowsError(try FermataAnnotations(contentsOf: write("name,spans\n"))) { error in
            XCTAssertTrue("\(error)".contains("header"), "\(error)")
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-fermatas.csv")
        XCTAssertThrowsError(try FermataAnnotations(contentsOf: missing)) { error in
            XCTAssertTrue("\(error)".contains("cannot read fermata annotations"), "\(error)")
        }
    }

    /// Four quarter notes at 120 per minute; the second bears the fermata.
    private func line() -> Score {
        let notes = (0..<4).map { k in
            Note(pitch: 60 + k, velocity: 80, channel: 0, onsetTicks: 480 * k, durationTicks: 480,
                 onsetQuarters: Double(k), durationQuarters: 1, onsetSeconds: 0.5 * Double(k), durationSeconds: 0.5)
        }
        return Score(ticksPerQuarter: 480, voices: [Voice(index: 0, name: "Soprano", trackIndex: 1, channel: 0, program: 0, notes: notes)],
                     tempi: [TempoChange(tick: 0, quarters: 0, seconds: 0, microsecondsPerQuarter: 500_000)],
                     timeSignatures: [TimeSignature(tick: 1920, quarters: 4, numerator: 3, denominator: 4)], keySignatures: [])
    }

    func testHoldingAFermataLengthensItsNotesAndMovesEverythingAfter() {
        let held = ScoreVariants.holdingFermatas(line(), spans: [FermataSpan(startQuarters: 1, endQuarters: 2)], factor: 2)
        let notes = held.voices[0].notes
        XCTAssertEqual(notes.map(\.onsetQuarters), [0, 1, 3, 4])
        XCTAssertEqual(notes.map(\.durationQuarters), [1, 2, 1, 1])
        XCTAssertEqual(notes.map(\.onsetTicks), [0, 480, 1440, 1920])
        XCTAssertEqual(notes.map(\.durationTicks), [480, 960, 480, 480])
        XCTAssertEqual(notes.map(\.onsetSeconds), [0, 0.5, 1.5, 2])
        XCTAssertEqual(notes[1].durationSeconds, 1, accuracy: 1e-12)
        XCTAssertEqual(held.timeSignatures.first?.quarters, 5, "a metre change after the fermata moves with the music")
        XCTAssertEqual(held.timeSignatures.first?.tick, 2400)
        XCTAssertEqual(notes.map(\.pitch), line().voices[0].notes.map(\.pitch))
    }

    func testNoSpansOrAFactorOfOneChangeNothing() throws {
        XCTAssertEqual(ScoreVariants.holdingFermatas(line(), spans: [], factor: 2), line())
        XCTAssertEqual(ScoreVariants.holdingFermatas(line(), spans: [FermataSpan(startQuarters: 1, endQuarters: 2)], factor: 1), line())
        XCTAssertEqual(try StressVariant.heldFermatas.apply(to: line(), seed: 1), line())
        let stressed = try StressVariant.heldFermatas.apply(to: line(), seed: 1, fermatas: [FermataSpan(startQuarters: 3, endQuarters: 4)])
        XCTAssertEqual(stressed.durationQuarters, 5)
    }

    /// The committed annotations name corpus chorales only, and every span starts on a note of its file.
    func testCommittedAnnotationsMatchTheSharedCorpus() throws {
        let annotations = try FermataAnnotations(contentsOf: SharedCorpus.packageRoot.appendingPathComponent("Corpus/fermatas.csv"))
        XCTAssertGreaterThan(annotations.spans.count, 200)
        guard let corpus = SharedCorpus.directory else { throw XCTSkip("../shared/corpus is absent") }
        let manifest = try Manifest(directory: corpus)
        let entries = Dictionary(uniqueKeysWithValues: manifest.entries.map { ($0.id, $0) })
        for (id, spans) in annotations.spans.sorted(by: { $0.key < $1.key }).prefix(40) {
            let entry = try XCTUnwrap(entries[id], id)
            XCTAssertEqual(entry.label, .genre(.bachChorale), id)
            let score = try Score.load(contentsOf: manifest.url(of: entry))
            let onsets = Set(score.voices.flatMap(\.notes).map(\.onsetQuarters))
            for span in spans { XCTAssertTrue(onsets.contains(span.startQuarters), "\(id) \(span)") }
        }
    }
}
