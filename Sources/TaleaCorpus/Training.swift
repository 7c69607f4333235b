import Foundation
import TaleaFeatures
import TaleaLearning

/// How a Talea model is trained: which rows, which classifier, how it decides `unknown`.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// Which views of each file become rows.
    public var plan: ExamplePlan
    /// The classifier and its hyperparameters.
    public var classifier: ClassifierConfiguration
    /// Train the corpus's `other` files as a fourth class; predicting it answers `unknown`.
    public var otherClass: Bool
    /// Answer `unknown` when the most likely genre's calibrated probability is below this.
    public var unknownThreshold: Double?
    /// With the open-set class: answer `unknown` when its calibrated probability reaches this.
    /// Above 0.5 it favours the genres: a motet voice that merely resembles other early music
    /// keeps its genre unless the model is sure it is none of the three.
    public var otherThreshold: Double = 0.5
    /// The same threshold for a single voice, when it differs (nil: ``otherThreshold``). A lone voice
    /// carries less evidence than a piece, and a single motet voice resembles the early music among
    /// the `other` files more often than a whole motet does.
    public var singleVoiceOtherThreshold: Double? = nil
    /// Features the model may not use (their columns are constant in training, so no tree splits on
    /// them). None by default: masking the absolute note-value scale
    /// (``editorialScaleFeatures``) cost a tenth of the motet recall in grouped cross-validation
    /// (docs/model.md), so the shipped model keeps it.
    public var excludedFeatures: [String] = []

    /// The features that measure time in absolute quarter notes.
    public static let editorialScaleFeatures: [String] = FeatureExtractor.names.filter {
        $0.hasSuffix("rhythm.pulse_quarters") || $0.hasSuffix("rhythm.notes_per_quarter")
    }

    /// Multiplies the balanced class weights, in class-index order (genres, then `other`). Below 1
    /// for `other`, the model needs more evidence before it calls music none of the three — the
    /// few motets otherwise lose voices to the many early-music negatives.
    public var classEmphasis: [Double]? = nil
    /// Grouped folds inside the training data whose out-of-fold logits fit the temperature.
    public var calibrationFolds: Int
    /// Seed for every random choice (splits, subsampling, humanised copies).
    public var seed: UInt64

    /// Creates a configuration.
    public init(plan: ExamplePlan = ExamplePlan(), classifier: ClassifierConfiguration, otherClass: Bool = true,
                unknownThreshold: Double? = 0.5, calibrationFolds: Int = 3, seed: UInt64 = 1) {
        self.plan = plan
        self.classifier = classifier
        self.otherClass = otherClass
        self.unknownThreshold = unknownThreshold
        self.calibrationFolds = calibrationFolds
        self.seed = seed
    }

    /// Gradient-boosted trees (the shipped model's classifier; see docs/model.md for the choice).
    public static let boostedTrees = TrainingConfiguration(classifier: .boostedTrees(.init(
        rounds: 150, learningRate: 0.1, maxDepth: 4, minSamplesLeaf: 10, rowSubsample: 0.8,
        featureSubsample: 0.5, classWeighting: .balanced, seed: 1)))

    /// The linear model of ``logisticRegression`` and of the ensemble: L2 0.01, balanced classes.
    static let logisticClassifier = ClassifierConfiguration.logisticRegression(.init(l2: 0.01, classWeighting: .balanced))

    /// L2-regularised multinomial logistic regression, with the same rows, class weights and
    /// open-set rule as ``standardTrees``: a candidate it is compared with.
    public static let logisticRegression: TrainingConfiguration = {
        var configuration = standardTrees
        configuration.classifier = logisticClassifier
        return configuration
    }()

    /// The probability average of ``boostedTrees``'s trees and ``logisticRegression``'s linear
    /// model, half and half, with the same rows as ``standardTrees`` and the motets weighted 2.5
    /// times their balanced share, answering `unknown` when p(other) ≥ 0.6 for a piece and ≥ 0.8
    /// for a single voice; the probability of "chorale or lied" is divided between the two 0.75 by
    /// the trees and 0.25 by the linear model.
    /// The trees reject unfamiliar music sharply; the linear model carries the evidence for the
    /// motets, whose ten works the trees alone learn too narrowly (docs/model.md).
    public static let ensemble: TrainingConfiguration = {
        var configuration = standardTrees
        // The mixture decides how likely "chorale or lied" is; the trees, whose boundary between the two
        // is sharper, divide it three to one: 9% fewer chorale and lied voices mistaken for each other
        // over the re-encodings, motets and `other` files unchanged (docs/model.md).
        configuration.classifier = ClassifierConfiguration.averaged([configuration.classifier, logisticClassifier],
                                                                    weights: [0.5, 0.5])
            .dividing(choraleLiedClasses, treesShare: 0.75)
            // Three sets of trees that differ only in their seed, averaged: the answers depend less on
            // one draw of rows and features (motet voices of works left out 464 -> 475 of 491,
            // chorale-lied confusions over the re-encodings 1,316 -> 1,293; docs/model.md).
            .baggingTrees(seeds: 3)
        // The mixture's `other` probability is softer than the trees' alone. Pieces: from 0.5 to 0.9
        // no genre answer moves in cross-validation, and 0.6 rejects 72% of the `other` pieces.
        // Single voices: 0.8 keeps 97% of the motet voices (94% of those of works left out), and
        // nearly three `other` voices in four still get `unknown` (docs/model.md).
        configuration.otherThreshold = 0.6
        configuration.singleVoiceOtherThreshold = 0.8
        // Ten motet works against hundreds of chorales and lieder: with balanced weights a motet voice
        // the model has not seen was recognised 94% of the time, and the errors go to `other`. Weighted
        // ×2.5, 96% (and every motet voice in cross-validation), for 35 more `other` voices and six
        // more chorale or lied voices called motets (docs/model.md).
        configuration.classEmphasis = [2.5, 1, 1, 0.3]
        return configuration
    }()

    /// The class indices of chorale and lied.
    static let choraleLiedClasses = [Genre.bachChorale, .lied].compactMap { Genre.allCases.firstIndex(of: $0) }

    /// The preset a CLI name stands for: `ensemble` (``standard``), `trees` (``standardTrees``) or
    /// `logistic` (``logisticRegression``).
    public static func preset(_ classifier: String) throws -> TrainingConfiguration {
        switch classifier {
        case "ensemble": return .ensemble
        case "trees": return .standardTrees
        case "logistic": return .logisticRegression
        default: throw ConfigurationError("classifier must be ensemble, trees or logistic, not \(classifier)")
        }
    }

    /// A configuration by the names the CLI uses: classifier `ensemble`, `trees` or `logistic`, open set
    /// `other-class` or `threshold`.
    public static func named(_ classifier: String, openSet: String, unknownThreshold: Double?,
                             otherThreshold: Double = TrainingConfiguration.standard.otherThreshold,
                             singleVoiceOtherThreshold: Double? = nil,
                             otherEmphasis: Double = 1, motetEmphasis: Double = 1) throws -> TrainingConfiguration {
        var configuration = try preset(classifier)
        switch openSet {
        case "other-class": configuration.otherClass = true
        case "threshold": configuration.otherClass = false
        default: throw ConfigurationError("open set must be other-class or threshold, not \(openSet)")
        }
        configuration.unknownThreshold = unknownThreshold.flatMap { $0 > 0 ? $0 : nil }
        configuration.otherThreshold = otherThreshold
        if let singleVoiceOtherThreshold { configuration.singleVoiceOtherThreshold = singleVoiceOtherThreshold }
        if configuration.otherClass {
            configuration.classEmphasis = otherEmphasis != 1 || motetEmphasis != 1 ? [motetEmphasis, 1, 1, otherEmphasis] : nil
        } else {
            configuration.classEmphasis = motetEmphasis != 1 ? [motetEmphasis, 1, 1] : nil
        }
        return configuration
    }

    /// The trees' share when an ensemble of boosted trees and a linear model divides the probability
    /// it gives to "chorale or lied" between the two (0.5 for the ensemble's plain average), or nil
    /// for a classifier that is not such an ensemble.
    public var choraleLiedTreesShare: Double? { classifier.splitTreesShare }

    /// The same configuration with the ensemble's chorale-or-lied probability divided between chorale
    /// and lied by its boosted trees weighted `share` and its other members the rest
    /// (``ClassifierConfiguration/dividing(_:treesShare:)``); a share equal to the trees' mixture
    /// weight gives the plain average.
    /// - Throws: `ConfigurationError` when the classifier is not an ensemble with boosted trees, or
    ///   `share` is not between 0 and 1.
    public func withChoraleLiedTreesShare(_ share: Double) throws -> TrainingConfiguration {
        guard share.isFinite, (0...1).contains(share) else {
            throw ConfigurationError("the trees' share of the chorale-lied decision must be between 0 and 1, not \(share)")
        }
        guard case .averaged(let members, _, _) = classifier, members.contains(where: \.isBoostedTrees) else {
            throw ConfigurationError("only an ensemble with boosted trees can share out the chorale-lied decision")
        }
        var result = self
        result.classifier = classifier.dividing(Self.choraleLiedClasses, treesShare: share)
        return result
    }

    /// The same configuration with its boosted trees trained with `count` seeds and averaged
    /// (``ClassifierConfiguration/baggingTrees(seeds:)``): a bagged average, less dependent on one
    /// draw of rows and features. `count` is the number of seeds, not a multiplier: 1 gives one set
    /// of trees, also for the shipped model, which has three.
    /// - Throws: `ConfigurationError` when `count` is not between 1 and 16.
    public func withTreeSeeds(_ count: Int) throws -> TrainingConfiguration {
        guard (1...16).contains(count) else { throw ConfigurationError("the number of tree seeds must be 1 to 16, not \(count)") }
        var result = self
        result.classifier = classifier.baggingTrees(seeds: count)
        return result
    }

    /// The number of boosted-trees members of the classifier that differ only in their seed (1 for a
    /// single model, 0 without trees).
    public var treeSeeds: Int {
        switch classifier {
        case .boostedTrees: return 1
        case .logisticRegression: return 0
        case .averaged(let members, _, _): return members.filter(\.isBoostedTrees).count
        }
    }

    /// A small, fast variant (20 trees, no excerpts, two calibration folds): for tests and trials.
    public var quick: TrainingConfiguration {
        var small = self
        small.plan.excerptsPerPiece = 0
        small.plan.excerptsPerVoice = 0
        small.plan.minimumVoiceNotes = min(plan.minimumVoiceNotes, 4)
        small.calibrationFolds = 2
        func smaller(_ classifier: ClassifierConfiguration) -> ClassifierConfiguration {
            switch classifier {
            case .boostedTrees(var trees):
                trees.rounds = 20
                trees.learningRate = 0.3
                trees.minSamplesLeaf = 2
                return .boostedTrees(trees)
            case .logisticRegression:
                return classifier
            case .averaged(let members, let weights, let split):
                return .averaged(members.map(smaller), weights: weights, split: split)
            }
        }
        small.classifier = smaller(classifier)
        return small
    }

    /// Boosted trees with the open-set class down-weighted (×0.3) and answered only at
    /// probability ≥ 0.6, no threshold on the genres: the trees half of ``standard``, and the
    /// shipped model until the ensemble replaced it.
    public static let standardTrees: TrainingConfiguration = {
        var configuration = boostedTrees
        configuration.classEmphasis = [1, 1, 1, 0.3]
        configuration.otherThreshold = 0.6
        configuration.unknownThreshold = nil
        return configuration
    }()

    /// The configuration `talea train` uses: ``ensemble``. docs/model.md gives the measurements
    /// behind this choice.
    public static let standard: TrainingConfiguration = ensemble

    /// The configuration in words: classifier, class weights, open-set rule, training seed.
    public var summary: String {
        var parts = [classifierSummary]
        if let emphasis = classEmphasis { parts.append("class emphasis " + zip(classNames, emphasis).map { "\($0) ×\($1)" }.joined(separator: ", ")) }
        if otherClass, let singleVoiceOtherThreshold, singleVoiceOtherThreshold != otherThreshold {
            parts.append("`unknown` when p(other) ≥ \(otherThreshold) (a single voice: ≥ \(singleVoiceOtherThreshold))")
        } else {
            parts.append(otherClass ? "`unknown` when p(other) ≥ \(otherThreshold)" : "three genres only")
        }
        if let unknownThreshold { parts.append("`unknown` when the top genre is below \(unknownThreshold)") }
        if !excludedFeatures.isEmpty { parts.append("features not used: " + excludedFeatures.joined(separator: ", ")) }
        parts.append("training seed \(seed)")
        return parts.joined(separator: "; ")
    }

    /// The classifier in words, a split's classes named.
    public var classifierSummary: String { classifier.summary(classNames: classNames) }

    /// Class names in class-index order.
    public var classNames: [String] {
        Genre.allCases.map(\.rawValue) + (otherClass ? [ModelClasses.other] : [])
    }

    /// The class index of a corpus label, or nil when the label is not trained.
    public func classIndex(of label: CorpusLabel) -> Int? {
        switch label {
        case .genre(let genre): return Genre.allCases.firstIndex(of: genre)
        case .other: return otherClass ? Genre.allCases.count : nil
        }
    }
}

/// Trains Talea models from example rows.
public struct Trainer: Sendable {
    /// The configuration.
    public var configuration: TrainingConfiguration

    /// Creates a trainer.
    public init(configuration: TrainingConfiguration = .standard) {
        self.configuration = configuration
    }

    /// The learning data set of the rows whose label is trained, and their positions in `examples`.
    /// Each row is the example's features followed by its entry of `idiomScores`.
    public func dataset(_ examples: [Example], idiomScores: [[Double]]) throws -> (data: Dataset, positions: [Int]) {
        guard idiomScores.count == examples.count else {
            throw LearningError.lengthMismatch(what: "idiom scores", expected: examples.count, found: idiomScores.count)
        }
        let positions = examples.indices.filter { configuration.classIndex(of: examples[$0].label) != nil }
        let excluded = Set(configuration.excludedFeatures.compactMap { GenreClassifier.featureNames.firstIndex(of: $0) })
        let rows = positions.map { position -> [Double] in
            var row = examples[position].features + idiomScores[position]
            for column in excluded where column < row.count { row[column] = 0 }
            return row
        }
        let data = try Dataset(rows: rows,
                               labels: positions.map { configuration.classIndex(of: examples[$0].label) ?? 0 },
                               classCount: configuration.classNames.count,
                               sampleWeights: positions.map { examples[$0].weight },
                               groups: positions.map { examples[$0].group })
        return (data, positions)
    }

    /// Trains a model on `examples`: the idiom model on their chorale and lied voices, each row's
    /// idiom scores cross-fitted (``IdiomFeatures/crossFittedScores(of:folds:seed:)``); the
    /// standardiser and classifier on every row; the temperature on out-of-fold logits of the
    /// original (unaugmented) rows, from grouped folds inside these examples — so calibration never
    /// sees a row it was trained on.
    public func train(_ examples: [Example], metadata: [String: String] = [:]) throws -> ModelFile {
        let idiom = try IdiomFeatures.model(learningFrom: examples)
        let idiomScores = try IdiomFeatures.crossFittedScores(of: examples, seed: configuration.seed)
        let (data, positions) = try dataset(examples, idiomScores: idiomScores)
        for genre in Genre.allCases where !positions.contains(where: { examples[$0].label == .genre(genre) }) {
            throw CorpusError.missingGenre(genre)
        }
        let classifier = try weightedClassifier(for: data)
        let calibration = try fitTemperature(data: data, classifier: classifier, originals: positions.map { examples[$0].isOriginal })
        let pipeline = try FittedPipeline(configuration: classifier, training: data)
        var facts = metadata
        facts["classifier"] = configuration.classifierSummary
        if let emphasis = configuration.classEmphasis {
            facts["class_emphasis"] = zip(configuration.classNames, emphasis).map { "\($0)=\($1)" }.joined(separator: ",")
        }
        facts["training_rows"] = String(data.count)
        if !configuration.excludedFeatures.isEmpty { facts["excluded_features"] = configuration.excludedFeatures.joined(separator: ",") }
        facts["training_files"] = String(Set(positions.map { examples[$0].entryID }).count)
        facts["open_set"] = configuration.otherClass ? "other class -> unknown" : "threshold only"
        if configuration.otherClass {
            facts[GenreClassifier.otherThresholdKey] = String(configuration.otherThreshold)
            if let single = configuration.singleVoiceOtherThreshold {
                facts[GenreClassifier.singleVoiceOtherThresholdKey] = String(single)
            }
        }
        return try ModelFile(featureSchema: GenreClassifier.currentSchema, classNames: configuration.classNames,
                             standardizer: pipeline.standardizer, classifier: pipeline.classifier,
                             calibration: calibration, unknownThreshold: configuration.unknownThreshold,
                             metadata: facts, idiom: idiom)
    }

    /// The classifier configuration with balanced class weights scaled by ``TrainingConfiguration/classEmphasis``.
    func weightedClassifier(for data: Dataset) throws -> ClassifierConfiguration {
        guard let emphasis = configuration.classEmphasis, emphasis.count == data.classCount else { return configuration.classifier }
        let balanced = try ClassWeighting.balanced.classWeights(labels: data.labels, sampleWeights: data.sampleWeights ?? Array(repeating: 1, count: data.count), classCount: data.classCount)
        let weights = ClassWeighting.custom(zip(balanced, emphasis).map { $0 * $1 })
        return configuration.classifier.withClassWeighting(weights)
    }

    private func fitTemperature(data: Dataset, classifier: ClassifierConfiguration, originals: [Bool]) throws -> TemperatureScaling {
        guard configuration.calibrationFolds >= 2, let groups = data.groups else { return .identity }
        let folds = try GroupedStratifiedKFold(folds: configuration.calibrationFolds, seed: configuration.seed &+ 17)
            .split(labels: data.labels, groups: groups, classCount: data.classCount)
        var logits: [[Double]] = [], labels: [Int] = []
        for fold in folds {
            let pipeline = try FittedPipeline(configuration: classifier, training: data.subset(fold.trainIndices))
            for i in fold.testIndices where originals[i] {
                logits.append(pipeline.logits(data.rows[i]))
                labels.append(data.labels[i])
            }
        }
        guard !labels.isEmpty else { return .identity }
        return try TemperatureScaling(fitting: logits, labels: labels)
    }
}

/// A configuration named on the command line that does not exist.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
