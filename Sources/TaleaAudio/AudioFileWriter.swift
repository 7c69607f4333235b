import CSndFile
import Foundation

/// Writes interleaved stereo float blocks to an audio file through libsndfile, atomically: the
/// samples go to a hidden temporary file next to the destination, which is renamed over it only
/// by ``commit()``. Dropping the writer without committing deletes the temporary file, so a
/// failed render never leaves a partial file behind (and never damages an existing one).
final class AudioFileWriter {
    /// The file that will exist after ``commit()``.
    let destination: URL
    let format: AudioFormat
    let bitDepth: BitDepth
    private let temporaryPath: String
    private var handle: OpaquePointer?
    private var committed = false
    private var integerBuffer: [Int32] = []
    /// Samples beyond full scale that were clipped.
    private(set) var clippedSamples = 0
    /// Largest absolute sample value written (before clipping).
    private(set) var peak: Float = 0

    /// Opens the temporary file. Throws ``AudioRenderError/outputNotWritable(path:reason:)`` if the
    /// directory is missing or not writable, or the destination is a directory.
    init(destination: URL, format: AudioFormat, bitDepth: BitDepth, sampleRate: Int, vorbisQuality: Double) throws {
        if !format.hasBitDepth && bitDepth != .sixteen {
            throw AudioRenderError.unsupportedBitDepth(format: format, bits: bitDepth.rawValue)
        }
        let path = destination.path
        let directory = destination.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw AudioRenderError.outputNotWritable(path: path, reason: "it is a directory")
        }
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AudioRenderError.outputNotWritable(path: path, reason: "the directory \(directory) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw AudioRenderError.outputNotWritable(path: path, reason: "the directory \(directory) is not writable")
        }
        self.destination = destination
        self.format = format
        self.bitDepth = bitDepth
        // Same directory, so that the final rename stays on one file system and is atomic.
        self.temporaryPath = directory + "/." + destination.lastPathComponent + ".\(UUID().uuidString).partial"

        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 2
        info.format = AudioFileWriter.libsndfileFormat(format, bitDepth)
        guard sf_format_check(&info) != 0 else {
            throw AudioRenderError.outputNotWritable(path: path, reason: "libsndfile cannot write \(format.displayName) "
                + "at \(sampleRate) Hz")
        }
        guard let handle = sf_open(temporaryPath, Int32(SFM_WRITE), &info) else {
            let reason = String(cString: sf_strerror(nil))
            unlink(temporaryPath)
            throw AudioRenderError.outputNotWritable(path: path, reason: reason)
        }
        self.handle = handle
        switch format {
        case .oggVorbis:
            var quality = vorbisQuality
            _ = sf_command(handle, Int32(SFC_SET_VBR_ENCODING_QUALITY), &quality, Int32(MemoryLayout<Double>.size))
        case .wav, .flac:
            break
        }
    }

    deinit {
        if !committed { abandon() }
    }

    static func libsndfileFormat(_ format: AudioFormat, _ bitDepth: BitDepth) -> Int32 {
        let pcm = bitDepth == .twentyFour ? Int32(SF_FORMAT_PCM_24) : Int32(SF_FORMAT_PCM_16)
        switch format {
        case .wav: return Int32(SF_FORMAT_WAV) | pcm
        case .flac: return Int32(SF_FORMAT_FLAC) | pcm
        case .oggVorbis: return Int32(SF_FORMAT_OGG) | Int32(SF_FORMAT_VORBIS)
        }
    }

    /// Appends `frames` interleaved stereo frames. PCM output is converted to integers here,
    /// with clipping and round-to-nearest and no dither, so that equal samples give equal bytes.
    func write(_ samples: UnsafeMutablePointer<Float>, frames: Int) throws {
        guard let handle else { throw AudioRenderError.writeFailed(path: destination.path, reason: "the file is closed") }
        let count = frames * 2
        for position in 0..<count {
            let value = samples[position]
            let magnitude = abs(value)
            if magnitude > peak { peak = magnitude }
            if magnitude > 1 {
                clippedSamples += 1
                samples[position] = value > 0 ? 1 : -1
            }
        }
        let written: sf_count_t
        switch format {
        case .oggVorbis:
            written = sf_writef_float(handle, samples, sf_count_t(frames))
        case .wav, .flac:
            // libsndfile takes the top bits of a 32-bit integer: scale to the target depth, then shift up.
            let (scale, shift): (Float, Int32) = bitDepth == .twentyFour ? (8_388_607, 8) : (32_767, 16)
            if integerBuffer.count < count { integerBuffer = [Int32](repeating: 0, count: count) }
            for position in 0..<count {
                integerBuffer[position] = Int32((samples[position] * scale).rounded()) << shift
            }
            written = integerBuffer.withUnsafeBufferPointer { sf_writef_int(handle, $0.baseAddress, sf_count_t(frames)) }
        }
        guard written == sf_count_t(frames) else {
            throw AudioRenderError.writeFailed(path: destination.path, reason: String(cString: sf_strerror(handle)))
        }
    }

    /// Closes the temporary file and renames it over the destination.
    func commit() throws {
        guard let handle else { throw AudioRenderError.writeFailed(path: destination.path, reason: "the file is closed") }
        self.handle = nil
        let closeStatus = sf_close(handle)
        guard closeStatus == 0 else {
            unlink(temporaryPath)
            throw AudioRenderError.writeFailed(path: destination.path, reason: String(cString: sf_error_number(closeStatus)))
        }
        guard rename(temporaryPath, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw AudioRenderError.outputNotWritable(path: destination.path, reason: reason)
        }
        committed = true
    }

    /// Closes and deletes the temporary file.
    func abandon() {
        if let handle {
            sf_close(handle)
            self.handle = nil
        }
        unlink(temporaryPath)
    }
}
