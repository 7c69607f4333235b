import Foundation
import TaleaScore

/// Everything that shapes a render besides the score and the SoundFont. The defaults give a
/// deterministic 44.1 kHz, 16-bit, dry (no reverb, no chorus) render of every voice.
public struct RenderOptions: Sendable, Hashable {
    /// Output sample rate in Hz (FluidSynth accepts 8,000...96,000).
    public var sampleRate: Int = 44_100
    /// Bits per sample for WAV and FLAC (Ogg Vorbis has none: 24 bits there is an error).
    public var bitDepth: BitDepth = .sixteen
    /// Voices to play alone (`--voice`); empty = all voices.
    public var soloVoices: [VoiceSelector] = []
    /// Voices to silence (`--mute`), applied after ``soloVoices``.
    public var mutedVoices: [VoiceSelector] = []
    /// Programs forced on voices (`--program VOICE=N`).
    public var programOverrides: [ProgramOverride] = []
    /// Play every voice with the program its file sets (0, Acoustic Grand Piano, when it sets
    /// none), as a MIDI file player would, instead of Talea's choice by name and texture.
    /// Overrides and the percussion bank for drum voices still apply.
    public var useFilePrograms: Bool = false
    /// Program for sung parts and single-line parts with uninformative names
    /// (``GeneralMIDI/choirAahs`` by default; ``GeneralMIDI/recorder`` keeps lines more distinct).
    public var vocalProgram: Int = GeneralMIDI.choirAahs
    /// FluidSynth's reverb. Off by default: the output then depends on the notes alone.
    public var reverb: Bool = false
    /// FluidSynth's chorus. Off by default, like the reverb.
    public var chorus: Bool = false
    /// FluidSynth's master gain, 0 < gain ≤ 10. FluidSynth's own default, 0.2, leaves corpus
    /// renders at about −36 dBFS RMS with peaks below 0.31; 0.5 brings them to about −28 dBFS with
    /// peaks below 0.8. Samples beyond full scale are clipped and counted in ``RenderSummary/clippedSamples``.
    public var gain: Double = 0.5
    /// Fixed time rendered after the last note ends (or after the excerpt is cut), so that
    /// released notes can die away. Output length = sounding length + this, exactly.
    public var releaseTailSeconds: Double = 1.0
    /// Where the render starts in the piece, in seconds (for excerpts). Notes already sounding
    /// there are struck at the start.
    public var startSeconds: Double = 0
    /// Longest stretch of the piece to render from ``startSeconds`` (nil = to the end); notes
    /// still sounding at the cut are released there and the tail follows.
    public var maxSeconds: Double? = nil
    /// Refuse to render more than this many seconds of music (a guard against hostile files
    /// whose notes lie days apart). Two hours by default.
    public var durationLimitSeconds: Double = 7_200
    /// Refuse to render a piece in which more than this many notes sound at once on average (the
    /// notes' summed sounding time over the length of the music): a guard against damaged or
    /// hostile files whose notes are never switched off, which would keep the synthesiser at full
    /// polyphony for the whole render. The densest corpus file (a lied) averages 20.
    public var meanSoundingNotesLimit: Double = 128
    /// Refuse to render a piece that strikes more than this many notes per second of music on
    /// average: a guard against hostile files of millions of notes in a few seconds, each of which
    /// makes FluidSynth search its voices. The densest corpus file strikes 48 per second.
    public var notesPerSecondLimit: Double = 1_000
    /// Ogg Vorbis quality, 0 (smallest) ... 1 (best).
    public var vorbisQuality: Double = 0.5

    /// The defaults.
    public init() {}
}

/// How far a render has got, passed to the progress callback.
public struct RenderProgress: Sendable, Hashable {
    /// Frames written so far.
    public var framesWritten: Int
    /// Frames the file will have.
    public var totalFrames: Int
    /// Sample rate of the output.
    public var sampleRate: Int

    /// Creates a progress report.
    public init(framesWritten: Int, totalFrames: Int, sampleRate: Int) {
        self.framesWritten = framesWritten
        self.totalFrames = totalFrames
        self.sampleRate = sampleRate
    }

    /// 0...1.
    public var fraction: Double { totalFrames > 0 ? Double(framesWritten) / Double(totalFrames) : 1 }
    /// Seconds of audio written so far.
    public var secondsWritten: Double { Double(framesWritten) / Double(sampleRate) }
    /// Seconds of audio the file will hold.
    public var totalSeconds: Double { Double(totalFrames) / Double(sampleRate) }
}
