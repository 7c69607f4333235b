import CFluidSynth
import Foundation

/// A SoundFont (`.sf2`, or `.sf3` if FluidSynth was built with Vorbis support) that FluidSynth can load.
public struct SoundFont: Sendable, Hashable {
    /// Where the SoundFont lives.
    public let url: URL

    /// The environment variable consulted when no path is given explicitly.
    public static let environmentVariable = "TALEA_SOUNDFONT"

    /// Debian's General MIDI SoundFonts, in the order tried: `timgm6mb-soundfont` (6 MB, what CI
    /// installs), `fluid-soundfont-gm` (140 MB) and the `default-GM.sf2` alternatives link.
    public static let defaultSearchPaths: [String] = [
        "/usr/share/sounds/sf2/TimGM6mb.sf2",
        "/usr/share/sounds/sf2/FluidR3_GM.sf2",
        "/usr/share/sounds/sf2/default-GM.sf2",
    ]

    /// Checks that `url` is a readable SoundFont: it must exist, be a regular file, start with a
    /// RIFF `sfbk` header and be recognised by FluidSynth.
    /// Throws ``AudioRenderError/soundFontMissing(path:)`` or ``AudioRenderError/invalidSoundFont(path:reason:)``.
    public init(validating url: URL) throws {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioRenderError.soundFontMissing(path: path)
        }
        guard !isDirectory.boolValue else {
            throw AudioRenderError.invalidSoundFont(path: path, reason: "it is a directory")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AudioRenderError.invalidSoundFont(path: path, reason: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 12)) ?? Data())
        // A SoundFont 2 file is a RIFF chunk of form type "sfbk".
        guard header.count == 12, Array(header[0..<4]) == Array("RIFF".utf8),
              Array(header[8..<12]) == Array("sfbk".utf8) else {
            throw AudioRenderError.invalidSoundFont(path: path, reason: "no RIFF 'sfbk' header")
        }
        // The RIFF size field counts the bytes after the first 8; a shorter file is truncated.
        let declared = Int(header[4]) | Int(header[5]) << 8 | Int(header[6]) << 16 | Int(header[7]) << 24
        let actual = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard declared + 8 <= actual, declared > 4 else {
            throw AudioRenderError.invalidSoundFont(path: path, reason: "truncated: the header announces \(declared + 8) "
                + "bytes, the file has \(actual)")
        }
        silenceFluidSynthLog()
        guard fluid_is_soundfont(path) != 0 else {
            throw AudioRenderError.invalidSoundFont(path: path, reason: "FluidSynth does not recognise it")
        }
        self.url = url
    }

    /// Finds the SoundFont to use: `explicitPath` if given, else `$TALEA_SOUNDFONT` if set and not
    /// empty, else the first of ``defaultSearchPaths`` that exists. An explicit or environment
    /// path is never silently replaced by a default: if it is missing or invalid, that is the error.
    public static func locate(explicitPath: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              searchPaths: [String] = defaultSearchPaths) throws -> SoundFont {
        if let explicitPath, !explicitPath.isEmpty {
            return try SoundFont(validating: URL(fileURLWithPath: explicitPath))
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return try SoundFont(validating: URL(fileURLWithPath: fromEnvironment))
        }
        for path in searchPaths where FileManager.default.fileExists(atPath: path) {
            return try SoundFont(validating: URL(fileURLWithPath: path))
        }
        throw AudioRenderError.soundFontNotFound(searched: searchPaths)
    }
}
