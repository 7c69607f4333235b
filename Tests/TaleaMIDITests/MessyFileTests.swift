import Foundation
import TaleaMIDI
import XCTest

/// Each messy case of DESIGN §4, built from writer output and then damaged on purpose.
final class MessyFileTests: XCTestCase {
    let clean = twoVoiceFile()
    var cleanBytes: [UInt8] { (try? clean.serialized()) ?? [] }

    func kinds(_ file: MIDIFile) -> [MIDIWarning.Kind] { file.warnings.map(\.kind) }

    func testCleanFileHasNoWarnings() throws {
        let file = try MIDIFile(bytes: cleanBytes)
        XCTAssertEqual(file, clean)
        XCTAssertEqual(noteOnCount(file), 16)
    }

    func testTrackWithoutEndOfTrack() throws {
        var bytes = cleanBytes
        bytes.removeLast(4) // the last track's 00 FF 2F 00
        let last = trackOffsets(bytes).last ?? 0
        writeBE32(&bytes, last + 4, readBE32(bytes, last + 4) - 4)
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(kinds(file), [.missingEndOfTrack])
        XCTAssertEqual(file.warnings[0].track, 2)
        XCTAssertEqual(noteOnCount(file), 16)
        XCTAssertEqual(file.tracks[2].events, Array(clean.tracks[2].events.dropLast()))
    }

    func testChunkLengthPastEndOfFile() throws {
        var bytes = cleanBytes
        let last = trackOffsets(bytes).last ?? 0
        writeBE32(&bytes, last + 4, 0xFFFF_FFF0) // about 4 GB declared
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(kinds(file), [.chunkPastEndOfFile])
        XCTAssertEqual(file.tracks, clean.tracks)
        XCTAssertTrue(file.warnings[0].description.contains("past the end"))
    }

    func testChunkLengthTooShortAndTooLong() throws {
        // Too short: the end-of-track event is trusted.
        var short = cleanBytes
        let second = trackOffsets(short)[1]
        writeBE32(&short, second + 4, readBE32(short, second + 4) - 7)
        let fromShort = try MIDIFile(bytes: short)
        XCTAssertEqual(fromShort.tracks, clean.tracks)
        XCTAssertEqual(kinds(fromShort), [.chunkLengthMismatch])
        // Too long (into the next track): the next MTrk right after the end-of-track wins.
        var long = cleanBytes
        writeBE32(&long, second + 4, readBE32(long, second + 4) + 9)
        let fromLong = try MIDIFile(bytes: long)
        XCTAssertEqual(fromLong.tracks, clean.tracks)
        XCTAssertEqual(kinds(fromLong), [.chunkLengthMismatch])
    }

    func testHeaderLengthOtherThanSix() throws {
        // A longer header with real extra bytes.
        var longer = cleanBytes
        longer[7] = 8
        longer.insert(contentsOf: [0xAB, 0xCD], at: 14)
        let fromLonger = try MIDIFile(bytes: longer)
        XCTAssertEqual(kinds(fromLonger), [.headerLength])
        XCTAssertEqual(fromLonger.tracks, clean.tracks)
        // A header length that lies (says 10, holds 6).
        var lying = cleanBytes
        lying[7] = 10
        let fromLying = try MIDIFile(bytes: lying)
        XCTAssertEqual(kinds(fromLying), [.headerLength])
        XCTAssertEqual(fromLying.tracks, clean.tracks)
    }

    func testTrailingGarbage() throws {
        let file = try MIDIFile(bytes: cleanBytes + Array("garbage after the end, 0123456789".utf8) + [0x00, 0xFF, 0x90])
        XCTAssertEqual(file.tracks, clean.tracks)
        XCTAssertTrue(kinds(file).allSatisfy { $0 == .trailingGarbage || $0 == .unknownChunk }, "\(file.warnings)")
        XCTAssertFalse(file.warnings.isEmpty)
        let short = try MIDIFile(bytes: cleanBytes + [0x01, 0x02, 0x03])
        XCTAssertEqual(kinds(short), [.trailingGarbage])
    }

    func testFormatAboveTwo() throws {
        var bytes = cleanBytes
        bytes[9] = 7
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(file.format, 1)
        XCTAssertEqual(kinds(file), [.formatOutOfRange])
        XCTAssertEqual(file.tracks, clean.tracks)
    }

    func testTempoZero() throws {
        var conductor = MIDITrackBuilder()
        conductor.add(.meta(.tempo(microsecondsPerQuarter: 0)), at: 0)
        var voice = MIDITrackBuilder()
        voice.note(60, at: 0, duration: 10)
        let file = try MIDIFile(bytes: try MIDIFile(format: 1, ticksPerQuarter: 96, tracks: [conductor.track(), voice.track()]).serialized())
        XCTAssertEqual(kinds(file), [.zeroTempo])
        XCTAssertEqual(file.warnings[0].track, 0)
    }

    func testTrackCountMismatch() throws {
        var fewer = cleanBytes
        fewer[11] = 2 // declares 2, holds 3
        let fromFewer = try MIDIFile(bytes: fewer)
        XCTAssertEqual(fromFewer.tracks.count, 3)
        XCTAssertEqual(kinds(fromFewer), [.trackCountMismatch])
        var more = cleanBytes
        more[11] = 5
        XCTAssertEqual(kinds(try MIDIFile(bytes: more)), [.trackCountMismatch])
    }

    func testRIFFWrapper() throws {
        let smf = cleanBytes
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        let pad: [UInt8] = smf.count % 2 == 1 ? [0] : []
        let body = Array("RMID".utf8) + Array("data".utf8) + le32(smf.count) + smf + pad + Array("INFO".utf8) + le32(0)
        let riff = Array("RIFF".utf8) + le32(body.count) + body
        let file = try MIDIFile(bytes: riff)
        XCTAssertEqual(kinds(file), [.riffWrapper])
        XCTAssertEqual(file.tracks, clean.tracks)
    }

    func testUnknownChunkSkipped() throws {
        var bytes = cleanBytes
        let second = trackOffsets(bytes)[1]
        bytes.insert(contentsOf: Array("XFIH".utf8) + [0, 0, 0, 3, 1, 2, 3], at: second)
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(kinds(file), [.unknownChunk])
        XCTAssertEqual(file.tracks, clean.tracks)
    }

    func testTruncatedTrackKeepsNotesBeforeTheCut() throws {
        let bytes = cleanBytes
        let last = trackOffsets(bytes).last ?? 0
        let cut = Array(bytes[..<(last + 8 + 20)])
        let file = try MIDIFile(bytes: cut)
        XCTAssertTrue(kinds(file).contains(.chunkPastEndOfFile))
        XCTAssertEqual(file.tracks[1], clean.tracks[1])
        XCTAssertGreaterThan(file.tracks[2].events.count, 2)
        XCTAssertLessThan(file.tracks[2].events.count, clean.tracks[2].events.count)
        XCTAssertEqual(Array(file.tracks[2].events), Array(clean.tracks[2].events.prefix(file.tracks[2].events.count)))
    }

    func testBadStatusByteEndsOnlyThatTrack() throws {
        var bytes = cleanBytes
        let second = trackOffsets(bytes)[1]
        // Find the 5th note-on status (0x90) of track 1 and replace it by an undefined status 0xF4.
        var hits = 0
        var at = second + 8
        while at < bytes.count {
            if bytes[at] == 0x90 { hits += 1; if hits == 5 { break } }
            at += 1
        }
        bytes[at] = 0xF4
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(kinds(file), [.damagedTrack])
        XCTAssertEqual(file.warnings[0].offset, at)
        XCTAssertTrue(file.warnings[0].message.contains("0xF4"), file.warnings[0].message)
        XCTAssertEqual(file.tracks[2], clean.tracks[2]) // the next track is intact
        XCTAssertEqual(noteOnCount(file), 8 + 4)
    }

    func testMissingOrDamagedHeader() throws {
        // Misspelt tag.
        var misspelt = cleanBytes
        misspelt[2] = 0x58
        let a = try MIDIFile(bytes: misspelt)
        XCTAssertEqual(a.tracks, clean.tracks)
        XCTAssertEqual(a.division, .ticksPerQuarter(480))
        // Tag destroyed but header fields intact.
        var destroyed = cleanBytes
        destroyed.replaceSubrange(0..<4, with: [0, 1, 2, 3])
        let b = try MIDIFile(bytes: destroyed)
        XCTAssertEqual(b.tracks, clean.tracks)
        XCTAssertEqual(b.division, .ticksPerQuarter(480))
        // Header removed entirely: tracks read with an assumed division.
        let headless = Array(cleanBytes[14...])
        let c = try MIDIFile(bytes: headless)
        XCTAssertEqual(c.tracks, clean.tracks)
        XCTAssertEqual(kinds(c), [.missingOrLateHeader])
        // Junk before the header.
        let d = try MIDIFile(bytes: Array("junk".utf8) + cleanBytes)
        XCTAssertEqual(d.tracks, clean.tracks)
        XCTAssertEqual(kinds(d), [.missingOrLateHeader])
    }

    func testDamagedTrackTagsAreStillTracks() throws {
        var bytes = cleanBytes
        let offsets = trackOffsets(bytes)
        // One wrong letter; then two non-printable bytes on a chunk whose length still holds.
        bytes[offsets[1] + 3] = 0x6A
        bytes[offsets[2]] = 0x01
        bytes[offsets[2] + 1] = 0xEE
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(file.tracks, clean.tracks)
        XCTAssertEqual(kinds(file), [.unknownChunk, .unknownChunk]) // each tag "read as MTrk"
    }

    func testSMPTEDivisionRead() throws {
        var bytes = cleanBytes
        bytes[12] = 0xE7 // -25 fps
        bytes[13] = 40
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(file.division, .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        XCTAssertEqual(file.division.smpteTicksPerSecond, 1000)
        var zero = cleanBytes
        zero[12] = 0
        zero[13] = 0
        let z = try MIDIFile(bytes: zero)
        XCTAssertEqual(z.division, .ticksPerQuarter(480))
        XCTAssertEqual(kinds(z), [.invalidDivision])
    }

    func testRunningStatusAcrossMetaIsTolerated() throws {
        // 90 3C 40 | FF 01 00 | 3E 40 (running status after a meta event)
        let body: [UInt8] = [0x00, 0x90, 0x3C, 0x40, 0x00, 0xFF, 0x01, 0x00, 0x00, 0x3E, 0x40, 0x00, 0xFF, 0x2F, 0x00]
        let bytes = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 0, UInt8(body.count)] + body
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(file.tracks[0].events.map(\.message), [
            .noteOn(channel: 0, key: 0x3C, velocity: 0x40), .meta(.text(.text, [])),
            .noteOn(channel: 0, key: 0x3E, velocity: 0x40), .meta(.endOfTrack),
        ])
        XCTAssertEqual(file.warnings, [])
    }

    func testMalformedMetaKeptRaw() throws {
        let body: [UInt8] = [0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1, 0x00, 0x90, 60, 64, 0x00, 0xFF, 0x2F, 0x00]
        let bytes = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 0, UInt8(body.count)] + body
        let file = try MIDIFile(bytes: bytes)
        XCTAssertEqual(file.tracks[0].events[0].message, .meta(.unknown(type: 0x51, data: [0x07, 0xA1])))
        XCTAssertEqual(kinds(file), [.malformedMeta])
    }
}

/// Inputs that must fail with a clear, typed error naming the offset and what was expected.
final class RejectedFileTests: XCTestCase {
    func testNotMIDI() {
        XCTAssertThrowsError(try MIDIFile(bytes: Array("just some text, not music at all".utf8))) { error in
            guard case .notMIDI(offset: 0, _)? = error as? MIDIReadError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("at byte 0"))
            XCTAssertTrue("\(error)".contains("MThd"))
        }
        XCTAssertThrowsError(try MIDIFile(bytes: [])) { XCTAssertEqual("\($0)", "at byte 0: the file is empty") }
        // Bytes are two hex digits each, and the formats a MIDI folder holds by mistake are named.
        let message = { (bytes: [UInt8]) -> String in
            do { _ = try MIDIFile(bytes: bytes + [UInt8](repeating: 0x20, count: 40)); return "read" } catch { return "\(error)" }
        }
        XCTAssertEqual(message([0x1F, 0x8B, 0x08, 0x00]), "at byte 0: expected an \"MThd\" header or an \"MTrk\" chunk, "
            + "found [1F 8B 08 00] (gzip-compressed data: decompress it first) and no MIDI chunk anywhere")
        XCTAssertTrue(message([0x00, 0x05, 0x16, 0x07]).contains("found [00 05 16 07] (a macOS resource fork"))
        XCTAssertTrue(message(Array("ID3".utf8) + [4]).contains("(MP3 audio)"))
        XCTAssertTrue(message(Array("vm\n".utf8)).contains("found [76 6D 0A 20] and no MIDI chunk anywhere"))
    }

    func testTruncatedHeader() {
        XCTAssertThrowsError(try MIDIFile(bytes: Array("MThd".utf8) + [0, 0, 0, 6, 0])) { error in
            XCTAssertEqual(error as? MIDIReadError,
                           .truncated(offset: 9, expected: "the 14 bytes of the MThd header (chunk tag, length, format, tracks, division)"))
        }
    }

    func testDamageWithNoNotesIsAnError() throws {
        let bytes = try twoVoiceFile().serialized()
        let first = trackOffsets(bytes)[0]
        // Cut inside the conductor track: no note survives.
        XCTAssertThrowsError(try MIDIFile(bytes: Array(bytes[..<(first + 12)]))) { error in
            XCTAssertNotNil(error as? MIDIReadError)
            XCTAssertTrue("\(error)".contains("at byte"), "\(error)")
        }
        // Header only, declaring tracks.
        XCTAssertThrowsError(try MIDIFile(bytes: Array(bytes[..<14])))
    }

    func testSysexLengthOverflow() {
        // A system-exclusive length VLQ of five bytes, before any note.
        let body: [UInt8] = [0x00, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00]
        let bytes = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 0, UInt8(body.count)] + body
        XCTAssertThrowsError(try MIDIFile(bytes: bytes)) { error in
            XCTAssertEqual(error as? MIDIReadError, .variableLengthOverflow(offset: 24))
            XCTAssertTrue("\(error)".contains("at byte 24"))
        }
    }
}

/// Hostile inputs fail (or are salvaged) fast, in bounded memory.
final class HostileFileTests: XCTestCase {
    func time(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    func testDeclaredFourGigabyteLengths() throws {
        var bytes = try twoVoiceFile().serialized()
        for offset in trackOffsets(bytes) { writeBE32(&bytes, offset + 4, 0xFFFF_FFFF) }
        var file: MIDIFile?
        let seconds = try time { file = try MIDIFile(bytes: bytes) }
        XCTAssertLessThan(seconds, 1)
        XCTAssertEqual(file.map(noteOnCount), 16)
        // A 4 GB meta event length: the track is cut there with a warning.
        let body: [UInt8] = [0x00, 0x90, 60, 64, 0x00, 0xFF, 0x01, 0x8F, 0xFF, 0xFF, 0x7F, 0x41]
        let meta = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 0, UInt8(body.count)] + body
        let m = try MIDIFile(bytes: meta)
        XCTAssertEqual(m.warnings.map(\.kind), [.damagedTrack])
        XCTAssertEqual(noteOnCount(m), 1)
    }

    func testFileTooLarge() {
        let limits = MIDIReadLimits(maxFileSize: 1000)
        XCTAssertThrowsError(try MIDIFile(bytes: [UInt8](repeating: 0, count: 1001), limits: limits)) { error in
            XCTAssertEqual(error as? MIDIReadError, .fileTooLarge(size: 1001, limit: 1000))
        }
    }

    /// Many tiny events (running status, 3 bytes each): counted against the limits, failing fast.
    func testHugeEventCountFailsFast() throws {
        let count = 3_000_000
        var body: [UInt8] = [0x00, 0x90, 60, 64]
        body.reserveCapacity(count * 3 + 8)
        for i in 0..<count { body.append(0x00); body.append(UInt8(i % 128)); body.append(64) }
        let header = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8)
        let bytes = header + [UInt8(body.count >> 24), UInt8(body.count >> 16 & 0xFF), UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)] + body
        let limits = MIDIReadLimits(maxEvents: 1_000_000)
        var thrown: Error?
        let seconds = time { do { _ = try MIDIFile(bytes: bytes, limits: limits) } catch { thrown = error } }
        guard case .tooManyEvents(_, 1_000_000)? = thrown as? MIDIReadError else { return XCTFail("\(String(describing: thrown))") }
        XCTAssertLessThan(seconds, 10)
        // Under the default limits the same stream is refused on its notes, at the 2,000,001st note-on
        // (the first takes 4 bytes with its status, every later one 3).
        XCTAssertThrowsError(try MIDIFile(bytes: bytes)) { error in
            XCTAssertEqual(error as? MIDIReadError,
                           .tooManyNotes(offset: header.count + 4 + 4 + 1_999_999 * 3, limit: 2_000_000))
        }
        // With the note limit raised, the stream reads, in bounded time.
        var file: MIDIFile?
        let all = try time { file = try MIDIFile(bytes: bytes, limits: MIDIReadLimits(maxNotes: 4_000_000)) }
        XCTAssertEqual(file.map(noteOnCount), count + 1)
        XCTAssertLessThan(all, 30)
        XCTAssertEqual(file?.warnings.map(\.kind), [.missingEndOfTrack])
    }

    func testTooManyTracks() throws {
        var one = MIDITrackBuilder()
        one.note(60, at: 0, duration: 1)
        let file = MIDIFile(format: 1, ticksPerQuarter: 96, tracks: Array(repeating: one.track(), count: 50))
        XCTAssertThrowsError(try MIDIFile(bytes: try file.serialized(), limits: MIDIReadLimits(maxTracks: 20))) { error in
            guard case .tooManyTracks(_, 20)? = error as? MIDIReadError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try MIDIFile(bytes: try file.serialized()).tracks.count, 50)
    }

    func testDataBytesWithoutStatus() {
        // Running-status abuse: data bytes before any status, in every track.
        let body = [UInt8](repeating: 0x40, count: 5000)
        let bytes = Array("MThd".utf8) + [0, 0, 0, 6, 0, 1, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 0x13, 0x88] + body
        XCTAssertThrowsError(try MIDIFile(bytes: bytes)) { error in
            XCTAssertEqual(error as? MIDIReadError,
                           .unexpectedByte(offset: 23, byte: 0x40, expected: "a status byte (no running status in effect)"))
        }
    }
}
