import Foundation
import TaleaAudio
import TaleaScore
import XCTest

/// Scores built in code at a fixed tempo, so that every time in a test is known exactly.
enum Fixtures {
    /// 120 quarter notes per minute: half a second per quarter.
    static let secondsPerQuarter = 0.5
    static let ticksPerQuarter = 480

    /// A note from quarter-note times at 120 per minute.
    static func note(_ pitch: Int, at onset: Double, lasting duration: Double, velocity: Int = 90, channel: Int = 0) -> Note {
        Note(pitch: pitch, velocity: velocity, channel: channel,
             onsetTicks: Int(onset * Double(ticksPerQuarter)), durationTicks: Int(duration * Double(ticksPerQuarter)),
             onsetQuarters: onset, durationQuarters: duration,
             onsetSeconds: onset * secondsPerQuarter, durationSeconds: duration * secondsPerQuarter)
    }

    /// A voice from (pitch, onset, duration) triples in quarter notes.
    static func voice(_ index: Int, _ name: String, program: Int? = nil, isDrum: Bool = false,
                      _ notes: [(Int, Double, Double)]) -> Voice {
        Voice(index: index, name: name, trackIndex: index + 1, channel: isDrum ? 9 : index, program: program,
              isDrum: isDrum, notes: notes.map { note($0.0, at: $0.1, lasting: $0.2, channel: isDrum ? 9 : index) })
    }

    static func score(_ voices: [Voice]) -> Score {
        Score(ticksPerQuarter: ticksPerQuarter, voices: voices,
              tempi: [TempoChange(tick: 0, quarters: 0, seconds: 0, microsecondsPerQuarter: 500_000)])
    }

    /// Two voices that never sound together: the soprano in 0–1 s, the bass in 2–3 s, then the
    /// soprano again in 4–5 s. Rests in between.
    static var alternating: Score {
        score([
            voice(0, "Soprano", [(72, 0, 2), (74, 8, 2)]),
            voice(1, "Bass", [(48, 4, 2)]),
        ])
    }

    /// A short four-part cadence (2 s of music).
    static var chorale: Score {
        score([
            voice(0, "Soprano", [(72, 0, 1), (71, 1, 1), (72, 2, 2)]),
            voice(1, "Alto", [(67, 0, 1), (67, 1, 1), (67, 2, 2)]),
            voice(2, "Tenor", [(64, 0, 1), (62, 1, 1), (64, 2, 2)]),
            voice(3, "Bass", [(48, 0, 1), (55, 1, 1), (48, 2, 2)]),
        ])
    }
}

/// A fresh empty directory for one test, removed afterwards.
func makeTemporaryDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("talea-audio-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// The SoundFont found the way `talea render` finds it, or a skip that says why.
func requireSoundFont() throws -> SoundFont {
    do {
        return try SoundFont.locate()
    } catch {
        throw XCTSkip("no SoundFont available (\(error)); install timgm6mb-soundfont or set TALEA_SOUNDFONT")
    }
}

/// Options for fast tests: 16 kHz keeps every render well under a second.
func fastOptions() -> RenderOptions {
    var options = RenderOptions()
    options.sampleRate = 16_000
    return options
}
