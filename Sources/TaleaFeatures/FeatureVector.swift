/// Whether a feature describes one voice (aggregated over voices for a piece) or the piece as a whole.
public enum FeatureScope: String, Sendable, Hashable, Codable {
    /// Computed for every voice on its own, then aggregated over the voices of the score.
    case voice
    /// Computed once for the whole score (all non-drum notes pooled, or between voices).
    case piece
}

/// The declaration of one feature: what the classifier sees under a stable name.
public struct FeatureDefinition: Sendable, Hashable, Codable {
    /// Stable, unique name (`family.name`, with an aggregation prefix for voice features).
    public var name: String
    /// One-line definition in words.
    public var definition: String
    /// Unit of the value (e.g. "fraction", "semitones", "log2 pulses").
    public var unit: String
    /// Per voice (aggregated) or whole piece.
    public var scope: FeatureScope
    /// True when the value legitimately changes under transposition or duration scaling
    /// (e.g. mean pitch, notes per quarter); such features are exempt from the invariance tests.
    public var isAbsolute: Bool
    /// The value the feature takes when it is not defined for the input (e.g. a between-voice
    /// feature for a single voice), if it has a documented neutral value.
    public var neutralValue: Double?

    /// Creates a definition.
    public init(name: String, definition: String, unit: String, scope: FeatureScope,
                isAbsolute: Bool = false, neutralValue: Double? = nil) {
        self.name = name
        self.definition = definition
        self.unit = unit
        self.scope = scope
        self.isAbsolute = isAbsolute
        self.neutralValue = neutralValue
    }
}

/// An ordered list of named, finite numbers: the same names in the same order for every score.
public struct FeatureVector: Sendable, Hashable, Codable {
    /// Feature names, in the order of ``FeatureExtractor/definitions``.
    public var names: [String]
    /// Feature values, finite, parallel to ``names``.
    public var values: [Double]

    /// Creates a vector; `names` and `values` must have the same length.
    public init(names: [String], values: [Double]) {
        self.names = names
        self.values = values
    }

    /// The value of a named feature, or nil if there is no such name.
    public subscript(name: String) -> Double? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }

    /// Number of features.
    public var count: Int { values.count }
}
