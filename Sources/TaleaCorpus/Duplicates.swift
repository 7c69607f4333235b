import Foundation

/// A pair of corpus files flagged as the same or nearly the same music (`duplicates.csv`).
public struct DuplicatePair: Hashable, Sendable {
    /// The first file's id.
    public var firstID: String
    /// The second file's id.
    public var secondID: String
    /// Why the pair was flagged, in words.
    public var reason: String

    /// Creates a pair.
    public init(firstID: String, secondID: String, reason: String) {
        self.firstID = firstID
        self.secondID = secondID
        self.reason = reason
    }

    /// True when both files hold exactly the same notes (a copy, not another harmonisation).
    public var isIdenticalContent: Bool { reason.lowercased().contains("identical note content") }

    /// Reads `duplicates.csv` (`id_a,id_b,reason`) from a corpus directory; none when the file is absent.
    public static func load(directory: URL) throws -> [DuplicatePair] {
        let url = directory.appendingPathComponent("duplicates.csv")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try CSV.records(at: url) { CorpusError.manifestUnreadable(path: url.path, reason: $0) }.dropFirst().compactMap { record in
            guard record.count >= 2 else { return nil }
            return DuplicatePair(firstID: record[0], secondID: record[1], reason: record.count > 2 ? record[2] : "")
        }
    }
}

/// The corpus after cleaning: exact copies removed, and every file assigned to a *split group*
/// so that all encodings of a work — and every flagged near-duplicate — fall on one side of a split.
public struct CleanCorpus: Sendable {
    /// The files kept, in manifest order.
    public var entries: [ManifestEntry]
    /// Split group of each kept file, by id.
    public var groupOf: [String: String]
    /// Files left out, with the reason.
    public var removed: [(entry: ManifestEntry, reason: String)]

    /// Cleans a manifest with its duplicate pairs.
    ///
    /// - Pairs with identical note content: the second file (in manifest order) is removed, so the
    ///   same notes are not counted twice.
    /// - Every other pair (the same hymn tune harmonised again, the same line transposed, a near
    ///   copy) is kept — each is a real, distinct piece — but joined into one split group with its
    ///   partner, transitively, together with every file of the same `work_id`.
    public init(manifest: Manifest, duplicates: [DuplicatePair]) {
        let order = Dictionary(manifest.entries.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var parent: [String: String] = [:]
        func find(_ x: String) -> String {
            var root = x
            while let p = parent[root], p != root { root = p }
            var node = x
            while let p = parent[node], p != root { parent[node] = root; node = p }
            return root
        }
        func union(_ a: String, _ b: String) {
            let ra = find(a), rb = find(b)
            guard ra != rb else { return }
            // The root is the earlier file in manifest order, so group names are stable.
            if (order[ra] ?? .max) <= (order[rb] ?? .max) { parent[rb] = ra } else { parent[ra] = rb }
        }
        for entry in manifest.entries { parent[entry.id] = entry.id }
        var firstOfWork: [String: String] = [:]
        for entry in manifest.entries {
            if let first = firstOfWork[entry.workID] { union(first, entry.id) } else { firstOfWork[entry.workID] = entry.id }
        }
        var removedIDs: [String: String] = [:]
        for pair in duplicates {
            guard let firstPosition = order[pair.firstID], let secondPosition = order[pair.secondID] else { continue }
            union(pair.firstID, pair.secondID)
            if pair.isIdenticalContent {
                let (keep, drop) = firstPosition <= secondPosition ? (pair.firstID, pair.secondID) : (pair.secondID, pair.firstID)
                if removedIDs[keep] == nil { removedIDs[drop] = "identical note content to \(keep)" }
            }
        }
        var kept: [ManifestEntry] = []
        var removed: [(ManifestEntry, String)] = []
        var groups: [String: String] = [:]
        for entry in manifest.entries {
            if let reason = removedIDs[entry.id] { removed.append((entry, reason)); continue }
            kept.append(entry)
            groups[entry.id] = find(entry.id)
        }
        self.entries = kept
        self.groupOf = groups
        self.removed = removed
    }

    /// Number of distinct split groups.
    public var groupCount: Int { Set(groupOf.values).count }
}
