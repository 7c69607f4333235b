/// One event in compact, trivially copyable form: the status and data bytes as in the file, and for
/// meta and system-exclusive events the place of their data in ``MIDIRawFile/bytes``.
///
/// This is what the reader produces; ``MIDIFile`` decodes it into ``MIDIMessage`` values. Fast
/// consumers (the score builder) read it directly and never allocate per event.
public struct MIDIRawEvent: Hashable, Sendable {
    /// Absolute time in ticks.
    public var tick: Int
    /// Offset of the meta or system-exclusive data in ``MIDIRawFile/bytes`` (0 otherwise).
    public var payloadStart: Int
    /// Length of that data (0 otherwise).
    public var payloadCount: Int32
    /// 0x80...0xEF for a channel message (running status resolved), 0xFF meta, 0xF0 or 0xF7 sysex.
    public var status: UInt8
    /// First data byte of a channel message; the type of a meta event.
    public var data1: UInt8
    /// Second data byte of a channel message (0 for program change and channel pressure).
    public var data2: UInt8

    /// Creates a raw event.
    public init(tick: Int, status: UInt8, data1: UInt8, data2: UInt8, payloadStart: Int = 0, payloadCount: Int32 = 0) {
        self.tick = tick
        self.payloadStart = payloadStart
        self.payloadCount = payloadCount
        self.status = status
        self.data1 = data1
        self.data2 = data2
    }
}

/// A MIDI file as compact events: what the reader produces before decoding into ``MIDIFile``.
public struct MIDIRawFile: Sendable {
    /// 0, 1 or 2 (a format above 2 is read as 1, with a warning).
    public var format: Int
    /// Metrical or SMPTE time division.
    public var division: MIDIDivision
    /// The events of each track chunk, in file order.
    public var tracks: [[MIDIRawEvent]]
    /// Problems the reader worked around.
    public var warnings: [MIDIWarning]
    /// The storage the payload ranges point into (the file's own bytes when read from a file).
    public var bytes: [UInt8]

    /// Creates a raw file from its parts.
    public init(format: Int, division: MIDIDivision, tracks: [[MIDIRawEvent]], warnings: [MIDIWarning], bytes: [UInt8]) {
        self.format = format
        self.division = division
        self.tracks = tracks
        self.warnings = warnings
        self.bytes = bytes
    }

    /// The data of a meta or system-exclusive event.
    public func payload(of event: MIDIRawEvent) -> ArraySlice<UInt8> {
        bytes[event.payloadStart..<(event.payloadStart + Int(event.payloadCount))]
    }

    /// The compact form of a file built in code (payloads are gathered into ``bytes``; channel numbers
    /// and data bytes are masked to their 4 and 7 bits).
    public init(_ file: MIDIFile) {
        var storage: [UInt8] = []
        var tracks: [[MIDIRawEvent]] = []
        tracks.reserveCapacity(file.tracks.count)
        for track in file.tracks {
            var events: [MIDIRawEvent] = []
            events.reserveCapacity(track.events.count)
            for event in track.events {
                func channel(_ kind: UInt8, _ c: UInt8, _ d1: UInt8, _ d2: UInt8) -> MIDIRawEvent {
                    MIDIRawEvent(tick: event.tick, status: kind | (c & 0x0F), data1: d1 & 0x7F, data2: d2 & 0x7F)
                }
                func payload(_ status: UInt8, _ type: UInt8, _ data: [UInt8]) -> MIDIRawEvent {
                    let start = storage.count
                    storage.append(contentsOf: data)
                    return MIDIRawEvent(tick: event.tick, status: status, data1: type, data2: 0,
                                        payloadStart: start, payloadCount: Int32(clamping: data.count))
                }
                switch event.message {
                case let .noteOff(c, k, v): events.append(channel(0x80, c, k, v))
                case let .noteOn(c, k, v): events.append(channel(0x90, c, k, v))
                case let .polyphonicPressure(c, k, p): events.append(channel(0xA0, c, k, p))
                case let .controlChange(c, n, v): events.append(channel(0xB0, c, n, v))
                case let .programChange(c, p): events.append(channel(0xC0, c, p, 0))
                case let .channelPressure(c, p): events.append(channel(0xD0, c, p, 0))
                case let .pitchBend(c, v): events.append(channel(0xE0, c, UInt8(v & 0x7F), UInt8(v >> 7 & 0x7F)))
                case let .sysex(data): events.append(payload(0xF0, 0, data))
                case let .sysexEscape(data): events.append(payload(0xF7, 0, data))
                case let .meta(meta):
                    let (type, data) = meta.typeAndData
                    events.append(payload(0xFF, type, data))
                }
            }
            tracks.append(events)
        }
        self.init(format: file.format, division: file.division, tracks: tracks, warnings: file.warnings, bytes: storage)
    }
}

extension MIDIFile {
    /// Decodes compact events into messages.
    public init(_ raw: MIDIRawFile) {
        let tracks = raw.tracks.map { events in
            MIDITrack(events: events.map { MIDIEvent(tick: $0.tick, raw.message(of: $0)) })
        }
        self.init(format: raw.format, division: raw.division, tracks: tracks, warnings: raw.warnings)
    }
}

extension MIDIRawFile {
    /// The decoded message of an event.
    public func message(of event: MIDIRawEvent) -> MIDIMessage {
        let c = event.status & 0x0F, d1 = event.data1, d2 = event.data2
        switch event.status & 0xF0 {
        case 0x80: return .noteOff(channel: c, key: d1, velocity: d2)
        case 0x90: return .noteOn(channel: c, key: d1, velocity: d2)
        case 0xA0: return .polyphonicPressure(channel: c, key: d1, pressure: d2)
        case 0xB0: return .controlChange(channel: c, controller: d1, value: d2)
        case 0xC0: return .programChange(channel: c, program: d1)
        case 0xD0: return .channelPressure(channel: c, pressure: d1)
        case 0xE0: return .pitchBend(channel: c, value: UInt16(d2) << 7 | UInt16(d1))
        default:
            let data = payload(of: event)
            switch event.status {
            case 0xF0: return .sysex(Array(data))
            case 0xF7: return .sysexEscape(Array(data))
            default: return .meta(MIDIMetaEvent(type: d1, data: data))
            }
        }
    }
}

extension MIDIMetaEvent {
    /// True when a meta event of this type may have this many data bytes (unknown types: any length).
    public static func lengthIsValid(type: UInt8, length: Int) -> Bool {
        switch type {
        case 0x00: return length == 0 || length == 2
        case 0x20, 0x21: return length == 1
        case 0x2F: return length == 0
        case 0x51: return length == 3
        case 0x54: return length == 5
        case 0x58: return length == 4
        case 0x59: return length == 2
        default: return true
        }
    }

    /// Decodes a meta event from its type and data; a known type with a wrong length is kept as
    /// ``unknown(type:data:)`` (an end-of-track with data is still an end-of-track).
    public init(type: UInt8, data: ArraySlice<UInt8>) {
        let b = data
        let p = data.startIndex
        switch (type, data.count) {
        case (0x00, 2): self = .sequenceNumber(UInt16(b[p]) << 8 | UInt16(b[p + 1]))
        case (0x01...0x09, _):
            self = MIDITextKind(rawValue: type).map { .text($0, Array(data)) } ?? .unknown(type: type, data: Array(data))
        case (0x20, 1): self = .channelPrefix(b[p])
        case (0x21, 1): self = .port(b[p])
        case (0x2F, _): self = .endOfTrack
        case (0x51, 3): self = .tempo(microsecondsPerQuarter: UInt32(b[p]) << 16 | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]))
        case (0x54, 5): self = .smpteOffset(hours: b[p], minutes: b[p + 1], seconds: b[p + 2], frames: b[p + 3], subframes: b[p + 4])
        case (0x58, 4):
            self = .timeSignature(numerator: b[p], denominatorPower: b[p + 1], clocksPerClick: b[p + 2],
                                  thirtySecondNotesPerQuarter: b[p + 3])
        case (0x59, 2): self = .keySignature(sharps: Int8(bitPattern: b[p]), isMinor: b[p + 1] != 0)
        case (0x7F, _): self = .sequencerSpecific(Array(data))
        default: self = .unknown(type: type, data: Array(data))
        }
    }
}
