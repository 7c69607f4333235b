import Foundation

/// Where the shared training corpus is, for tests: `TALEA_CORPUS` if set, else
/// `<package root>/../shared/corpus`; nil when neither holds a `manifest.csv`.
public enum SharedCorpus {
    /// The corpus directory, or nil when it is absent (tests then skip and say so).
    public static var directory: URL? {
        if let path = ProcessInfo.processInfo.environment["TALEA_CORPUS"], !path.isEmpty {
            let url = URL(fileURLWithPath: path)
            return hasManifest(url) ? url : nil
        }
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return hasManifest(url) ? url : nil
    }

    /// The package's root folder (this file is `Sources/TaleaTestSupport/TestSupport.swift`).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func hasManifest(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.csv").path)
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so generated tests are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state.
    public var state: UInt64
    /// Seeds the generator.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
