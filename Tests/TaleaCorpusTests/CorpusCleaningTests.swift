import Foundation
import XCTest
import TaleaScore
import TaleaTestSupport
@testable import TaleaCorpus


final class CSVTests: XCTestCase {
    func testQuotedFieldsWithCommasQuotesAndLineBreaks() {
        let text = "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\r\n"
        XCTAssertEqual(CSV.parse(text), [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "two\nlines", ""]])
    }

    func testEscapeRoundTrips() {
        let fields = ["plain", "with,comma", "with \"quote\"", "line\nbreak", ""]
        XCTAssertEqual(CSV.parse(CSV.line(fields) + "\n"), [fields])
    }
}

final class ManifestTests: XCTestCase {
    private func corpus(manifest: String, duplicates: String? = nil) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("talea-manifest-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try manifest.write(to: dir.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
        if let duplicates {
            try duplicates.write(to: dir.appendingPathComponent("duplicates.csv"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    func testReadsRowsAndDefaultsWorkIDToID() throws {
        let dir = try corpus(manifest: "id,path,label,work_id,notes\na,midi/a.mid,lied,,12\nb,midi/b.mid,other,w,3\n")
        let manifest = try Manifest(directory: dir)
        XCTAssertEqual(manifest.entries.map(\.id), ["a", "b"])
        XCTAssertEqual(manifest.entries[0].workID, "a")
        XCTAssertEqual(manifest.entries[0].label, .genre(.lied))
        XCTAssertEqual(manifest.entries[1].label, .other)
        XCTAssertEqual(manifest.entries[0].notes, 12)
    }

    func testUnknownLabelAndMissingColumnAreTypedErrors() throws {
        let bad = try corpus(manifest: "id,path,label,work_id\na,a.mid,madrigal,w\n")
        XCTAssertThrowsError(try Manifest(directory: bad)) { error in
            XCTAssertEqual(error as? CorpusError, .unknownLabel("madrigal", row: 2))
        }
        let noWork = try corpus(manifest: "id,path,label\na,a.mid,lied\n")
        XCTAssertThrowsError(try Manifest(directory: noWork)) { error in
            guard case .missingColumn("work_id", _)? = error as? CorpusError else { return XCTFail("\(error)") }
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("talea-no-such-corpus")
        XCTAssertThrowsError(try Manifest(directory: missing)) { error in
            XCTAssertEqual("\(error)", "cannot read manifest \(missing.path)/manifest.csv: no such file")
        }
    }

    func testCleaningGroupsNearDuplicatesAndDropsExactCopies() throws {
        let dir = try corpus(
            manifest: "id,path,label,work_id\na,a.mid,bach_chorale,w1\nb,b.mid,bach_chorale,w2\nc,c.mid,bach_chorale,w3\nd,d.mid,lied,w4\ne,e.mid,lied,w4\nf,f.mid,lied,w5\n",
            duplicates: "id_a,id_b,reason\na,b,near-identical soprano line (interval-sequence similarity 0.95)\nb,c,identical soprano pitch sequence\nf,d,\"identical note content (source error)\"\n")
        let clean = CleanCorpus(manifest: try Manifest(directory: dir), duplicates: try DuplicatePair.load(directory: dir))
        // a-b-c are chained near-duplicates: one group. d and e share a work; f is a copy of d and goes.
        XCTAssertEqual(clean.entries.map(\.id), ["a", "b", "c", "d", "e"])
        XCTAssertEqual(Set(["a", "b", "c"].compactMap { clean.groupOf[$0] }).count, 1)
        XCTAssertEqual(clean.groupOf["d"], clean.groupOf["e"])
        XCTAssertNotEqual(clean.groupOf["a"], clean.groupOf["d"])
        XCTAssertEqual(clean.removed.map(\.entry.id), ["f"])
        XCTAssertEqual(clean.groupCount, 2)
    }

    func testSharedCorpusManifestAndDuplicates() throws {
        guard let dir = SharedCorpus.directory else { throw XCTSkip("../shared/corpus is absent: skipped the shared-corpus manifest test") }
        let manifest = try Manifest(directory: dir)
        XCTAssertEqual(manifest.entries.count, 1694)
        let clean = CleanCorpus(manifest: manifest, duplicates: try DuplicatePair.load(directory: dir))
        XCTAssertEqual(clean.removed.count, 2, "the two identical-content pairs lose one file each")
        for entry in clean.entries {
            XCTAssertTrue(FileManager.default.fileExists(atPath: manifest.url(of: entry).path), entry.path)
        }
        // Every work stays inside one group.
        var groupOfWork: [String: String] = [:]
        for entry in clean.entries {
            let group = clean.groupOf[entry.id]
            if let known = groupOfWork[entry.workID] { XCTAssertEqual(known, group) } else { groupOfWork[entry.workID] = group }
        }
    }
}

final class ScoreVariantsTests: XCTestCase {
    static func note(_ pitch: Int, _ onset: Double, _ duration: Double, channel: Int = 0) -> Note {
        Note(pitch: pitch, channel: channel, onsetTicks: Int(onset * 480), durationTicks: Int(duration * 480),
             onsetQuarters: onset, durationQuarters: duration, onsetSeconds: onset / 2, durationSeconds: duration / 2)
    }

    static let score = Score(ticksPerQuarter: 480, voices: [
        Voice(index: 0, name: "Voice", trackIndex: 1, channel: 0, notes: (0..<16).map { note(60 + $0 % 5, Double($0), 1) }),
        Voice(index: 1, name: "Piano 1", trackIndex: 2, channel: 1, notes: (0..<32).map { note(72, Double($0) / 2, 0.5, channel: 1) }),
        Voice(index: 2, name: "Piano 2", trackIndex: 3, channel: 2, notes: (0..<8).map { note(48, Double($0) * 2, 2, channel: 2) }),
    ], tempi: [TempoChange(tick: 0, quarters: 0, seconds: 0, microsecondsPerQuarter: 500_000)],
       timeSignatures: [TimeSignature(tick: 0, quarters: 0, numerator: 4, denominator: 4)])

    func testSingleVoiceKeepsOnlyThatVoice() {
        let single = ScoreVariants.singleVoice(Self.score, index: 2)
        XCTAssertEqual(single.voices.count, 1)
        XCTAssertEqual(single.voices[0].name, "Piano 2")
        XCTAssertEqual(single.voices[0].index, 0)
        XCTAssertTrue(ScoreVariants.singleVoice(Self.score, index: 9).voices.isEmpty)
    }

    func testExcerptShiftsAndCutsNotes() {
        let excerpt = ScoreVariants.excerpt(Self.score, fromQuarters: 4, toQuarters: 7)
        XCTAssertEqual(excerpt.voices[0].notes.map(\.onsetQuarters), [0, 1, 2])
        XCTAssertEqual(excerpt.voices[2].notes.map(\.onsetQuarters), [0, 2])
        XCTAssertEqual(excerpt.voices[2].notes.last?.durationQuarters, 1, "a note crossing the end is cut there")
        XCTAssertEqual(excerpt.timeSignatures.first?.quarters, 0)
    }

    func testHumanisedIsDeterministicAndClose() {
        let a = ScoreVariants.humanised(Self.score, seed: 7)
        let b = ScoreVariants.humanised(Self.score, seed: 7)
        let c = ScoreVariants.humanised(Self.score, seed: 8)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.noteCount, Self.score.noteCount)
        for (original, moved) in zip(Self.score.voices[0].notes, a.voices[0].notes) {
            XCTAssertEqual(moved.onsetQuarters, original.onsetQuarters, accuracy: 2.5, "rubato and jitter stay small")
            XCTAssertGreaterThan(moved.durationQuarters, 0)
        }
        XCTAssertNotEqual(a.voices[0].notes.map(\.onsetQuarters), Self.score.voices[0].notes.map(\.onsetQuarters))
    }

    func testAllVoicesMergeIntoOne() {
        let merged = ScoreVariants.mergingAllVoices(Self.score)
        XCTAssertEqual(merged.voices.count, 1)
        XCTAssertEqual(merged.noteCount, Self.score.noteCount)
        XCTAssertEqual(merged.voices[0].notes.map(\.onsetTicks), merged.voices[0].notes.map(\.onsetTicks).sorted())
    }

    func testKeyboardStavesMergeIntoOneVoice() {
        let merged = ScoreVariants.mergingKeyboardStaves(Self.score)
        XCTAssertEqual(merged.voices.count, 2)
        XCTAssertEqual(merged.voices[1].notes.count, 40)
        XCTAssertEqual(merged.voices.map(\.index), [0, 1])
        let noPiano = ScoreVariants.singleVoice(Self.score, index: 0)
        XCTAssertEqual(ScoreVariants.mergingKeyboardStaves(noPiano), noPiano)
    }
}
