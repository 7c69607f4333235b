// Standard MIDI File writer (format 0, 1 and 2).
//
// Running status is ON for channel messages: a status byte is written only when it differs from the
// previous channel message's, and again after every meta or system-exclusive event (which cancel
// running status in the standard). An end-of-track event is appended to a track that lacks one.

/// Why a ``MIDIFile`` could not be written.
public enum MIDIWriteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The format is not 0, 1 or 2, or format 0 has other than one track.
    case invalidFormat(format: Int, tracks: Int)
    /// The division cannot be written (ticks per quarter outside 1...32767, bad SMPTE values).
    case invalidDivision(MIDIDivision)
    /// More than 65,535 tracks.
    case tooManyTracks(Int)
    /// An event's tick is negative or earlier than the previous event of its track.
    case eventOutOfOrder(track: Int, event: Int, tick: Int)
    /// A channel above 15 or a data byte above 127 (pitch bend above 16383).
    case valueOutOfRange(track: Int, event: Int, what: String)
    /// A delta time or a data length above 0x0FFFFFFF, or a track chunk above 4 GiB.
    case tooLong(track: Int, event: Int, what: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .invalidFormat(format, tracks): return "cannot write format \(format) with \(tracks) tracks"
        case let .invalidDivision(division): return "cannot write division \(division)"
        case let .tooManyTracks(count): return "cannot write \(count) tracks (at most 65,535)"
        case let .eventOutOfOrder(track, event, tick):
            return "track \(track), event \(event): tick \(tick) is negative or before the previous event"
        case let .valueOutOfRange(track, event, what): return "track \(track), event \(event): \(what) out of range"
        case let .tooLong(track, event, what): return "track \(track), event \(event): \(what) too long for a MIDI file"
        }
    }
}

extension MIDIFile {
    /// The file as Standard MIDI File bytes (running status on; see the file comment).
    ///
    /// `MIDIFile(bytes: try file.serialized())` gives back the same format, division and tracks for a
    /// file whose tracks end with an end-of-track event.
    public func serialized() throws(MIDIWriteError) -> [UInt8] {
        guard (0...2).contains(format), format != 0 || tracks.count == 1 else {
            throw .invalidFormat(format: format, tracks: tracks.count)
        }
        guard tracks.count <= 0xFFFF else { throw .tooManyTracks(tracks.count) }
        let division: Int
        switch self.division {
        case let .ticksPerQuarter(tpq):
            guard (1...0x7FFF).contains(tpq) else { throw .invalidDivision(self.division) }
            division = tpq
        case let .smpte(fps, tpf):
            guard (1...128).contains(fps), (1...255).contains(tpf) else { throw .invalidDivision(self.division) }
            division = Int(UInt8(bitPattern: Int8(-fps))) << 8 | tpf
        }
        var out: [UInt8] = [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6]
        out.reserveCapacity(14 + tracks.reduce(0) { $0 + 8 + $1.events.count * 4 })
        appendBE16(&out, format)
        appendBE16(&out, tracks.count)
        appendBE16(&out, division)
        for (index, track) in tracks.enumerated() {
            try writeTrack(track, index: index, into: &out)
        }
        return out
    }
}

private func appendBE16(_ out: inout [UInt8], _ value: Int) {
    out.append(UInt8(truncatingIfNeeded: value >> 8))
    out.append(UInt8(truncatingIfNeeded: value))
}

private func appendVLQ(_ out: inout [UInt8], _ value: Int) {
    var shift = 21
    while shift > 0 && value >> shift == 0 { shift -= 7 }
    while shift > 0 {
        out.append(UInt8(truncatingIfNeeded: value >> shift) & 0x7F | 0x80)
        shift -= 7
    }
    out.append(UInt8(truncatingIfNeeded: value) & 0x7F)
}

private func writeTrack(_ track: MIDITrack, index: Int, into out: inout [UInt8]) throws(MIDIWriteError) {
    out.append(contentsOf: [0x4D, 0x54, 0x72, 0x6B, 0, 0, 0, 0])
    let lengthAt = out.count - 4
    let dataStart = out.count
    var previousTick = 0
    var running: UInt8 = 0
    var endsWithEndOfTrack = false

    for (number, event) in track.events.enumerated() {
        guard event.tick >= previousTick else {
            throw .eventOutOfOrder(track: index, event: number, tick: event.tick)
        }
        let delta = event.tick - previousTick
        guard delta <= 0x0FFF_FFFF else { throw .tooLong(track: index, event: number, what: "delta time \(delta)") }
        previousTick = event.tick
        appendVLQ(&out, delta)

        func channelMessage(_ kind: UInt8, _ channel: UInt8, _ data: [UInt8]) throws(MIDIWriteError) {
            guard channel < 16 else { throw .valueOutOfRange(track: index, event: number, what: "channel \(channel)") }
            for byte in data where byte > 0x7F {
                throw .valueOutOfRange(track: index, event: number, what: "data byte \(byte)")
            }
            let status = kind | channel
            if status != running {
                out.append(status)
                running = status
            }
            out.append(contentsOf: data)
        }
        func variableData(_ status: UInt8, _ prefix: [UInt8], _ data: [UInt8]) throws(MIDIWriteError) {
            guard data.count <= 0x0FFF_FFFF else {
                throw .tooLong(track: index, event: number, what: "data of \(data.count) bytes")
            }
            out.append(status)
            out.append(contentsOf: prefix)
            appendVLQ(&out, data.count)
            out.append(contentsOf: data)
            running = 0
        }

        endsWithEndOfTrack = false
        switch event.message {
        case let .noteOff(c, key, velocity): try channelMessage(0x80, c, [key, velocity])
        case let .noteOn(c, key, velocity): try channelMessage(0x90, c, [key, velocity])
        case let .polyphonicPressure(c, key, pressure): try channelMessage(0xA0, c, [key, pressure])
        case let .controlChange(c, controller, value): try channelMessage(0xB0, c, [controller, value])
        case let .programChange(c, program): try channelMessage(0xC0, c, [program])
        case let .channelPressure(c, pressure): try channelMessage(0xD0, c, [pressure])
        case let .pitchBend(c, value):
            guard value <= 0x3FFF else { throw .valueOutOfRange(track: index, event: number, what: "pitch bend \(value)") }
            try channelMessage(0xE0, c, [UInt8(value & 0x7F), UInt8(value >> 7)])
        case let .sysex(data): try variableData(0xF0, [], data)
        case let .sysexEscape(data): try variableData(0xF7, [], data)
        case let .meta(meta):
            let (type, data) = meta.typeAndData
            try variableData(0xFF, [type], data)
            if case .endOfTrack = meta { endsWithEndOfTrack = true }
        }
    }
    if !endsWithEndOfTrack {
        out.append(contentsOf: [0x00, 0xFF, 0x2F, 0x00])
    }
    let length = out.count - dataStart
    guard length <= 0xFFFF_FFFF else { throw .tooLong(track: index, event: track.events.count, what: "track chunk") }
    out[lengthAt] = UInt8(truncatingIfNeeded: length >> 24)
    out[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 16)
    out[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 8)
    out[lengthAt + 3] = UInt8(truncatingIfNeeded: length)
}

extension MIDIMetaEvent {
    /// The meta type byte and the data bytes as written in a file.
    public var typeAndData: (type: UInt8, data: [UInt8]) {
        switch self {
        case let .sequenceNumber(n): return (0x00, [UInt8(n >> 8), UInt8(n & 0xFF)])
        case let .text(kind, bytes): return (kind.rawValue, bytes)
        case let .channelPrefix(c): return (0x20, [c])
        case let .port(p): return (0x21, [p])
        case .endOfTrack: return (0x2F, [])
        case let .tempo(t):
            return (0x51, [UInt8(truncatingIfNeeded: t >> 16), UInt8(truncatingIfNeeded: t >> 8), UInt8(truncatingIfNeeded: t)])
        case let .smpteOffset(h, m, s, f, sf): return (0x54, [h, m, s, f, sf])
        case let .timeSignature(n, d, c, b): return (0x58, [n, d, c, b])
        case let .keySignature(sharps, minor): return (0x59, [UInt8(bitPattern: sharps), minor ? 1 : 0])
        case let .sequencerSpecific(data): return (0x7F, data)
        case let .unknown(type, data): return (type, data)
        }
    }
}

extension MIDIFile {
    /// The same music as a format-0 file: every track's events merged into one track in time order
    /// (at one tick, in track order), with a single end-of-track at the end. Voices that shared a
    /// channel in different tracks become one voice, as format 0 implies.
    public func mergedToFormatZero() -> MIDIFile {
        var merged: [(event: MIDIEvent, track: Int, order: Int)] = []
        merged.reserveCapacity(tracks.reduce(0) { $0 + $1.events.count })
        var lastTick = 0
        for (t, track) in tracks.enumerated() {
            for (i, event) in track.events.enumerated() {
                lastTick = max(lastTick, event.tick)
                if case .meta(.endOfTrack) = event.message { continue }
                merged.append((event, t, i))
            }
        }
        merged.sort { ($0.event.tick, $0.track, $0.order) < ($1.event.tick, $1.track, $1.order) }
        var events = merged.map(\.event)
        events.append(MIDIEvent(tick: lastTick, .meta(.endOfTrack)))
        return MIDIFile(format: 0, division: division, tracks: [MIDITrack(events: events)])
    }
}

/// Builds a track in absolute ticks, for fixtures and export: add events in any order, then take
/// ``track(endingAt:)``, which sorts them (at one tick: meta events, then other channel messages,
/// then note-offs, then note-ons, each in insertion order) and ends the track.
public struct MIDITrackBuilder: Sendable {
    private var items: [(event: MIDIEvent, rank: Int, order: Int)] = []

    /// Creates an empty builder.
    public init() {}

    /// Adds any message at a tick.
    public mutating func add(_ message: MIDIMessage, at tick: Int) {
        let rank: Int
        switch message {
        case .meta, .sysex, .sysexEscape: rank = 0
        case .noteOff: rank = 2
        case let .noteOn(_, _, velocity): rank = velocity == 0 ? 2 : 3
        default: rank = 1
        }
        items.append((MIDIEvent(tick: tick, message), rank, items.count))
    }

    /// Adds a note as a note-on and a note-off (`offAsZeroVelocity` writes the off as note-on velocity 0).
    public mutating func note(_ key: Int, at tick: Int, duration: Int, velocity: Int = 80, channel: Int = 0,
                              offAsZeroVelocity: Bool = false) {
        let c = UInt8(clamping: channel & 0x0F), k = UInt8(clamping: min(max(key, 0), 127))
        add(.noteOn(channel: c, key: k, velocity: UInt8(clamping: min(max(velocity, 1), 127))), at: tick)
        add(offAsZeroVelocity ? .noteOn(channel: c, key: k, velocity: 0) : .noteOff(channel: c, key: k, velocity: 0),
            at: tick + max(duration, 0))
    }

    /// Adds a track name (UTF-8, or the given raw bytes, e.g. Latin-1).
    public mutating func name(_ text: String, at tick: Int = 0) {
        add(.meta(.text(.trackName, Array(text.utf8))), at: tick)
    }

    /// Adds a track name given as raw bytes (to test Latin-1 names).
    public mutating func name(bytes: [UInt8], at tick: Int = 0) {
        add(.meta(.text(.trackName, bytes)), at: tick)
    }

    /// Adds a tempo in quarter notes per minute.
    public mutating func tempo(quartersPerMinute: Double, at tick: Int = 0) {
        let micro = UInt32(clamping: Int((60_000_000 / quartersPerMinute).rounded()))
        add(.meta(.tempo(microsecondsPerQuarter: min(micro, 0xFF_FFFF))), at: tick)
    }

    /// Adds a time signature such as 3/4 (the denominator must be a power of two).
    public mutating func timeSignature(_ numerator: Int, _ denominator: Int, at tick: Int = 0) {
        let power = UInt8(clamping: max(0, denominator).trailingZeroBitCount)
        add(.meta(.timeSignature(numerator: UInt8(clamping: numerator), denominatorPower: power,
                                 clocksPerClick: 24, thirtySecondNotesPerQuarter: 8)), at: tick)
    }

    /// Adds a key signature (sharps positive, flats negative).
    public mutating func keySignature(sharps: Int, minor: Bool = false, at tick: Int = 0) {
        add(.meta(.keySignature(sharps: Int8(clamping: sharps), isMinor: minor)), at: tick)
    }

    /// Adds a program change.
    public mutating func program(_ program: Int, channel: Int = 0, at tick: Int = 0) {
        add(.programChange(channel: UInt8(clamping: channel & 0x0F), program: UInt8(clamping: min(max(program, 0), 127))), at: tick)
    }

    /// The events sorted, with an end-of-track at `endingAt` or at the last event's tick.
    public func track(endingAt end: Int? = nil) -> MIDITrack {
        var events = items.sorted { ($0.event.tick, $0.rank, $0.order) < ($1.event.tick, $1.rank, $1.order) }
            .map(\.event)
        events.removeAll { if case .meta(.endOfTrack) = $0.message { return true } else { return false } }
        let last = events.last?.tick ?? 0
        events.append(MIDIEvent(tick: max(end ?? last, last), .meta(.endOfTrack)))
        return MIDITrack(events: events)
    }

    /// The events sorted, without any end-of-track (to build broken fixtures).
    public func eventsWithoutEndOfTrack() -> [MIDIEvent] {
        items.sorted { ($0.event.tick, $0.rank, $0.order) < ($1.event.tick, $1.rank, $1.order) }.map(\.event)
    }
}
