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

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .invalidDivision(detail):
            return "invalid MIDI time division: \(detail)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .unknownVoice(selector, available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "no voice matches \"\(selector)\"; voices present: \(list)"
        }
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
        var builder = try ScoreBuilder(midi: midi)
        self = builder.build()
    }

    /// Reads and builds the score of a MIDI file on disk.
    ///
    /// - Throws: ``ScoreError/unreadableFile(path:reason:)``, ``MIDIReadError`` (with the byte offset)
    ///   or ``ScoreError``.
    public static func load(contentsOf url: URL, limits: MIDIReadLimits = .default) throws -> Score {
        try Score(midi: try readMIDIFile(contentsOf: url, limits: limits))
    }

    /// Reads a MIDI file from disk (checking its size against the limits before reading it).
    ///
    /// - Throws: ``ScoreError/unreadableFile(path:reason:)`` or ``MIDIReadError``.
    public static func readMIDIFile(contentsOf url: URL, limits: MIDIReadLimits = .default) throws -> MIDIFile {
        let path = url.path
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           size > limits.maxFileSize {
            throw MIDIReadError.fileTooLarge(size: size, limit: limits.maxFileSize)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ScoreError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        return try MIDIFile(bytes: [UInt8](data), limits: limits)
    }
}

/// A note while its track is read: the duration is filled in at its note-off.
private struct DraftNote {
    var onset: Int
    var duration: Int
    var pitch: UInt8
    var velocity: UInt8
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
    let midi: MIDIFile
    let ticksPerQuarter: Double
    let smpteTicksPerSecond: Double?
    var warnings: [String]

    init(midi: MIDIFile) throws(ScoreError) {
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

    static func cleanName(_ bytes: [UInt8]) -> String? {
        let text = MIDIText.decode(bytes)
            .trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\0")))
        return text.isEmpty ? nil : text
    }

    mutating func build() -> Score {
        var voices: [Voice] = []
        var tempoEvents: [(tick: Int, value: Int)] = []
        var timeEvents: [(tick: Int, numerator: Int, power: Int)] = []
        var keyEvents: [(tick: Int, sharps: Int, minor: Bool)] = []
        var pending = [[Int32]](repeating: [], count: 16 * 128)
        var orphanNoteOffs = 0
        // Tick of the last note-off that found nothing sounding, per channel and key (-1: none).
        var unmatchedOffTick = [Int](repeating: -1, count: 16 * 128)
        var unmatchedOffCount = [Int](repeating: 0, count: 16 * 128)
        var touchedOffSlots: [Int] = []
        var zeroTempi = 0
        // Voices' notes, drafted per track and channel, converted to times after the tempo map is known.
        var drafts: [(trackIndex: Int, channel: Int, name: String, program: Int?, notes: [DraftNote])] = []

        for (trackIndex, track) in midi.tracks.enumerated() {
            var events = track.events
            if !isSortedByTick(events) {
                events = stableSortedByTick(events)
                warnings.append("track \(trackIndex): events out of time order were sorted")
            }
            var trackName: String?
            var instrumentName: String?
            var channelNames = [String?](repeating: nil, count: 16)
            var prefix: Int?
            var program = [Int?](repeating: nil, count: 16)
            var programAtFirstNote = [Int?](repeating: nil, count: 16)
            var notes = [[DraftNote]](repeating: [], count: 16)
            var lastTick = 0

            for event in events {
                let tick = event.tick
                lastTick = tick
                switch event.message {
                case let .noteOn(c, key, velocity) where velocity > 0:
                    let channel = Int(c & 0x0F)
                    let slot = channel << 7 | Int(key & 0x7F)
                    if notes[channel].isEmpty { programAtFirstNote[channel] = program[channel] }
                    if unmatchedOffTick[slot] == tick && unmatchedOffCount[slot] > 0 {
                        // Off-then-on at one tick with nothing sounding: a zero-length note (music21
                        // writes grace notes so), not a note held to the end of the track.
                        unmatchedOffCount[slot] -= 1
                        orphanNoteOffs -= 1
                        notes[channel].append(DraftNote(onset: tick, duration: 0, pitch: key & 0x7F, velocity: velocity))
                    } else {
                        pending[slot].append(Int32(notes[channel].count))
                        notes[channel].append(DraftNote(onset: tick, duration: -1, pitch: key & 0x7F, velocity: velocity))
                    }
                case let .noteOn(c, key, _), let .noteOff(c, key, _):
                    let channel = Int(c & 0x0F)
                    let slot = channel << 7 | Int(key & 0x7F)
                    if pending[slot].isEmpty {
                        orphanNoteOffs += 1
                        if unmatchedOffTick[slot] < 0 { touchedOffSlots.append(slot) }
                        if unmatchedOffTick[slot] == tick {
                            unmatchedOffCount[slot] += 1
                        } else {
                            unmatchedOffTick[slot] = tick
                            unmatchedOffCount[slot] = 1
                        }
                    } else {
                        let index = Int(pending[slot].removeFirst())
                        notes[channel][index].duration = tick - notes[channel][index].onset
                    }
                case let .programChange(c, value):
                    program[Int(c & 0x0F)] = Int(value)
                case let .meta(meta):
                    switch meta {
                    case let .text(.trackName, bytes):
                        if let prefix, channelNames[prefix] == nil {
                            channelNames[prefix] = Self.cleanName(bytes)
                        } else if trackName == nil {
                            trackName = Self.cleanName(bytes)
                        }
                    case let .text(.instrumentName, bytes):
                        if let prefix, channelNames[prefix] == nil {
                            channelNames[prefix] = Self.cleanName(bytes)
                        } else if instrumentName == nil {
                            instrumentName = Self.cleanName(bytes)
                        }
                    case let .channelPrefix(c):
                        prefix = Int(c & 0x0F)
                    case let .tempo(value):
                        if value > 0 { tempoEvents.append((tick, Int(value))) } else { zeroTempi += 1 }
                    case let .timeSignature(numerator, power, _, _):
                        timeEvents.append((tick, Int(numerator), Int(power)))
                    case let .keySignature(sharps, minor):
                        keyEvents.append((tick, Int(sharps), minor))
                    default:
                        break
                    }
                default:
                    break
                }
            }

            for slot in touchedOffSlots {
                unmatchedOffTick[slot] = -1
                unmatchedOffCount[slot] = 0
            }
            touchedOffSlots.removeAll(keepingCapacity: true)

            // Close the notes left sounding at the end of the track.
            var hanging = 0
            for channel in 0..<16 where !notes[channel].isEmpty {
                for key in 0..<128 {
                    let slot = channel << 7 | key
                    guard !pending[slot].isEmpty else { continue }
                    for index in pending[slot] {
                        notes[channel][Int(index)].duration = lastTick - notes[channel][Int(index)].onset
                        hanging += 1
                    }
                    pending[slot].removeAll(keepingCapacity: true)
                }
            }
            if hanging > 0 {
                warnings.append("track \(trackIndex): \(hanging) notes never switched off, closed at the end of the track (tick \(lastTick))")
            }

            let usedChannels = (0..<16).filter { !notes[$0].isEmpty }
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
                drafts.append((trackIndex, channel, name, programAtFirstNote[channel], notes[channel]))
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

        voices.reserveCapacity(drafts.count)
        for draft in drafts {
            var converted: [Note] = []
            converted.reserveCapacity(draft.notes.count)
            for d in draft.notes {
                let onsetSeconds = map.seconds(at: d.onset)
                let endSeconds = map.seconds(at: d.onset + d.duration)
                converted.append(Note(pitch: Int(d.pitch), velocity: Int(d.velocity), channel: draft.channel,
                                      onsetTicks: d.onset, durationTicks: d.duration,
                                      onsetQuarters: Double(d.onset) * quartersPerTick,
                                      durationQuarters: Double(d.duration) * quartersPerTick,
                                      onsetSeconds: onsetSeconds, durationSeconds: endSeconds - onsetSeconds))
            }
            if !isSortedByOnsetAndPitch(converted) {
                converted.sort { ($0.onsetTicks, $0.pitch) < ($1.onsetTicks, $1.pitch) }
            }
            voices.append(Voice(index: voices.count, name: draft.name, trackIndex: draft.trackIndex,
                                channel: draft.channel, program: draft.program, isDrum: draft.channel == 9,
                                notes: converted))
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
        let sorted = events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        var result: [TimeSignature] = []
        var invalid = 0
        for event in sorted {
            guard event.numerator > 0, event.power <= 7 else { invalid += 1; continue }
            let signature = TimeSignature(tick: event.tick, quarters: quarters(event.tick),
                                          numerator: event.numerator, denominator: 1 << event.power)
            if let last = result.last, last.tick == event.tick {
                result[result.count - 1] = signature
            } else if let last = result.last, last.numerator == signature.numerator, last.denominator == signature.denominator {
                continue
            } else {
                result.append(signature)
            }
        }
        if invalid > 0 { warnings.append("\(invalid) invalid time signatures ignored") }
        return result
    }

    mutating func buildKeySignatures(_ events: [(tick: Int, sharps: Int, minor: Bool)]) -> [KeySignature] {
        let sorted = events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
        var result: [KeySignature] = []
        var invalid = 0
        for event in sorted {
            guard (-7...7).contains(event.sharps) else { invalid += 1; continue }
            let key = KeySignature(tick: event.tick, quarters: quarters(event.tick), sharps: event.sharps, isMinor: event.minor)
            if let last = result.last, last.tick == event.tick {
                result[result.count - 1] = key
            } else if let last = result.last, last.sharps == key.sharps, last.isMinor == key.isMinor {
                continue
            } else {
                result.append(key)
            }
        }
        if invalid > 0 { warnings.append("\(invalid) key signatures outside -7...7 ignored") }
        return result
    }
}

private func isSortedByTick(_ events: [MIDIEvent]) -> Bool {
    var previous = Int.min
    for event in events {
        if event.tick < previous { return false }
        previous = event.tick
    }
    return true
}

private func stableSortedByTick(_ events: [MIDIEvent]) -> [MIDIEvent] {
    events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(\.element)
}

private func isSortedByOnsetAndPitch(_ notes: [Note]) -> Bool {
    guard notes.count > 1 else { return true }
    for i in 1..<notes.count {
        let a = notes[i - 1], b = notes[i]
        if a.onsetTicks > b.onsetTicks || (a.onsetTicks == b.onsetTicks && a.pitch > b.pitch) { return false }
    }
    return true
}
