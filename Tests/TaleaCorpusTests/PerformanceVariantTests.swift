import Foundation
import XCTest
import TaleaScore
@testable import TaleaCorpus

/// The re-encodings that imitate what another encoder or a player does to the same notes.
final class PerformanceVariantTests: XCTestCase {
    /// Two voices: a line of four quarter notes and a held note across the second half.
    private func duet() -> Score {
        func note(_ pitch: Int, _ onset: Double, _ length: Double) -> Note {
            Note(pitch: pitch, velocity: 80, channel: 0, onsetTicks: Int(onset * 480), durationTicks: Int(length * 480),
                 onsetQuarters: onset, durationQuarters: length, onsetSeconds: onset / 2, durationSeconds: length / 2)
        }
        return Score(ticksPerQuarter: 480,
                     voices: [Voice(index: 0, name: "Upper", trackIndex: 1, channel: 0, notes: (0..<4).map { note(60 + $0, Double($0), 1) }),
                              Voice(index: 1, name: "Lower", trackIndex: 2, channel: 1, notes: [note(48, 0, 2), note(43, 2, 2)])],
                     tempi: [TempoChange(tick: 0, quarters: 0, seconds: 0, microsecondsPerQuarter: 500_000)],
                     timeSignatures: [TimeSignature(tick: 0, quarters: 0, numerator: 4, denominator: 4)])
    }

    func testTheFirstHalfIsRepeatedAtAnOnsetNoNoteCrosses() {
        let repeated = ScoreVariants.repeatingFirstHalf(duet())
        XCTAssertEqual(repeated.voices[0].notes.map(\.pitch), [60, 61, 60, 61, 62, 63])
        XCTAssertEqual(repeated.voices[0].notes.map(\.onsetQuarters), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(repeated.voices[1].notes.map(\.onsetQuarters), [0, 2, 4])
        XCTAssertEqual(repeated.voices[1].notes.map(\.pitch), [48, 48, 43])
        XCTAssertEqual(repeated.voices[0].notes.last?.onsetTicks, 2400)
        XCTAssertEqual(repeated.voices[0].notes.last?.onsetSeconds, 2.5)
        XCTAssertEqual(repeated.timeSignatures.map(\.quarters), [0, 2])
        XCTAssertEqual(repeated.durationQuarters, 6)
        // A note held over every onset leaves nowhere to cut: nothing changes.
        var held = duet()
        held.voices[1].notes = [held.voices[1].notes[0]]
        held.voices[1].notes[0].durationQuarters = 4
        XCTAssertEqual(ScoreVariants.repeatingFirstHalf(held), held)
    }

    func testLegatoHoldsEachNoteIntoTheNextButNotTheLast() {
        let legato = ScoreVariants.overlappingLegato(duet())
        XCTAssertEqual(legato.voices[0].notes.map(\.durationQuarters), [1.25, 1.25, 1.25, 1])
        XCTAssertEqual(legato.voices[0].notes.map(\.onsetQuarters), [0, 1, 2, 3], "onsets stay")
        XCTAssertEqual(legato.voices[0].notes[0].durationTicks, 600)
        XCTAssertEqual(legato.voices[1].notes.map(\.durationQuarters), [2.25, 2])
        // A note followed by a rest longer than the reach is left as it is.
        var detached = duet()
        detached.voices[0].notes[1].durationQuarters = 0.5
        XCTAssertEqual(ScoreVariants.overlappingLegato(detached).voices[0].notes[1].durationQuarters, 0.5)
    }

    func testRepeatsAreNotWrittenOutForMotetsAndFermatasAreHeldOnlyWhereKnown() {
        let span = [FermataSpan(startQuarters: 1, endQuarters: 2)]
        XCTAssertFalse(StressVariant.repeatWrittenOut.applies(to: .genre(.isorhythmicMotet), fermatas: []))
        XCTAssertTrue(StressVariant.repeatWrittenOut.applies(to: .genre(.lied), fermatas: []))
        XCTAssertTrue(StressVariant.repeatWrittenOut.applies(to: .other, fermatas: []))
        XCTAssertFalse(StressVariant.heldFermatas.applies(to: .genre(.bachChorale), fermatas: []))
        XCTAssertTrue(StressVariant.heldFermatas.applies(to: .genre(.bachChorale), fermatas: span))
        XCTAssertTrue(StressVariant.humanised.applies(to: .genre(.isorhythmicMotet), fermatas: []))
    }

    func testGraceNotesTakeTheirTimeFromTheMainNote() {
        // Every note of a quarter or more gets a grace note when the share is 1.
        let graced = ScoreVariants.addingGraceNotes(duet(), seed: 1, share: 1, length: 0.125)
        XCTAssertEqual(graced.voices[0].notes.count, 8)
        XCTAssertEqual(graced.voices[0].notes.prefix(2).map(\.onsetQuarters), [0, 0.125])
        XCTAssertEqual(graced.voices[0].notes.prefix(2).map(\.durationQuarters), [0.125, 0.875])
        XCTAssertEqual(graced.voices[0].notes[1].pitch, 60, "the main note keeps its pitch")
        XCTAssertTrue([62, 59].contains(graced.voices[0].notes[0].pitch), "a step above or a semitone below")
        XCTAssertEqual(graced.voices[0].notes[1].onsetTicks, 60)
        XCTAssertEqual(graced.durationQuarters, duet().durationQuarters, "no time is added")
        XCTAssertEqual(ScoreVariants.addingGraceNotes(duet(), seed: 1, share: 0), duet())
        XCTAssertFalse(StressVariant.graceNotes.applies(to: .genre(.isorhythmicMotet), fermatas: []))
    }
}
