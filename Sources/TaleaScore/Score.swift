/// A note as music: a pitch sounding from an onset for a duration.
///
/// Times are given three ways: in MIDI ticks (exact, encoder-specific), in quarter notes
/// (the musical unit every feature uses) and in seconds (through the tempo map; for audio).
public struct Note: Hashable, Sendable {
    /// MIDI key number, 0...127 (60 = middle C).
    public var pitch: Int
    /// Note-on velocity, 1...127.
    public var velocity: Int
    /// MIDI channel, 0...15 (9 is the General MIDI drum channel).
    public var channel: Int
    /// Onset in ticks from the start of the file.
    public var onsetTicks: Int
    /// Duration in ticks (0 for a note switched off at the instant it started).
    public var durationTicks: Int
    /// Onset in quarter notes from the start of the piece.
    public var onsetQuarters: Double
    /// Duration in quarter notes.
    public var durationQuarters: Double
    /// Onset in seconds, through the tempo map.
    public var onsetSeconds: Double
    /// Duration in seconds, through the tempo map.
    public var durationSeconds: Double

    /// Creates a note; every time is given explicitly.
    public init(pitch: Int, velocity: Int = 80, channel: Int = 0,
                onsetTicks: Int, durationTicks: Int,
                onsetQuarters: Double, durationQuarters: Double,
                onsetSeconds: Double, durationSeconds: Double) {
        self.pitch = pitch
        self.velocity = velocity
        self.channel = channel
        self.onsetTicks = onsetTicks
        self.durationTicks = durationTicks
        self.onsetQuarters = onsetQuarters
        self.durationQuarters = durationQuarters
        self.onsetSeconds = onsetSeconds
        self.durationSeconds = durationSeconds
    }

    /// End of the note in quarter notes.
    public var endQuarters: Double { onsetQuarters + durationQuarters }
    /// End of the note in seconds.
    public var endSeconds: Double { onsetSeconds + durationSeconds }
    /// End of the note in ticks.
    public var endTicks: Int { onsetTicks + durationTicks }
}

/// One part of a piece: the notes of a track (format 1) or of a channel (format 0, or a
/// format-1 track split by channel).
public struct Voice: Hashable, Sendable {
    /// Position of the voice in ``Score/voices`` (0-based).
    public var index: Int
    /// The part name (from the track name; a fallback such as "Track 2" or "Channel 3" when absent).
    public var name: String
    /// The MIDI track the notes came from (0-based).
    public var trackIndex: Int
    /// The MIDI channel of the notes (the first channel seen if, exceptionally, several remain).
    public var channel: Int
    /// The General MIDI program (0...127) last set before the first note, if any.
    public var program: Int?
    /// True for channel 10 (index 9), the General MIDI percussion channel.
    public var isDrum: Bool
    /// Notes sorted by onset, then by pitch.
    public var notes: [Note]

    /// Creates a voice.
    public init(index: Int, name: String, trackIndex: Int, channel: Int, program: Int? = nil,
                isDrum: Bool = false, notes: [Note]) {
        self.index = index
        self.name = name
        self.trackIndex = trackIndex
        self.channel = channel
        self.program = program
        self.isDrum = isDrum
        self.notes = notes
    }

    /// Lowest and highest pitch, or nil for a voice with no notes.
    public var ambitus: ClosedRange<Int>? {
        guard let low = notes.map(\.pitch).min(), let high = notes.map(\.pitch).max() else { return nil }
        return low...high
    }
}

/// A tempo in force from a point of the piece on.
public struct TempoChange: Hashable, Sendable {
    /// Where the tempo starts, in ticks.
    public var tick: Int
    /// Where the tempo starts, in quarter notes.
    public var quarters: Double
    /// Where the tempo starts, in seconds.
    public var seconds: Double
    /// Microseconds per quarter note (500,000 = 120 quarter notes per minute).
    public var microsecondsPerQuarter: Int

    /// Creates a tempo change.
    public init(tick: Int, quarters: Double, seconds: Double, microsecondsPerQuarter: Int) {
        self.tick = tick
        self.quarters = quarters
        self.seconds = seconds
        self.microsecondsPerQuarter = microsecondsPerQuarter
    }

    /// Quarter notes per minute.
    public var quartersPerMinute: Double { 60_000_000.0 / Double(microsecondsPerQuarter) }
}

/// A metre in force from a point of the piece on.
public struct TimeSignature: Hashable, Sendable {
    /// Where the metre starts, in ticks.
    public var tick: Int
    /// Where the metre starts, in quarter notes.
    public var quarters: Double
    /// Beats per bar (upper figure).
    public var numerator: Int
    /// Beat unit (lower figure: 2, 4, 8, …).
    public var denominator: Int

    /// Creates a time signature.
    public init(tick: Int, quarters: Double, numerator: Int, denominator: Int) {
        self.tick = tick
        self.quarters = quarters
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// A key signature in force from a point of the piece on.
public struct KeySignature: Hashable, Sendable {
    /// Where the key starts, in ticks.
    public var tick: Int
    /// Where the key starts, in quarter notes.
    public var quarters: Double
    /// Sharps (positive) or flats (negative), -7...7.
    public var sharps: Int
    /// True for a minor key.
    public var isMinor: Bool

    /// Creates a key signature.
    public init(tick: Int, quarters: Double, sharps: Int, isMinor: Bool) {
        self.tick = tick
        self.quarters = quarters
        self.sharps = sharps
        self.isMinor = isMinor
    }
}

/// A piece as voices of notes, with its tempo, metre and key maps.
public struct Score: Hashable, Sendable {
    /// Ticks per quarter note of the source (for SMPTE files, the ticks that make a quarter at
    /// the assumed tempo; see the builder's documentation).
    public var ticksPerQuarter: Int
    /// The voices that have notes, in track order (and channel order within a split track).
    public var voices: [Voice]
    /// Tempo changes in time order; the first one is at tick 0 (120 quarters per minute if the file sets none).
    public var tempi: [TempoChange]
    /// Time signatures in time order (may be empty).
    public var timeSignatures: [TimeSignature]
    /// Key signatures in time order (may be empty).
    public var keySignatures: [KeySignature]
    /// What was salvaged or doubtful while building the score, in words.
    public var warnings: [String]

    /// Creates a score.
    public init(ticksPerQuarter: Int, voices: [Voice], tempi: [TempoChange] = [],
                timeSignatures: [TimeSignature] = [], keySignatures: [KeySignature] = [],
                warnings: [String] = []) {
        self.ticksPerQuarter = ticksPerQuarter
        self.voices = voices
        self.tempi = tempi
        self.timeSignatures = timeSignatures
        self.keySignatures = keySignatures
        self.warnings = warnings
    }

    /// End of the last note, in quarter notes.
    public var durationQuarters: Double { voices.flatMap(\.notes).map(\.endQuarters).max() ?? 0 }
    /// End of the last note, in seconds.
    public var durationSeconds: Double { voices.flatMap(\.notes).map(\.endSeconds).max() ?? 0 }
    /// Number of notes in every voice.
    public var noteCount: Int { voices.reduce(0) { $0 + $1.notes.count } }
}
