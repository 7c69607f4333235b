import Foundation
import TaleaAudio
import TaleaMIDI
import TaleaScore
import TaleaTestSupport
import XCTest

/// Renders real MIDI files (written with TaleaMIDI's writer, and from the shared corpus) through
/// `Score.load`, as `talea render` does.
final class MIDIFileRenderTests: XCTestCase {
    let soundFloor = 0.003
    let silenceCeiling = 0.0002

    /// Format 1 at 480 ticks per quarter: a conductor track with 120 per minute, then 60 from
    /// quarter 4; a soprano in quarters 0–2 (0–1 s) and a piano chord in quarters 4–6 (2–4 s
    /// because of the slower tempo).
    private func writeFixture(to url: URL, formatZero: Bool = false) throws {
        var conductor = MIDITrackBuilder()
        conductor.tempo(quartersPerMinute: 120, at: 0)
        conductor.tempo(quartersPerMinute: 60, at: 4 * 480)
        var soprano = MIDITrackBuilder()
        soprano.name("Soprano")
        soprano.note(72, at: 0, duration: 2 * 480, velocity: 90, channel: 0)
        var piano = MIDITrackBuilder()
        piano.name("Piano")
        piano.program(0, channel: 1)
        for key in [48, 55, 64] { piano.note(key, at: 4 * 480, duration: 2 * 480, velocity: 90, channel: 1) }
        var file = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [conductor.track(), soprano.track(), piano.track()])
        if formatZero { file = file.mergedToFormatZero() }
        try Data(try file.serialized()).write(to: url)
    }

    func testMIDIFileLengthFollowsTheTempoMap() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        for formatZero in [false, true] {
            let midi = directory.appendingPathComponent("tempo-\(formatZero).mid")
            try writeFixture(to: midi, formatZero: formatZero)
            let score = try Score.load(contentsOf: midi)
            XCTAssertEqual(score.durationSeconds, 4.0, accuracy: 1e-6, "the tempo change doubles the second half")
            let out = directory.appendingPathComponent("tempo-\(formatZero).wav")
            let summary = try AudioRenderer(soundFont: soundFont, options: fastOptions()).render(score, to: out)
            XCTAssertEqual(summary.voices.map(\.instrument.program), [GeneralMIDI.choirAahs, GeneralMIDI.piano])
            let audio = try DecodedAudio(contentsOf: out)
            let expected = score.durationSeconds + summary.tailSeconds
            XCTAssertEqual(audio.durationSeconds, expected, accuracy: expected * 0.01, "format \(formatZero ? 0 : 1)")
            XCTAssertGreaterThan(audio.rms(from: 0.1, to: 0.9), soundFloor)
            XCTAssertLessThan(audio.rms(from: 1.6, to: 2.0), silenceCeiling, "rest while the tempo changes")
            XCTAssertGreaterThan(audio.rms(from: 2.1, to: 3.9), soundFloor, "the chord lasts two slow quarters")
        }
    }

    func testCorpusExcerpt() throws {
        let soundFont = try requireSoundFont()
        guard let corpus = SharedCorpus.directory else { throw XCTSkip("corpus not found: set TALEA_CORPUS or place it at ../shared/corpus") }
        let chorales = corpus.appendingPathComponent("midi/bach_chorale")
        guard let first = try? FileManager.default.contentsOfDirectory(atPath: chorales.path)
            .filter({ $0.hasSuffix(".mid") }).sorted().first else {
            throw XCTSkip("corpus not found at \(corpus.path); set TALEA_CORPUS")
        }
        let score = try Score.load(contentsOf: chorales.appendingPathComponent(first))
        let out = try makeTemporaryDirectory(self).appendingPathComponent("clip.flac")
        var options = fastOptions()
        options.releaseTailSeconds = 0.5
        let summary = try AudioRenderer(soundFont: soundFont, options: options)
            .renderExcerpt(score, to: out, startSeconds: 2, maxSeconds: 5)
        XCTAssertEqual(summary.voices.count, 4)
        XCTAssertTrue(summary.voices.allSatisfy { $0.instrument.program == GeneralMIDI.choirAahs }, "SATB sing")
        XCTAssertEqual(Set(summary.voices.map(\.channel)).count, 4, "music21 puts all four on channel 0; Talea separates them")
        let audio = try DecodedAudio(contentsOf: out)
        XCTAssertEqual(audio.durationSeconds, 5.5, accuracy: 0.055)
        XCTAssertGreaterThan(audio.rms(from: 0, to: 5), soundFloor)
    }
}
