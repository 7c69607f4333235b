import Foundation
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// A legato player's overlap (each note held a little into the next) must not read as chords:
/// the features cut it before anything is measured, in lines only.
final class LegatoOverlapTests: XCTestCase {
    /// Every note that reaches the next onset of its voice held `overlap` quarter notes into it.
    static func overlapped(_ score: Score, by overlap: Double) -> Score {
        var score = score
        for v in score.voices.indices {
            let onsets = Array(Set(score.voices[v].notes.map(\.onsetQuarters))).sorted()
            for n in score.voices[v].notes.indices {
                let note = score.voices[v].notes[n]
                guard let next = onsets.first(where: { $0 > note.onsetQuarters }), next - note.endQuarters < 0.01 else { continue }
                score.voices[v].notes[n].durationQuarters = next + overlap - note.onsetQuarters
            }
        }
        return score
    }

    static let line = Fixtures.voice("Soprano", (0..<40).map { (60 + [0, 2, 4, 5, 7, 4][$0 % 6], [1.0, 0.5, 0.5, 2.0][$0 % 4], 0) })

    func testAnOverlappedLineReadsLikeItsNotation() {
        let extractor = FeatureExtractor()
        let notated = extractor.extract(Fixtures.score([Self.line]))
        for overlap in [0.05, 0.25, 0.45] {
            let played = extractor.extract(Self.overlapped(Fixtures.score([Self.line]), by: overlap))
            XCTAssertEqual(played.values, notated.values, "overlap \(overlap)")
        }
    }

    func testOverlapsAreCutOnlyWhereTheyEndBeforeTheOnsetAfterNext() {
        // Quarter notes; the third is held over two onsets (a pedal-like note), the first overlaps by a
        // quarter of a beat.
        var notes = (0..<6).map { Fixtures.note(60 + $0, at: Double($0), for: 1) }
        notes[0].durationQuarters = 1.25
        notes[0].durationTicks = notes[1].durationTicks * 5 / 4
        notes[2].durationQuarters = 2.5
        let cut = LegatoOverlap.undone(notes)
        XCTAssertEqual(cut.map(\.durationQuarters), [1, 1, 2.5, 1, 1, 1])
        XCTAssertEqual(cut[0].durationTicks, notes[1].durationTicks, "ticks follow")
    }

    func testVoicesWithChordsAreLeftAsTheyAre() {
        // A piano staff: a chord on every beat, and a melody note held into the next beat.
        var notes: [Note] = []
        for beat in 0..<8 {
            notes.append(Fixtures.note(48, at: Double(beat), for: 1))
            notes.append(Fixtures.note(55, at: Double(beat), for: 1))
            notes.append(Fixtures.note(64 + beat % 3, at: Double(beat), for: 1.4))
        }
        XCTAssertEqual(LegatoOverlap.undone(notes), notes)
    }

    func testNotatedCorpusFilesAreUnchangedExceptWhereALineOverlaps() throws {
        // music21 writes a line's notes end to end, so cutting overlaps changes only voices that
        // overlap in the file itself.
        var checked = 0
        for (label, score) in try InvarianceTests.corpusScores() {
            for voice in score.voices where !voice.isDrum {
                let sorted = voice.notes.sorted { $0.onsetQuarters < $1.onsetQuarters }
                let overlaps = zip(sorted, sorted.dropFirst()).contains { $0.endQuarters > $1.onsetQuarters + 1e-9 && $1.onsetQuarters > $0.onsetQuarters }
                if !overlaps {
                    XCTAssertEqual(LegatoOverlap.undone(voice.notes), voice.notes, "\(label) \(voice.name)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 20)
    }
}
