/// The three repertories Talea recognises.
public enum Genre: String, CaseIterable, Codable, Sendable {
    /// Isorhythmic motet, c. 1310–1440 (Vitry, Machaut, Ciconia, Du Fay).
    case isorhythmicMotet = "isorhythmic_motet"
    /// Bach chorale: four-part SATB harmonisation.
    case bachChorale = "bach_chorale"
    /// Lied: 19th-century art song for voice and piano.
    case lied

    /// A short name for people ("isorhythmic motet").
    public var displayName: String {
        switch self {
        case .isorhythmicMotet: return "isorhythmic motet"
        case .bachChorale: return "Bach chorale"
        case .lied: return "lied"
        }
    }
}

/// A label of the corpus manifest: one of the three genres, or `other` (a negative example of
/// music that is none of them, used to decide when to answer `unknown`).
public enum CorpusLabel: Hashable, Sendable {
    /// One of the three repertories.
    case genre(Genre)
    /// None of the three repertories.
    case other

    /// Parses a manifest label (`isorhythmic_motet`, `bach_chorale`, `lied`, `other`).
    public init?(manifestValue: String) {
        if manifestValue == "other" { self = .other; return }
        guard let genre = Genre(rawValue: manifestValue) else { return nil }
        self = .genre(genre)
    }

    /// The manifest spelling of the label.
    public var manifestValue: String {
        switch self {
        case .genre(let genre): return genre.rawValue
        case .other: return "other"
        }
    }
}
