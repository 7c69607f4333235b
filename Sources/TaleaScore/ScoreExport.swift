import TaleaMIDI

/// Chooses a voice of a score: by 0-based index, or by name.
public enum VoiceSelector: Hashable, Sendable, CustomStringConvertible {
    /// The voice at this 0-based position of ``Score/voices``.
    case index(Int)
    /// Voices named so (case-insensitive); if none has exactly this name, the voices whose names
    /// contain it (so "piano" picks "Piano 1" and "Piano 2").
    case name(String)

    /// Parses command-line text: all digits → an index, anything else → a name.
    public init(_ text: String) {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) {
            self = .index(value)
        } else {
            self = .name(text)
        }
    }

    /// The selector as typed.
    public var description: String {
        switch self {
        case let .index(i): return String(i)
        case let .name(n): return n
        }
    }
}

extension Score {
    /// The voices as "index: name", for messages.
    public var voiceListing: [String] { voices.map { "\($0.index): \($0.name)" } }

    /// A score with only the selected voices, in the order selected (each at most once), renumbered
    /// from 0; tempi, metres and keys are kept. No selectors: the score unchanged.
    ///
    /// - Throws: ``ScoreError/unknownVoice(selector:available:)`` listing the voices present.
    public func selectingVoices(_ selectors: [VoiceSelector]) throws(ScoreError) -> Score {
        guard !selectors.isEmpty else { return self }
        return keepingVoices(try voiceIndices(selectedBy: selectors))
    }

    /// The indices of the voices the selectors pick, in the order selected, each once.
    private func voiceIndices(selectedBy selectors: [VoiceSelector]) throws(ScoreError) -> [Int] {
        var chosen: [Int] = []
        var seen = Set<Int>()
        for selector in selectors {
            let matches: [Int]
            switch selector {
            case let .index(i):
                matches = voices.indices.contains(i) ? [i] : []
            case let .name(name):
                let wanted = name.lowercased()
                let exact = voices.indices.filter { voices[$0].name.lowercased() == wanted }
                matches = exact.isEmpty && !wanted.isEmpty
                    ? voices.indices.filter { voices[$0].name.lowercased().contains(wanted) } : exact
            }
            guard !matches.isEmpty else {
                throw .unknownVoice(selector: selector.description, available: voiceListing)
            }
            for m in matches where seen.insert(m).inserted { chosen.append(m) }
        }
        return chosen
    }

    /// The score with only the voices at `chosen`, renumbered from 0.
    private func keepingVoices(_ chosen: [Int]) -> Score {
        var result = self
        result.voices = chosen.enumerated().map { position, original in
            var voice = voices[original]
            voice.index = position
            return voice
        }
        return result
    }

    /// A score with only the one voice `selector` picks, renumbered 0.
    ///
    /// - Throws: ``ScoreError/unknownVoice(selector:available:)`` when it picks none, and
    ///   ``ScoreError/ambiguousVoice(selector:matches:)`` when it picks several (two voices of the
    ///   same name, or a part of a name that several contain).
    public func selectingOneVoice(_ selector: VoiceSelector) throws(ScoreError) -> Score {
        let chosen = try voiceIndices(selectedBy: [selector])
        guard chosen.count == 1 else {
            throw .ambiguousVoice(selector: selector.description, matches: chosen.map { "\($0): \(voices[$0].name)" })
        }
        return keepingVoices(chosen)
    }

    /// The score as a format-1 MIDI file: a first track with the tempo, metre and key maps, then a
    /// track per voice with its name, program and notes (note-off as 0x80) on the voice's channel.
    ///
    /// - Parameter distinctChannels: give every voice its own channel (0, 1, … skipping 9, drum voices
    ///   on 9) so that the file survives ``MIDIFile/mergedToFormatZero()`` with its voices apart.
    public func midiFile(distinctChannels: Bool = false) -> MIDIFile {
        var conductor = MIDITrackBuilder()
        for tempo in tempi {
            conductor.add(.meta(.tempo(microsecondsPerQuarter: UInt32(clamping: min(max(tempo.microsecondsPerQuarter, 1), 0xFF_FFFF)))),
                          at: max(0, tempo.tick))
        }
        for metre in timeSignatures {
            conductor.timeSignature(metre.numerator, metre.denominator, at: max(0, metre.tick))
        }
        for key in keySignatures {
            conductor.keySignature(sharps: key.sharps, minor: key.isMinor, at: max(0, key.tick))
        }
        let end = voices.flatMap(\.notes).map(\.endTicks).max() ?? 0
        var tracks = [conductor.track(endingAt: end)]
        var nextChannel = 0
        for voice in voices {
            var channel = voice.channel
            if distinctChannels {
                if voice.isDrum {
                    channel = 9
                } else {
                    if nextChannel == 9 { nextChannel += 1 }
                    channel = nextChannel % 16
                    nextChannel += 1
                }
            }
            var builder = MIDITrackBuilder()
            // The channel prefix ties the name to the channel, so it survives a merge into format 0.
            builder.add(.meta(.channelPrefix(UInt8(channel))), at: 0)
            builder.name(voice.name)
            if let program = voice.program { builder.program(program, channel: channel) }
            for note in voice.notes {
                builder.note(note.pitch, at: max(0, note.onsetTicks), duration: note.durationTicks,
                             velocity: note.velocity, channel: channel)
            }
            tracks.append(builder.track(endingAt: end))
        }
        let tpq = min(max(ticksPerQuarter, 1), 0x7FFF)
        return MIDIFile(format: 1, ticksPerQuarter: tpq, tracks: tracks)
    }

    /// The score as a format-0 MIDI file (one track, voices on distinct channels).
    public func formatZeroMIDIFile() -> MIDIFile {
        midiFile(distinctChannels: true).mergedToFormatZero()
    }
}
