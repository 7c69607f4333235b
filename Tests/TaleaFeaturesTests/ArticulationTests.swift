import Foundation
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// A performer's or an encoder's articulation (every note shorter than the notation) must not
/// read as rests: the features undo it before rhythm, phrases and sonorities are measured.
final class ArticulationTests: XCTestCase {
    /// Every note of every voice sounding `share` of its length.
    static func detached(_ score: Score, share: Double) -> Score {
        var score = score
        for v in score.voices.indices {
            for n in score.voices[v].notes.indices { score.voices[v].notes[n].durationQuarters *= share }
        }
        return score
    }

    /// A line with a notated rest after every third note (a third of its notes are followed by silence).
    static let restedLine = Fixtures.voice("Cantus", (0..<48).map { (60 + [0, 2, 4, 5, 7, 5][$0 % 6], 1.0, $0 % 3 == 2 ? 1.0 : 0) })

    func testUniformlyDetachedCorpusFilesReadLikeTheirNotation() throws {
        // Exact for voices whose notes do not typically outlast the next onset. A piano part whose
        // held notes typically do (articulation above 1) is left as notated, but when detached it is
        // lengthened only until its typical share is 1 again, so it is restored approximately.
        let extractor = FeatureExtractor()
        var checked = 0
        for (label, score) in try InvarianceTests.corpusScores() {
            let overlapping = score.voices.contains { (VoiceLine(sortedNotes: VoiceLine.usableNotesInOrder($0.notes)).typicalArticulation ?? 0) > 1 }
            if overlapping { continue }
            checked += 1
            let notated = extractor.extract(score)
            for share in [0.7, 0.45] {
                assertInvariant(notated, extractor.extract(Self.detached(score, share: share)),
                                "\(label) notes sounding \(share)")
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 12, "most of the sample must be checked")
    }

    func testNotatedRestsAreKeptAndSurviveADetachedPerformance() throws {
        let notated = Fixtures.score([Self.restedLine])
        let line = VoiceLine(notes: Self.restedLine.notes)
        XCTAssertEqual(line.typicalArticulation, 1, "most notes are legato, so nothing is undone")
        XCTAssertEqual(line.events.filter(\.restAfter).count, 15, "every third note but the last is followed by a rest")

        let extractor = FeatureExtractor()
        let restsPerNote = try XCTUnwrap(FeatureExtractor.names.firstIndex(of: "mean.rhythm.rests_per_note"))
        let original = extractor.extract(notated)
        XCTAssertEqual(original.values[restsPerNote], 15.0 / 48.0, accuracy: 1e-12)
        let performed = extractor.extract(Self.detached(notated, share: 0.6))
        XCTAssertEqual(performed.values[restsPerNote], original.values[restsPerNote], accuracy: 1e-12)
    }

    func testEveryNoteIsLengthenedByTheSameFactor() throws {
        // Staccato notes with the odd longer one: the typical share is 0.5, so every note doubles,
        // the longer ones too (a held note stays held).
        var notes: [Note] = []
        for index in 0..<20 {
            let length = index == 7 ? 1.5 : (index == 11 ? 0.9 : 0.5)
            notes.append(Fixtures.note(60 + index % 5, at: Double(index), for: length))
        }
        let sorted = VoiceLine.usableNotesInOrder(notes)
        let asPlayed = VoiceLine(sortedNotes: sorted)
        XCTAssertEqual(try XCTUnwrap(asPlayed.typicalArticulation), 0.5, accuracy: 1e-12)
        let legato = try XCTUnwrap(asPlayed.undoingArticulation(sorted))
        for (index, note) in legato.enumerated() {
            XCTAssertEqual(note.durationQuarters, 2 * notes[index].durationQuarters, accuracy: 1e-12, "note \(index)")
            XCTAssertEqual(note.onsetQuarters, notes[index].onsetQuarters)
        }
        XCTAssertEqual(VoiceLine(notes: notes).events.filter(\.restAfter).count, 0)
    }

    func testZeroLengthNotesAndShortVoicesAreSafe() {
        // An encoder that writes every note with no length: each note is held to the next onset.
        let zero = (0..<12).map { Fixtures.note(60 + $0 % 3, at: Double($0), for: 0) }
        let line = VoiceLine(notes: zero)
        XCTAssertEqual(line.events.count, 12)
        XCTAssertEqual(line.events.filter(\.restAfter).count, 0)
        XCTAssertTrue(FeatureExtractor().extract(Fixtures.score([Voice(index: 0, name: "", trackIndex: 1, channel: 0, notes: zero)]))
            .values.allSatisfy(\.isFinite))
        // Too few notes to judge an articulation: nothing is changed.
        let short = (0..<5).map { Fixtures.note(60, at: Double($0), for: 0.3) }
        XCTAssertNil(VoiceLine(sortedNotes: short).typicalArticulation)
        XCTAssertEqual(VoiceLine(notes: short).events.filter(\.restAfter).count, 4)
    }
}
