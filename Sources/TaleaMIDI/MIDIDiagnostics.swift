/// Bounds that keep a hostile file from using unbounded time or memory.
public struct MIDIReadLimits: Hashable, Sendable {
    /// Largest accepted input, in bytes.
    public var maxFileSize: Int
    /// Largest accepted number of events, summed over all tracks.
    public var maxEvents: Int
    /// Largest accepted number of track chunks.
    public var maxTracks: Int
    /// Largest accepted number of notes (note-ons with a velocity above 0), summed over all tracks.
    /// Every note costs analysis time and memory (about 3 µs and 350 bytes in `talea classify`),
    /// so a file that is mostly note-ons is bounded by this, not by ``maxEvents``.
    public var maxNotes: Int

    /// Creates limits.
    public init(maxFileSize: Int = 64 << 20, maxEvents: Int = 10_000_000, maxTracks: Int = 4096,
                maxNotes: Int = 2_000_000) {
        self.maxFileSize = maxFileSize
        self.maxEvents = maxEvents
        self.maxTracks = maxTracks
        self.maxNotes = maxNotes
    }

    /// 64 MiB, 10 million events, 4,096 tracks, 2 million notes: far beyond any real score (the
    /// longest corpus file has about 10,000 notes), small enough to fail fast.
    public static let `default` = MIDIReadLimits()
}

/// Why a file could not be read. Every case names the byte offset and what was expected there.
public enum MIDIReadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input is larger than ``MIDIReadLimits/maxFileSize``.
    case fileTooLarge(size: Int, limit: Int)
    /// More track chunks than ``MIDIReadLimits/maxTracks``; `offset` is where the first one too many starts.
    case tooManyTracks(offset: Int, limit: Int)
    /// More events than ``MIDIReadLimits/maxEvents``; `offset` is where the first one too many starts.
    case tooManyEvents(offset: Int, limit: Int)
    /// More notes than ``MIDIReadLimits/maxNotes``; `offset` is where the first one too many starts.
    case tooManyNotes(offset: Int, limit: Int)
    /// Neither an `MThd` header nor any `MTrk` chunk was found.
    case notMIDI(offset: Int, found: [UInt8])
    /// The data ended at `offset` where `expected` was needed.
    case truncated(offset: Int, expected: String)
    /// The byte at `offset` is not what the format allows there.
    case unexpectedByte(offset: Int, byte: UInt8, expected: String)
    /// A variable-length quantity at `offset` runs over its maximum of four bytes.
    case variableLengthOverflow(offset: Int)

    /// The byte offset the error refers to (0 for a file too large).
    public var offset: Int {
        switch self {
        case .fileTooLarge: return 0
        case let .tooManyTracks(offset, _), let .tooManyEvents(offset, _), let .tooManyNotes(offset, _), let .notMIDI(offset, _),
             let .truncated(offset, _), let .unexpectedByte(offset, _, _), let .variableLengthOverflow(offset):
            return offset
        }
    }

    /// The explanation without the leading "at byte N: ".
    public var detail: String {
        let prefix = "at byte \(offset): "
        return description.hasPrefix(prefix) ? String(description.dropFirst(prefix.count)) : description
    }

    /// What a file that is not MIDI most likely is, from its first bytes: the formats a MIDI folder
    /// most often holds by mistake.
    static func knownFormat(startingWith bytes: [UInt8]) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x1F, 0x8B], "gzip-compressed data: decompress it first"),
            ([0x50, 0x4B, 0x03, 0x04], "a zip archive: unpack it first"),
            ([0x00, 0x05, 0x16, 0x07], "a macOS resource fork, an AppleDouble \"._\" file, not the MIDI file itself"),
            (Array("RIFF".utf8), "a RIFF file that is not RMID MIDI, such as WAV audio"),
            (Array("ID3".utf8), "MP3 audio"),
            ([0xFF, 0xFB], "MP3 audio"),
            (Array("OggS".utf8), "Ogg audio"),
            (Array("fLaC".utf8), "FLAC audio"),
            (Array("%PDF".utf8), "a PDF document"),
            (Array("<?xm".utf8), "an XML document (MusicXML? convert it to MIDI first)"),
        ]
        return signatures.first { bytes.starts(with: $0.0) }?.1
    }

    /// A one-line explanation with the offset and what was expected.
    public var description: String {
        switch self {
        case let .fileTooLarge(size, limit):
            return "file of \(size) bytes exceeds the limit of \(limit) bytes"
        case let .tooManyTracks(offset, limit):
            return "at byte \(offset): more than \(limit) track chunks (limit)"
        case let .tooManyEvents(offset, limit):
            return "at byte \(offset): more than \(limit) events (limit)"
        case let .tooManyNotes(offset, limit):
            return "at byte \(offset): more than \(limit) notes (limit)"
        case let .notMIDI(offset, found):
            if found.isEmpty && offset == 0 { return "at byte 0: the file is empty" }
            let shown = found.prefix(4).map { String($0 >> 4, radix: 16, uppercase: true) + String($0 & 0xF, radix: 16, uppercase: true) }
                .joined(separator: " ")
            let kind = offset == 0 ? Self.knownFormat(startingWith: found).map { " (\($0))" } ?? "" : ""
            return "at byte \(offset): expected an \"MThd\" header or an \"MTrk\" chunk, found [\(shown)]\(kind) and no MIDI chunk anywhere"
        case let .truncated(offset, expected):
            return "at byte \(offset): data ends where \(expected) was expected"
        case let .unexpectedByte(offset, byte, expected):
            return "at byte \(offset): found 0x\(String(byte, radix: 16, uppercase: true)), expected \(expected)"
        case let .variableLengthOverflow(offset):
            return "at byte \(offset): variable-length quantity longer than 4 bytes (expected at most 4)"
        }
    }
}

/// Something the reader salvaged: the file was read, but not exactly as written.
public struct MIDIWarning: Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem worked around.
    public enum Kind: String, Hashable, Sendable {
        /// The file is wrapped in a RIFF `RMID` container (`.rmi`); the inner file was read.
        case riffWrapper
        /// Bytes before the `MThd` header were skipped, or the header is missing and was assumed.
        case missingOrLateHeader
        /// The `MThd` length is not 6.
        case headerLength
        /// The format number is above 2 (read as format 1).
        case formatOutOfRange
        /// The division is invalid (0 ticks per quarter, 0 frames); a default was assumed.
        case invalidDivision
        /// The header's track count differs from the number of `MTrk` chunks found.
        case trackCountMismatch
        /// A chunk's declared length runs past the end of the file.
        case chunkPastEndOfFile
        /// A chunk's declared length does not match its data (the end-of-track event was trusted).
        case chunkLengthMismatch
        /// A track has no end-of-track event.
        case missingEndOfTrack
        /// A track is damaged or cut short; the events before the damage were kept.
        case damagedTrack
        /// A chunk of unknown type was skipped.
        case unknownChunk
        /// Bytes after the last chunk were ignored.
        case trailingGarbage
        /// A tempo of 0 microseconds per quarter (the score ignores it).
        case zeroTempo
        /// A meta event of known type with a wrong length, kept raw.
        case malformedMeta
    }

    /// The kind of problem.
    public var kind: Kind
    /// The byte offset in the input where it was found.
    public var offset: Int
    /// The track (0-based) concerned, if any.
    public var track: Int?
    /// What was found and what was done, in words.
    public var message: String

    /// Creates a warning.
    public init(kind: Kind, offset: Int, track: Int? = nil, message: String) {
        self.kind = kind
        self.offset = offset
        self.track = track
        self.message = message
    }

    /// "at byte N (track T): message".
    public var description: String {
        if let track { return "at byte \(offset) (track \(track)): \(message)" }
        return "at byte \(offset): \(message)"
    }
}
