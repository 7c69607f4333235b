import Foundation
import TaleaFeatures
import TaleaLearning
import TaleaScore

/// What Talea says about one score.
public struct Classification: Codable, Equatable, Sendable {
    /// `isorhythmic_motet`, `bach_chorale`, `lied`, or `unknown` when the model should not commit.
    public var label: String
    /// Calibrated probability of the most likely genre.
    public var confidence: Double
    /// Calibrated probability of each genre, by manifest label. With the open-set class the three
    /// need not sum to 1: the rest is the probability that the music is none of them.
    public var probabilities: [String: Double]
    /// The features that pushed hardest towards the most likely genre.
    public var reasons: [Reason]
    /// Why the label is `unknown` whatever the probabilities say (a drum kit, too few notes, no part
    /// to sing), or nil.
    public var caveat: String?

    /// Creates a classification.
    public init(label: String, confidence: Double, probabilities: [String: Double], reasons: [Reason],
                caveat: String? = nil) {
        self.label = label
        self.confidence = confidence
        self.probabilities = probabilities
        self.reasons = reasons
        self.caveat = caveat
    }

    /// Probability of one genre (0 when absent).
    public func probability(of genre: Genre) -> Double { probabilities[genre.rawValue] ?? 0 }
}

/// One feature's push towards (or away from) the predicted genre.
public struct Reason: Codable, Equatable, Sendable {
    /// The feature's stable name.
    public var feature: String
    /// The feature's definition, in words.
    public var definition: String
    /// The feature's value for this score.
    public var value: Double
    /// The unit of the value.
    public var unit: String
    /// How far it moved the genre's logit (positive: towards the genre).
    public var contribution: Double

    /// Creates a reason.
    public init(feature: String, definition: String, value: Double, unit: String, contribution: Double) {
        self.feature = feature
        self.definition = definition
        self.value = value
        self.unit = unit
        self.contribution = contribution
    }

    /// The reason in words: "the voice: silent share of the voice's time span (rests, hockets) = 12.5%".
    /// A fraction is shown as a percentage, a value on a log2 scale with what it stands for
    /// ("4 log2 quarters (16 quarters)", "3.17 log2 (a ratio of 9)"), a score between 0 and 1 or a
    /// yes/no (0 or 1) without a unit.
    public var sentence: String {
        "\(definition.trimmingCharacters(in: CharacterSet(charactersIn: "."))) = \(shownValue)"
    }

    private var shownValue: String {
        func number(_ x: Double) -> String {
            abs(x) >= 100 || x == x.rounded() ? String(format: "%.0f", x) : String(format: "%.3g", x)
        }
        switch unit {
        case "fraction":
            return number(value * 100) + "%"
        case "0...1", "0 or 1":
            return number(value)
        case "log2":
            return "\(number(value)) log2 (a ratio of \(number(pow(2, value))))"
        case _ where unit.hasPrefix("log2 "):
            return "\(number(value)) \(unit) (\(number(pow(2, value))) \(unit.dropFirst("log2 ".count)))"
        default:
            return "\(number(value)) \(unit)"
        }
    }
}

/// The class names a Talea model predicts: the three genres, then `other` when it was trained
/// with the open-set class.
public enum ModelClasses {
    /// The name of the open-set class.
    public static let other = "other"
    /// The label Talea prints when the model does not commit to a genre.
    public static let unknown = "unknown"
}

/// A trained Talea model: the feature extractor and the learned model file, checked to agree.
public struct GenreClassifier: Sendable {
    /// The learned model.
    public let model: ModelFile
    /// The feature extractor the model was trained with.
    public let extractor: FeatureExtractor
    /// The model's idiom, which scores the voices' melodic steps (``IdiomFeatures``).
    private let idiom: IdiomModel

    /// The metadata key holding the open-set threshold (see ``TrainingConfiguration/otherThreshold``).
    public static let otherThresholdKey = "other_threshold"

    /// The metadata key holding the open-set threshold for a single voice (see
    /// ``TrainingConfiguration/singleVoiceOtherThreshold``).
    public static let singleVoiceOtherThresholdKey = "single_voice_other_threshold"

    /// Answer `unknown` for a score of several voices when the open-set class's probability reaches
    /// this (0.5 when unset).
    public var otherThreshold: Double { model.metadata[Self.otherThresholdKey].flatMap(Double.init) ?? 0.5 }

    /// Answer `unknown` for a single voice when the open-set class's probability reaches this
    /// (``otherThreshold`` when unset).
    public var singleVoiceOtherThreshold: Double {
        model.metadata[Self.singleVoiceOtherThresholdKey].flatMap(Double.init) ?? otherThreshold
    }

    /// Position of `texture.voices_present` in the feature vector: what tells a single voice.
    static let voicesPresentIndex = FeatureExtractor.names.firstIndex(of: "texture.voices_present")

    /// The open-set threshold for a feature vector: ``singleVoiceOtherThreshold`` when the model saw
    /// one voice (after a lone chordal voice was split into streams, so a piano staff counts as
    /// several), ``otherThreshold`` otherwise. Training, evaluation, `classify` and `batch` all
    /// decide through here.
    public func otherThreshold(for features: [Double]) -> Double {
        Self.seesOneVoice(features) ? singleVoiceOtherThreshold : otherThreshold
    }

    /// True when the features are those of a score in which the model sees one voice
    /// (`texture.voices_present` at most 1).
    static func seesOneVoice(_ features: [Double]) -> Bool {
        guard let index = voicesPresentIndex, index < features.count else { return false }
        return features[index] <= 1
    }

    /// What a model reads, in row order: the features of ``TaleaFeatures/FeatureExtractor``, then the
    /// learnt idiom scores (``IdiomFeatures``).
    public static let definitions: [FeatureDefinition] = FeatureExtractor.definitions + IdiomFeatures.definitions

    /// The names of ``definitions``.
    public static let featureNames: [String] = definitions.map(\.name)

    /// The feature schema of this build: the extractor's schema version and the idiom's.
    public static var currentSchema: FeatureSchema {
        FeatureSchema(version: FeatureExtractor.schemaVersion + "+" + IdiomFeatures.version, names: featureNames)
    }

    /// Wraps a model, failing with a clear message when it was trained on other features.
    public init(model: ModelFile, extractor: FeatureExtractor = FeatureExtractor()) throws {
        try model.validate(against: Self.currentSchema)
        guard let idiom = model.idiom else {
            throw ModelFileError.inconsistent("the model reads idiom scores (\(IdiomFeatures.definitions.map(\.name).joined(separator: ", "))) but holds no idiom model to compute them")
        }
        self.idiom = idiom
        self.model = model
        self.extractor = extractor
    }

    /// Loads a model file.
    public init(contentsOf url: URL) throws {
        try self.init(model: ModelFile(contentsOf: url))
    }

    /// What the model is shown of a score. Training, evaluation and classification all go through
    /// here, so they see scores the same way: a score in which every voice holds chords (a format-0
    /// file with every part on one channel, a lone piano staff, a chorale written as a short score of
    /// two staves) is split into streams first, so that voice-level cues exist for it as for any
    /// other score (``TaleaScore/Score/separatingChordalVoices()``).
    public static func modelView(of score: Score) -> Score {
        score.separatingChordalVoices()
    }

    /// The model's input for a score: its features, then its idiom scores.
    public func features(of score: Score) -> [Double] {
        let reading = extractor.read(Self.modelView(of: score))
        return modelInput(features: reading.features.values, steps: reading.steps)
    }

    /// The model's input from what the extractor read: `features` followed by the idiom scores of
    /// the voices' `steps`.
    public func modelInput(features: [Double], steps: [[UInt16]]) -> [Double] {
        features + idiom.scores(voices: steps)
    }

    /// The model's input for several scores made from one file (the whole piece, then each of its
    /// voices alone), each exactly as ``features(of:)`` gives it; a voice whose steps the model saw
    /// in an earlier score of the list is not scored by the idiom again.
    public func features(of scores: [Score]) -> [[Double]] {
        guard scores.count > 1 else { return scores.map(features(of:)) }
        var known: [[UInt16]: IdiomModel.VoiceLikelihoods] = [:]
        return scores.map { score in
            let reading = extractor.read(Self.modelView(of: score))
            return reading.features.values + IdiomModel.scores(voices: reading.steps) { steps in
                if let likelihoods = known[steps] { return likelihoods }
                let likelihoods = idiom.likelihoods(of: steps)
                known[steps] = likelihoods
                return likelihoods
            }
        }
    }

    /// The fewest notes (drums aside) a score needs for a genre answer: the model learnt from voices
    /// of at least this many notes (``ExamplePlan/minimumVoiceNotes``), and a handful of notes —
    /// a fragment, a damaged file, a stray track — says nothing about a repertory.
    public static let minimumNotes = ExamplePlan().minimumVoiceNotes

    /// Classifies a score (a whole piece, or one voice of it after selection): the model's answer,
    /// then the rules of ``ScoreFacts`` that read the score itself (too few notes; a drum kit; no part
    /// to sing).
    ///
    /// When `score` is a voice selected from a file, pass the whole file's facts as `file`: a voice
    /// of a file through which a drum kit plays is answered as that file is
    /// (``ScoreFacts/init(_:within:)``).
    public func classify(_ score: Score, within file: ScoreFacts? = nil, reasonCount: Int = 3) -> Classification {
        classify(features: features(of: score), facts: ScoreFacts(score, within: file), reasonCount: reasonCount)
    }

    /// Classifies a feature vector, then applies the rules of ``ScoreFacts`` to the answer:
    /// a score through which a drum kit plays (``TaleaFeatures/DrumKit``) is answered `unknown`,
    /// and so is a score with fewer than ``minimumNotes`` notes and a `lied` answer for a score, or
    /// a voice of a file, with no singable part (``TaleaFeatures/SingablePart``), each with the
    /// probabilities and a caveat.
    public func classify(features: [Double], facts: ScoreFacts, reasonCount: Int = 3) -> Classification {
        classify(features: features, probabilities: probabilities(features: features, facts: facts), facts: facts,
                 reasonCount: reasonCount)
    }

    /// ``classify(features:facts:reasonCount:)`` with the calibrated probabilities already read
    /// (``probabilities(features:facts:)``).
    func classify(features: [Double], probabilities classProbabilities: [Double], facts: ScoreFacts,
                  reasonCount: Int) -> Classification {
        var result = modelAnswer(features: features, probabilities: classProbabilities, reasonCount: reasonCount)
        // With no pitched note every feature is a placeholder: there is nothing to give as a reason.
        if facts.noteCount == 0 { result.reasons = [] }
        if facts.hasDrumKit {
            result.label = ModelClasses.unknown
            result.caveat = "a drum kit plays through it (\(facts.drumKitNotes) notes on MIDI channel 10), and none of the three repertories has one: most likely popular or dance music, which Talea was not taught to recognise"
        } else if facts.noteCount < Self.minimumNotes {
            result.label = ModelClasses.unknown
            let drums = facts.drumNotes > 0 ? " besides \(facts.drumNotes) on the drum channel" : ""
            result.caveat = "only \(facts.noteCount) note\(facts.noteCount == 1 ? "" : "s")\(drums): too few to judge (the model learnt from at least \(Self.minimumNotes))"
        } else if facts.lacksASinger && result.label == Genre.lied.rawValue {
            result.label = ModelClasses.unknown
            let parts = facts.unsingableParts.isEmpty ? "" : " (" + Self.listed(facts.unsingableParts) + ")"
            result.caveat = "no part could be sung\(parts), and a lied needs a voice: most likely instrumental music, which Talea was not taught to recognise"
        } else if !facts.unsingableFileParts.isEmpty && result.label == Genre.lied.rawValue {
            result.label = ModelClasses.unknown
            result.caveat = "it is a part of a file none of whose parts could be sung (" + Self.listed(facts.unsingableFileParts)
                + "), and a lied needs a voice: most likely instrumental music, which Talea was not taught to recognise"
        }
        return result
    }

    /// At most four items joined by "; ", then how many more.
    private static func listed(_ items: [String]) -> String {
        let shown = items.prefix(4).joined(separator: "; ")
        return items.count > 4 ? shown + "; and \(items.count - 4) more" : shown
    }

    /// How much of the answer for a score whose only time signature is 4/4 (``ScoreFacts/metreIsOnlyFourFour``)
    /// comes from reading it as if it had none.
    ///
    /// MIDI assumes 4/4 when no signature is written, and sequencers write one by default, so a lone
    /// 4/4 says little about the music; but `metre.signature_present` and `metre.signature_ternary`
    /// read it as binary metre, which the model learnt as evidence against a motet (every corpus
    /// motet is edited in a ternary or mixed metre, and its performed training copies have no
    /// signature). The probabilities for such a score are therefore the average of the model's
    /// reading as written, weighted 1 − this, and as unsigned, weighted this. 0.6 is the smallest
    /// weight (of 0.5, 0.6, 0.7, 0.8, 1) at which every motet voice of the cross-validation folds is
    /// recognised when its file is rewritten in 4/4 (`docs/model.md`).
    public static let fourFourDoubt = 0.6

    /// Positions of the two metre features, which ``fourFourDoubt`` sets to their unsigned values.
    private static let signaturePresentIndex = FeatureExtractor.names.firstIndex(of: "metre.signature_present")
    private static let signatureTernaryIndex = FeatureExtractor.names.firstIndex(of: "metre.signature_ternary")

    /// The model's calibrated probabilities for a feature vector, in ``ModelFile/classNames`` order.
    /// When `facts` say that the score's only time signature is 4/4, the model's reading of the
    /// vector as written is averaged with its reading as if no signature were written
    /// (``fourFourDoubt``). Every answer of `classify`, `batch` and `evaluate` comes from here.
    public func probabilities(features: [Double], facts: ScoreFacts?) -> [Double] {
        probabilities(features: features, facts: facts, asWritten: model.predict(features))
    }

    /// ``probabilities(features:facts:)`` with the model's prediction for `features` already made.
    func probabilities(features: [Double], facts: ScoreFacts?, asWritten prediction: ModelPrediction) -> [Double] {
        let asWritten = prediction.probabilities
        guard facts?.metreIsOnlyFourFour == true, let present = Self.signaturePresentIndex,
              let ternary = Self.signatureTernaryIndex, present < features.count, ternary < features.count
        else { return asWritten }
        var unsigned = features
        unsigned[present] = 0
        unsigned[ternary] = FeatureExtractor.definitions[ternary].neutralValue ?? 0.5
        let asUnsigned = model.predict(unsigned).probabilities
        return zip(asWritten, asUnsigned).map { (1 - Self.fourFourDoubt) * $0 + Self.fourFourDoubt * $1 }
    }

    /// Classifies a feature vector: the model's answer alone, without the rules of ``ScoreFacts``
    /// (and so without ``fourFourDoubt``).
    public func classify(features: [Double], reasonCount: Int = 3) -> Classification {
        modelAnswer(features: features, probabilities: model.predict(features).probabilities, reasonCount: reasonCount)
    }

    /// The model's answer for a feature vector whose calibrated probabilities (class order) are
    /// `classProbabilities`, before the rules of ``ScoreFacts``.
    private func modelAnswer(features: [Double], probabilities classProbabilities: [Double], reasonCount: Int) -> Classification {
        var probabilities: [String: Double] = [:]
        var bestGenre: (index: Int, probability: Double)? = nil
        for (index, name) in model.classNames.enumerated() where Genre(rawValue: name) != nil && index < classProbabilities.count {
            let p = classProbabilities[index]
            probabilities[name] = p
            if let best = bestGenre, best.probability >= p { continue }
            bestGenre = (index, p)
        }
        guard let best = bestGenre else {
            return Classification(label: ModelClasses.unknown, confidence: 0, probabilities: probabilities, reasons: [])
        }
        let otherProbability = model.classNames.firstIndex(of: ModelClasses.other)
            .flatMap { $0 < classProbabilities.count ? classProbabilities[$0] : nil } ?? 0
        let predictedOther = otherProbability >= otherThreshold(for: features)
        let belowThreshold = model.unknownThreshold.map { best.probability < $0 } ?? false
        let label = predictedOther || belowThreshold ? ModelClasses.unknown : model.classNames[best.index]
        return Classification(label: label, confidence: best.probability, probabilities: probabilities,
                              reasons: reasons(features, towards: best.index, count: reasonCount))
    }

    /// The `count` measurements that pushed hardest towards class `classIndex`, largest first.
    /// For a single voice, the `mean.`, `slowest.` and `active.` forms of a per-voice feature measure
    /// the same voice, so they are one reason (named by its `mean.` feature) with their pushes added.
    func reasons(_ features: [Double], towards classIndex: Int, count: Int) -> [Reason] {
        guard count > 0 else { return [] }
        let definitions = Self.definitions
        let pushes = model.explain(features).relativeContributions(towards: classIndex)
        let singleVoice = Self.seesOneVoice(features)
        let readings = FeatureExtractor.singleVoiceReadings
        var reasons: [Reason] = []
        var positionOfMeasurement: [String: Int] = [:]
        for (index, push) in zip(definitions.indices, pushes) where index < features.count {
            let definition = definitions[index]
            if singleVoice, index < readings.count, let reading = readings[index] {
                if let position = positionOfMeasurement[reading.measurement] {
                    reasons[position].contribution += push
                } else {
                    positionOfMeasurement[reading.measurement] = reasons.count
                    reasons.append(Reason(feature: "mean." + reading.measurement, definition: reading.definition,
                                          value: features[index], unit: definition.unit, contribution: push))
                }
            } else {
                reasons.append(Reason(feature: definition.name, definition: definition.definition, value: features[index],
                                      unit: definition.unit, contribution: push))
            }
        }
        return reasons.enumerated()
            .filter { $0.element.contribution > 0 }
            .sorted { $0.element.contribution != $1.element.contribution ? $0.element.contribution > $1.element.contribution : $0.offset < $1.offset }
            .prefix(count).map(\.element)
    }
}

/// What the answer's rules read from a score itself rather than from its features.
public struct ScoreFacts: Codable, Equatable, Sendable {
    /// Notes of the score, drums aside.
    public var noteCount: Int
    /// When the score has two or more parts and none of them could be sung
    /// (``TaleaFeatures/SingablePart/unsingableParts(of:)``), each part and why; else empty.
    public var unsingableParts: [String]
    /// The score has two or more parts and none of them could be sung: it is not a lied.
    public var lacksASinger: Bool { !unsingableParts.isEmpty }
    /// For a voice selected from a file of two or more parts none of which could be sung, the file's
    /// ``unsingableParts``: such a file is no lied, so neither is a voice of it. Else empty.
    public var unsingableFileParts: [String]
    /// Notes of the score on the drum channel (not counted in ``noteCount``).
    public var drumNotes: Int
    /// Notes of the drum kit when one plays through the score, or through the file the score is a
    /// voice of (``TaleaFeatures/DrumKit``); else 0.
    public var drumKitNotes: Int
    /// A drum kit plays through the score or its file: it is none of the three repertories.
    public var hasDrumKit: Bool { drumKitNotes > 0 }
    /// The score writes at least one time signature, and every one is 4/4: what MIDI assumes when
    /// none is written and what a sequencer writes by default (``GenreClassifier/fourFourDoubt``).
    public var metreIsOnlyFourFour: Bool

    /// Creates facts.
    public init(noteCount: Int, unsingableParts: [String] = [], drumNotes: Int = 0, drumKitNotes: Int = 0,
                unsingableFileParts: [String] = [], metreIsOnlyFourFour: Bool = false) {
        self.noteCount = noteCount
        self.unsingableParts = unsingableParts
        self.unsingableFileParts = unsingableFileParts
        self.drumNotes = drumNotes
        self.drumKitNotes = drumKitNotes
        self.metreIsOnlyFourFour = metreIsOnlyFourFour
    }

    /// The facts of a score (a whole piece, or one selected voice), as it was read, before the
    /// model's view of it. For a voice selected from a file, `file` holds the whole file's facts:
    /// its drum kit is taken from them, since a voice of a song with a drum kit is no voice of the
    /// three repertories either, and so are its parts that could not be sung, since a voice of a
    /// file that is no lied is no lied's voice (the parts that could be sung are read from `score`).
    public init(_ score: Score, within file: ScoreFacts? = nil) {
        let drumNotes = DrumKit.drumNotes(of: score)
        self.init(noteCount: score.noteCount - drumNotes,
                  unsingableParts: SingablePart.unsingableParts(of: score),
                  drumNotes: drumNotes,
                  drumKitNotes: file?.drumKitNotes ?? (DrumKit.playsThrough(score) ? drumNotes : 0),
                  unsingableFileParts: file?.unsingableParts ?? [],
                  metreIsOnlyFourFour: !score.timeSignatures.isEmpty
                      && score.timeSignatures.allSatisfy { $0.numerator == 4 && $0.denominator == 4 })
    }
}
