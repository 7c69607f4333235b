import TaleaMIDI
import TaleaScore
import TaleaTestSupport
import XCTest

/// Reads a file built in code through real bytes (writer → reader → score).
func scoreThroughBytes(_ file: MIDIFile) throws -> Score {
    try Score(midi: try MIDIFile(bytes: try file.serialized()))
}

final class ScoreBuilderTests: XCTestCase {
    /// Format 1: a voice per track with notes, named from the track, times in quarters and seconds
    /// through a tempo change mid-piece, metre and key lists, programs.
    func testFormatOneVoicesTimesAndMaps() throws {
        var conductor = MIDITrackBuilder()
        conductor.tempo(quartersPerMinute: 120)
        conductor.tempo(quartersPerMinute: 60, at: 960)
        conductor.timeSignature(4, 4)
        conductor.timeSignature(6, 8, at: 1920)
        conductor.keySignature(sharps: -2, minor: true)
        var soprano = MIDITrackBuilder()
        soprano.name("Soprano")
        soprano.program(19)
        soprano.note(72, at: 0, duration: 480)
        soprano.note(74, at: 960, duration: 960)
        var bass = MIDITrackBuilder()
        bass.name("Bass")
        bass.note(48, at: 480, duration: 960, channel: 3)
        let score = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480,
                                                   tracks: [conductor.track(), soprano.track(), bass.track()]))
        XCTAssertEqual(score.voices.map(\.name), ["Soprano", "Bass"])
        XCTAssertEqual(score.voices.map(\.trackIndex), [1, 2])
        XCTAssertEqual(score.voices.map(\.channel), [0, 3])
        XCTAssertEqual(score.voices[0].program, 19)
        XCTAssertNil(score.voices[1].program)
        let second = score.voices[0].notes[1]
        XCTAssertEqual(second.onsetQuarters, 2)
        XCTAssertEqual(second.durationQuarters, 2)
        XCTAssertEqual(second.onsetSeconds, 1.0, accuracy: 1e-9)    // 2 quarters at 120
        XCTAssertEqual(second.durationSeconds, 2.0, accuracy: 1e-9) // 2 quarters at 60
        let bassNote = score.voices[1].notes[0]                      // 1...3 quarters, crossing the change
        XCTAssertEqual(bassNote.onsetSeconds, 0.5, accuracy: 1e-9)
        XCTAssertEqual(bassNote.durationSeconds, 0.5 + 1.0, accuracy: 1e-9)
        XCTAssertEqual(score.tempi.map(\.tick), [0, 960])
        XCTAssertEqual(score.tempi.map(\.microsecondsPerQuarter), [500_000, 1_000_000])
        XCTAssertEqual(score.tempi[1].seconds, 1.0, accuracy: 1e-9)
        XCTAssertEqual(score.timeSignatures.map { "\($0.numerator)/\($0.denominator)@\($0.quarters)" }, ["4/4@0.0", "6/8@4.0"])
        XCTAssertEqual(score.keySignatures, [KeySignature(tick: 0, quarters: 0, sharps: -2, isMinor: true)])
        XCTAssertEqual(score.durationQuarters, 4)
        XCTAssertEqual(score.durationSeconds, 3.0, accuracy: 1e-9)
        XCTAssertEqual(score.warnings, [])
    }

    /// A file with no tempo event runs at 120 quarters per minute.
    func testDefaultTempo() throws {
        var track = MIDITrackBuilder()
        track.note(60, at: 960, duration: 480)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]))
        XCTAssertEqual(score.tempi, [TempoChange(tick: 0, quarters: 0, seconds: 0, microsecondsPerQuarter: 500_000)])
        XCTAssertEqual(score.voices[0].notes[0].onsetSeconds, 1.0, accuracy: 1e-9)
    }

    /// Note-on with velocity 0 ends a note exactly as a note-off does.
    func testNoteOnVelocityZeroIsNoteOff() throws {
        var track = MIDITrackBuilder()
        track.note(60, at: 0, duration: 240, offAsZeroVelocity: true)
        track.note(60, at: 240, duration: 240, offAsZeroVelocity: true)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]))
        XCTAssertEqual(score.voices[0].notes.map { [$0.onsetTicks, $0.durationTicks] }, [[0, 240], [240, 240]])
        XCTAssertEqual(score.warnings, [])
    }

    /// Overlapping notes of one pitch pair first-in-first-out.
    func testOverlappingSamePitchPairsFirstInFirstOut() throws {
        var track = MIDITrackBuilder()
        track.add(.noteOn(channel: 0, key: 64, velocity: 70), at: 0)
        track.add(.noteOn(channel: 0, key: 64, velocity: 90), at: 100)
        track.add(.noteOff(channel: 0, key: 64, velocity: 0), at: 300)
        track.add(.noteOff(channel: 0, key: 64, velocity: 0), at: 400)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 100, tracks: [track.track()]))
        let notes = score.voices[0].notes
        XCTAssertEqual(notes.map(\.onsetTicks), [0, 100])
        XCTAssertEqual(notes.map(\.durationTicks), [300, 300])
        XCTAssertEqual(notes.map(\.velocity), [70, 90])
    }

    /// A name of a megabyte (a hostile file) is cut after 256 bytes and marked, without splitting a
    /// UTF-8 character; a short name is kept whole.
    func testHugeNamesAreCut() throws {
        var accented = MIDITrackBuilder()
        accented.name("  " + String(repeating: "é", count: 500_000))
        accented.note(60, at: 0, duration: 480)
        var plain = MIDITrackBuilder()
        plain.name("Tenor")
        plain.note(48, at: 0, duration: 480, channel: 1)
        let score = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [accented.track(), plain.track()]))
        XCTAssertEqual(score.voices.map(\.name), [String(repeating: "é", count: 128) + "…", "Tenor"])
    }

    /// Control characters and bidirectional overrides in a name are shown as "�", so that printing a
    /// voice's name cannot drive the terminal (an ESC sequence) or reorder the line around it.
    func testControlCharactersInNamesAreReplaced() throws {
        var track = MIDITrackBuilder()
        track.name(bytes: Array("Alto\u{1B}[2J\u{0}x\u{202E}yz".utf8))
        track.note(60, at: 0, duration: 480)
        let score = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [track.track()]))
        XCTAssertEqual(score.voices.map(\.name), ["Alto\u{FFFD}[2J\u{FFFD}x\u{FFFD}yz"])
    }

    /// Notes never switched off end with their track, with a warning; stray note-offs are ignored with one.
    func testHangingNotesClosedAtTrackEnd() throws {
        var track = MIDITrackBuilder()
        track.add(.noteOn(channel: 0, key: 60, velocity: 70), at: 0)
        track.add(.noteOn(channel: 0, key: 67, velocity: 70), at: 480)
        track.add(.noteOff(channel: 0, key: 50, velocity: 0), at: 500)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track(endingAt: 1920)]))
        XCTAssertEqual(score.voices[0].notes.map(\.endTicks), [1920, 1920])
        XCTAssertTrue(score.warnings.contains { $0.contains("2 notes never switched off") }, "\(score.warnings)")
        XCTAssertTrue(score.warnings.contains { $0.contains("1 note-offs with no sounding note") }, "\(score.warnings)")
    }

    /// Pairing is per track: a note left sounding in one track is not ended by another track's note-off.
    func testPendingNotesDoNotLeakAcrossTracks() throws {
        var first = MIDITrackBuilder()
        first.add(.noteOn(channel: 0, key: 60, velocity: 70), at: 0)
        first.add(.noteOn(channel: 0, key: 60, velocity: 70), at: 100)
        var second = MIDITrackBuilder()
        second.add(.noteOff(channel: 0, key: 60, velocity: 0), at: 50)
        second.note(60, at: 200, duration: 100)
        let score = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480,
                                                   tracks: [first.track(endingAt: 400), second.track()]))
        XCTAssertEqual(score.voices[0].notes.map(\.endTicks), [400, 400])
        XCTAssertEqual(score.voices[1].notes.map { [$0.onsetTicks, $0.durationTicks] }, [[200, 100]])
        XCTAssertTrue(score.warnings.contains { $0.contains("1 note-offs with no sounding note") }, "\(score.warnings)")
    }

    /// Format 0: a voice per channel, in channel order; the drum channel (10) is marked.
    func testFormatZeroVoicesAreChannels() throws {
        var track = MIDITrackBuilder()
        track.name("Whole piece")
        track.note(36, at: 0, duration: 120, channel: 9)
        track.note(60, at: 0, duration: 480, channel: 2)
        track.note(48, at: 0, duration: 480, channel: 0)
        track.program(40, channel: 2)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]))
        XCTAssertEqual(score.voices.map(\.channel), [0, 2, 9])
        XCTAssertEqual(score.voices.map(\.name), ["Channel 1", "Channel 3", "Channel 10"])
        XCTAssertEqual(score.voices.map(\.isDrum), [false, false, true])
        XCTAssertEqual(score.voices.map(\.index), [0, 1, 2])
        XCTAssertEqual(score.voices[1].program, 40)
    }

    /// A lone part written on channel 10 is read as pitches (with a warning) rather than as drums,
    /// which would leave a file with nothing to read; beside pitched voices it stays percussion.
    func testChannelTenAloneIsReadAsPitched() throws {
        var alone = MIDITrackBuilder()
        alone.name("Alto")
        for step in 0..<8 { alone.note(60 + step, at: step * 480, duration: 480, channel: 9) }
        let single = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [alone.track()]))
        XCTAssertEqual(single.voices.map(\.isDrum), [false])
        XCTAssertEqual(single.voices.first?.notes.count, 8)
        XCTAssertTrue(single.warnings.contains { $0.contains("only channel 10") }, "\(single.warnings)")

        var melody = MIDITrackBuilder()
        melody.note(72, at: 0, duration: 480, channel: 0)
        let mixed = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [melody.track(), alone.track()]))
        XCTAssertEqual(mixed.voices.map(\.isDrum), [false, true])
        XCTAssertFalse(mixed.warnings.contains { $0.contains("only channel 10") })
    }

    /// Notes on channel 10 alone that sound as a drum kit stay drums, so nothing pitched is left to
    /// read: a rock beat (bass drum or snare with the hi-hat on every eighth), and a beat that strikes
    /// one of three drums at a time. A line moving through eight pitches, and chords reaching above
    /// the percussion keys, are parts, read as pitched.
    func testChannelTenAloneStaysDrumsWhenItSoundsAsAKit() throws {
        func alone(_ write: (inout MIDITrackBuilder) -> Void) throws -> Score {
            var track = MIDITrackBuilder()
            write(&track)
            return try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]))
        }
        let rock = try alone { $0.rockBeat(eighths: 64) }
        XCTAssertEqual(rock.voices.map(\.isDrum), [true])
        XCTAssertEqual(rock.voices.first?.notes.count, 96)
        XCTAssertTrue(rock.warnings.contains("only channel 10 (percussion) holds notes, and they sound as a drum kit (bass drum, snare and hi-hat keys, two or more struck together at 50% of onsets): they are read as drums"), "\(rock.warnings)")

        let oneAtATime = try alone { track in
            for eighth in 0..<32 { track.note([36, 42, 38, 42][eighth % 4], at: eighth * 240, duration: 120, channel: 9) }
        }
        XCTAssertEqual(oneAtATime.voices.map(\.isDrum), [true])
        XCTAssertTrue(oneAtATime.warnings.contains { $0.contains("(32 strokes on 3 percussion keys)") }, "\(oneAtATime.warnings)")

        let line = try alone { track in
            for step in 0..<32 { track.note(60 + [0, 2, 4, 5, 7, 9, 11, 12][step % 8], at: step * 480, duration: 480, channel: 9) }
        }
        XCTAssertEqual(line.voices.map(\.isDrum), [false])
        XCTAssertTrue(line.warnings.contains("only channel 10 (percussion) holds notes: they are read as pitched voices"), "\(line.warnings)")

        let chords = try alone { track in
            for beat in 0..<32 {
                for key in [72, 76, 79, 84] { track.note(key, at: beat * 480, duration: 480, channel: 9) }
            }
        }
        XCTAssertFalse(chords.voices.contains(where: \.isDrum), "half the notes lie above the percussion keys")

        // Four parts in chords, all written on channel 10 (a damaged or odd file): the notes are
        // struck together, but spread over the keyboard rather than gathered on the kit's keys.
        var parts: [MIDITrack] = []
        for voice in [[72, 74, 76, 77], [67, 67, 67, 69], [64, 65, 60, 60], [48, 43, 45, 41]] {
            var track = MIDITrackBuilder()
            for beat in 0..<32 { track.note(voice[beat % 4], at: beat * 480, duration: 480, channel: 9) }
            parts.append(track.track())
        }
        let choir = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480, tracks: parts))
        XCTAssertEqual(choir.voices.map(\.isDrum), [false, false, false, false])
    }

    /// A format-1 track using two channels (a piano on one track) becomes two voices; a piano on two
    /// tracks is two voices too.
    func testTrackWithTwoChannelsIsSplit() throws {
        var piano = MIDITrackBuilder()
        piano.name("Piano")
        piano.note(72, at: 0, duration: 480, channel: 1)
        piano.note(40, at: 0, duration: 480, channel: 2)
        var right = MIDITrackBuilder()
        right.name("Piano RH")
        right.note(76, at: 0, duration: 480, channel: 3)
        var left = MIDITrackBuilder()
        left.name("Piano LH")
        left.note(36, at: 0, duration: 480, channel: 3)
        let score = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480,
                                                   tracks: [piano.track(), right.track(), left.track()]))
        XCTAssertEqual(score.voices.map(\.name), ["Piano (channel 2)", "Piano (channel 3)", "Piano RH", "Piano LH"])
        XCTAssertEqual(score.voices.map(\.trackIndex), [0, 0, 1, 2])
        XCTAssertEqual(score.voices.map { $0.notes.map(\.pitch) }, [[72], [40], [76], [36]])
    }

    /// Track names in Latin-1 decode; names are trimmed; unnamed tracks get "Track N".
    func testLatin1AndFallbackNames() throws {
        var first = MIDITrackBuilder()
        first.name(bytes: [0x53, 0xE4, 0x6E, 0x67, 0x65, 0x72, 0x20, 0x00]) // "Sänger " + NUL in Latin-1
        first.note(60, at: 0, duration: 10)
        var second = MIDITrackBuilder()
        second.note(62, at: 0, duration: 10, channel: 1)
        let score = try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [first.track(), second.track()]))
        XCTAssertEqual(score.voices.map(\.name), ["Sänger", "Track 2"])
    }

    /// SMPTE division: seconds are exact; quarters assume 120 per minute.
    func testSMPTEDivision() throws {
        var track = MIDITrackBuilder()
        track.tempo(quartersPerMinute: 60) // ignored for SMPTE time
        track.note(60, at: 100, duration: 50)
        let file = MIDIFile(format: 0, division: .smpte(framesPerSecond: 25, ticksPerFrame: 40), tracks: [track.track()])
        let score = try scoreThroughBytes(file)
        let note = score.voices[0].notes[0]
        XCTAssertEqual(note.onsetSeconds, 0.1, accuracy: 1e-9)     // 1,000 ticks per second
        XCTAssertEqual(note.durationSeconds, 0.05, accuracy: 1e-9)
        XCTAssertEqual(note.onsetQuarters, 0.2, accuracy: 1e-9)    // 2 quarters per second
        XCTAssertEqual(score.ticksPerQuarter, 500)
    }

    /// Humanised, unquantised onsets keep their exact ticks and fractional quarters.
    func testUnquantisedOnsets() throws {
        var track = MIDITrackBuilder()
        let onsets = [0, 487, 951, 1466]
        for onset in onsets { track.note(60, at: onset, duration: 431) }
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]))
        XCTAssertEqual(score.voices[0].notes.map(\.onsetTicks), onsets)
        XCTAssertEqual(score.voices[0].notes[1].onsetQuarters, 487.0 / 480, accuracy: 1e-12)
    }

    /// Chord notes at one tick are sorted by pitch.
    func testNotesSortedByOnsetThenPitch() throws {
        var track = MIDITrackBuilder()
        track.note(67, at: 0, duration: 480)
        track.note(60, at: 0, duration: 480)
        track.note(64, at: 0, duration: 480)
        track.note(59, at: 480, duration: 480)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]))
        XCTAssertEqual(score.voices[0].notes.map(\.pitch), [60, 64, 67, 59])
    }

    /// A tempo of 0 is ignored, with warnings from the reader and the score.
    func testZeroTempoIgnored() throws {
        var track = MIDITrackBuilder()
        track.add(.meta(.tempo(microsecondsPerQuarter: 0)), at: 0)
        track.note(60, at: 480, duration: 480)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]))
        XCTAssertEqual(score.tempi.map(\.microsecondsPerQuarter), [500_000])
        XCTAssertEqual(score.voices[0].notes[0].onsetSeconds, 0.5, accuracy: 1e-9)
        XCTAssertTrue(score.warnings.contains { $0.contains("tempo of 0") }, "\(score.warnings)")
    }

    /// 10,080 ticks per quarter and more than 10 million ticks read correctly.
    func testFineDivisionAndLongTicks() throws {
        var track = MIDITrackBuilder()
        track.note(60, at: 0, duration: 10_080)
        track.note(62, at: 10_500_000, duration: 5_040)
        track.note(64, at: 12_345_678, duration: 1)
        let file = MIDIFile(format: 0, ticksPerQuarter: 10_080, tracks: [track.track()])
        let midi = try MIDIFile(bytes: try file.serialized())
        XCTAssertEqual(midi, file)
        let score = try Score(midi: midi)
        XCTAssertEqual(score.voices[0].notes.map(\.onsetTicks), [0, 10_500_000, 12_345_678])
        XCTAssertEqual(score.voices[0].notes[1].onsetQuarters, 10_500_000.0 / 10_080, accuracy: 1e-9)
        XCTAssertEqual(score.voices[0].notes[1].durationQuarters, 0.5)
        XCTAssertEqual(score.voices[0].notes[2].onsetSeconds, 12_345_678.0 / 10_080 / 2, accuracy: 1e-6)
    }

    /// A division of 0 ticks cannot define quarters: a typed error.
    func testInvalidDivisionInCode() {
        XCTAssertThrowsError(try Score(midi: MIDIFile(format: 0, ticksPerQuarter: 0, tracks: []))) { error in
            XCTAssertTrue("\(error)".contains("division"))
        }
    }
}

final class VoiceSelectionAndExportTests: XCTestCase {
    func lied() throws -> Score {
        var conductor = MIDITrackBuilder()
        conductor.tempo(quartersPerMinute: 72)
        conductor.timeSignature(3, 4)
        conductor.keySignature(sharps: 3)
        var voice = MIDITrackBuilder()
        voice.name("Singstimme Voice")
        voice.program(52)
        voice.note(69, at: 0, duration: 720)
        voice.note(71, at: 720, duration: 240)
        var right = MIDITrackBuilder()
        right.name("Pianoforte 1")
        right.note(73, at: 0, duration: 480, channel: 1)
        right.note(76, at: 0, duration: 480, channel: 1)
        var left = MIDITrackBuilder()
        left.name("Pianoforte 2")
        left.note(45, at: 0, duration: 960, channel: 2)
        return try scoreThroughBytes(MIDIFile(format: 1, ticksPerQuarter: 480,
                                              tracks: [conductor.track(), voice.track(), right.track(), left.track()]))
    }

    func testSelectorParsing() {
        XCTAssertEqual(VoiceSelector("2"), .index(2))
        XCTAssertEqual(VoiceSelector("Bass"), .name("Bass"))
        XCTAssertEqual(VoiceSelector("Tenor 2"), .name("Tenor 2"))
        XCTAssertEqual(VoiceSelector("-1"), .name("-1"))
    }

    func testSelectByIndexAndName() throws {
        let score = try lied()
        let byIndex = try score.selectingVoices([.index(2)])
        XCTAssertEqual(byIndex.voices.map(\.name), ["Pianoforte 2"])
        XCTAssertEqual(byIndex.voices.map(\.index), [0])
        XCTAssertEqual(byIndex.tempi, score.tempi)
        XCTAssertEqual(try score.selectingVoices([VoiceSelector("singstimme voice")]).voices.map(\.name), ["Singstimme Voice"])
        // No exact name: every voice whose name contains the text, in score order.
        XCTAssertEqual(try score.selectingVoices([VoiceSelector("piano")]).voices.map(\.name), ["Pianoforte 1", "Pianoforte 2"])
        XCTAssertEqual(try score.selectingVoices([.index(2), .index(0), .index(2)]).voices.map(\.name),
                       ["Pianoforte 2", "Singstimme Voice"])
        XCTAssertEqual(try score.selectingVoices([]), score)
    }

    func testUnknownVoiceListsVoices() throws {
        let score = try lied()
        XCTAssertThrowsError(try score.selectingVoices([.name("Tenor")])) { error in
            XCTAssertEqual(error as? ScoreError,
                           .unknownVoice(selector: "Tenor", available: ["0: Singstimme Voice", "1: Pianoforte 1", "2: Pianoforte 2"]))
            XCTAssertTrue("\(error)".contains("voices present: 0: Singstimme Voice"))
        }
        XCTAssertThrowsError(try score.selectingVoices([.index(3)]))
        // A long list is cut in the message.
        let many = (0..<100).map { "\($0): Part \($0)" }
        let long = "\(ScoreError.unknownVoice(selector: "x", available: many))"
        XCTAssertTrue(long.hasSuffix("19: Part 19, … and 80 more (talea inspect lists them)"), long)
    }

    /// One voice is wanted (`talea classify --voice`): several matches are an error naming them.
    func testSelectingOneVoiceRefusesSeveral() throws {
        let score = try lied()
        XCTAssertEqual(try score.selectingOneVoice(VoiceSelector("pianoforte 2")).voices.map(\.name), ["Pianoforte 2"])
        XCTAssertEqual(try score.selectingOneVoice(.index(0)).voices.map(\.name), ["Singstimme Voice"])
        XCTAssertThrowsError(try score.selectingOneVoice(VoiceSelector("piano"))) { error in
            XCTAssertEqual(error as? ScoreError, .ambiguousVoice(selector: "piano", matches: ["1: Pianoforte 1", "2: Pianoforte 2"]))
            XCTAssertEqual("\(error)", "\"piano\" matches 2 voices (1: Pianoforte 1, 2: Pianoforte 2); choose one by its index")
        }
        XCTAssertThrowsError(try score.selectingOneVoice(.name("Tenor")))
    }

    /// Export keeps notes, names, programs, tempo, metre and key; a selection exports alone.
    func testExportRoundTrip() throws {
        let score = try lied()
        let again = try scoreThroughBytes(score.midiFile())
        XCTAssertEqual(again.voices, score.voices.map { var v = $0; v.trackIndex = $0.index + 1; return v })
        XCTAssertEqual(again.tempi, score.tempi)
        XCTAssertEqual(again.timeSignatures, score.timeSignatures)
        XCTAssertEqual(again.keySignatures, score.keySignatures)
        let alone = try scoreThroughBytes(score.selectingVoices([.index(0)]).midiFile())
        XCTAssertEqual(alone.voices.map(\.name), ["Singstimme Voice"])
        XCTAssertEqual(alone.voices[0].program, 52)
        XCTAssertEqual(alone.voices[0].notes, score.voices[0].notes)
    }

    /// The format-0 rewrite keeps the notes and names of every voice.
    func testFormatZeroRewrite() throws {
        let score = try lied()
        let zeroFile = score.formatZeroMIDIFile()
        XCTAssertEqual(zeroFile.format, 0)
        let zero = try scoreThroughBytes(zeroFile)
        XCTAssertEqual(zero.voices.map(\.name), score.voices.map(\.name))
        XCTAssertEqual(zero.voices.map { $0.notes.map(\.pitch) }, score.voices.map { $0.notes.map(\.pitch) })
        XCTAssertEqual(zero.voices.map { $0.notes.map(\.onsetTicks) }, score.voices.map { $0.notes.map(\.onsetTicks) })
        XCTAssertEqual(zero.timeSignatures, score.timeSignatures)
    }
}

final class GraceNoteTests: XCTestCase {
    /// music21 writes a zero-length (grace) note as note-off then note-on at one tick: a note of
    /// duration 0, not a note held to the end of the track.
    func testOffThenOnAtOneTickIsZeroLengthNote() throws {
        var track = MIDITrackBuilder()
        track.note(60, at: 0, duration: 480)
        track.add(.noteOff(channel: 0, key: 62, velocity: 0), at: 480)
        track.add(.noteOn(channel: 0, key: 62, velocity: 90), at: 480)
        track.note(64, at: 480, duration: 480)
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track(endingAt: 4800)]))
        XCTAssertEqual(score.voices[0].notes.map { [$0.pitch, $0.onsetTicks, $0.durationTicks] },
                       [[60, 0, 480], [62, 480, 0], [64, 480, 480]])
        XCTAssertEqual(score.warnings, [])
    }

    /// Two grace notes of one pitch at one tick (offs, then ons) are two zero-length notes.
    func testRepeatedGraceNotesAtOneTick() throws {
        var track = MIDITrackBuilder()
        for _ in 0..<2 { track.add(.noteOff(channel: 0, key: 72, velocity: 0), at: 960) }
        track.add(.noteOff(channel: 0, key: 74, velocity: 0), at: 960)
        for key in [72, 74, 72] { track.add(.noteOn(channel: 0, key: UInt8(key), velocity: 90), at: 960) }
        let score = try scoreThroughBytes(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track(endingAt: 4800)]))
        XCTAssertEqual(score.voices[0].notes.map(\.durationTicks), [0, 0, 0])
        XCTAssertEqual(score.voices[0].notes.map(\.pitch), [72, 72, 74])
        XCTAssertEqual(score.warnings, [])
    }
}
