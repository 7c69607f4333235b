// Standard MIDI File reader: tolerant where the data allows, bounded always.
//
// Salvage policy (each case leaves a MIDIWarning): RIFF RMID wrapper, bytes before MThd, a missing or
// misspelt MThd, header length other than 6, format above 2, invalid division, a chunk length that runs
// past the end of the file or disagrees with the end-of-track event, a track without end-of-track, a
// damaged or truncated track (the events before the damage are kept), unknown chunks, trailing garbage,
// tempo 0, track count mismatch. The read fails only on a limit, on input with no MIDI chunk at all, or
// when the damage leaves nothing musical (no note-on) to recover.

extension MIDIFile {
    /// Reads a Standard MIDI File (or a RIFF `RMID` file) from its bytes.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - limits: bounds on size, event count and track count.
    /// - Throws: ``MIDIReadError`` naming the byte offset and what was expected there.
    public init(bytes: [UInt8], limits: MIDIReadLimits = .default) throws(MIDIReadError) {
        self.init(try MIDIRawFile(bytes: bytes, limits: limits))
    }
}

extension MIDIRawFile {
    /// Reads a Standard MIDI File (or a RIFF `RMID` file) into compact events; same salvage, limits and
    /// errors as ``MIDIFile/init(bytes:limits:)``, without building a ``MIDIMessage`` per event.
    public init(bytes: [UInt8], limits: MIDIReadLimits = .default) throws(MIDIReadError) {
        guard bytes.count <= limits.maxFileSize else {
            throw .fileTooLarge(size: bytes.count, limit: limits.maxFileSize)
        }
        let result: Result<MIDIRawFile, MIDIReadError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = SMFReader(buffer: buffer, limits: limits)
            do throws(MIDIReadError) {
                let (format, division, tracks, warnings) = try reader.read()
                return .success(MIDIRawFile(format: format, division: division, tracks: tracks,
                                            warnings: warnings, bytes: bytes))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case let .success(file): self = file
        case let .failure(error): throw error
        }
    }
}

/// The outcome of reading one track chunk.
private struct TrackParse {
    var events: [MIDIRawEvent]
    /// Offset just after the last byte consumed.
    var stop: Int
    var foundEndOfTrack: Bool
    var damage: MIDIReadError?
}

private let warningCap = 200

private struct SMFReader {
    let buffer: UnsafeBufferPointer<UInt8>
    let limits: MIDIReadLimits
    var warnings: [MIDIWarning] = []
    var suppressedWarnings = 0
    var eventCount = 0
    var noteOnCount = 0
    var firstDamage: MIDIReadError?
    var lostData = false

    /// The event limit, never above what 32-bit note indices downstream can address.
    let maxEvents: Int

    init(buffer: UnsafeBufferPointer<UInt8>, limits: MIDIReadLimits) {
        self.buffer = buffer
        self.limits = limits
        maxEvents = min(max(0, limits.maxEvents), Int(Int32.max) - 1)
    }

    mutating func warn(_ kind: MIDIWarning.Kind, _ offset: Int, track: Int? = nil, _ message: String) {
        if warnings.count < warningCap {
            warnings.append(MIDIWarning(kind: kind, offset: offset, track: track, message: message))
        } else {
            suppressedWarnings += 1
        }
    }

    // MARK: byte helpers (callers check bounds)

    func matches(_ offset: Int, _ tag: StaticString, end: Int) -> Bool {
        guard offset >= 0, offset + 4 <= end else { return false }
        let t = tag.utf8Start
        return buffer[offset] == t[0] && buffer[offset + 1] == t[1] && buffer[offset + 2] == t[2]
            && buffer[offset + 3] == t[3]
    }

    /// True when at least three of the four bytes match the tag (a chunk ID hit by one bad byte).
    func nearlyMatches(_ offset: Int, _ tag: StaticString, end: Int) -> Bool {
        guard offset >= 0, offset + 4 <= end else { return false }
        let t = tag.utf8Start
        var same = 0
        for i in 0..<4 where buffer[offset + i] == t[i] { same += 1 }
        return same >= 3
    }

    func isChunkID(_ offset: Int, end: Int) -> Bool {
        guard offset >= 0, offset + 4 <= end else { return false }
        for i in 0..<4 {
            let b = buffer[offset + i]
            guard b >= 0x20 && b <= 0x7E else { return false }
        }
        return true
    }

    func find(_ tag: StaticString, from: Int, end: Int) -> Int? {
        guard from >= 0 else { return nil }
        var i = from
        let first = tag.utf8Start[0]
        while i + 4 <= end {
            if buffer[i] == first && matches(i, tag, end: end) { return i }
            i += 1
        }
        return nil
    }

    /// True when the chunk at `p` has a length that ends exactly at the end of the data or at an MTrk
    /// tag: a damaged tag on a chunk whose length still holds is read as a track.
    func lengthEndsAtChunk(_ p: Int, end: Int) -> Bool {
        guard p + 8 <= end else { return false }
        let target = p + 8 + be32(p + 4)
        return target == end || (target < end && nearlyMatches(target, "MTrk", end: end))
    }

    func be32(_ o: Int) -> Int {
        Int(buffer[o]) << 24 | Int(buffer[o + 1]) << 16 | Int(buffer[o + 2]) << 8 | Int(buffer[o + 3])
    }

    func be16(_ o: Int) -> Int { Int(buffer[o]) << 8 | Int(buffer[o + 1]) }

    func le32(_ o: Int) -> Int {
        Int(buffer[o + 3]) << 24 | Int(buffer[o + 2]) << 16 | Int(buffer[o + 1]) << 8 | Int(buffer[o])
    }

    func tagText(_ o: Int) -> String {
        String(decoding: (0..<4).map { buffer[o + $0] }, as: UTF8.self)
    }

    // MARK: file

    mutating func read() throws(MIDIReadError) -> (Int, MIDIDivision, [[MIDIRawEvent]], [MIDIWarning]) {
        var start = 0
        var end = buffer.count

        // RIFF "RMID" wrapper: the SMF is the payload of the "data" sub-chunk (lengths little-endian).
        if end >= 12 && matches(0, "RIFF", end: end) && matches(8, "RMID", end: end) {
            var p = 12
            while p + 8 <= end {
                let length = le32(p + 4)
                if matches(p, "data", end: end) {
                    start = p + 8
                    end = min(end, p + 8 + length)
                    warn(.riffWrapper, 0, "RIFF RMID wrapper: read the MIDI data at byte \(start)")
                    break
                }
                p += 8 + length + (length & 1)
            }
        }

        var format = 1
        var division = MIDIDivision.ticksPerQuarter(480)
        var declaredTracks: Int?
        var p = start

        var headerAt: Int?
        if nearlyMatches(start, "MThd", end: end) {
            headerAt = start
            if !matches(start, "MThd", end: end) {
                warn(.missingOrLateHeader, start, "header tag is \"\(tagText(start))\", read as MThd")
            }
        } else if let h = find("MThd", from: start, to: end) {
            warn(.missingOrLateHeader, start, "\(h - start) bytes before the MThd header skipped")
            headerAt = h
        } else if let t = find("MTrk", from: start, to: end), t - 14 >= start, be32(t - 10) == 6 {
            // The tag is damaged but a 6-byte header sits right before the first track: use its fields.
            warn(.missingOrLateHeader, t - 14, "header tag is \"\(tagText(t - 14))\", read as MThd")
            headerAt = t - 14
        }

        if let h = headerAt {
            guard h + 14 <= end else {
                throw .truncated(offset: end, expected: "the 14 bytes of the MThd header (chunk tag, length, format, tracks, division)")
            }
            let length = be32(h + 4)
            let rawFormat = be16(h + 8)
            declaredTracks = be16(h + 10)
            let rawDivision = be16(h + 12)
            if rawFormat > 2 {
                warn(.formatOutOfRange, h + 8, "format \(rawFormat) is not 0, 1 or 2; read as format 1")
                format = 1
            } else {
                format = rawFormat
            }
            if rawDivision & 0x8000 != 0 {
                let fps = -Int(Int8(bitPattern: UInt8(rawDivision >> 8)))
                let tpf = rawDivision & 0xFF
                if fps <= 0 || tpf == 0 {
                    warn(.invalidDivision, h + 12, "SMPTE division with \(fps) frames/s and \(tpf) ticks/frame; assumed 480 ticks per quarter")
                } else {
                    division = .smpte(framesPerSecond: fps, ticksPerFrame: tpf)
                }
            } else if rawDivision == 0 {
                warn(.invalidDivision, h + 12, "0 ticks per quarter; assumed 480")
            } else {
                division = .ticksPerQuarter(rawDivision)
            }
            p = h + 8 + length
            if length != 6 {
                // Trust the declared length if a chunk starts there; otherwise the standard 6.
                if !(p <= end && (p == end || isChunkID(p, end: end))) {
                    p = h + 14
                }
                warn(.headerLength, h + 4, "MThd length is \(length), not 6; the next chunk was read at byte \(p)")
            }
        } else if let t = find("MTrk", from: start, to: end) {
            warn(.missingOrLateHeader, start, "no MThd header; read the MTrk chunks from byte \(t) as format 1 with 480 ticks per quarter")
            lostData = true
            p = t
        } else {
            throw .notMIDI(offset: start, found: Array(buffer[start..<min(end, start + 4)]))
        }

        var tracks: [[MIDIRawEvent]] = []
        while p < end {
            if end - p < 8 {
                warn(.trailingGarbage, p, "\(end - p) bytes after the last chunk ignored")
                break
            }
            if nearlyMatches(p, "MTrk", end: end) || (!isChunkID(p, end: end) && lengthEndsAtChunk(p, end: end)) {
                guard tracks.count < limits.maxTracks else {
                    throw .tooManyTracks(offset: p, limit: limits.maxTracks)
                }
                let trackIndex = tracks.count
                if !matches(p, "MTrk", end: end) {
                    warn(.unknownChunk, p, track: trackIndex, "chunk tag \"\(tagText(p))\" read as MTrk")
                }
                let (parse, next) = try readTrackChunk(at: p, end: end, track: trackIndex)
                tracks.append(parse.events)
                if let damage = parse.damage {
                    firstDamage = firstDamage ?? damage
                    warn(.damagedTrack, damage.offset, track: trackIndex,
                         "\(damage.detail); kept the \(parse.events.count) events before it")
                } else if !parse.foundEndOfTrack {
                    warn(.missingEndOfTrack, parse.stop, track: trackIndex, "no end-of-track event; track ended at byte \(parse.stop)")
                }
                p = next
            } else if isChunkID(p, end: end) {
                let length = be32(p + 4)
                let target = p + 8 + length
                if target == end || (target < end && (end - target < 8 || isChunkID(target, end: end))) {
                    warn(.unknownChunk, p, "chunk \"\(tagText(p))\" of \(length) bytes skipped")
                    p = target
                } else if let q = find("MTrk", from: p + 8, to: end) {
                    warn(.unknownChunk, p, "chunk \"\(tagText(p))\" with a length of \(length) that does not end at a chunk; skipped to the MTrk at byte \(q)")
                    p = q
                } else {
                    warn(.unknownChunk, p, "chunk \"\(tagText(p))\" of \(length) bytes skipped")
                    p = min(target, end)
                }
            } else if let q = find("MTrk", from: p, to: end) {
                warn(.trailingGarbage, p, "\(q - p) unrecognised bytes skipped up to the next MTrk chunk")
                p = q
            } else {
                warn(.trailingGarbage, p, "\(end - p) bytes after the last chunk ignored")
                break
            }
        }

        if let declaredTracks, declaredTracks != tracks.count {
            warn(.trackCountMismatch, headerAt.map { $0 + 10 } ?? start,
                 "header declares \(declaredTracks) tracks, found \(tracks.count)")
            if tracks.count < declaredTracks { lostData = true }
        }
        if tracks.isEmpty && (declaredTracks ?? 1) > 0 {
            throw firstDamage ?? .truncated(offset: min(p, end), expected: "an MTrk chunk")
        }
        if noteOnCount == 0 && (firstDamage != nil || lostData) {
            // Damage that leaves no note is not worth a score: report the first problem.
            throw firstDamage ?? .truncated(offset: min(p, end), expected: "an MTrk chunk with notes")
        }
        if suppressedWarnings > 0 {
            warnings.append(MIDIWarning(kind: .damagedTrack, offset: end, message: "\(suppressedWarnings) further warnings suppressed"))
        }
        return (format, division, tracks, warnings)
    }

    /// Reads one MTrk chunk at `p`, deciding between its declared length and its end-of-track event;
    /// returns the parse and where the next chunk starts.
    mutating func readTrackChunk(at p: Int, end: Int, track: Int) throws(MIDIReadError) -> (TrackParse, Int) {
        let dataStart = p + 8
        let declaredEnd = dataStart + be32(p + 4)
        if declaredEnd > end {
            warn(.chunkPastEndOfFile, p + 4, track: track,
                 "track length \(declaredEnd - dataStart) runs \(declaredEnd - end) bytes past the end of the data")
            let parse = try readTrack(from: dataStart, to: end, stopAtChunk: true, track: track)
            var next = parse.stop
            if parse.damage != nil {
                // The end of a damaged track is unknown: resume at the next MTrk tag, if any.
                next = find("MTrk", from: max(parse.stop, dataStart), to: end) ?? end
            }
            return (parse, next)
        }
        let before = (eventCount, noteOnCount, warnings, suppressedWarnings)
        let parse = try readTrack(from: dataStart, to: declaredEnd, stopAtChunk: false, track: track)
        let boundaryIsChunk = declaredEnd == end || end - declaredEnd < 8 || isChunkID(declaredEnd, end: end)
        if parse.foundEndOfTrack {
            if parse.stop < declaredEnd && !boundaryIsChunk && nearlyMatches(parse.stop, "MTrk", end: end) {
                // The declared length is too long: the next track starts right after the end-of-track.
                warn(.chunkLengthMismatch, p + 4, track: track,
                     "declared length \(declaredEnd - dataStart) overruns the next MTrk at byte \(parse.stop)")
                return (parse, parse.stop)
            }
            return (parse, declaredEnd)
        }
        // No end-of-track inside the declared length. If the length ends in the middle of data, it may
        // be too short: read on to the end-of-track and keep that reading if it is cleaner.
        let endedAtBoundary: Bool
        switch parse.damage {
        case nil: endedAtBoundary = true
        case let .truncated(offset, _)?: endedAtBoundary = offset >= declaredEnd
        default: endedAtBoundary = false
        }
        guard endedAtBoundary && !boundaryIsChunk else { return (parse, declaredEnd) }
        let after = (eventCount, noteOnCount, warnings, suppressedWarnings)
        (eventCount, noteOnCount, warnings, suppressedWarnings) = before
        let retry = try readTrack(from: dataStart, to: end, stopAtChunk: true, track: track)
        if retry.damage == nil && retry.foundEndOfTrack {
            warn(.chunkLengthMismatch, p + 4, track: track,
                 "declared length \(declaredEnd - dataStart) ends inside the track; read on to the end-of-track at byte \(retry.stop)")
            return (retry, retry.stop)
        }
        (eventCount, noteOnCount, warnings, suppressedWarnings) = after
        return (parse, declaredEnd)
    }

    // MARK: track

    /// Reads the events of one track between `from` and `to`. Structural damage ends the track and is
    /// returned in `damage`; only limits throw.
    mutating func readTrack(from start: Int, to end: Int, stopAtChunk: Bool, track: Int) throws(MIDIReadError) -> TrackParse {
        var events: [MIDIRawEvent] = []
        // Typical density is 3–4 bytes per event; the bound is the real data, never a declared length.
        events.reserveCapacity(max(0, min((end - start) / 3 + 1, maxEvents - eventCount + 1)))
        var pos = start
        var tick = 0
        var running: UInt8 = 0
        let b = buffer

        func damaged(_ error: MIDIReadError, _ events: [MIDIRawEvent], _ pos: Int) -> TrackParse {
            TrackParse(events: events, stop: pos, foundEndOfTrack: false, damage: error)
        }

        while pos < end {
            if stopAtChunk && matches(pos, "MTrk", end: end) { break }
            let eventStart = pos
            // Delta time: a variable-length quantity of at most 4 bytes.
            var delta = 0
            var count = 0
            while true {
                guard pos < end else {
                    return damaged(.truncated(offset: pos, expected: "a delta time"), events, pos)
                }
                let byte = b[pos]
                pos += 1
                delta = delta << 7 | Int(byte & 0x7F)
                count += 1
                if byte < 0x80 { break }
                if count == 4 { return damaged(.variableLengthOverflow(offset: eventStart), events, eventStart) }
            }
            tick += delta
            guard pos < end else {
                return damaged(.truncated(offset: pos, expected: "a status byte"), events, pos)
            }
            var status = b[pos]
            if status < 0x80 {
                guard running != 0 else {
                    return damaged(.unexpectedByte(offset: pos, byte: status,
                                                   expected: "a status byte (no running status in effect)"), events, pos)
                }
                status = running
            } else {
                pos += 1
                if status < 0xF0 { running = status }
            }

            eventCount += 1
            if eventCount > maxEvents {
                throw .tooManyEvents(offset: eventStart, limit: limits.maxEvents)
            }

            let event: MIDIRawEvent
            var isEndOfTrack = false
            switch status & 0xF0 {
            case 0x80, 0x90, 0xA0, 0xB0, 0xE0:
                guard pos + 2 <= end else {
                    return damaged(.truncated(offset: end, expected: "two data bytes of a channel message"), events, end)
                }
                let d1 = b[pos], d2 = b[pos + 1]
                guard d1 < 0x80 && d2 < 0x80 else {
                    let bad = d1 >= 0x80 ? pos : pos + 1
                    return damaged(.unexpectedByte(offset: bad, byte: b[bad], expected: "a data byte (0x00–0x7F)"), events, bad)
                }
                pos += 2
                if status & 0xF0 == 0x90 && d2 > 0 {
                    noteOnCount += 1
                    if noteOnCount > limits.maxNotes {
                        throw .tooManyNotes(offset: eventStart, limit: limits.maxNotes)
                    }
                }
                event = MIDIRawEvent(tick: tick, status: status, data1: d1, data2: d2)
            case 0xC0, 0xD0:
                guard pos < end else {
                    return damaged(.truncated(offset: end, expected: "the data byte of a channel message"), events, end)
                }
                let d1 = b[pos]
                guard d1 < 0x80 else {
                    return damaged(.unexpectedByte(offset: pos, byte: d1, expected: "a data byte (0x00–0x7F)"), events, pos)
                }
                pos += 1
                event = MIDIRawEvent(tick: tick, status: status, data1: d1, data2: 0)
            default:
                if status == 0xFF {
                    guard pos < end else {
                        return damaged(.truncated(offset: end, expected: "a meta event type"), events, end)
                    }
                    let type = b[pos]
                    pos += 1
                    let lengthAt = pos
                    guard let (length, next) = readLength(at: pos, end: end) else {
                        return damaged(lengthError(at: lengthAt, end: end, what: "meta event length"), events, lengthAt)
                    }
                    pos = next
                    guard length <= end - pos else {
                        return damaged(.truncated(offset: end, expected: "\(length) bytes of meta event 0x\(String(type, radix: 16)) data (\(end - pos) remain)"), events, end)
                    }
                    checkMeta(type: type, from: pos, length: length, offset: eventStart, track: track)
                    event = MIDIRawEvent(tick: tick, status: 0xFF, data1: type, data2: 0,
                                         payloadStart: pos, payloadCount: Int32(truncatingIfNeeded: length))
                    isEndOfTrack = type == 0x2F
                    pos += length
                } else if status == 0xF0 || status == 0xF7 {
                    let lengthAt = pos
                    guard let (length, next) = readLength(at: pos, end: end) else {
                        return damaged(lengthError(at: lengthAt, end: end, what: "system-exclusive length"), events, lengthAt)
                    }
                    pos = next
                    guard length <= end - pos else {
                        return damaged(.truncated(offset: end, expected: "\(length) bytes of system-exclusive data (\(end - pos) remain)"), events, end)
                    }
                    event = MIDIRawEvent(tick: tick, status: status, data1: 0, data2: 0,
                                         payloadStart: pos, payloadCount: Int32(truncatingIfNeeded: length))
                    pos += length
                } else {
                    let at = pos - 1
                    return damaged(.unexpectedByte(offset: at, byte: status,
                                                   expected: "a channel, meta (FF) or system-exclusive (F0, F7) status"), events, at)
                }
            }
            events.append(event)
            if isEndOfTrack {
                return TrackParse(events: events, stop: pos, foundEndOfTrack: true, damage: nil)
            }
        }
        return TrackParse(events: events, stop: pos, foundEndOfTrack: false, damage: nil)
    }

    /// A variable-length quantity (at most 4 bytes), or nil if it is cut short or too long.
    func readLength(at start: Int, end: Int) -> (Int, Int)? {
        var value = 0
        var pos = start
        for _ in 0..<4 {
            guard pos < end else { return nil }
            let byte = buffer[pos]
            pos += 1
            value = value << 7 | Int(byte & 0x7F)
            if byte < 0x80 { return (value, pos) }
        }
        return nil
    }

    func lengthError(at start: Int, end: Int, what: String) -> MIDIReadError {
        var pos = start
        for _ in 0..<4 {
            guard pos < end else { return .truncated(offset: end, expected: "a \(what)") }
            if buffer[pos] < 0x80 { break }
            pos += 1
        }
        return .variableLengthOverflow(offset: start)
    }

    /// Warns about meta events the decoder will keep raw or the score will ignore.
    mutating func checkMeta(type: UInt8, from p: Int, length: Int, offset: Int, track: Int) {
        if type == 0x51 && length == 3 && buffer[p] == 0 && buffer[p + 1] == 0 && buffer[p + 2] == 0 {
            warn(.zeroTempo, offset, track: track, "tempo of 0 microseconds per quarter (ignored by the score)")
        } else if type == 0x2F && length != 0 {
            warn(.malformedMeta, offset, track: track, "end-of-track with \(length) data bytes; data ignored")
        } else if !MIDIMetaEvent.lengthIsValid(type: type, length: length) {
            warn(.malformedMeta, offset, track: track,
                 "meta event 0x\(String(type, radix: 16)) with \(length) data bytes kept raw")
        }
    }
}

private extension SMFReader {
    func find(_ tag: StaticString, from: Int, to end: Int) -> Int? { find(tag, from: from, end: end) }
}
