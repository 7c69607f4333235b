import Foundation

/// The container and encoding of a rendered file, chosen from the output file's extension.
public enum AudioFormat: String, Sendable, Hashable, CaseIterable {
    /// RIFF WAVE, linear PCM (16-bit by default, 24-bit on request).
    case wav
    /// FLAC, lossless (16-bit by default, 24-bit on request).
    case flac
    /// Ogg Vorbis, lossy (no bit depth; quality from ``RenderOptions/vorbisQuality``).
    case oggVorbis

    /// The format for a file name: `.wav`/`.wave` → WAV, `.flac` → FLAC, `.ogg`/`.oga` → Ogg Vorbis
    /// (case-insensitive). Throws ``AudioRenderError/unsupportedExtension(path:fileExtension:)`` otherwise.
    public init(fileURL url: URL) throws {
        let ext = url.pathExtension.lowercased()
        switch ext {
        case "wav", "wave": self = .wav
        case "flac": self = .flac
        case "ogg", "oga": self = .oggVorbis
        default: throw AudioRenderError.unsupportedExtension(path: url.path, fileExtension: url.pathExtension)
        }
    }

    /// A human name for messages ("WAV", "FLAC", "Ogg Vorbis").
    public var displayName: String {
        switch self {
        case .wav: return "WAV"
        case .flac: return "FLAC"
        case .oggVorbis: return "Ogg Vorbis"
        }
    }

    /// True when the format stores linear PCM of a chosen bit depth (WAV, FLAC).
    public var hasBitDepth: Bool { self != .oggVorbis }
}

/// Bits per sample of PCM output (WAV and FLAC).
public enum BitDepth: Int, Sendable, Hashable, CaseIterable {
    /// 16-bit signed integers (CD quality; the default).
    case sixteen = 16
    /// 24-bit signed integers.
    case twentyFour = 24
}
