import Foundation
import TaleaFeatures
import TaleaMIDI
import TaleaScore
import TaleaTestSupport
import XCTest

/// The shared SplitMix64 generator under the name these tests use.
typealias SeededGenerator = SplitMix64

enum Fixtures {
    static let ticksPerQuarter = 480

    /// A note at a time in quarters (ticks and seconds at 120 quarters per minute follow).
    static func note(_ pitch: Int, at onset: Double, for duration: Double, channel: Int = 0) -> Note {
        Note(pitch: pitch, velocity: 80, channel: channel,
             onsetTicks: Int((onset * Double(ticksPerQuarter)).rounded()),
             durationTicks: Int((duration * Double(ticksPerQuarter)).rounded()),
             onsetQuarters: onset, durationQuarters: duration,
             onsetSeconds: onset / 2, durationSeconds: duration / 2)
    }

    /// A voice from (pitch, sounding length, silence after) triples laid end to end.
    static func voice(_ name: String, index: Int = 0, _ events: [(pitch: Int, length: Double, rest: Double)],
                      start: Double = 0, channel: Int = 0) -> Voice {
        var time = start
        var notes: [Note] = []
        for event in events {
            notes.append(note(event.pitch, at: time, for: event.length, channel: channel))
            time += event.length + event.rest
        }
        return Voice(index: index, name: name, trackIndex: index + 1, channel: channel, notes: notes)
    }

    static func score(_ voices: [Voice]) -> Score {
        Score(ticksPerQuarter: ticksPerQuarter, voices: voices,
              tempi: [TempoChange(tick: 0, quarters: 0, seconds: 0, microsecondsPerQuarter: 500_000)])
    }

    /// The corpus folder: $TALEA_CORPUS, else <package root>/../shared/corpus.
    static func corpusURL() throws -> URL {
        guard let url = SharedCorpus.directory else {
            throw XCTSkip("corpus not found (set TALEA_CORPUS or place it at ../shared/corpus): skipped")
        }
        return url
    }

    /// Manifest rows (id, label, absolute path).
    static func manifest() throws -> [(id: String, label: String, url: URL)] {
        let corpus = try corpusURL()
        let text = try String(contentsOf: corpus.appendingPathComponent("manifest.csv"), encoding: .utf8)
        var rows: [(id: String, label: String, url: URL)] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            rows.append((String(fields[0]), String(fields[2]), corpus.appendingPathComponent(String(fields[1]))))
        }
        return rows
    }

    /// Parses bytes written by the foundation's writer back into a score.
    static func roundTrip(_ midi: MIDIFile) throws -> Score {
        let bytes = try midi.serialized()
        return try Score(midi: try MIDIFile(bytes: bytes))
    }
}
