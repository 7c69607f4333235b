import Foundation
import TaleaMIDI

/// Why a score could not be built, loaded or narrowed to some voices.
public enum ScoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The MIDI file's division cannot define a quarter note (0 ticks, 0 frames).
    case invalidDivision(String)
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A voice selector matched no voice; `available` lists the voices present ("index: name").
    case unknownVoice(selector: String, available: [String])
    /// A voice selector meant to pick one voice matched several ("index: name" of each).
    case ambiguousVoice(selector: String, matches: [String])

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .invalidDivision(detail):
            return "invalid MIDI time division: \(detail)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .unknownVoice(selector, available):
            return "no voice matches \"\(selector)\"; voices present: \(Self.listing(available))"
        case let .ambiguousVoice(selector, matches):
            return "\"\(selector)\" matches \(matches.count) voices (\(Self.listing(matches))); choose one by its index"
        }
    }
}

extension ScoreError {
    /// Voices for a message: all of them up to 24, else the first 20 and how many more.
    static func listing(_ voices: [String]) -> String {
        guard !voices.isEmpty else { return "none" }
        guard voices.count > 24 else { return voices.joined(separator: ", ") }
        return voices.prefix(20).joined(separator: ", ") + ", … and \(voices.count - 20) more (talea inspect lists them)"
    }
}

extension Score {
    /// The tempo assumed for SMPTE-timed files, which have no metrical time: 120 quarter notes per
    /// minute, so one quarter lasts half a second and `ticksPerQuarter` = ticks per second / 2.
    public static let assumedSMPTEQuartersPerMinute = 120.0

    /// Builds the score of a MIDI file.
    ///
    /// - Notes are paired per track, channel and pitch, first in first out (a note-on with velocity 0
    ///   is a note-off); a note-off with nothing sounding is ignored; notes still sounding when the
    ///   track ends are closed there, with a warning.
    /// - Voices are the (track, channel) pairs that have notes, in track then channel order: a track
    ///   per voice for the usual format-1 file, a voice per channel for format 0 and for a track that
    ///   uses several channels. Names come from track names (UTF-8, else Latin-1), channel-prefixed
    ///   names, or instrument names; otherwise "Track N" / "Channel N" (1-based).
    /// - Seconds follow the tempo map (all tracks' tempo events; 120 quarters per minute until the
    ///   first). For SMPTE division, seconds are exact and quarters assume 120 per minute (see
    ///   ``assumedSMPTEQuartersPerMinute``).
    /// - Throws: ``ScoreError/invalidDivision(_:)`` for a division with no length.
    public init(midi: MIDIFile) throws(ScoreError) {
        try self.init(raw: MIDIRawFile(midi))
    }

    /// Builds the score from the reader's compact events (the fast path; same rules as ``init(midi:)``).
    public init(raw: MIDIRawFile) throws(ScoreError) {
        var builder = try ScoreBuilder(midi: raw)
        self = builder.build()
    }

    /// Reads MIDI bytes and builds their score in one go, without decoding every event into a
    /// ``MIDIMessage``.
    ///
    /// - Throws: ``MIDIReadError`` (with the byte offset) or ``ScoreError``.
    public init(bytes: [UInt8], limits: MIDIReadLimits = .default) throws {
        try self.init(raw: MIDIRawFile(bytes: bytes, limits: limits))
    }

    /// Reads and builds the score of a MIDI file on disk.
    ///
    /// - Throws: ``ScoreError/unreadableFile(path:reason:)``, ``MIDIReadError`` (with the byte offset)
    ///   or ``ScoreError``.
    public static func load(contentsOf url: URL, limits: MIDIReadLimits = .default) throws -> Score {
        try Score(bytes: try readBytes(contentsOf: url, limits: limits), limits: limits)
    }

    /// Reads a MIDI file from disk (checking its size against the limits before reading it).
    ///
    /// - Throws: ``ScoreError/unreadableFile(path:reason:)`` or ``MIDIReadError``.
    public static func readMIDIFile(contentsOf url: URL, limits: MIDIReadLimits = .default) throws -> MIDIFile {
        try MIDIFile(bytes: readBytes(contentsOf: url, limits: limits), limits: limits)
    }

    /// The bytes of a file, refused before reading if larger than the limit.
    static func readBytes(contentsOf url: URL, limits: MIDIReadLimits) throws -> [UInt8] {
        let path = url.path
        // One look at what the path names, through any symbolic links (a link that leads nowhere
        // resolves to itself and is still a link).
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
        let kind: FileKind
        switch attributes?[.type] as? FileAttributeType {
        case nil where LossyPath.isLossy(path): return try readBytes(lossyPath: path, limits: limits)
        case nil: kind = .missing
        case .typeSymbolicLink?: kind = .danglingLink
        case .typeDirectory?: kind = .folder
        case .typeRegular?: kind = .regular
        default: kind = .other
        }
        try kind.refuseUnlessReadable(path: path, size: attributes?[.size] as? Int ?? 0, limits: limits)
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw ScoreError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// The bytes of a file whose name on disk is not UTF-8 (``LossyPath``).
    private static func readBytes(lossyPath path: String, limits: MIDIReadLimits) throws -> [UInt8] {
        switch LossyPath.resolve(path) {
        case .missing:
            throw ScoreError.unreadableFile(path: path, reason: "no such file (its name holds bytes that are not UTF-8, shown as \u{FFFD}, and none of its folder's names reads so)")
        case .ambiguous(let component, let count):
            throw ScoreError.unreadableFile(
                path: path,
                reason: "\(count) names in its folder read as \"\(component)\" once their bytes that are not UTF-8 are shown as \u{FFFD}; rename them to tell them apart")
        case .found(let raw):
            let (kind, size) = LossyPath.kind(of: raw)
            try kind.refuseUnlessReadable(path: path, size: size, limits: limits)
            return try LossyPath.contents(of: raw, size: size, displayPath: path)
        }
    }
}

/// What a path names, through any symbolic links, as far as reading it as a MIDI file goes.
enum FileKind: Equatable {
    case missing
    /// A symbolic link whose target is missing, or a loop of links.
    case danglingLink
    case folder
    case regular
    /// A device, named pipe or socket.
    case other
    /// Could not be looked at, for this reason.
    case unreadable(String)

    /// Throws why a file of this kind and `size` is not read: anything but a regular file within
    /// the size limit.
    func refuseUnlessReadable(path: String, size: Int, limits: MIDIReadLimits) throws {
        switch self {
        case .missing:
            throw ScoreError.unreadableFile(path: path, reason: "no such file")
        case .danglingLink:
            throw ScoreError.unreadableFile(path: path, reason: "a symbolic link to nothing (its target is missing, or links loop)")
        case .folder:
            throw ScoreError.unreadableFile(path: path, reason: "it is a folder, not a MIDI file (talea batch labels a folder)")
        case .other:
            // A device, named pipe or socket could be read forever (/dev/zero) or block (a pipe nobody writes).
            throw ScoreError.unreadableFile(path: path, reason: "not a regular file (a device, named pipe or socket), so not a MIDI file")
        case .unreadable(let reason):
            throw ScoreError.unreadableFile(path: path, reason: reason)
        case .regular:
            if size > limits.maxFileSize { throw MIDIReadError.fileTooLarge(size: size, limit: limits.maxFileSize) }
        }
    }
}

/// A note while its track is read: the duration is filled in at its note-off.
private struct DraftNote {
    var onset: Int
    var duration: Int
    /// Next note waiting for a note-off on the same channel and key (-1: none).
    var nextPending: Int32
    var channel: UInt8
    var pitch: UInt8
    var velocity: UInt8
}

/// The notes of one voice before conversion to times.
private struct DraftVoice {
    var trackIndex: Int
    var channel: Int
    var name: String
    var program: Int?
    var notes: [DraftNote]
}

/// Converts ticks to seconds through the tempo map.
struct TempoMap {
    let ticks: [Int]
    let seconds: [Double]
    /// Seconds per tick for each segment.
    let rates: [Double]

    init(tempi: [TempoChange], ticksPerQuarter: Double, smpteTicksPerSecond: Double?) {
        if let tps = smpteTicksPerSecond {
            ticks = [0]
            seconds = [0]
            rates = [1 / tps]
        } else {
            ticks = tempi.map(\.tick)
            seconds = tempi.map(\.seconds)
            rates = tempi.map { Double($0.microsecondsPerQuarter) / 1_000_000 / ticksPerQuarter }
        }
    }

    /// Seconds at a tick known to lie in the given segment (the last tempo change at or before it).
    func seconds(at tick: Int, segment: Int) -> Double {
        seconds[segment] + Double(tick - ticks[segment]) * rates[segment]
    }

    func seconds(at tick: Int) -> Double {
        if ticks.count == 1 { return Double(tick) * rates[0] }
        // Last segment starting at or before the tick.
        var low = 0
        var high = ticks.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if ticks[mid] <= tick { low = mid } else { high = mid - 1 }
        }
        return seconds[low] + Double(tick - ticks[low]) * rates[low]
    }
}

private struct ScoreBuilder {
    let midi: MIDIRawFile
    let ticksPerQuarter: Double
    let smpteTicksPerSecond: Double?
    var warnings: [String]

    init(midi: MIDIRawFile) throws(ScoreError) {
        self.midi = midi
        switch midi.division {
        case let .ticksPerQuarter(tpq):
            guard tpq > 0 else { throw .invalidDivision("\(tpq) ticks per quarter") }
            ticksPerQuarter = Double(tpq)
            smpteTicksPerSecond = nil
        case let .smpte(fps, tpf):
            guard fps > 0, tpf > 0, let tps = midi.division.smpteTicksPerSecond else {
                throw .invalidDivision("SMPTE \(fps) frames per second, \(tpf) ticks per frame")
            }
            smpteTicksPerSecond = tps
            ticksPerQuarter = tps * 60 / Score.assumedSMPTEQuartersPerMinute
        }
        warnings = midi.warnings.map(\.description)
    }

    /// Bytes of a track or instrument name that are kept; the rest is cut and marked with "…".
    /// Real part names are a few words; a hostile file can carry megabytes in one.
    static let longestName = 256

    /// A name without surrounding spaces, control characters or NULs, cut after ``longestName``
    /// bytes; nil when nothing is left.
    static func cleanName(_ bytes: ArraySlice<UInt8>) -> String? {
        var low = bytes.startIndex
        var high = bytes.endIndex
        while low < high && bytes[low] <= 0x20 { low += 1 }
        while high > low && bytes[high - 1] <= 0x20 { high -= 1 }
        guard low < high else { return nil }
        guard high - low > longestName else { return printable(MIDIText.decode(Array(bytes[low..<high]))) }
        // Cut before a UTF-8 continuation byte's lead, so that a UTF-8 name stays UTF-8.
        var cut = low + longestName
        while cut > low && (bytes[cut] & 0xC0) == 0x80 { cut -= 1 }
        return printable(MIDIText.decode(Array(bytes[low..<cut]))) + "…"
    }

    /// The name with control characters (which could drive a terminal: ESC sequences, NUL) and
    /// bidirectional overrides (which reorder the text shown around them) replaced by "�".
    static func printable(_ name: String) -> String {
        func isHidden(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }
        guard name.unicodeScalars.contains(where: isHidden) else { return name }
        var shown = String.UnicodeScalarView()
        for scalar in name.unicodeScalars { shown.append(isHidden(scalar) ? "\u{FFFD}" : scalar) }
        return String(shown)
    }

    mutating func build() -> Score {
        var tempoEvents: [(tick: Int, value: Int)] = []
        var timeEvents: [(tick: Int, numerator: Int, power: Int)] = []
        var keyEvents: [(tick: Int, sharps: Int, minor: Bool)] = []
        // Notes waiting for their note-off, per channel and key: a first-in-first-out list threaded
        // through the track's draft notes (head and tail indices, -1 when empty).
        // (Raw pointers: these tables are touched for every note, and the slot index is masked to
        // 0..<2048 by construction, so array uniqueness and bounds checks buy nothing here.)
        let pendingHead = UnsafeMutablePointer<Int32>.allocate(capacity: 16 * 128)
        pendingHead.initialize(repeating: -1, count: 16 * 128)
        defer { pendingHead.deallocate() }
        let pendingTail = UnsafeMutablePointer<Int32>.allocate(capacity: 16 * 128)
        pendingTail.initialize(repeating: -1, count: 16 * 128)
        defer { pendingTail.deallocate() }
        // Tick and count of note-offs that found nothing sounding, per channel and key (allocated on
        // first need): an off-then-on pair at one tick is a zero-length note.
        var unmatchedOffTick: [Int] = []
        var unmatchedOffCount: [Int] = []
        var touchedOffSlots: [Int] = []
        var orphanNoteOffs = 0
        var zeroTempi = 0
        var drafts: [DraftVoice] = []
        var channelNames = [String?](repeating: nil, count: 16)
        var program = [Int?](repeating: nil, count: 16)
        var programAtFirstNote = [Int?](repeating: nil, count: 16)
        var channelNoteCount = [Int](repeating: 0, count: 16)

        for (trackIndex, trackEvents) in midi.tracks.enumerated() {
            var sortedEvents: [MIDIRawEvent]?
            if !isSortedByTick(trackEvents) {
                sortedEvents = trackEvents.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
                warnings.append("track \(trackIndex): events out of time order were sorted")
            }
            var trackName: String?
            var instrumentName: String?
            var prefix: Int?
            for c in 0..<16 {
                channelNames[c] = nil
                program[c] = nil
                programAtFirstNote[c] = nil
                channelNoteCount[c] = 0
            }
            var lastTick = 0
            var hanging = 0
            let payloads = midi.bytes
            let readEvents = sortedEvents ?? trackEvents
            // One draft per note-on with a velocity (counted first, so the buffer is no larger than needed).
            var noteOnCount = 0
            readEvents.withUnsafeBufferPointer { events in
                for i in events.indices where events[i].status & 0xF0 == 0x90 && events[i].data2 > 0 { noteOnCount += 1 }
            }
            let notes = [DraftNote](unsafeUninitializedCapacity: noteOnCount) { notes, initializedCount in
                var noteCount = 0
                readEvents.withUnsafeBufferPointer { events in
                    for i in events.indices {
                        let event = events[i]
                        let tick = event.tick
                        lastTick = tick
                        let kind = event.status & 0xF0
                        if kind == 0x90 && event.data2 > 0 {
                            let channel = Int(event.status & 0x0F)
                            let key = event.data1 & 0x7F
                            let velocity = event.data2
                            let slot = channel << 7 | Int(key)
                            if channelNoteCount[channel] == 0 { programAtFirstNote[channel] = program[channel] }
                            channelNoteCount[channel] += 1
                            if !unmatchedOffTick.isEmpty && unmatchedOffTick[slot] == tick && unmatchedOffCount[slot] > 0 {
                                // Off-then-on at one tick with nothing sounding: a zero-length note (music21
                                // writes grace notes so), not a note held to the end of the track.
                                unmatchedOffCount[slot] -= 1
                                orphanNoteOffs -= 1
                                notes[noteCount] = DraftNote(onset: tick, duration: 0, nextPending: -1, channel: UInt8(channel),
                                                             pitch: key, velocity: velocity)
                                noteCount += 1
                            } else {
                                let index = Int32(noteCount)
                                notes[noteCount] = DraftNote(onset: tick, duration: -1, nextPending: -1, channel: UInt8(channel),
                                                             pitch: key, velocity: velocity)
                                noteCount += 1
                                if pendingHead[slot] < 0 {
                                    pendingHead[slot] = index
                                } else {
                                    notes[Int(pendingTail[slot])].nextPending = index
                                }
                                pendingTail[slot] = index
                            }
                        } else if kind == 0x80 || kind == 0x90 {
                            let slot = Int(event.status & 0x0F) << 7 | Int(event.data1 & 0x7F)
                            let head = pendingHead[slot]
                            if head >= 0 {
                                let index = Int(head)
                                notes[index].duration = tick - notes[index].onset
                                pendingHead[slot] = notes[index].nextPending
                            } else {
                                orphanNoteOffs += 1
                                if unmatchedOffTick.isEmpty {
                                    unmatchedOffTick = [Int](repeating: -1, count: 16 * 128)
                                    unmatchedOffCount = [Int](repeating: 0, count: 16 * 128)
                                }
                                if unmatchedOffTick[slot] < 0 { touchedOffSlots.append(slot) }
                                if unmatchedOffTick[slot] == tick {
                                    unmatchedOffCount[slot] += 1
                                } else {
                                    unmatchedOffTick[slot] = tick
                                    unmatchedOffCount[slot] = 1
                                }
                            }
                        } else if kind == 0xC0 {
                            program[Int(event.status & 0x0F)] = Int(event.data1 & 0x7F)
                        } else if event.status == 0xFF {
                            let start = event.payloadStart
                            let count = Int(event.payloadCount)
                            switch (event.data1, count) {
                            case (0x03, _):
                                if let prefix, channelNames[prefix] == nil {
                                    channelNames[prefix] = Self.cleanName(payloads[start..<(start + count)])
                                } else if trackName == nil {
                                    trackName = Self.cleanName(payloads[start..<(start + count)])
                                }
                            case (0x04, _):
                                if let prefix, channelNames[prefix] == nil {
                                    channelNames[prefix] = Self.cleanName(payloads[start..<(start + count)])
                                } else if instrumentName == nil {
                                    instrumentName = Self.cleanName(payloads[start..<(start + count)])
                                }
                            case (0x20, 1):
                                prefix = Int(payloads[start] & 0x0F)
                            case (0x51, 3):
                                let value = Int(payloads[start]) << 16 | Int(payloads[start + 1]) << 8 | Int(payloads[start + 2])
                                if value > 0 { tempoEvents.append((tick, value)) } else { zeroTempi += 1 }
                            case (0x58, 4):
                                timeEvents.append((tick, Int(payloads[start]), Int(payloads[start + 1])))
                            case (0x59, 2):
                                keyEvents.append((tick, Int(Int8(bitPattern: payloads[start])), payloads[start + 1] != 0))
                            default:
                                break
                            }
                        }
                    }
                }

                for slot in touchedOffSlots {
                    unmatchedOffTick[slot] = -1
                    unmatchedOffCount[slot] = 0
                }
                touchedOffSlots.removeAll(keepingCapacity: true)

                // Close the notes left sounding at the end of the track (those still without a
                // duration) and empty their lists for the next track.
                for index in 0..<noteCount where notes[index].duration < 0 {
                    notes[index].duration = lastTick - notes[index].onset
                    hanging += 1
                    let slot = Int(notes[index].channel) << 7 | Int(notes[index].pitch)
                    pendingHead[slot] = -1
                    pendingTail[slot] = -1
                }
                initializedCount = noteCount
            }
            if hanging > 0 {
                warnings.append("track \(trackIndex): \(hanging) notes never switched off, closed at the end of the track (tick \(lastTick))")
            }

            let usedChannels = (0..<16).filter { channelNoteCount[$0] > 0 }
            for channel in usedChannels {
                let name: String
                if let named = channelNames[channel] {
                    name = named
                } else if midi.format == 0 && usedChannels.count > 1 {
                    name = "Channel \(channel + 1)"
                } else if let base = trackName ?? instrumentName {
                    name = usedChannels.count > 1 ? "\(base) (channel \(channel + 1))" : base
                } else {
                    name = midi.format == 0 ? "Channel \(channel + 1)"
                        : usedChannels.count > 1 ? "Track \(trackIndex + 1) (channel \(channel + 1))"
                        : "Track \(trackIndex + 1)"
                }
                let voiceNotes = usedChannels.count == 1 ? notes : notes.filter { Int($0.channel) == channel }
                drafts.append(DraftVoice(trackIndex: trackIndex, channel: channel, name: name,
                                         program: programAtFirstNote[channel], notes: voiceNotes))
            }
        }
        if orphanNoteOffs > 0 {
            warnings.append("\(orphanNoteOffs) note-offs with no sounding note ignored")
        }
        if zeroTempi > 0 {
            warnings.append("\(zeroTempi) tempo events of 0 ignored")
        }

        let tempi = buildTempi(tempoEvents)
        let map = TempoMap(tempi: tempi, ticksPerQuarter: ticksPerQuarter, smpteTicksPerSecond: smpteTicksPerSecond)
        let quartersPerTick = 1 / ticksPerQuarter

        var voices: [Voice] = []
        voices.reserveCapacity(drafts.count)
        for draftIndex in drafts.indices {
            // Move the notes out of `drafts` so that sorting them in place does not copy them.
            var draft = drafts[draftIndex]
            drafts[draftIndex].notes = []
            sortByOnsetThenPitch(&draft.notes)
            // Onsets are sorted, so the tempo segment of each onset only moves forward; an end lies in
            // the onset's segment or a later one.
            let segmentTicks = map.ticks
            let channel = draft.channel
            let converted = draft.notes.withUnsafeBufferPointer { drafts in
                [Note](unsafeUninitializedCapacity: drafts.count) { notes, initializedCount in
                    var segment = 0
                    for i in drafts.indices {
                        let d = drafts[i]
                        while segment + 1 < segmentTicks.count && segmentTicks[segment + 1] <= d.onset { segment += 1 }
                        let end = d.onset + d.duration
                        var endSegment = segment
                        while endSegment + 1 < segmentTicks.count && segmentTicks[endSegment + 1] <= end { endSegment += 1 }
                        let onsetSeconds = map.seconds(at: d.onset, segment: segment)
                        let endSeconds = map.seconds(at: end, segment: endSegment)
                        notes[i] = Note(pitch: Int(d.pitch), velocity: Int(d.velocity), channel: channel,
                                        onsetTicks: d.onset, durationTicks: d.duration,
                                        onsetQuarters: Double(d.onset) * quartersPerTick,
                                        durationQuarters: Double(d.duration) * quartersPerTick,
                                        onsetSeconds: onsetSeconds, durationSeconds: endSeconds - onsetSeconds)
                    }
                    initializedCount = drafts.count
                }
            }
            voices.append(Voice(index: voices.count, name: draft.name, trackIndex: draft.trackIndex,
                                channel: draft.channel, program: draft.program, isDrum: draft.channel == 9,
                                notes: converted))
        }
        // Channel 10 is General MIDI percussion. When it holds the only notes of a file they are a
        // drum kit on its own (a drum loop, the kit track of a song) or a lone part exported on that
        // channel; reading a part as drums would leave nothing to read, so they are read as pitched
        // unless they sound as a kit does (``DrumChannel``).
        if !voices.contains(where: { !$0.isDrum && !$0.notes.isEmpty }),
           voices.contains(where: { $0.isDrum && !$0.notes.isEmpty }) {
            let notes = voices.flatMap(\.notes)
            if let evidence = DrumChannel.kitEvidence(notes) {
                warnings.append("only channel 10 (percussion) holds notes, and they sound as a drum kit (\(evidence)): they are read as drums")
            } else {
                for index in voices.indices { voices[index].isDrum = false }
                warnings.append("only channel 10 (percussion) holds notes: they are read as pitched voices")
            }
        }

        return Score(ticksPerQuarter: max(1, Int(ticksPerQuarter.rounded())), voices: voices, tempi: tempi,
                     timeSignatures: buildTimeSignatures(timeEvents), keySignatures: buildKeySignatures(keyEvents),
                     warnings: warnings)
    }

    func quarters(_ tick: Int) -> Double { Double(tick) / ticksPerQuarter }

    /// Tempo changes in time order, the first at tick 0; at one tick the last event wins; repeats dropped.
    func buildTempi(_ events: [(tick: Int, value: Int)]) -> [TempoChange] {
        let sorted = events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        var merged: [(tick: Int, value: Int)] = [(0, 500_000)]
        for event in sorted {
            if event.tick == merged[merged.count - 1].tick {
                merged[merged.count - 1].value = event.value
            } else if event.value != merged[merged.count - 1].value {
                merged.append(event)
            }
        }
        if merged.count > 1 && merged[0].value == merged[1].value && merged[1].tick > 0 { merged.remove(at: 1) }
        var result: [TempoChange] = []
        result.reserveCapacity(merged.count)
        var seconds = 0.0
        for (i, event) in merged.enumerated() {
            if i > 0 {
                let previous = merged[i - 1]
                seconds += Double(event.tick - previous.tick) * Double(previous.value) / 1_000_000 / ticksPerQuarter
            }
            if let tps = smpteTicksPerSecond { seconds = Double(event.tick) / tps }
            result.append(TempoChange(tick: event.tick, quarters: quarters(event.tick), seconds: seconds,
                                      microsecondsPerQuarter: event.value))
        }
        return result
    }

    mutating func buildTimeSignatures(_ events: [(tick: Int, numerator: Int, power: Int)]) -> [TimeSignature] {
        var invalid = 0
        let result = Self.oneMarkPerTick(events, tick: \.tick, make: { event -> TimeSignature? in
            guard event.numerator > 0, event.power <= 7 else { invalid += 1; return nil }
            return TimeSignature(tick: event.tick, quarters: quarters(event.tick),
                                 numerator: event.numerator, denominator: 1 << event.power)
        }, restates: { $0.numerator == $1.numerator && $0.denominator == $1.denominator })
        if invalid > 0 { warnings.append("\(invalid) invalid time signatures ignored") }
        return result
    }

    mutating func buildKeySignatures(_ events: [(tick: Int, sharps: Int, minor: Bool)]) -> [KeySignature] {
        var invalid = 0
        let result = Self.oneMarkPerTick(events, tick: \.tick, make: { event -> KeySignature? in
            guard (-7...7).contains(event.sharps) else { invalid += 1; return nil }
            return KeySignature(tick: event.tick, quarters: quarters(event.tick), sharps: event.sharps, isMinor: event.minor)
        }, restates: { $0.sharps == $1.sharps && $0.isMinor == $1.isMinor })
        if invalid > 0 { warnings.append("\(invalid) key signatures outside -7...7 ignored") }
        return result
    }

    /// Metre or key marks in time order, one per tick: events are sorted stably by tick, the last
    /// valid one at a tick wins (`make` returns nil for an invalid one), and a mark that restates
    /// the one in force is dropped.
    static func oneMarkPerTick<Event, Mark>(_ events: [Event], tick: (Event) -> Int, make: (Event) -> Mark?,
                                            restates: (Mark, Mark) -> Bool) -> [Mark] {
        let sorted = events.enumerated().sorted { (tick($0.element), $0.offset) < (tick($1.element), $1.offset) }.map(\.element)
        var result: [(tick: Int, mark: Mark)] = []
        for event in sorted {
            guard let mark = make(event) else { continue }
            let at = tick(event)
            if let last = result.last, last.tick == at {
                result[result.count - 1] = (at, mark)
            } else if let last = result.last, restates(last.mark, mark) {
                continue
            } else {
                result.append((at, mark))
            }
        }
        return result.map(\.mark)
    }
}

private func isSortedByTick(_ events: [MIDIRawEvent]) -> Bool {
    var previous = Int.min
    for event in events {
        if event.tick < previous { return false }
        previous = event.tick
    }
    return true
}

/// Sorts notes by onset, then pitch, stably. The notes arrive in onset order with chords in file
/// order, so an insertion sort does little work; far from sorted input falls back to the library sort.
private func sortByOnsetThenPitch(_ notes: inout [DraftNote]) {
    func before(_ a: DraftNote, _ b: DraftNote) -> Bool {
        a.onset < b.onset || (a.onset == b.onset && a.pitch < b.pitch)
    }
    var moves = 0
    let budget = notes.count * 4 + 64
    var sortedByInsertion = true
    notes.withUnsafeMutableBufferPointer { buffer in
        guard buffer.count > 1 else { return }
        for i in 1..<buffer.count where before(buffer[i], buffer[i - 1]) {
            let item = buffer[i]
            var j = i
            while j > 0 && before(item, buffer[j - 1]) {
                buffer[j] = buffer[j - 1]
                j -= 1
                moves += 1
            }
            buffer[j] = item
            if moves > budget {
                sortedByInsertion = false
                return
            }
        }
    }
    if !sortedByInsertion {
        let ordered = notes.enumerated().sorted { before($0.element, $1.element) || (!before($1.element, $0.element) && $0.offset < $1.offset) }
        notes = ordered.map(\.element)
    }
}
