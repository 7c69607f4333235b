import Foundation

/// Why a render could not be made. Every case names the file or value at fault.
public enum AudioRenderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No SoundFont was given and none was found: the paths that were tried, in order.
    case soundFontNotFound(searched: [String])
    /// A SoundFont path that was asked for explicitly (option or `TALEA_SOUNDFONT`) does not exist.
    case soundFontMissing(path: String)
    /// The file exists but is not a SoundFont FluidSynth can load.
    case invalidSoundFont(path: String, reason: String)
    /// The output file name has an extension Talea does not write.
    case unsupportedExtension(path: String, fileExtension: String)
    /// The output cannot be created or written (missing directory, no permission, a directory in the way, disk full).
    case outputNotWritable(path: String, reason: String)
    /// The chosen format has no such bit depth (Ogg Vorbis is lossy and has none).
    case unsupportedBitDepth(format: AudioFormat, bits: Int)
    /// The sample rate is outside what FluidSynth accepts.
    case unsupportedSampleRate(Int, supported: ClosedRange<Int>)
    /// A `--voice`, `--mute` or `--program` selector picks no voice of the score; `available`
    /// lists the voices as "index: name".
    case unknownVoice(reference: String, available: [String])
    /// A program number outside 0...127.
    case invalidProgram(voice: String, program: Int)
    /// After solo and mute, nothing is left to play (or the excerpt window holds no notes).
    case emptySelection(reason: String)
    /// An option value that makes no sense (negative tail, zero gain, …).
    case invalidOption(name: String, reason: String)
    /// The piece is longer than the render limit (a guard against hostile files).
    case tooLong(seconds: Double, limit: Double)
    /// More notes sound at once on average than the render limit allows (a guard against files of
    /// notes never switched off).
    case tooDense(meanSoundingNotes: Double, limit: Double)
    /// More notes are struck per second of music than the render limit allows (a guard against
    /// files of millions of notes in a few seconds).
    case tooManyNotes(perSecond: Double, limit: Double)
    /// FluidSynth failed to start or to synthesise.
    case synthesizerFailed(reason: String)
    /// libsndfile failed while writing (after the file was opened).
    case writeFailed(path: String, reason: String)
    /// A file could not be read back (``DecodedAudio/read(contentsOf:)``).
    case readFailed(path: String, reason: String)

    /// The message shown to users.
    public var description: String {
        switch self {
        case .soundFontNotFound(let searched):
            return "no SoundFont found; pass --soundfont PATH or set TALEA_SOUNDFONT "
                + "(searched: \(searched.joined(separator: ", ")); on Debian: apt-get install timgm6mb-soundfont)"
        case .soundFontMissing(let path):
            return "SoundFont not found: \(path)"
        case .invalidSoundFont(let path, let reason):
            return "not a usable SoundFont: \(path) (\(reason))"
        case .unsupportedExtension(let path, let ext):
            let shown = ext.isEmpty ? "no extension" : ".\(ext)"
            return "cannot tell the audio format of \(path) (\(shown)); use .wav, .flac or .ogg"
        case .outputNotWritable(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .unsupportedBitDepth(let format, let bits):
            return "\(format.displayName) has no \(bits)-bit option; use .wav or .flac for \(bits)-bit output"
        case .unsupportedSampleRate(let rate, let supported):
            return "sample rate \(rate) Hz is outside \(supported.lowerBound)...\(supported.upperBound) Hz"
        case .unknownVoice(let reference, let available):
            return "no voice \"\(reference)\"; voices are: \(available.joined(separator: ", "))"
        case .invalidProgram(let voice, let program):
            return "program \(program) for voice \"\(voice)\" is outside 0...127"
        case .emptySelection(let reason):
            return "nothing to render: \(reason)"
        case .invalidOption(let name, let reason):
            return "invalid \(name): \(reason)"
        case .tooLong(let seconds, let limit):
            return String(format: "the piece lasts %.0f s, more than the render limit of %.0f s", seconds, limit)
        case .tooDense(let mean, let limit):
            return String(format: "on average %.0f notes sound at once, more than the render limit of %.0f "
                + "(notes never switched off in a damaged file, which `talea inspect` warns of, or more parts than any score has)",
                          mean, limit)
        case .tooManyNotes(let perSecond, let limit):
            return String(format: "%.0f notes are struck per second of music on average, more than the render limit of %.0f",
                          perSecond, limit)
        case .synthesizerFailed(let reason):
            return "FluidSynth failed: \(reason)"
        case .writeFailed(let path, let reason):
            return "writing \(path) failed: \(reason)"
        case .readFailed(let path, let reason):
            return "cannot read audio file \(path): \(reason)"
        }
    }
}
