import Foundation
import TaleaMIDI
import TaleaScore
import TaleaTestSupport
import XCTest
@testable import TaleaFeatures

/// A drum kit that plays through a file says it is none of the three repertories; a stray note on
/// channel 10 does not.
final class DrumKitTests: XCTestCase {
    /// A tune over 32 quarters.
    static let tune = Fixtures.voice("Vocals", (0..<32).map { (64 + [0, 2, 4, 5, 7][$0 % 5], 1.0, 0) })

    /// A kit on channel 10: bass drum, snare and hi-hat, `count` eighths from `start`.
    static func kit(count: Int, start: Double = 0) -> Voice {
        let notes = (0..<count).map { Fixtures.note([36, 42, 38, 42][$0 % 4], at: start + 0.5 * Double($0), for: 0.25, channel: 9) }
        return Voice(index: 1, name: "Drums", trackIndex: 2, channel: 9, isDrum: true, notes: notes)
    }

    func testAKitPlayingThroughTheMusicIsOne() {
        let song = Fixtures.score([Self.tune, Self.kit(count: 64)])
        XCTAssertTrue(DrumKit.playsThrough(song))
        XCTAssertEqual(DrumKit.drumNotes(of: song), 64)
        // Coming in at bar 3 of 8 and playing to the end is still a kit.
        XCTAssertTrue(DrumKit.playsThrough(Fixtures.score([Self.tune, Self.kit(count: 48, start: 8)])))
        XCTAssertFalse(DrumKit.playsThrough(Fixtures.score([Self.tune])))
    }

    func testAFewStrokesOrAClosingRollAreNotAKit() {
        // 15 strokes spread over the whole piece: too few.
        var sparse = Self.kit(count: 15)
        for n in sparse.notes.indices { sparse.notes[n].onsetQuarters = 2 * Double(n) }
        XCTAssertFalse(DrumKit.playsThrough(Fixtures.score([Self.tune, sparse])))
        // A roll of 24 strokes over the last 6 quarters: covers under half the music.
        let roll = Voice(index: 1, name: "Cymbal", trackIndex: 2, channel: 9, isDrum: true,
                         notes: (0..<24).map { Fixtures.note(49, at: 26 + 0.25 * Double($0), for: 0.25, channel: 9) })
        XCTAssertFalse(DrumKit.playsThrough(Fixtures.score([Self.tune, roll])))
        // An orchestral song's percussion: four strokes at each of five climaxes from the first bar to
        // the last. They span the music, but strike in only 5 of its 16 stretches.
        let crashes = Voice(index: 1, name: "Percussion", trackIndex: 2, channel: 9, isDrum: true,
                            notes: [0.0, 8, 16, 24, 31].flatMap { climax in
                                (0..<4).map { Fixtures.note(49, at: climax + 0.25 * Double($0), for: 0.25, channel: 9) }
                            })
        XCTAssertEqual(crashes.notes.count, 20)
        XCTAssertFalse(DrumKit.playsThrough(Fixtures.score([Self.tune, crashes])))
    }

    /// The rule reads stretches of the music, not bars: the same song in doubled note values has its
    /// kit too.
    func testTheKitIsFoundInAnyNoteValues() {
        var tune = Self.tune, kit = Self.kit(count: 64)
        for n in tune.notes.indices { tune.notes[n].onsetQuarters *= 2; tune.notes[n].durationQuarters *= 2 }
        for n in kit.notes.indices { kit.notes[n].onsetQuarters *= 2; kit.notes[n].durationQuarters *= 2 }
        XCTAssertTrue(DrumKit.playsThrough(Fixtures.score([tune, kit])))
    }

    /// A kit is told by its keys: a jazz beat led by the ride cymbal (two fifths of its strokes on
    /// bass drum, snare and hi-hat) plays through; a tenor line that a damaged file put on channel 10,
    /// in a tenor's register, does not, however long it sings.
    func testAKitIsToldByItsKeys() {
        // Per bar of 4/4: ride on every eighth, hi-hat pedal on 2 and 4, bass drum on 1 and 3, snare on 2 and 4.
        var strokes: [Note] = []
        for bar in 0..<8 {
            let start = 4.0 * Double(bar)
            for eighth in 0..<8 { strokes.append(Fixtures.note(51, at: start + 0.5 * Double(eighth), for: 0.25, channel: 9)) }
            for beat in [1.0, 3.0] {
                strokes.append(Fixtures.note(44, at: start + beat, for: 0.25, channel: 9))
                strokes.append(Fixtures.note(38, at: start + beat, for: 0.25, channel: 9))
            }
            for beat in [0.0, 2.0] { strokes.append(Fixtures.note(36, at: start + beat, for: 0.25, channel: 9)) }
        }
        let jazz = Voice(index: 1, name: "Drums", trackIndex: 2, channel: 9, isDrum: true, notes: strokes)
        XCTAssertTrue(DrumKit.playsThrough(Fixtures.score([Self.tune, jazz])))

        let tenorNotes = (0..<32).map { Fixtures.note(55 + [0, 2, 4, 5, 7][$0 % 5], at: Double($0), for: 1, channel: 9) }
        let tenor = Voice(index: 1, name: "Tenor", trackIndex: 2, channel: 9, isDrum: true, notes: tenorNotes)
        XCTAssertFalse(DrumKit.playsThrough(Fixtures.score([Self.tune, tenor])))
    }

    /// A file whose notes are all on channel 10 and move through five pitches one at a time is a part
    /// written on that channel (a damaged or odd encoding), read as pitched, so it has no kit; a kit
    /// alone on that channel stays drums and, with nothing else to play through, plays through.
    func testAFileOfDrumChannelNotesOnlyIsNotAKit() throws {
        var builder = MIDITrackBuilder()
        for n in 0..<64 { builder.note(60 + n % 5, at: n * 240, duration: 200, velocity: 80, channel: 9) }
        let score = try Fixtures.roundTrip(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [builder.track(endingAt: 64 * 240)]))
        XCTAssertFalse(score.voices.contains(where: \.isDrum))
        XCTAssertFalse(DrumKit.playsThrough(score))

        var loop = MIDITrackBuilder()
        loop.rockBeat(eighths: 32)
        let kitAlone = try Fixtures.roundTrip(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [loop.track(endingAt: 32 * 240)]))
        XCTAssertEqual(kitAlone.voices.map(\.isDrum), [true])
        XCTAssertTrue(DrumKit.playsThrough(kitAlone))
        XCTAssertEqual(DrumKit.drumNotes(of: kitAlone), 48)
        // Fewer strokes than a kit needs play through nothing.
        XCTAssertFalse(DrumKit.playsThrough(Fixtures.score([Self.kit(count: 15)])))
    }
}
