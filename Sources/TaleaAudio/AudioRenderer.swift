import Foundation
import TaleaScore

/// What a finished render produced.
public struct RenderSummary: Sendable {
    /// The file written.
    public var url: URL
    /// Its format.
    public var format: AudioFormat
    /// Frames per second.
    public var sampleRate: Int
    /// Frames written (``RenderPlan/totalFrames``).
    public var frames: Int
    /// Seconds of music, without the tail.
    public var soundingSeconds: Double
    /// Seconds of release tail.
    public var tailSeconds: Double
    /// The voices rendered, with their channels and instruments.
    public var voices: [VoiceAssignment]
    /// Largest absolute sample before clipping (1 = full scale).
    public var peak: Float
    /// Samples that exceeded full scale and were clipped (lower ``RenderOptions/gain`` if not 0).
    public var clippedSamples: Int
    /// What was skipped or substituted, in words.
    public var warnings: [String]

    /// Total seconds in the file.
    public var durationSeconds: Double { Double(frames) / Double(sampleRate) }
}

/// Renders a ``Score`` offline to an audio file with FluidSynth and libsndfile.
///
/// Talea schedules every note-on and note-off itself from the score's voices (times in seconds
/// through the tempo map), so solo, mute and excerpts work on voices rather than on MIDI
/// tracks, and the result is the same on every run: a fresh synthesiser per render, one thread,
/// reverb and chorus off by default, and integer conversion without dither.
public struct AudioRenderer: Sendable {
    /// The SoundFont to play with.
    public var soundFont: SoundFont
    /// Format, selection and synthesis options.
    public var options: RenderOptions

    /// Frames synthesised per call to FluidSynth between events (at most).
    static let blockFrames = 4_096

    /// Creates a renderer.
    public init(soundFont: SoundFont, options: RenderOptions = RenderOptions()) {
        self.soundFont = soundFont
        self.options = options
    }

    /// Renders `score` to `url`, in the format its extension names (see ``AudioFormat/init(fileURL:)``).
    ///
    /// The file holds the selected voices from ``RenderOptions/startSeconds`` to the end of the
    /// last note (or of the excerpt), then ``RenderOptions/releaseTailSeconds`` of tail.
    /// `progress` is called on the calling thread after each block that advances the render by
    /// at least 1 %, and once at the end; an error it throws cancels the render. On any error
    /// nothing is left at `url` (an existing file there is left untouched).
    @discardableResult
    public func render(_ score: Score, to url: URL,
                       progress: ((RenderProgress) throws -> Void)? = nil) throws -> RenderSummary {
        let format = try AudioFormat(fileURL: url)
        let plan = try RenderPlan(score: score, options: options)
        let writer = try AudioFileWriter(destination: url, format: format, bitDepth: options.bitDepth,
                                         sampleRate: options.sampleRate, vorbisQuality: options.vorbisQuality)
        var warnings = plan.warnings
        do {
            warnings += try synthesise(plan) { buffer, frames, progressReport in
                try writer.write(buffer, frames: frames)
                if let progressReport { try progress?(progressReport) }
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        if writer.clippedSamples > 0 {
            warnings.append("\(writer.clippedSamples) sample(s) clipped (peak \(writer.peak)); lower the gain")
        }
        return RenderSummary(url: url, format: format, sampleRate: plan.sampleRate, frames: plan.totalFrames,
                             soundingSeconds: plan.soundingSeconds,
                             tailSeconds: Double(plan.tailFrames) / Double(plan.sampleRate),
                             voices: plan.voices, peak: writer.peak, clippedSamples: writer.clippedSamples,
                             warnings: warnings)
    }

    /// Renders at most `maxSeconds` of `score` from `startSeconds` on (for listening clips in
    /// reports, ~20 s), then the release tail. Other options as in ``options``.
    @discardableResult
    public func renderExcerpt(_ score: Score, to url: URL, startSeconds: Double = 0, maxSeconds: Double = 20,
                              progress: ((RenderProgress) throws -> Void)? = nil) throws -> RenderSummary {
        var excerpt = self
        excerpt.options.startSeconds = startSeconds
        excerpt.options.maxSeconds = maxSeconds
        return try excerpt.render(score, to: url, progress: progress)
    }

    /// Renders `score` to interleaved stereo floats in memory (no file, no clipping): for
    /// measurements and for callers that process the audio themselves. Mind the size: 10 minutes
    /// at 44.1 kHz are 53 million floats.
    public func renderSamples(_ score: Score) throws -> (plan: RenderPlan, samples: [Float]) {
        let plan = try RenderPlan(score: score, options: options)
        var samples: [Float] = []
        samples.reserveCapacity(plan.totalFrames * 2)
        _ = try synthesise(plan) { buffer, frames, _ in
            samples.append(contentsOf: UnsafeBufferPointer(start: buffer, count: frames * 2))
        }
        return (plan, samples)
    }

    /// Plays the plan through a fresh FluidSynth and hands each synthesised block to `sink`
    /// (with a progress report when one is due). Returns warnings about substituted instruments.
    private func synthesise(_ plan: RenderPlan,
                            sink: (UnsafeMutablePointer<Float>, Int, RenderProgress?) throws -> Void) throws -> [String] {
        let engine = try FluidSynthEngine(soundFont: soundFont, sampleRate: plan.sampleRate,
                                          channels: plan.synthChannels, gain: options.gain,
                                          reverb: options.reverb, chorus: options.chorus)
        var warnings: [String] = []
        var configured = Set<Int>()
        for voice in plan.voices where configured.insert(voice.channel).inserted {
            let wanted = voice.instrument
            if let selected = engine.assign(channel: voice.channel, bank: wanted.bank, program: wanted.program) {
                if selected != (wanted.bank, wanted.program) {
                    warnings.append("voice \(voice.name): the SoundFont has no bank \(wanted.bank) program "
                        + "\(wanted.program); playing program \(selected.program) instead")
                }
            } else {
                warnings.append("voice \(voice.name): the SoundFont has no bank \(wanted.bank) program "
                    + "\(wanted.program) nor program 0; the voice is silent")
            }
        }

        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: AudioRenderer.blockFrames * 2)
        defer { buffer.deallocate() }
        var written = 0
        var lastReported = -1.0
        let total = plan.totalFrames

        // Synthesise up to (not including) `frame`, in blocks.
        func advance(to frame: Int) throws {
            while written < frame {
                let frames = min(AudioRenderer.blockFrames, frame - written)
                try engine.render(frames: frames, into: buffer)
                written += frames
                let report = RenderProgress(framesWritten: written, totalFrames: total, sampleRate: plan.sampleRate)
                let due = report.fraction - lastReported >= 0.01 || written == total
                if due { lastReported = report.fraction }
                try sink(buffer, frames, due ? report : nil)
            }
        }

        // Several notes of one voice may hold the same key (overlaps in the source). The key is
        // released only when the last of them ends, so that an early note-off does not cut the later note.
        var held: [Int: Int] = [:]
        for event in plan.events {
            try advance(to: min(event.frame, total))
            let channel = Int(event.channel), key = Int(event.key)
            let heldKey = channel << 7 | key
            switch event.kind {
            case .noteOn:
                held[heldKey, default: 0] += 1
                engine.noteOn(channel: channel, key: key, velocity: Int(event.velocity))
            case .noteOff:
                let remaining = (held[heldKey] ?? 1) - 1
                held[heldKey] = remaining > 0 ? remaining : nil
                if remaining <= 0 { engine.noteOff(channel: channel, key: key) }
            }
        }
        try advance(to: total)
        return warnings
    }
}
