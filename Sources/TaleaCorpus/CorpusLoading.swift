import Foundation

/// Reads a corpus directory: its manifest, its duplicates, cleaned.
public enum CorpusLoading {
    /// The cleaned corpus and its manifest.
    public static func load(_ directory: URL) throws -> (CleanCorpus, Manifest) {
        let manifest = try Manifest(directory: directory)
        let duplicates = try DuplicatePair.load(directory: directory)
        return (CleanCorpus(manifest: manifest, duplicates: duplicates), manifest)
    }
}
