import Foundation

/// One row of a corpus manifest: a MIDI file, its label and the work it encodes.
public struct ManifestEntry: Hashable, Sendable {
    /// Unique id of the file.
    public var id: String
    /// Path relative to the corpus directory.
    public var path: String
    /// The label.
    public var label: CorpusLabel
    /// Groups encodings and versions of one work; all of them stay on one side of a split.
    public var workID: String
    /// Title, if the manifest gives one.
    public var title: String
    /// Composer, if the manifest gives one.
    public var composer: String
    /// Note-on count the manifest states (nil when absent).
    public var notes: Int?

    /// Creates an entry.
    public init(id: String, path: String, label: CorpusLabel, workID: String,
                title: String = "", composer: String = "", notes: Int? = nil) {
        self.id = id
        self.path = path
        self.label = label
        self.workID = workID
        self.title = title
        self.composer = composer
        self.notes = notes
    }
}

/// A corpus directory's `manifest.csv` (columns `id,path,label,work_id`, others optional).
public struct Manifest: Sendable {
    /// The corpus directory.
    public var directory: URL
    /// The rows, in file order.
    public var entries: [ManifestEntry]

    /// Creates a manifest from entries.
    public init(directory: URL, entries: [ManifestEntry]) {
        self.directory = directory
        self.entries = entries
    }

    /// Reads `manifest.csv` from a corpus directory.
    public init(directory: URL) throws {
        let url = directory.appendingPathComponent("manifest.csv")
        var records = try CSV.records(at: url) { CorpusError.manifestUnreadable(path: url.path, reason: $0) }
        guard !records.isEmpty else { throw CorpusError.emptyManifest(path: url.path) }
        let header = records.removeFirst()
        func requiredColumn(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else { throw CorpusError.missingColumn(name, path: url.path) }
            return index
        }
        let idColumn = try requiredColumn("id"), pathColumn = try requiredColumn("path")
        let labelColumn = try requiredColumn("label"), workColumn = try requiredColumn("work_id")
        let titleColumn = header.firstIndex(of: "title")
        let composerColumn = header.firstIndex(of: "composer")
        let notesColumn = header.firstIndex(of: "notes")
        var entries: [ManifestEntry] = []
        for (offset, record) in records.enumerated() where !CSV.isBlank(record) {
            func field(_ index: Int?) -> String {
                guard let index, index < record.count else { return "" }
                return record[index]
            }
            guard let label = CorpusLabel(manifestValue: field(labelColumn)) else {
                throw CorpusError.unknownLabel(field(labelColumn), row: offset + 2)
            }
            let id = field(idColumn)
            let work = field(workColumn)
            entries.append(ManifestEntry(
                id: id, path: field(pathColumn), label: label, workID: work.isEmpty ? id : work,
                title: field(titleColumn), composer: field(composerColumn), notes: Int(field(notesColumn))))
        }
        guard !entries.isEmpty else { throw CorpusError.emptyManifest(path: url.path) }
        self.init(directory: directory, entries: entries)
    }

    /// The absolute location of an entry's file.
    public func url(of entry: ManifestEntry) -> URL {
        directory.appendingPathComponent(entry.path)
    }
}
