import TaleaMIDI
import TaleaScore
import XCTest
import TaleaFeatures

/// Textures no score has but a damaged or hostile file can: the features are still exact, and are
/// computed in time linear in the notes.
final class HostileTextureTests: XCTestCase {
    /// 100,000 note-ons never switched off, a sixteenth apart, cycling through 60 keys: every note
    /// sounds to the end of the track. Read through real bytes, as `talea classify` reads a file.
    ///
    /// The sonorities then pile up: onset k (0-based) hears min(k + 1, 60) pitches. The sonority pass
    /// once kept every still-sounding note in a list and revisited it at each onset, which is
    /// quadratic here (a million such notes took more than five minutes); it now keeps one end per
    /// pitch.
    func testNotesThatNeverEndPileUpExactlyAndQuickly() throws {
        let noteCount = 100_000, keys = 60, ticksPerQuarter = 480
        var track = MIDITrackBuilder()
        for index in 0..<noteCount {
            track.add(.noteOn(channel: 0, key: UInt8(36 + index % keys), velocity: 80), at: index * ticksPerQuarter / 4)
        }
        let file = MIDIFile(format: 0, ticksPerQuarter: ticksPerQuarter,
                            tracks: [track.track(endingAt: noteCount * ticksPerQuarter / 4 + ticksPerQuarter)])
        let score = try Score(midi: try MIDIFile(bytes: try file.serialized()))
        XCTAssertEqual(score.noteCount, noteCount)
        XCTAssertTrue(score.warnings.contains { $0.contains("never switched off") }, "\(score.warnings)")

        let features = FeatureExtractor().extract(score)
        // Mean number of pitches sounding at an onset: 1, 2, …, 60, then 60 at every later onset.
        let pileUp = Double((1...keys).reduce(0, +) + (noteCount - keys) * keys) / Double(noteCount)
        XCTAssertEqual(try XCTUnwrap(features["texture.simultaneity"]), pileUp, accuracy: 1e-9)
        // Every onset but the first sounds with earlier notes.
        XCTAssertEqual(try XCTUnwrap(features["texture.chordal_share"]), Double(noteCount - 1) / Double(noteCount),
                       accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(features["texture.dense_share"]), Double(noteCount - 3) / Double(noteCount),
                       accuracy: 1e-9)
        XCTAssertTrue(features.values.allSatisfy(\.isFinite))
    }
}
