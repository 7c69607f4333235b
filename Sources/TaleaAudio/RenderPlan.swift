import Foundation
import TaleaScore

/// The instrument and synthesiser channel one voice is rendered with.
public struct VoiceAssignment: Sendable, Hashable {
    /// Index of the voice in the score (``Voice/index`` position in ``Score/voices``).
    public var voiceIndex: Int
    /// Name of the voice.
    public var name: String
    /// The synthesiser channel (0-based; Talea gives FluidSynth as many channels as there are
    /// voices, up to 256, so voices never share one unless there are more than 256).
    public var channel: Int
    /// Bank and program.
    public var instrument: InstrumentChoice
    /// Notes of the voice that fall in the rendered window.
    public var noteCount: Int

    /// Creates an assignment.
    public init(voiceIndex: Int, name: String, channel: Int, instrument: InstrumentChoice, noteCount: Int) {
        self.voiceIndex = voiceIndex
        self.name = name
        self.channel = channel
        self.instrument = instrument
        self.noteCount = noteCount
    }
}

/// A note-on or note-off at a sample frame of the output (16 bytes, so that a file with millions
/// of notes stays within bounded memory).
struct ScheduledEvent: Hashable, Sendable {
    enum Kind: UInt8, Hashable, Sendable {
        // Raw values order events that share a frame: releases first, so a repeated note is
        // released and struck again rather than struck and then cut.
        case noteOff = 0
        case noteOn = 1
    }

    var frame: Int
    var kind: Kind
    var channel: UInt16
    var key: UInt8
    var velocity: UInt8

    init(frame: Int, kind: Kind, channel: Int, key: Int, velocity: Int) {
        self.frame = frame
        self.kind = kind
        self.channel = UInt16(clamping: channel)
        self.key = UInt8(clamping: key)
        self.velocity = UInt8(clamping: velocity)
    }
}

/// What will be rendered, worked out from the score and the options without touching the
/// synthesiser: which voices, on which channels, with which instruments, every note-on and
/// note-off as an output frame, and the length of the file.
public struct RenderPlan: Sendable {
    /// The voices that will sound, in score order.
    public let voices: [VoiceAssignment]
    /// Output sample rate.
    public let sampleRate: Int
    /// Frames from the start of the render to the end of the last (possibly cut) note.
    public let soundingFrames: Int
    /// Frames of release tail after that.
    public let tailFrames: Int
    /// MIDI channels the synthesiser needs (a multiple of 16, 16...256).
    public let synthChannels: Int
    /// What was skipped or adjusted, in words (notes with impossible times or pitches, shared channels).
    public let warnings: [String]
    /// Every note-on and note-off, sorted by frame (releases before strikes within a frame).
    let events: [ScheduledEvent]

    /// Frames in the output file: ``soundingFrames`` + ``tailFrames``.
    public var totalFrames: Int { soundingFrames + tailFrames }
    /// Seconds in the output file.
    public var totalSeconds: Double { Double(totalFrames) / Double(sampleRate) }
    /// Seconds of music (without the tail).
    public var soundingSeconds: Double { Double(soundingFrames) / Double(sampleRate) }
    /// Note-ons in the plan.
    public var noteCount: Int { events.lazy.filter { $0.kind == .noteOn }.count }

    /// FluidSynth's channel limit (its `synth.midi-channels` setting accepts 16...256).
    static let maximumChannels = 256

    /// Plans the render of `score` with `options`.
    ///
    /// Times come from the notes' seconds (the score's tempo map). The render starts at
    /// ``RenderOptions/startSeconds``; a note sounding there is struck at frame 0, a note still
    /// sounding at the end of ``RenderOptions/maxSeconds`` is released there.
    public init(score: Score, options: RenderOptions) throws {
        try RenderPlan.validate(options)
        let selected = try RenderPlan.selectVoices(score: score, options: options)

        var overrides: [Int: Int] = [:]
        for override in options.programOverrides {
            for index in try override.voice.voiceIndices(in: score.voices) {
                guard (0...127).contains(override.program) else {
                    throw AudioRenderError.invalidProgram(voice: score.voices[index].name, program: override.program)
                }
                overrides[index] = override.program
            }
        }

        let rate = Double(options.sampleRate)
        let start = options.startSeconds
        let windowEnd = options.maxSeconds.map { start + $0 } ?? .infinity
        var warnings: [String] = []

        // The sounding end decides the length; check it against the limit before allocating anything.
        var lastEnd = start
        var notesInWindow = 0
        var summedSoundingSeconds = 0.0
        var impossible = 0
        for index in selected {
            for note in score.voices[index].notes {
                guard RenderPlan.isPlayable(note) else { impossible += 1; continue }
                if RenderPlan.sounds(note, from: start, before: windowEnd) {
                    let end = min(note.endSeconds, windowEnd)
                    notesInWindow += 1
                    lastEnd = max(lastEnd, end)
                    summedSoundingSeconds += end - max(note.onsetSeconds, start)
                }
            }
        }
        if impossible > 0 {
            warnings.append("skipped \(impossible) note(s) with a pitch outside 0...127 or an impossible time")
        }
        guard notesInWindow > 0 else {
            throw AudioRenderError.emptySelection(reason: options.startSeconds > 0 || options.maxSeconds != nil
                ? "no note of the selected voices sounds between \(start) s and \(windowEnd) s"
                : "the selected voices have no notes")
        }
        let soundingSeconds = lastEnd - start
        guard soundingSeconds <= options.durationLimitSeconds else {
            throw AudioRenderError.tooLong(seconds: soundingSeconds, limit: options.durationLimitSeconds)
        }
        // Both densities are taken over at least a second, so that a short excerpt is not refused
        // for a chord.
        let notesPerSecond = Double(notesInWindow) / max(soundingSeconds, 1)
        guard notesPerSecond <= options.notesPerSecondLimit else {
            throw AudioRenderError.tooManyNotes(perSecond: notesPerSecond, limit: options.notesPerSecondLimit)
        }
        let meanSoundingNotes = summedSoundingSeconds / max(soundingSeconds, 1)
        guard meanSoundingNotes <= options.meanSoundingNotesLimit else {
            throw AudioRenderError.tooDense(meanSoundingNotes: meanSoundingNotes, limit: options.meanSoundingNotesLimit)
        }

        // Channels: one per voice while FluidSynth has enough; beyond 256 voices, voices with
        // the same instrument share a channel (a shared channel merges repeated notes of one pitch).
        let chooser = InstrumentChooser(vocalProgram: options.vocalProgram, useFilePrograms: options.useFilePrograms)
        var assignments: [VoiceAssignment] = []
        var channelOfInstrument: [InstrumentChoice: Int] = [:]
        for (position, index) in selected.enumerated() {
            let voice = score.voices[index]
            var choice = chooser.choose(for: voice)
            if let program = overrides[index] {
                choice = InstrumentChoice(bank: choice.bank, program: program, source: .override)
            }
            let channel: Int
            if selected.count <= RenderPlan.maximumChannels {
                channel = position
            } else {
                let sound = InstrumentChoice(bank: choice.bank, program: choice.program, source: .file)
                if let shared = channelOfInstrument[sound] {
                    channel = shared
                } else {
                    channel = channelOfInstrument.count % RenderPlan.maximumChannels
                    channelOfInstrument[sound] = channel
                }
            }
            assignments.append(VoiceAssignment(voiceIndex: index, name: voice.name, channel: channel,
                                               instrument: choice, noteCount: 0))
        }
        if selected.count > RenderPlan.maximumChannels {
            warnings.append("\(selected.count) voices share \(RenderPlan.maximumChannels) synthesiser channels by instrument")
        }

        func frame(_ seconds: Double) -> Int { Int(((seconds - start) * rate).rounded()) }
        var events: [ScheduledEvent] = []
        events.reserveCapacity(notesInWindow * 2)
        for position in assignments.indices {
            let assignment = assignments[position]
            var count = 0
            for note in score.voices[assignment.voiceIndex].notes
            where RenderPlan.isPlayable(note) && RenderPlan.sounds(note, from: start, before: windowEnd) {
                let on = frame(max(note.onsetSeconds, start))
                // At least one frame long, so that the release follows the strike; FluidSynth
                // then holds very short notes for its minimum note length (10 ms).
                let off = max(frame(min(note.endSeconds, windowEnd)), on + 1)
                let velocity = min(max(note.velocity, 1), 127)
                events.append(ScheduledEvent(frame: on, kind: .noteOn, channel: assignment.channel,
                                             key: note.pitch, velocity: velocity))
                events.append(ScheduledEvent(frame: off, kind: .noteOff, channel: assignment.channel,
                                             key: note.pitch, velocity: 0))
                count += 1
            }
            assignments[position].noteCount = count
        }
        events.sort { ($0.frame, $0.kind.rawValue) < ($1.frame, $1.kind.rawValue) }

        let lastEventFrame = events.last?.frame ?? 0
        self.voices = assignments
        self.sampleRate = options.sampleRate
        self.soundingFrames = max(frame(lastEnd), lastEventFrame)
        self.tailFrames = Int((options.releaseTailSeconds * rate).rounded())
        let channelsUsed = (assignments.map(\.channel).max() ?? 0) + 1
        self.synthChannels = min(RenderPlan.maximumChannels, max(16, (channelsUsed + 15) / 16 * 16))
        self.warnings = warnings
        self.events = events
    }

    /// Indices of the voices to render: the solo voices (or all), minus the muted ones.
    static func selectVoices(score: Score, options: RenderOptions) throws -> [Int] {
        guard !score.voices.isEmpty else { throw AudioRenderError.emptySelection(reason: "the score has no voices") }
        var chosen = Set(score.voices.indices)
        if !options.soloVoices.isEmpty {
            chosen = Set(try options.soloVoices.flatMap { try $0.voiceIndices(in: score.voices) })
        }
        for muted in options.mutedVoices {
            chosen.subtract(try muted.voiceIndices(in: score.voices))
        }
        guard !chosen.isEmpty else {
            throw AudioRenderError.emptySelection(reason: "every voice is muted or left out of the solo")
        }
        return chosen.sorted()
    }

    /// A note the synthesiser can play: a MIDI key and finite, non-negative times.
    static func isPlayable(_ note: Note) -> Bool {
        (0...127).contains(note.pitch) && note.onsetSeconds.isFinite && note.durationSeconds.isFinite
            && note.onsetSeconds >= 0 && note.durationSeconds >= 0
    }

    /// True when the note is heard in the window [start, end): it starts before the end and
    /// either is still sounding after the start or starts at or after it (a zero-length note).
    static func sounds(_ note: Note, from start: Double, before end: Double) -> Bool {
        note.onsetSeconds < end && (note.endSeconds > start || note.onsetSeconds >= start)
    }

    static func validate(_ options: RenderOptions) throws {
        guard (8_000...96_000).contains(options.sampleRate) else {
            throw AudioRenderError.unsupportedSampleRate(options.sampleRate, supported: 8_000...96_000)
        }
        guard options.gain.isFinite, options.gain > 0, options.gain <= 10 else {
            throw AudioRenderError.invalidOption(name: "gain", reason: "\(options.gain) is not in (0, 10]")
        }
        guard options.releaseTailSeconds.isFinite, (0...60).contains(options.releaseTailSeconds) else {
            throw AudioRenderError.invalidOption(name: "release tail",
                                                 reason: "\(options.releaseTailSeconds) s is not in 0...60 s")
        }
        guard options.startSeconds.isFinite, options.startSeconds >= 0 else {
            throw AudioRenderError.invalidOption(name: "start", reason: "\(options.startSeconds) s is negative or not a number")
        }
        if let maxSeconds = options.maxSeconds {
            guard maxSeconds.isFinite, maxSeconds > 0 else {
                throw AudioRenderError.invalidOption(name: "excerpt length", reason: "\(maxSeconds) s is not positive")
            }
        }
        guard (0...127).contains(options.vocalProgram) else {
            throw AudioRenderError.invalidOption(name: "vocal program", reason: "\(options.vocalProgram) is outside 0...127")
        }
        guard options.vorbisQuality.isFinite, (0...1).contains(options.vorbisQuality) else {
            throw AudioRenderError.invalidOption(name: "Vorbis quality", reason: "\(options.vorbisQuality) is outside 0...1")
        }
        let limits = [("duration limit", options.durationLimitSeconds, " s"),
                      ("sounding-notes limit", options.meanSoundingNotesLimit, ""),
                      ("notes-per-second limit", options.notesPerSecondLimit, "")]
        for (name, limit, unit) in limits where !(limit.isFinite && limit > 0) {
            throw AudioRenderError.invalidOption(name: name, reason: "\(limit)\(unit) is not positive")
        }
    }
}
