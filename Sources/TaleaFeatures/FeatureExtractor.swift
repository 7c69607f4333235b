import Foundation
import TaleaScore

/// Turns a ``Score`` — a whole piece or a single voice — into the same ordered list of named numbers.
///
/// Layout of the vector (see `docs/features.md`, generated from these declarations):
/// - `mean.<voice feature>`: every per-voice feature (melody, pitch, rhythm, isorhythm), averaged over
///   the non-drum voices that have notes;
/// - `slowest.<voice feature>`: a subset, for the voice with the longest pulse (within 10%: the lowest voice),
///   i.e. the tenor of a motet or the bass of a chorale;
/// - `active.<voice feature>`: a subset, for the voice with the most onsets (ties: the highest voice);
/// - piece features: pooled pitch-class profile, sonorities, between-voice relations, piece-level
///   isorhythm and notated metre.
///
/// For a score with one voice the three aggregations coincide and between-voice features take their
/// documented neutral value, so a single voice and a whole piece are described in the same terms.
/// Drum voices (channel 10) are ignored. Every value is finite.
public struct FeatureExtractor: Sendable {
    /// Version of the feature schema: changes whenever a name, a definition or the order changes.
    public static let schemaVersion = "talea-features-5"

    /// Creates an extractor.
    public init() {}

    /// Declarations of every feature, in vector order.
    public static let definitions: [FeatureDefinition] = {
        var definitions: [FeatureDefinition] = []
        let aggregates: [(prefix: String, description: String, features: [VoiceFeature])] = [
            ("mean.", "mean over voices: ", Array(VoiceFeature.allCases)),
            ("slowest.", "slowest voice: ", Array(VoiceFeature.slowest)),
            ("active.", "most active voice: ", Array(VoiceFeature.active)),
        ]
        for aggregate in aggregates {
            for feature in aggregate.features {
                let d = feature.declaration
                definitions.append(FeatureDefinition(name: aggregate.prefix + d.name, definition: aggregate.description + d.definition,
                                                     unit: d.unit, scope: .voice, isAbsolute: d.absolute))
            }
        }
        for feature in PieceFeature.allCases {
            let d = feature.declaration
            definitions.append(FeatureDefinition(name: d.name, definition: d.definition, unit: d.unit, scope: .piece,
                                                 isAbsolute: d.absolute, neutralValue: d.neutral))
        }
        return definitions
    }()

    /// Feature names in vector order.
    public static let names: [String] = definitions.map(\.name)

    /// How each feature, in vector order, reads when the score has a single voice, where `mean.`,
    /// `slowest.` and `active.` measure the same voice: the per-voice measurement it aggregates
    /// (`rhythm.rest_ratio`) and its definition for "the voice". Nil for a piece feature.
    public static let singleVoiceReadings: [(measurement: String, definition: String)?] = {
        let voiceDefinitions = Dictionary(VoiceFeature.allCases.map { ($0.declaration.name, $0.declaration.definition) },
                                          uniquingKeysWith: { first, _ in first })
        return definitions.map { definition in
            guard definition.scope == .voice, let dot = definition.name.firstIndex(of: ".") else { return nil }
            let measurement = String(definition.name[definition.name.index(after: dot)...])
            return voiceDefinitions[measurement].map { (measurement, "the voice: " + $0) }
        }
    }()

    /// Extracts the features of a score (a whole piece, or a score holding one selected voice).
    public func extract(_ score: Score) -> FeatureVector {
        read(score).features
    }

    /// Extracts the features, with the melodic steps (``MelodicSteps``) of every non-drum voice with
    /// notes, read on the way.
    public func read(_ score: Score) -> ScoreReading {
        let score = LegatoOverlap.undone(in: score)
        var voices: [AnalysedVoice] = []
        for voice in score.voices where !voice.isDrum && !voice.notes.isEmpty {
            let line = VoiceLine(notes: voice.notes)
            guard !line.events.isEmpty else { continue }
            let isorhythm = IsorhythmDetector.analyze(line: line, name: voice.name)
            let values = VoiceFeature.compute(line: line, isorhythm: isorhythm)
            let mean = values[VoiceFeature.registerMean.rawValue]
            voices.append(AnalysedVoice(line: line, isorhythm: isorhythm, values: values, meanPitch: mean))
        }
        var values: [Double] = []
        values.reserveCapacity(FeatureExtractor.definitions.count)
        let featureCount = VoiceFeature.allCases.count
        if voices.isEmpty {
            values.append(contentsOf: [Double](repeating: 0, count: featureCount + VoiceFeature.slowest.count
                                               + VoiceFeature.active.count))
        } else {
            for feature in 0..<featureCount {
                values.append(voices.reduce(0) { $0 + $1.values[feature] } / Double(voices.count))
            }
        }
        let slowest = FeatureExtractor.slowestVoice(voices)
        let active = FeatureExtractor.mostActiveVoice(voices)
        if let slowest, let active {
            for feature in VoiceFeature.slowest { values.append(voices[slowest].values[feature.rawValue]) }
            for feature in VoiceFeature.active { values.append(voices[active].values[feature.rawValue]) }
        }
        values.append(contentsOf: PieceFeature.compute(score: score, voices: voices, slowest: slowest, active: active))
        for index in values.indices where !values[index].isFinite { values[index] = 0 }
        return ScoreReading(features: FeatureVector(names: FeatureExtractor.names, values: values),
                            steps: voices.map { MelodicSteps.tokens(of: $0.line) })
    }

    /// The voice with the longest pulse; pulses within 10% of the longest count as equal (performance
    /// jitter moves a median by a few percent), and among those the lowest voice wins.
    static func slowestVoice(_ voices: [AnalysedVoice]) -> Int? {
        guard let longest = voices.map(\.line.pulse).max() else { return nil }
        let candidates = voices.indices.filter { voices[$0].line.pulse * 1.1 >= longest }
        return candidates.min { a, b in
            let x = voices[a], y = voices[b]
            if x.meanPitch != y.meanPitch { return x.meanPitch < y.meanPitch }
            return x.line.events.count < y.line.events.count
        }
    }

    /// The voice with the most onsets; ties go to the higher voice.
    static func mostActiveVoice(_ voices: [AnalysedVoice]) -> Int? {
        voices.indices.max { a, b in
            let x = voices[a], y = voices[b]
            if x.line.events.count != y.line.events.count { return x.line.events.count < y.line.events.count }
            return x.meanPitch < y.meanPitch
        }
    }
}

/// What ``FeatureExtractor/read(_:)`` reads from a score.
public struct ScoreReading: Sendable {
    /// The features.
    public var features: FeatureVector
    /// The melodic steps of every non-drum voice with notes, in voice order (``MelodicSteps``).
    public var steps: [[UInt16]]
}
