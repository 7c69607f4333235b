import CSndFile
import Foundation

/// An audio file read back through libsndfile (for tests, checks and reports).
public struct DecodedAudio: Sendable {
    /// Frames per second.
    public var sampleRate: Int
    /// Channels per frame.
    public var channels: Int
    /// Interleaved samples as floats in -1...1.
    public var samples: [Float]
    /// The container, when it is one Talea writes.
    public var format: AudioFormat?
    /// Bits per sample for 16- and 24-bit PCM (WAV, FLAC), else nil.
    public var bitDepth: BitDepth?

    /// Frames in the file.
    public var frameCount: Int { channels > 0 ? samples.count / channels : 0 }
    /// Length in seconds.
    public var durationSeconds: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }

    /// Reads a whole file. Throws ``AudioRenderError/readFailed(path:reason:)``.
    public init(contentsOf url: URL) throws {
        var info = SF_INFO()
        guard let handle = sf_open(url.path, Int32(SFM_READ), &info) else {
            throw AudioRenderError.readFailed(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(handle) }
        guard info.channels > 0, info.frames >= 0, info.frames < 1 << 32 else {
            throw AudioRenderError.readFailed(path: url.path, reason: "implausible header")
        }
        var samples = [Float](repeating: 0, count: Int(info.frames) * Int(info.channels))
        let read = samples.withUnsafeMutableBufferPointer { sf_readf_float(handle, $0.baseAddress, info.frames) }
        samples.removeLast(samples.count - Int(max(read, 0)) * Int(info.channels))
        self.sampleRate = Int(info.samplerate)
        self.channels = Int(info.channels)
        self.samples = samples
        switch info.format & Int32(SF_FORMAT_TYPEMASK) {
        case Int32(SF_FORMAT_WAV): format = .wav
        case Int32(SF_FORMAT_FLAC): format = .flac
        case Int32(SF_FORMAT_OGG): format = .oggVorbis
        default: format = nil
        }
        switch info.format & Int32(SF_FORMAT_SUBMASK) {
        case Int32(SF_FORMAT_PCM_16): bitDepth = .sixteen
        case Int32(SF_FORMAT_PCM_24): bitDepth = .twentyFour
        default: bitDepth = nil
        }
    }

    /// Root-mean-square level over all channels of the frames in `seconds` (clamped to the file), or 0 when empty.
    public func rms(from startSeconds: Double, to endSeconds: Double) -> Double {
        let first = max(0, Int(startSeconds * Double(sampleRate)))
        let last = min(frameCount, Int(endSeconds * Double(sampleRate)))
        guard last > first else { return 0 }
        var sum = 0.0
        for position in (first * channels)..<(last * channels) {
            let value = Double(samples[position])
            sum += value * value
        }
        return (sum / Double((last - first) * channels)).squareRoot()
    }
}
