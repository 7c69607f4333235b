import TaleaMIDI
import TaleaTestSupport
import XCTest

final class RoundTripTests: XCTestCase {
    /// A random message of any kind the model has.
    func randomMessage(_ rng: inout SplitMix64) -> MIDIMessage {
        let c = UInt8.random(in: 0...15, using: &rng)
        let d1 = UInt8.random(in: 0...127, using: &rng), d2 = UInt8.random(in: 0...127, using: &rng)
        let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        switch Int.random(in: 0..<22, using: &rng) {
        case 0, 1, 2: return .noteOn(channel: c, key: d1, velocity: d2)
        case 3, 4: return .noteOff(channel: c, key: d1, velocity: d2)
        case 5: return .polyphonicPressure(channel: c, key: d1, pressure: d2)
        case 6: return .controlChange(channel: c, controller: d1, value: d2)
        case 7: return .programChange(channel: c, program: d1)
        case 8: return .channelPressure(channel: c, pressure: d1)
        case 9: return .pitchBend(channel: c, value: UInt16.random(in: 0...0x3FFF, using: &rng))
        case 10: return .sysex(bytes + [0xF7])
        case 11: return .sysexEscape(bytes)
        case 12: return .meta(.text(MIDITextKind.allCases.randomElement(using: &rng) ?? .text, bytes))
        case 13: return .meta(.tempo(microsecondsPerQuarter: UInt32.random(in: 1...0xFF_FFFF, using: &rng)))
        case 14: return .meta(.timeSignature(numerator: d1, denominatorPower: d2 & 7, clocksPerClick: 24, thirtySecondNotesPerQuarter: 8))
        case 15: return .meta(.keySignature(sharps: Int8.random(in: -7...7, using: &rng), isMinor: Bool.random(using: &rng)))
        case 16: return .meta(.sequenceNumber(UInt16.random(in: 0...0xFFFF, using: &rng)))
        case 17: return .meta(.channelPrefix(c))
        case 18: return .meta(.port(d1))
        case 19: return .meta(.smpteOffset(hours: 1, minutes: 2, seconds: 3, frames: 4, subframes: d1))
        case 20: return .meta(.sequencerSpecific(bytes))
        default: return .meta(.unknown(type: 0x60, data: bytes))
        }
    }

    func randomFile(format: Int, seed: UInt64) -> MIDIFile {
        var rng = SplitMix64(seed: seed)
        let trackCount = format == 0 ? 1 : Int.random(in: 1...5, using: &rng)
        var tracks: [MIDITrack] = []
        for _ in 0..<trackCount {
            var tick = 0
            var events: [MIDIEvent] = []
            for _ in 0..<Int.random(in: 0...300, using: &rng) {
                // Mostly small deltas, sometimes 4-byte ones.
                tick += Bool.random(using: &rng) ? 0 : Int.random(in: 0...(Int.random(in: 0...9, using: &rng) == 0 ? 0x0FFF_FFFF : 500), using: &rng)
                events.append(MIDIEvent(tick: tick, randomMessage(&rng)))
            }
            events.append(MIDIEvent(tick: tick + Int.random(in: 0...10, using: &rng), .meta(.endOfTrack)))
            tracks.append(MIDITrack(events: events))
        }
        let division: MIDIDivision = seed % 4 == 0
            ? .smpte(framesPerSecond: [24, 25, 29, 30][Int(seed / 4 % 4)], ticksPerFrame: Int.random(in: 1...255, using: &rng))
            : .ticksPerQuarter(Int.random(in: 1...0x7FFF, using: &rng))
        return MIDIFile(format: format, division: division, tracks: tracks)
    }

    /// read(write(x)) == x for generated event streams of every kind, formats 0 and 1.
    func testGeneratedFilesRoundTrip() throws {
        for seed in UInt64(1)...200 {
            let file = randomFile(format: seed % 2 == 0 ? 0 : 1, seed: seed)
            let bytes = try file.serialized()
            let back = try MIDIFile(bytes: bytes)
            XCTAssertEqual(back.warnings, [], "seed \(seed)")
            XCTAssertEqual(back, file, "seed \(seed)")
            // Writing again gives the same bytes.
            XCTAssertEqual(try back.serialized(), bytes, "seed \(seed)")
        }
    }

    /// The writer uses running status: a repeated status byte is omitted, and it is re-sent after a meta event.
    func testWriterUsesRunningStatus() throws {
        let track = MIDITrack(events: [
            MIDIEvent(tick: 0, .noteOn(channel: 2, key: 60, velocity: 90)),
            MIDIEvent(tick: 0, .noteOn(channel: 2, key: 64, velocity: 90)),
            MIDIEvent(tick: 0, .meta(.text(.marker, Array("A".utf8)))),
            MIDIEvent(tick: 10, .noteOn(channel: 2, key: 60, velocity: 0)),
            MIDIEvent(tick: 10, .meta(.endOfTrack)),
        ])
        let bytes = try MIDIFile(format: 0, ticksPerQuarter: 96, tracks: [track]).serialized()
        let body = Array(bytes[22...])
        XCTAssertEqual(body, [0x00, 0x92, 60, 90, 0x00, 64, 90, 0x00, 0xFF, 0x06, 0x01, 0x41,
                              0x0A, 0x92, 60, 0, 0x00, 0xFF, 0x2F, 0x00])
        XCTAssertEqual(readBE32(bytes, 18), body.count)
        XCTAssertEqual(try MIDIFile(bytes: bytes).tracks, [track])
    }

    /// The writer adds a missing end-of-track; the reader keeps it as an event.
    func testWriterAppendsEndOfTrack() throws {
        let file = MIDIFile(format: 0, ticksPerQuarter: 480,
                            tracks: [MIDITrack(events: [MIDIEvent(tick: 5, .noteOn(channel: 0, key: 60, velocity: 1))])])
        let back = try MIDIFile(bytes: try file.serialized())
        XCTAssertEqual(back.tracks[0].events.last, MIDIEvent(tick: 5, .meta(.endOfTrack)))
        XCTAssertEqual(back.warnings, [])
    }

    /// Invalid data is refused with a typed error, not written wrongly.
    func testWriterRefusesInvalidData() {
        let outOfOrder = MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [MIDITrack(events: [
            MIDIEvent(tick: 10, .noteOn(channel: 0, key: 60, velocity: 1)),
            MIDIEvent(tick: 5, .noteOff(channel: 0, key: 60, velocity: 0)),
        ])])
        XCTAssertThrowsError(try outOfOrder.serialized()) { error in
            XCTAssertEqual(error as? MIDIWriteError, .eventOutOfOrder(track: 0, event: 1, tick: 5))
        }
        let badData = MIDIFile(format: 1, ticksPerQuarter: 480,
                               tracks: [MIDITrack(events: [MIDIEvent(tick: 0, .noteOn(channel: 0, key: 200, velocity: 1))])])
        XCTAssertThrowsError(try badData.serialized())
        let badChannel = MIDIFile(format: 1, ticksPerQuarter: 480,
                                  tracks: [MIDITrack(events: [MIDIEvent(tick: 0, .programChange(channel: 16, program: 1))])])
        XCTAssertThrowsError(try badChannel.serialized())
        XCTAssertThrowsError(try MIDIFile(format: 0, ticksPerQuarter: 480, tracks: []).serialized())
        XCTAssertThrowsError(try MIDIFile(format: 1, ticksPerQuarter: 0, tracks: []).serialized())
    }

    /// Merging into format 0 keeps every event in time order with one end-of-track.
    func testMergedToFormatZero() throws {
        let file = twoVoiceFile()
        let zero = file.mergedToFormatZero()
        XCTAssertEqual(zero.format, 0)
        XCTAssertEqual(zero.tracks.count, 1)
        let events = zero.tracks[0].events
        XCTAssertEqual(events.count, file.tracks.reduce(0) { $0 + $1.events.count } - 2)
        XCTAssertEqual(events.map(\.tick), events.map(\.tick).sorted())
        XCTAssertEqual(events.filter { $0.message == .meta(.endOfTrack) }.count, 1)
        XCTAssertEqual(noteOnCount(zero), 16)
        XCTAssertEqual(try MIDIFile(bytes: try zero.serialized()), zero)
    }

    /// Text meta events decode as UTF-8, and as Latin-1 when not valid UTF-8.
    func testTextDecoding() {
        XCTAssertEqual(MIDIText.decode(Array("Gesang – Stimme".utf8)), "Gesang – Stimme")
        XCTAssertEqual(MIDIText.decode([0x4B, 0x6C, 0x61, 0x76, 0x69, 0x65, 0x72, 0x20, 0x66, 0xFC, 0x72]), "Klavier für")
    }
}
