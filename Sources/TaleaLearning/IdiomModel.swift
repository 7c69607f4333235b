import Foundation

/// The melodic and rhythmic habits of two repertories, learnt from their voices: for a voice, how
/// much more likely its steps are under the first repertory's habits than under the second's.
///
/// A voice is a sequence of step tokens (`MelodicSteps` in TaleaFeatures: interval, duration class,
/// rest flag). Three n-gram models per repertory read it in three ways — its intervals alone
/// (4-grams), its rhythm alone (4-grams) and whole steps (trigrams) — and each gives one number:
/// the mean log-likelihood ratio per step, first repertory over second. For a score of several
/// voices, each number is the mean over its voices. Positive means "sounds like the first".
///
/// Talea's model learns chorale voices against lied voices with it: the features of
/// `FeatureExtractor` tell the two apart as whole pieces but mistake a chorale alto for a song's
/// vocal line, and the idiom is the evidence a listener uses there.
public struct IdiomModel: Codable, Equatable, Sendable {
    /// How a step token is read by one of the three models.
    public enum Reading: String, Codable, CaseIterable, Sendable {
        /// The melodic interval alone.
        case intervals
        /// The duration class and rest flag alone.
        case rhythm
        /// The whole step.
        case steps

        /// The n-gram order used for this reading.
        var order: Int { self == .steps ? 3 : 4 }
    }

    /// Per reading, the first repertory's model (each model knows its alphabet: interval classes,
    /// rhythm classes, whole steps).
    public let first: [NGramModel]
    /// Per reading, the second repertory's model.
    public let second: [NGramModel]

    /// Learns both repertories' habits from their voices.
    /// - Parameters:
    ///   - intervalClasses: how many interval classes a token holds; a token is
    ///     `interval × rhythmClasses + rhythm`.
    ///   - rhythmClasses: how many rhythm classes a token holds.
    /// - Throws: `LearningError.invalidParameter` when a class count is not positive, the alphabet is
    ///   larger than ``NGramModel/maximumVocabulary``, or a token is outside it.
    public init(intervalClasses: Int, rhythmClasses: Int, first: [[UInt16]], second: [[UInt16]]) throws {
        guard intervalClasses > 0, rhythmClasses > 0 else {
            throw LearningError.invalidParameter("an idiom model needs at least one interval and one rhythm class")
        }
        let sizes = [intervalClasses, rhythmClasses, intervalClasses * rhythmClasses]
        func models(_ voices: [[UInt16]]) throws -> [NGramModel] {
            try Reading.allCases.enumerated().map { index, reading in
                try NGramModel(order: reading.order, vocabularySize: sizes[index],
                               training: voices.map { Self.read($0, as: reading, rhythmClasses: rhythmClasses) })
            }
        }
        self.first = try models(first)
        self.second = try models(second)
    }

    private static func read(_ steps: [UInt16], as reading: Reading, rhythmClasses: Int) -> [UInt16] {
        let classes = UInt16(rhythmClasses)
        switch reading {
        case .intervals: return steps.map { $0 / classes }
        case .rhythm: return steps.map { $0 % classes }
        case .steps: return steps
        }
    }

    /// How likely one voice's steps are under each repertory's habits: per ``Reading``, the mean
    /// log-probability per step under the first repertory's model and under the second's.
    public struct VoiceLikelihoods: Equatable, Sendable {
        /// Per reading, the mean log-probability per step under the first repertory's model.
        public var first: [Double]
        /// Per reading, the mean log-probability per step under the second repertory's model.
        public var second: [Double]
    }

    /// One number per ``Reading``: the mean over `voices` (those with at least two steps: one step
    /// has no succession to read) of the mean log-likelihood ratio per step, first repertory over
    /// second; 0 without such a voice.
    public func scores(voices: [[UInt16]]) -> [Double] {
        Self.scores(voices: voices, likelihoods: likelihoods(of:))
    }

    /// ``scores(voices:)`` with each scored voice's likelihoods given by `likelihoods`: a model's
    /// ``likelihoods(of:)``, or a function that remembers its answers, so that a voice read in
    /// several scores is scored once.
    public static func scores(voices: [[UInt16]], likelihoods: ([UInt16]) -> VoiceLikelihoods) -> [Double] {
        let scored = voices.filter { $0.count >= 2 }.map(likelihoods)
        guard !scored.isEmpty else { return [Double](repeating: 0, count: Reading.allCases.count) }
        return Reading.allCases.indices.map { index in
            let total = scored.reduce(0.0) { sum, voice in sum + voice.first[index] - voice.second[index] }
            return total / Double(scored.count)
        }
    }

    /// The likelihoods of one voice's steps under both repertories.
    public func likelihoods(of voice: [UInt16]) -> VoiceLikelihoods {
        let rhythmClasses = first[1].vocabularySize
        var result = VoiceLikelihoods(first: [], second: [])
        for (index, reading) in Reading.allCases.enumerated() {
            let steps = Self.read(voice, as: reading, rhythmClasses: rhythmClasses)
            result.first.append(first[index].meanLogProbability(steps))
            result.second.append(second[index].meanLogProbability(steps))
        }
        return result
    }

    private enum CodingKeys: String, CodingKey { case first, second }

    /// Decodes a model and checks its structure (``structuralProblem``).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        first = try container.decode([NGramModel].self, forKey: .first)
        second = try container.decode([NGramModel].self, forKey: .second)
        if let problem = structuralProblem {
            throw DecodingError.dataCorruptedError(forKey: .first, in: container, debugDescription: problem)
        }
    }

    /// What is wrong with the model's structure, or nil: one model per reading for each repertory,
    /// the two repertories' alphabets alike, and the whole steps' alphabet the product of the
    /// intervals' and the rhythms'.
    private var structuralProblem: String? {
        let readings = Reading.allCases.count
        guard first.count == readings, second.count == readings else {
            return "the idiom model needs one n-gram model per reading (\(readings)) for each repertory"
        }
        guard zip(first, second).allSatisfy({ $0.vocabularySize == $1.vocabularySize }),
              first[2].vocabularySize == first[0].vocabularySize * first[1].vocabularySize else {
            return "the idiom model's alphabets do not match: whole steps must pair every interval class with every rhythm class"
        }
        return nil
    }
}
