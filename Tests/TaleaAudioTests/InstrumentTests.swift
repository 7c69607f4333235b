import Foundation
@testable import TaleaAudio
import TaleaScore
import XCTest

final class InstrumentTests: XCTestCase {
    private func program(_ name: String, filed: Int? = nil, chords: Bool = false, options: RenderOptions = RenderOptions()) throws
        -> InstrumentChoice {
        let notes: [(Int, Double, Double)] = chords ? [(60, 0, 1), (64, 0, 1), (67, 0, 1), (62, 1, 1), (65, 1, 1)]
                                                    : [(60, 0, 1), (62, 1, 1), (64, 2, 1)]
        let score = Fixtures.score([Fixtures.voice(0, name, program: filed, notes)])
        return try XCTUnwrap(RenderPlan(score: score, options: options).voices.first).instrument
    }

    func testSungPartsSingAndPianosPlayPiano() throws {
        for name in ["Soprano", "Alto", "Tenor", "Bass", "Voice", "Singstimme Voice", "Triplum", "Motetus",
                     "Contratenor", "Cantus II", "Gesang", "Basso", "Sopran 1"] {
            XCTAssertEqual(try program(name).program, GeneralMIDI.choirAahs, name)
        }
        // music21 writes program 68 (oboe) for "Voice" and 0 for parts without an instrument.
        XCTAssertEqual(try program("Voice", filed: 68).program, GeneralMIDI.choirAahs)
        XCTAssertEqual(try program("Soprano", filed: 0).program, GeneralMIDI.choirAahs)
        XCTAssertEqual(try program("Soprano", filed: 53), InstrumentChoice(bank: 0, program: 53, source: .file))
        for name in ["Piano 1", "Pianoforte 2", "Klavier Piano 1", "PIANO. 2", "Pf."] {
            XCTAssertEqual(try program(name, filed: 0).program, GeneralMIDI.piano, name)
        }
    }

    func testInstrumentsByNameAndMeaningfulFilePrograms() throws {
        XCTAssertEqual(try program("Oboe", filed: 68).program, 68)
        XCTAssertEqual(try program("Bassoon").program, 70, "not a sung bass")
        XCTAssertEqual(try program("Double bass").program, 43)
        XCTAssertEqual(try program("Harpsichord").program, 6)
        XCTAssertEqual(try program("Horn 1", filed: 0).program, 60, "program 0 is an encoder default")
        XCTAssertEqual(try program("Flute", filed: 71).program, 71, "a real program the file sets is kept")
        XCTAssertEqual(try program("Track 2", filed: 40), InstrumentChoice(bank: 0, program: 40, source: .file))
    }

    func testFileProgramsModePlaysWhatTheFileSays() throws {
        var options = RenderOptions()
        options.useFilePrograms = true
        XCTAssertEqual(try program("Voice", filed: 68, options: options), InstrumentChoice(bank: 0, program: 68, source: .file))
        XCTAssertEqual(try program("Soprano", options: options).program, GeneralMIDI.piano, "no program: 0, as a MIDI player")
    }

    func testUnknownNamesAreJudgedByTexture() throws {
        XCTAssertEqual(try program("Track 2", chords: true), InstrumentChoice(bank: 0, program: 0, source: .texture))
        XCTAssertEqual(try program("Track 2"), InstrumentChoice(bank: 0, program: 52, source: .texture))
        var recorder = RenderOptions()
        recorder.vocalProgram = GeneralMIDI.recorder
        XCTAssertEqual(try program("Channel 1", options: recorder).program, GeneralMIDI.recorder)
        XCTAssertEqual(try program("Tenor", options: recorder).program, GeneralMIDI.recorder)
    }

    func testOverridesDrumsAndChannels() throws {
        var options = RenderOptions()
        options.programOverrides = [ProgramOverride(voice: .name("alto"), program: 74), ProgramOverride(voice: .index(3), program: 19)]
        let plan = try RenderPlan(score: Fixtures.chorale, options: options)
        XCTAssertEqual(plan.voices.map(\.instrument.program), [52, 74, 52, 19])
        XCTAssertEqual(plan.voices[1].instrument.source, .override)
        XCTAssertEqual(plan.voices.map(\.channel), [0, 1, 2, 3], "own channel per voice, although all four share channel 0 in music21 files")
        XCTAssertEqual(plan.synthChannels, 16)

        let drums = Fixtures.score([Fixtures.voice(0, "Drum kit", program: 25, isDrum: true, [(36, 0, 1)])])
        XCTAssertEqual(try RenderPlan(score: drums, options: RenderOptions()).voices[0].instrument,
                       InstrumentChoice(bank: 128, program: 25, source: .percussion))

        let many = Fixtures.score((0..<40).map { Fixtures.voice($0, "Part \($0)", [(60, Double($0), 1)]) })
        let manyPlan = try RenderPlan(score: many, options: RenderOptions())
        XCTAssertEqual(manyPlan.synthChannels, 48)
        XCTAssertEqual(Set(manyPlan.voices.map(\.channel)).count, 40)
    }

    func testSelectorsPickTheVoicesSelectingVoicesPicks() throws {
        XCTAssertEqual(ProgramOverride(parsing: "Piano 1=6"), ProgramOverride(voice: .name("Piano 1"), program: 6))
        XCTAssertEqual(ProgramOverride(parsing: "0=52"), ProgramOverride(voice: .index(0), program: 52))
        XCTAssertNil(ProgramOverride(parsing: "Tenor"))
        XCTAssertNil(ProgramOverride(parsing: "Tenor=x"))
        let score = Fixtures.score([
            Fixtures.voice(0, "Voice", [(60, 0, 1)]),
            Fixtures.voice(1, "Piano 1", [(64, 0, 1)]),
            Fixtures.voice(2, "Piano 2", [(48, 0, 1)]),
        ])
        // The renderer's selection must agree with TaleaScore's, which every other command uses.
        for selector: VoiceSelector in [.index(2), .name("voice"), .name("PIANO"), .name("piano 2"), .name("o")] {
            let picked = try selector.voiceIndices(in: score.voices).map { score.voices[$0].name }
            XCTAssertEqual(picked, try score.selectingVoices([selector]).voices.map(\.name), "\(selector)")
        }
        var options = RenderOptions()
        options.mutedVoices = [.name("piano")]
        XCTAssertEqual(try RenderPlan(score: score, options: options).voices.map(\.name), ["Voice"], "one name mutes both staves")
        options = RenderOptions()
        options.programOverrides = [ProgramOverride(voice: .name("piano"), program: 6)]
        XCTAssertEqual(try RenderPlan(score: score, options: options).voices.map(\.instrument.program), [52, 6, 6])
        XCTAssertThrowsError(try VoiceSelector.name("Flute").voiceIndices(in: score.voices))
    }

    func testScheduleSkipsImpossibleNotesAndOrdersReleasesFirst() throws {
        var voice = Fixtures.voice(0, "Tenor", [(60, 0, 1), (60, 1, 1), (62, 2, 0)])
        voice.notes.append(Note(pitch: 200, onsetTicks: 0, durationTicks: 1, onsetQuarters: 0, durationQuarters: 1,
                                onsetSeconds: 0, durationSeconds: 0.5))
        voice.notes.append(Note(pitch: 61, onsetTicks: 0, durationTicks: 1, onsetQuarters: 0, durationQuarters: 1,
                                onsetSeconds: .nan, durationSeconds: 0.5))
        var options = RenderOptions()
        options.sampleRate = 10_000
        let plan = try RenderPlan(score: Fixtures.score([voice]), options: options)
        XCTAssertEqual(plan.noteCount, 3)
        XCTAssertEqual(plan.warnings.count, 1)
        let atHalfSecond = plan.events.filter { $0.frame == 5_000 }.map(\.kind)
        XCTAssertEqual(atHalfSecond, [.noteOff, .noteOn], "the repeated C is released before it is struck again")
        let zeroLength = plan.events.filter { $0.key == 62 }
        XCTAssertEqual(zeroLength.map(\.frame), [10_000, 10_001], "a zero-length note still gets a release after its strike")
        XCTAssertEqual(plan.soundingFrames, 10_001)
    }
}

final class ScheduleSizeTests: XCTestCase {
    func testEventsStayCompact() {
        // Two events per note: a file with ten million notes needs 320 MB, not a gigabyte.
        XCTAssertEqual(MemoryLayout<ScheduledEvent>.stride, 16)
    }
}
