import Foundation
import TaleaAudio
import TaleaScore
import XCTest

final class RenderTests: XCTestCase {
    /// RMS level that only notes reach (a dry choir note at velocity 90 through TimGM6mb is ~0.02–0.1).
    let soundFloor = 0.003
    /// RMS level of digital near-silence (16-bit quantisation noise is ~1e-5 at most).
    let silenceCeiling = 0.0002

    func testLengthIsMusicPlusReleaseTail() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        let score = Fixtures.alternating
        for (rate, tail) in [(16_000, 1.0), (22_050, 0.25)] {
            var options = fastOptions()
            options.sampleRate = rate
            options.releaseTailSeconds = tail
            let url = directory.appendingPathComponent("length-\(rate).wav")
            let summary = try AudioRenderer(soundFont: soundFont, options: options).render(score, to: url)
            let audio = try DecodedAudio(contentsOf: url)
            let expected = score.durationSeconds + tail
            XCTAssertEqual(score.durationSeconds, 5.0, accuracy: 1e-9)
            XCTAssertEqual(audio.sampleRate, rate)
            XCTAssertEqual(audio.channels, 2)
            XCTAssertEqual(audio.durationSeconds, expected, accuracy: expected * 0.01)
            XCTAssertEqual(audio.frameCount, Int((expected * Double(rate)).rounded()), "exact frame count")
            XCTAssertEqual(summary.frames, audio.frameCount)
            XCTAssertEqual(audio.format, .wav)
            XCTAssertEqual(audio.bitDepth, .sixteen)
        }
    }

    func testSoundWhereNotesPlayAndSilenceWhereTheScoreRests() throws {
        let soundFont = try requireSoundFont()
        let url = try makeTemporaryDirectory(self).appendingPathComponent("rests.wav")
        try AudioRenderer(soundFont: soundFont, options: fastOptions()).render(Fixtures.alternating, to: url)
        let audio = try DecodedAudio(contentsOf: url)
        // Notes: 0–1 s, 2–3 s, 4–5 s. Rests: 1–2 s and 3–4 s (allow 0.6 s for the release to die away).
        for (start, end) in [(0.1, 0.9), (2.1, 2.9), (4.1, 4.9)] {
            XCTAssertGreaterThan(audio.rms(from: start, to: end), soundFloor, "notes at \(start)–\(end) s")
        }
        for (start, end) in [(1.6, 2.0), (3.6, 4.0)] {
            XCTAssertLessThan(audio.rms(from: start, to: end), silenceCeiling, "rest at \(start)–\(end) s")
        }
        XCTAssertLessThan(audio.rms(from: 5.8, to: 6.0), silenceCeiling, "the tail dies away")
    }

    func testSoloSoundsOnlyWhileThatVoiceSoundsAndMuteSilencesIt() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        var soloOptions = fastOptions()
        soloOptions.soloVoices = [.name("bass")]
        let soloURL = directory.appendingPathComponent("solo.wav")
        let solo = try AudioRenderer(soundFont: soundFont, options: soloOptions).render(Fixtures.alternating, to: soloURL)
        XCTAssertEqual(solo.voices.map(\.name), ["Bass"])
        let soloAudio = try DecodedAudio(contentsOf: soloURL)
        // The bass sounds 2–3 s; the solo keeps the piece's timeline and ends with the bass.
        XCTAssertLessThan(soloAudio.rms(from: 0, to: 1.9), silenceCeiling, "silent before the bass enters")
        XCTAssertGreaterThan(soloAudio.rms(from: 2.1, to: 2.9), soundFloor, "the bass sounds")
        XCTAssertEqual(soloAudio.durationSeconds, 3.0 + soloOptions.releaseTailSeconds, accuracy: 0.01)

        var muteOptions = fastOptions()
        muteOptions.mutedVoices = [.index(1)]
        let muteURL = directory.appendingPathComponent("mute.wav")
        try AudioRenderer(soundFont: soundFont, options: muteOptions).render(Fixtures.alternating, to: muteURL)
        let muteAudio = try DecodedAudio(contentsOf: muteURL)
        XCTAssertGreaterThan(muteAudio.rms(from: 0.1, to: 0.9), soundFloor, "the soprano still sounds")
        XCTAssertLessThan(muteAudio.rms(from: 1.6, to: 4.0), silenceCeiling, "the muted bass is silent")
        XCTAssertGreaterThan(muteAudio.rms(from: 4.1, to: 4.9), soundFloor)
    }

    func testTwoRendersAreByteIdentical() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        for name in ["a.wav", "b.wav", "a.flac", "b.flac"] {
            try AudioRenderer(soundFont: soundFont, options: fastOptions())
                .render(Fixtures.chorale, to: directory.appendingPathComponent(name))
        }
        for ext in ["wav", "flac"] {
            let first = try Data(contentsOf: directory.appendingPathComponent("a.\(ext)"))
            let second = try Data(contentsOf: directory.appendingPathComponent("b.\(ext)"))
            XCTAssertGreaterThan(first.count, 1_000)
            XCTAssertEqual(first, second, "\(ext) renders differ")
        }
        // FLAC is lossless: the same samples as the WAV.
        let wav = try DecodedAudio(contentsOf: directory.appendingPathComponent("a.wav"))
        let flac = try DecodedAudio(contentsOf: directory.appendingPathComponent("a.flac"))
        XCTAssertEqual(flac.format, .flac)
        XCTAssertEqual(wav.samples, flac.samples)
    }

    func testTwentyFourBitAndOggVorbis() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        var options = fastOptions()
        options.bitDepth = .twentyFour
        let wavURL = directory.appendingPathComponent("deep.wav")
        try AudioRenderer(soundFont: soundFont, options: options).render(Fixtures.chorale, to: wavURL)
        let deep = try DecodedAudio(contentsOf: wavURL)
        XCTAssertEqual(deep.bitDepth, .twentyFour)
        XCTAssertGreaterThan(deep.rms(from: 0.1, to: 1.9), soundFloor)

        let oggURL = directory.appendingPathComponent("clip.ogg")
        try AudioRenderer(soundFont: soundFont, options: fastOptions()).render(Fixtures.chorale, to: oggURL)
        let ogg = try DecodedAudio(contentsOf: oggURL)
        XCTAssertEqual(ogg.format, .oggVorbis)
        // libsndfile gives every Ogg stream a random serial number, so the bytes differ between
        // runs, but the decoded audio is the same.
        let againURL = directory.appendingPathComponent("again.ogg")
        try AudioRenderer(soundFont: soundFont, options: fastOptions()).render(Fixtures.chorale, to: againURL)
        XCTAssertEqual(try DecodedAudio(contentsOf: againURL).samples, ogg.samples)
        XCTAssertEqual(ogg.durationSeconds, 3.0, accuracy: 0.03)
        XCTAssertGreaterThan(ogg.rms(from: 0.1, to: 1.9), soundFloor)
    }

    func testExcerptIsCutAtMaxSecondsAndStartsLate() throws {
        let soundFont = try requireSoundFont()
        let url = try makeTemporaryDirectory(self).appendingPathComponent("excerpt.flac")
        var options = fastOptions()
        options.releaseTailSeconds = 0.5
        // From 2.5 s (inside the bass note, 2–3 s) for 2 s: bass at 0–0.5 s, rest, soprano from 1.5 s, cut at 2 s.
        let summary = try AudioRenderer(soundFont: soundFont, options: options)
            .renderExcerpt(Fixtures.alternating, to: url, startSeconds: 2.5, maxSeconds: 2)
        let audio = try DecodedAudio(contentsOf: url)
        XCTAssertEqual(audio.durationSeconds, 2.5, accuracy: 0.025)
        XCTAssertEqual(summary.soundingSeconds, 2.0, accuracy: 1e-3)
        XCTAssertGreaterThan(audio.rms(from: 0.05, to: 0.45), soundFloor, "the bass note sounding at the start is struck")
        XCTAssertLessThan(audio.rms(from: 1.1, to: 1.5), silenceCeiling, "the rest")
        XCTAssertGreaterThan(audio.rms(from: 1.55, to: 1.95), soundFloor, "the soprano before the cut")
    }

    func testOverlappingNotesOfOnePitchAreNotCutByTheEarlierRelease() throws {
        let soundFont = try requireSoundFont()
        let url = try makeTemporaryDirectory(self).appendingPathComponent("overlap.wav")
        // Two notes on the same key: 0–2 s and 1–3 s. The first note-off (2 s) must not silence the second.
        let score = Fixtures.score([Fixtures.voice(0, "Tenor", [(60, 0, 4), (60, 2, 4)])])
        try AudioRenderer(soundFont: soundFont, options: fastOptions()).render(score, to: url)
        let audio = try DecodedAudio(contentsOf: url)
        XCTAssertGreaterThan(audio.rms(from: 2.3, to: 2.9), soundFloor)
        XCTAssertLessThan(audio.rms(from: 3.7, to: 4.0), silenceCeiling)
    }

    func testProgressIsReportedInOrderUpToTheEnd() throws {
        let soundFont = try requireSoundFont()
        let url = try makeTemporaryDirectory(self).appendingPathComponent("progress.wav")
        var reports: [RenderProgress] = []
        let summary = try AudioRenderer(soundFont: soundFont, options: fastOptions())
            .render(Fixtures.alternating, to: url) { reports.append($0) }
        XCTAssertGreaterThan(reports.count, 5)
        XCTAssertEqual(reports.map(\.framesWritten), reports.map(\.framesWritten).sorted())
        XCTAssertEqual(reports.last?.framesWritten, summary.frames)
        XCTAssertEqual(reports.last?.fraction ?? 0, 1, accuracy: 1e-12)
    }

    func testDrumVoiceAndManyVoicesRender() throws {
        let soundFont = try requireSoundFont()
        let url = try makeTemporaryDirectory(self).appendingPathComponent("many.wav")
        // 20 voices (more than 16 MIDI channels) plus a drum voice on the percussion bank.
        var voices = (0..<20).map { Fixtures.voice($0, "Part \($0 + 1)", [(48 + $0, Double($0) * 0.25, 1)]) }
        voices.append(Fixtures.voice(20, "Drums", isDrum: true, [(36, 0, 0.5), (38, 1, 0.5)]))
        let summary = try AudioRenderer(soundFont: soundFont, options: fastOptions())
            .render(Fixtures.score(voices), to: url)
        XCTAssertEqual(Set(summary.voices.map(\.channel)).count, 21, "every voice on its own channel")
        XCTAssertEqual(summary.voices.last?.instrument.bank, GeneralMIDI.percussionBank)
        XCTAssertTrue(summary.warnings.isEmpty, "\(summary.warnings)")
        let drumsOnly = try makeTemporaryDirectory(self).appendingPathComponent("drums.wav")
        var options = fastOptions()
        options.soloVoices = [.name("Drums")]
        try AudioRenderer(soundFont: soundFont, options: options).render(Fixtures.score(voices), to: drumsOnly)
        XCTAssertGreaterThan(try DecodedAudio(contentsOf: drumsOnly).rms(from: 0, to: 0.2), soundFloor, "the kick sounds")
    }
}
