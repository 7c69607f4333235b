/// How a Standard MIDI File counts time.
public enum MIDIDivision: Hashable, Sendable {
    /// Metrical time: ticks per quarter note (1...32767).
    case ticksPerQuarter(Int)
    /// Time-code based time: frames per second (24, 25, 29 for 29.97 drop-frame, 30) and ticks per frame.
    case smpte(framesPerSecond: Int, ticksPerFrame: Int)

    /// Ticks per second for an SMPTE division (29 is read as 29.97 drop-frame), nil for metrical time.
    public var smpteTicksPerSecond: Double? {
        guard case let .smpte(fps, tpf) = self else { return nil }
        let frames = fps == 29 ? 29.97 : Double(fps)
        return frames * Double(tpf)
    }
}

/// The kind of a text meta event (types 0x01...0x09).
public enum MIDITextKind: UInt8, Hashable, Sendable, CaseIterable {
    /// 0x01: any text.
    case text = 0x01
    /// 0x02: copyright notice.
    case copyright = 0x02
    /// 0x03: sequence or track name.
    case trackName = 0x03
    /// 0x04: instrument name.
    case instrumentName = 0x04
    /// 0x05: lyric (usually one syllable).
    case lyric = 0x05
    /// 0x06: marker (rehearsal letter, section name).
    case marker = 0x06
    /// 0x07: cue point.
    case cuePoint = 0x07
    /// 0x08: program name.
    case programName = 0x08
    /// 0x09: device (port) name.
    case deviceName = 0x09
}

/// A meta event (status 0xFF), decoded where the type is known and the length is right.
public enum MIDIMetaEvent: Hashable, Sendable {
    /// 0x00 with two data bytes: sequence number.
    case sequenceNumber(UInt16)
    /// 0x01...0x09: text, kept as raw bytes (see ``MIDIText/decode(_:)``).
    case text(MIDITextKind, [UInt8])
    /// 0x20: MIDI channel prefix (0...15) for the meta events that follow.
    case channelPrefix(UInt8)
    /// 0x21: MIDI port.
    case port(UInt8)
    /// 0x2F: end of track.
    case endOfTrack
    /// 0x51: tempo in microseconds per quarter note (24 bits; 500,000 = 120 quarters per minute).
    case tempo(microsecondsPerQuarter: UInt32)
    /// 0x54: SMPTE offset of the track start.
    case smpteOffset(hours: UInt8, minutes: UInt8, seconds: UInt8, frames: UInt8, subframes: UInt8)
    /// 0x58: time signature; the beat unit is `1 << denominatorPower` (2 = quarter).
    case timeSignature(numerator: UInt8, denominatorPower: UInt8, clocksPerClick: UInt8,
                       thirtySecondNotesPerQuarter: UInt8)
    /// 0x59: key signature: sharps (positive) or flats (negative), and major/minor.
    case keySignature(sharps: Int8, isMinor: Bool)
    /// 0x7F: sequencer-specific data.
    case sequencerSpecific([UInt8])
    /// Any other type, or a known type whose length is wrong: kept raw so nothing is lost.
    case unknown(type: UInt8, data: [UInt8])
}

/// One message of a track: a channel message, a system-exclusive packet or a meta event.
///
/// Note-on with velocity 0 is kept as a `noteOn` here (the file says so); the score builder reads it
/// as a note-off.
public enum MIDIMessage: Hashable, Sendable {
    /// 0x8n: note off.
    case noteOff(channel: UInt8, key: UInt8, velocity: UInt8)
    /// 0x9n: note on (velocity 0 means note off).
    case noteOn(channel: UInt8, key: UInt8, velocity: UInt8)
    /// 0xAn: polyphonic key pressure.
    case polyphonicPressure(channel: UInt8, key: UInt8, pressure: UInt8)
    /// 0xBn: control change (includes channel mode messages).
    case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
    /// 0xCn: program change.
    case programChange(channel: UInt8, program: UInt8)
    /// 0xDn: channel pressure.
    case channelPressure(channel: UInt8, pressure: UInt8)
    /// 0xEn: pitch bend, 0...16383 with 8192 the centre.
    case pitchBend(channel: UInt8, value: UInt16)
    /// 0xF0 form: the bytes after the length (normally ending with 0xF7).
    case sysex([UInt8])
    /// 0xF7 form: a continuation packet or an escape, the bytes after the length.
    case sysexEscape([UInt8])
    /// 0xFF: a meta event.
    case meta(MIDIMetaEvent)

    /// The channel (0...15) of a channel message, nil otherwise.
    public var channel: UInt8? {
        switch self {
        case let .noteOff(c, _, _), let .noteOn(c, _, _), let .polyphonicPressure(c, _, _),
             let .controlChange(c, _, _), let .programChange(c, _), let .channelPressure(c, _),
             let .pitchBend(c, _):
            return c
        case .sysex, .sysexEscape, .meta:
            return nil
        }
    }
}

/// A message at an absolute time in ticks from the start of its track.
public struct MIDIEvent: Hashable, Sendable {
    /// Absolute time in ticks.
    public var tick: Int
    /// What happens.
    public var message: MIDIMessage

    /// Creates an event at an absolute tick.
    public init(tick: Int, _ message: MIDIMessage) {
        self.tick = tick
        self.message = message
    }
}

/// One `MTrk` chunk: events in time order (the reader keeps the end-of-track event when present).
public struct MIDITrack: Hashable, Sendable {
    /// The events, with non-decreasing ticks.
    public var events: [MIDIEvent]

    /// Creates a track from events.
    public init(events: [MIDIEvent] = []) {
        self.events = events
    }
}

/// A Standard MIDI File: header fields and tracks of timed events, plus what the reader salvaged.
public struct MIDIFile: Hashable, Sendable {
    /// 0 (one track), 1 (simultaneous tracks) or 2 (independent sequences).
    public var format: Int
    /// Metrical or SMPTE time division.
    public var division: MIDIDivision
    /// The track chunks in file order.
    public var tracks: [MIDITrack]
    /// Problems the reader worked around (empty for a clean file or one built in code).
    public var warnings: [MIDIWarning]

    /// Creates a file from its parts (for writing, tests and fixtures).
    public init(format: Int, division: MIDIDivision, tracks: [MIDITrack], warnings: [MIDIWarning] = []) {
        self.format = format
        self.division = division
        self.tracks = tracks
        self.warnings = warnings
    }

    /// Creates a metrical-time file, the usual case: `MIDIFile(format: 1, ticksPerQuarter: 480, tracks: …)`.
    public init(format: Int, ticksPerQuarter: Int, tracks: [MIDITrack]) {
        self.init(format: format, division: .ticksPerQuarter(ticksPerQuarter), tracks: tracks)
    }
}

/// Text decoding for meta events: UTF-8 when the bytes are valid UTF-8, Latin-1 otherwise.
public enum MIDIText {
    /// Decodes text bytes (UTF-8, falling back to ISO 8859-1, which maps every byte to a character).
    public static func decode(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
