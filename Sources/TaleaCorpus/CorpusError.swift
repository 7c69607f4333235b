/// What can go wrong while reading a corpus directory.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    /// The manifest file is missing or unreadable.
    case manifestUnreadable(path: String, reason: String)
    /// The manifest lacks a required column.
    case missingColumn(String, path: String)
    /// A manifest row has a label that is none of the known ones.
    case unknownLabel(String, row: Int)
    /// A manifest has no usable rows.
    case emptyManifest(path: String)
    /// Training needs examples of every genre.
    case missingGenre(Genre)
    /// A re-encoding that is read from files, not made from a score, was asked of a score.
    case variantReadFromFiles(String)

    public var description: String {
        switch self {
        case .manifestUnreadable(let path, let reason): return "cannot read manifest \(path): \(reason)"
        case .missingColumn(let column, let path): return "manifest \(path) has no '\(column)' column (need id,path,label,work_id)"
        case .unknownLabel(let label, let row): return "manifest row \(row): unknown label '\(label)' (expected isorhythmic_motet, bach_chorale, lied or other)"
        case .emptyManifest(let path): return "manifest \(path) lists no files"
        case .missingGenre(let genre): return "the training data has no example of \(genre.rawValue)"
        case .variantReadFromFiles(let variant): return "the re-encoding \"\(variant)\" is read from another encoder's files, not made from a score"
        }
    }
}
