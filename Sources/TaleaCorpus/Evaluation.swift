import Foundation
import TaleaFeatures
import TaleaLearning
import TaleaScore

/// One scored item: a view of a corpus file (whole piece or one voice, possibly re-encoded) and
/// what a model that never saw its work said about it.
public struct ScoredItem: Codable, Equatable, Sendable {
    /// Manifest id.
    public var entryID: String
    /// The file's label (`isorhythmic_motet`, `bach_chorale`, `lied`, or `other`).
    public var truth: String
    /// Whole piece or one voice.
    public var view: ExampleView
    /// Which voice, in words (`voice 2 (Tenor)`), or `piece`.
    public var part: String
    /// The re-encoding scored (`original`, `format-0`, …).
    public var variant: String
    /// Talea's answer (a genre or `unknown`).
    public var predicted: String
    /// Calibrated probability of the most likely genre.
    public var confidence: Double
    /// Probabilities over the model's classes before temperature scaling, of the features as written.
    public var rawProbabilities: [Double]
    /// Probabilities over the model's classes after temperature scaling, as the answer reads them
    /// (``GenreClassifier/probabilities(features:facts:)``: for a lone 4/4, averaged with the unsigned reading).
    public var calibratedProbabilities: [Double]
    /// Class index of the truth in the model's classes, nil for a label the model was not trained on.
    public var truthIndex: Int?

    /// The answer a perfect model gives: the genre, or `unknown` for an `other` file.
    public var expected: String { truth == ModelClasses.other ? ModelClasses.unknown : truth }
    /// True when the answer is the expected one.
    public var isCorrect: Bool { predicted == expected }
}

/// Metrics of one set of scored items.
public struct ViewMetrics: Codable, Equatable, Sendable {
    /// Items scored.
    public var count: Int
    /// Share of items answered as expected (genre, or `unknown` for `other`).
    public var accuracy: Double
    /// Macro-F1 over the three genres (an `unknown` answer for a genre file counts as a miss; a genre
    /// answer for an `other` file counts against that genre's precision).
    public var macroF1: Double
    /// Macro-F1 over the three genres counting only the items whose truth is a genre (the `other`
    /// files left out): what a test set of the three repertories alone measures.
    public var genreOnlyMacroF1: Double
    /// ``genreOnlyMacroF1`` with every genre weighted equally, as a test set holding as many items of
    /// each genre would measure it (``ConfusionMatrix/classBalancedMacroF1(classes:)``): in the
    /// corpus, a handful of chorale and lied voices called motets outweighs the few motet voices.
    public var genreBalancedMacroF1: Double
    /// Precision, recall, F1 and support for each genre, in `Genre.allCases` order.
    public var perGenre: [ClassMetrics]
    /// Confusion counts: rows are truth, columns the answer, both in the order of ``labels``.
    public var confusion: [[Int]]
    /// Row and column names of ``confusion``: the genres, then `unknown`.
    public var labels: [String]
    /// Share of `other` files answered `unknown` (nil when none were scored).
    public var otherRejectedRate: Double?
    /// Calibration of the raw model (temperature 1) over the model's classes.
    public var calibrationBefore: CalibrationReport
    /// Calibration after temperature scaling.
    public var calibrationAfter: CalibrationReport

    /// Computes the metrics of `items`.
    public init(items: [ScoredItem]) {
        let labels = Genre.allCases.map(\.rawValue) + [ModelClasses.unknown]
        let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let truths = items.map { position[$0.expected] ?? labels.count - 1 }
        let answers = items.map { position[$0.predicted] ?? labels.count - 1 }
        let matrix = ConfusionMatrix(labels: truths, predictions: answers, classCount: labels.count)
        let genreMetrics = Array(matrix.perClass.prefix(Genre.allCases.count))
        count = items.count
        accuracy = items.isEmpty ? 0 : Double(items.filter(\.isCorrect).count) / Double(items.count)
        let present = genreMetrics.filter { $0.support > 0 }
        macroF1 = present.isEmpty ? 0 : present.map(\.f1).reduce(0, +) / Double(present.count)
        perGenre = genreMetrics
        let genreItems = items.indices.filter { items[$0].truth != ModelClasses.other }
        let genreMatrix = ConfusionMatrix(labels: genreItems.map { truths[$0] }, predictions: genreItems.map { answers[$0] },
                                          classCount: labels.count)
        let presentGenres = genreMatrix.perClass.prefix(Genre.allCases.count).filter { $0.support > 0 }
        genreOnlyMacroF1 = presentGenres.isEmpty ? 0 : presentGenres.map(\.f1).reduce(0, +) / Double(presentGenres.count)
        genreBalancedMacroF1 = genreMatrix.classBalancedMacroF1(classes: Genre.allCases.count)
        confusion = matrix.counts
        self.labels = labels
        let others = items.filter { $0.truth == ModelClasses.other }
        otherRejectedRate = others.isEmpty ? nil : Double(others.filter { $0.predicted == ModelClasses.unknown }.count) / Double(others.count)
        let trained = items.filter { $0.truthIndex != nil }
        calibrationBefore = CalibrationReport(probabilities: trained.map(\.rawProbabilities), labels: trained.map { $0.truthIndex ?? 0 })
        calibrationAfter = CalibrationReport(probabilities: trained.map(\.calibratedProbabilities), labels: trained.map { $0.truthIndex ?? 0 })
    }

    /// Recall of one genre (0 when it has no items).
    public func recall(of genre: Genre) -> Double {
        guard let index = Genre.allCases.firstIndex(of: genre) else { return 0 }
        return perGenre[index].recall
    }
}

/// Metrics for whole pieces and for single voices.
public struct SplitMetrics: Codable, Equatable, Sendable {
    /// Whole pieces.
    public var pieces: ViewMetrics
    /// Single voices.
    public var voices: ViewMetrics

    /// Splits items by view and computes both.
    public init(items: [ScoredItem]) {
        pieces = ViewMetrics(items: items.filter { $0.view == .piece })
        voices = ViewMetrics(items: items.filter { $0.view == .voice })
    }
}

/// A stress test's outcome: metrics on a re-encoding, and how often the label stayed the one given
/// to the original file.
public struct StressResult: Codable, Equatable, Sendable {
    /// The re-encoding.
    public var variant: String
    /// Metrics on it.
    public var metrics: SplitMetrics
    /// Share of items whose label equals the label of the same item in its original encoding.
    public var agreementWithOriginal: Double
}

/// One candidate classifier's grouped cross-validated scores (for the model choice).
public struct CandidateScore: Codable, Equatable, Sendable {
    /// Name.
    public var name: String
    /// The classifier and its hyperparameters.
    public var summary: String
    /// Macro-F1 on whole pieces.
    public var pieceMacroF1: Double
    /// Macro-F1 on single voices.
    public var voiceMacroF1: Double
    /// Macro-F1 on whole pieces, genre files only (`other` left out).
    public var pieceGenreOnlyMacroF1: Double
    /// Macro-F1 on single voices, genre files only (`other` left out).
    public var voiceGenreOnlyMacroF1: Double
    /// Motet recall on single voices.
    public var motetVoiceRecall: Double
    /// Expected calibration error after temperature scaling, pieces and voices pooled.
    public var calibratedECE: Double
    /// Mean negative log-likelihood of the calibrated probabilities, pieces and voices pooled.
    public var logLoss: Double
}

/// Everything `talea evaluate` measures.
public struct EvaluationReport: Codable, Sendable {
    enum CodingKeys: String, CodingKey {
        case manifestFiles, filesUsed, removed, failures, groups, folds, configuration, crossValidation, foldTemperatures
        case stress, leaveOneMotetOut, leaveOneMotetOutItems, holdout, holdoutFiles, crossRepertory, candidates
        case misclassified, foldOfFile
    }

    /// Files in the manifest.
    public var manifestFiles: Int
    /// Files used after cleaning.
    public var filesUsed: Int
    /// Files removed by cleaning, with the reason.
    public var removed: [String]
    /// Files that could not be read, with the reason.
    public var failures: [String]
    /// Split groups.
    public var groups: Int
    /// Folds of the grouped cross-validation.
    public var folds: Int
    /// The configuration evaluated (the one `talea train` uses).
    public var configuration: String
    /// Grouped cross-validation of the chosen configuration.
    public var crossValidation: SplitMetrics
    /// Temperatures fitted per fold.
    public var foldTemperatures: [Double]
    /// The same folds, each file re-encoded.
    public var stress: [StressResult]
    /// Leave-one-work-out for the motets: each motet scored by a model trained without it.
    public var leaveOneMotetOut: SplitMetrics?
    /// The motet items of the leave-one-work-out run.
    public var leaveOneMotetOutItems: [ScoredItem]
    /// A single work-grouped, stratified 80/20 split: trained on 80 % of the groups, scored on the rest.
    public var holdout: SplitMetrics?
    /// Files on the test side of the 80/20 split.
    public var holdoutFiles: Int = 0
    /// Training on one part of each repertory and testing on the other (chorales by
    /// Riemenschneider number, lieder by composer).
    public var crossRepertory: SplitMetrics?
    /// Candidate classifiers compared on the same folds.
    public var candidates: [CandidateScore]
    /// Every misclassified original item of the cross-validation.
    public var misclassified: [ScoredItem]
    /// Every original item of the cross-validation (written to items.jsonl, not to metrics.json).
    public var items: [ScoredItem] = []
    /// Every re-encoded item of the stress tests, variant by variant (written to stress-items.jsonl,
    /// not to metrics.json), so that what a re-encoding changed can be traced item by item.
    public var stressItems: [ScoredItem] = []
    /// Fold of each file id, for peers scored on the same folds.
    public var foldOfFile: [String: Int]
}

/// Options of an evaluation run.
public struct EvaluationOptions: Sendable {
    /// Grouped folds.
    public var folds: Int = 5
    /// Seed of the split.
    public var seed: UInt64 = 7
    /// The configuration under test.
    public var configuration: TrainingConfiguration = .standard
    /// Other candidates scored on the same folds (name, configuration).
    public var otherCandidates: [(String, TrainingConfiguration)] = [("boosted trees", .standardTrees), ("logistic regression", .logisticRegression)]
    /// Run the re-encoding stress tests.
    public var stressTests: Bool = true
    /// Where the corpus's files hold fermatas: the stress variant ``StressVariant/heldFermatas``
    /// tests the files named here, and only those.
    public var fermatas: FermataAnnotations = .none
    /// A folder of the corpus's files written by another encoder, one file per manifest id
    /// (`<id>.mid`): the stress variant ``StressVariant/anotherEncoder`` scores each with the model
    /// that did not see its work. Nil skips that test.
    public var anotherEncoder: URL? = nil
    /// Run leave-one-work-out for the motets.
    public var leaveOneMotetOut: Bool = true
    /// Run the cross-repertory split.
    public var crossRepertory: Bool = true
    /// Run the single 80/20 grouped split.
    public var holdout: Bool = true
    /// Called with a line of progress (from several threads when `jobs` > 1).
    public var log: @Sendable (String) -> Void = { _ in }
    /// Independent trainings (folds, candidates, left-out motets) run side by side on this many cores.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Default options.
    public init() {}
}

/// Grouped cross-validation, stress tests and leave-one-work-out runs over a corpus.
public struct Evaluator: Sendable {
    /// The options.
    public var options: EvaluationOptions

    /// Creates an evaluator.
    public init(options: EvaluationOptions = EvaluationOptions()) {
        self.options = options
    }

    /// Runs every evaluation. `table` must have been built from `corpus` and `manifest`.
    public func evaluate(corpus: CleanCorpus, manifest: Manifest, table: ExampleTable) throws -> EvaluationReport {
        let configuration = options.configuration
        let entries = corpus.entries.filter { entry in table.examples.contains { $0.entryID == entry.id } }
        let entryByID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
        // Folds over files (one row per file), grouped and stratified by the four corpus labels.
        let fileLabels = entries.map { entry -> Int in
            switch entry.label { case .genre(let g): return Genre.allCases.firstIndex(of: g) ?? 0; case .other: return 3 }
        }
        let fileFolds = try GroupedStratifiedKFold(folds: options.folds, seed: options.seed)
            .split(labels: fileLabels, groups: entries.map { corpus.groupOf[$0.id] ?? $0.workID }, classCount: 4)
        var foldIndex: [String: Int] = [:]
        for (k, fold) in fileFolds.enumerated() { for i in fold.testIndices { foldIndex[entries[i].id] = k } }
        let foldOfFile = foldIndex

        // Every training below is independent of the others: they run side by side on
        // `options.jobs` cores, and their results are gathered in a fixed order.
        struct FoldOutcome: Sendable {
            var temperature: Double
            var items: [ScoredItem]
            var stress: [StressVariant: [ScoredItem]]
        }
        let foldCount = fileFolds.count
        let outcomes = try parallel(0..<foldCount) { k -> FoldOutcome in
            options.log("fold \(k + 1)/\(foldCount): training")
            let model = try Trainer(configuration: configuration).train(table.examples.filter { foldOfFile[$0.entryID] != k })
            let classifier = try GenreClassifier(model: model)
            let items = score(table.examples.filter { foldOfFile[$0.entryID] == k && $0.isOriginal }, with: classifier,
                              configuration: configuration)
            var stressed: [StressVariant: [ScoredItem]] = [:]
            if options.stressTests {
                options.log("fold \(k + 1)/\(foldCount): stress tests")
                stressed = self.stress(entries.filter { foldOfFile[$0.id] == k }, manifest: manifest, classifier: classifier,
                                  configuration: configuration)
            }
            return FoldOutcome(temperature: model.calibration.temperature, items: items, stress: stressed)
        }
        let items = outcomes.flatMap(\.items)
        let temperatures = outcomes.map(\.temperature)
        var stressItems: [StressVariant: [ScoredItem]] = [:]
        for outcome in outcomes {
            for variant in StressVariant.allCases { stressItems[variant, default: []] += outcome.stress[variant] ?? [] }
        }

        var candidates = [candidateScore(name: "\(configuration.classifier.kindName) (chosen)", configuration: configuration, items: items)]
        let otherCandidates = options.otherCandidates
        let candidateRuns = otherCandidates.indices.flatMap { c in (0..<foldCount).map { (c, $0) } }
        let candidateItems = try parallel(candidateRuns.indices) { run -> [ScoredItem] in
            let (c, k) = candidateRuns[run]
            let (name, other) = otherCandidates[c]
            options.log("candidate \(name), fold \(k + 1)/\(foldCount)")
            let model = try Trainer(configuration: other).train(table.examples.filter { foldOfFile[$0.entryID] != k })
            return score(table.examples.filter { foldOfFile[$0.entryID] == k && $0.isOriginal },
                         with: try GenreClassifier(model: model), configuration: other)
        }
        for (c, (name, other)) in otherCandidates.enumerated() {
            let otherItems = zip(candidateRuns, candidateItems).filter { $0.0.0 == c }.flatMap(\.1)
            candidates.append(candidateScore(name: name, configuration: other, items: otherItems))
        }

        var lowoItems: [ScoredItem] = []
        if options.leaveOneMotetOut {
            let motetGroups = Array(Set(entries.filter { $0.label == .genre(.isorhythmicMotet) }.compactMap { corpus.groupOf[$0.id] })).sorted()
            lowoItems = try parallel(motetGroups.indices) { n -> [ScoredItem] in
                let group = motetGroups[n]
                options.log("leave one motet out \(n + 1)/\(motetGroups.count)")
                let model = try Trainer(configuration: configuration).train(table.examples.filter { $0.group != group })
                let classifier = try GenreClassifier(model: model)
                let held = table.examples.filter { $0.group == group && $0.isOriginal }
                var scoredItems = score(held, with: classifier, configuration: configuration)
                let heldEntries = Set(held.map(\.entryID)).sorted().compactMap { entryByID[$0] }
                for (_, scored) in self.stress(heldEntries, manifest: manifest, classifier: classifier, configuration: configuration)
                    .sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    scoredItems += scored.filter { $0.variant != StressVariant.original.rawValue }
                }
                return scoredItems
            }.flatMap { $0 }
        }

        var holdout: SplitMetrics? = nil
        var holdoutFiles = 0
        if options.holdout {
            options.log("80/20 grouped split")
            let split = try GroupedStratifiedSplit(testFraction: 0.2, seed: options.seed)
                .split(labels: fileLabels, groups: entries.map { corpus.groupOf[$0.id] ?? $0.workID }, classCount: 4)
            let testIDs = Set(split.testIndices.map { entries[$0].id })
            holdoutFiles = testIDs.count
            let model = try Trainer(configuration: configuration).train(table.examples.filter { !testIDs.contains($0.entryID) })
            holdout = SplitMetrics(items: score(table.examples.filter { testIDs.contains($0.entryID) && $0.isOriginal },
                                                with: try GenreClassifier(model: model), configuration: configuration))
        }

        var crossItems: [ScoredItem]? = nil
        if options.crossRepertory {
            options.log("cross-repertory split")
            let (trainIDs, testIDs) = crossRepertorySplit(entries)
            let model = try Trainer(configuration: configuration).train(table.examples.filter { trainIDs.contains($0.entryID) })
            crossItems = score(table.examples.filter { testIDs.contains($0.entryID) && $0.isOriginal },
                               with: try GenreClassifier(model: model), configuration: configuration)
        }

        // A voice is matched with the original by its index: a re-encoding may drop its name.
        func agreementKey(_ item: ScoredItem) -> String {
            "\(item.entryID)|" + (item.part.range(of: " (").map { String(item.part[..<$0.lowerBound]) } ?? item.part)
        }
        let originals = Dictionary(stressItems[.original, default: []].map { (agreementKey($0), $0.predicted) },
                                   uniquingKeysWith: { a, _ in a })
        let reencodings = StressVariant.allCases.filter { $0 != .original }
        let stress = reencodings.compactMap { variant -> StressResult? in
            guard let scored = stressItems[variant], !scored.isEmpty else { return nil }
            let agreeing = scored.filter { originals[agreementKey($0)] == $0.predicted }.count
            return StressResult(variant: variant.rawValue, metrics: SplitMetrics(items: scored),
                                agreementWithOriginal: Double(agreeing) / Double(scored.count))
        }
        return EvaluationReport(
            manifestFiles: manifest.entries.count, filesUsed: entries.count,
            removed: corpus.removed.map { "\($0.entry.id): \($0.reason)" },
            failures: table.failures.map { "\($0.entry.id): \($0.message)" },
            groups: Set(entries.compactMap { corpus.groupOf[$0.id] }).count, folds: fileFolds.count,
            configuration: configuration.summary,
            crossValidation: SplitMetrics(items: items), foldTemperatures: temperatures, stress: stress,
            leaveOneMotetOut: lowoItems.isEmpty ? nil : SplitMetrics(items: lowoItems),
            leaveOneMotetOutItems: lowoItems,
            holdout: holdout, holdoutFiles: holdoutFiles,
            crossRepertory: crossItems.map { SplitMetrics(items: $0) },
            candidates: candidates,
            misclassified: items.filter { !$0.isCorrect },
            items: items,
            stressItems: reencodings.flatMap { stressItems[$0] ?? [] },
            foldOfFile: foldOfFile)
    }

    /// Scores example rows with a model.
    func score(_ examples: [Example], with classifier: GenreClassifier, configuration: TrainingConfiguration) -> [ScoredItem] {
        examples.map { example in
            scoredItem(features: classifier.modelInput(features: example.features, steps: example.steps), facts: example.facts, entryID: example.entryID, label: example.label, view: example.view,
                       part: example.view == .piece ? "piece" : example.variant, variant: StressVariant.original.rawValue,
                       classifier: classifier, configuration: configuration)
        }
    }

    private func scoredItem(features: [Double], facts: ScoreFacts, entryID: String, label: CorpusLabel, view: ExampleView, part: String,
                            variant: String, classifier: GenreClassifier, configuration: TrainingConfiguration) -> ScoredItem {
        let asWritten = classifier.model.predict(features)
        let probabilities = classifier.probabilities(features: features, facts: facts, asWritten: asWritten)
        let classification = classifier.classify(features: features, probabilities: probabilities, facts: facts, reasonCount: 0)
        return ScoredItem(entryID: entryID, truth: label.manifestValue, view: view, part: part, variant: variant,
                          predicted: classification.label, confidence: classification.confidence,
                          rawProbabilities: Softmax.probabilities(asWritten.logits),
                          calibratedProbabilities: probabilities,
                          truthIndex: configuration.classIndex(of: label))
    }

    /// Every stress variant of every file: the whole piece and each eligible voice.
    /// `body` for every index on ``EvaluationOptions/jobs`` cores, results in index order; the first
    /// error (in index order) is rethrown.
    private func parallel<T: Sendable>(_ range: Range<Int>, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        try ConcurrentMap.map(range, jobs: max(1, options.jobs)) { index in Result { try body(index) } }.map { try $0.get() }
    }

    private func stress(_ entries: [ManifestEntry], manifest: Manifest, classifier: GenreClassifier,
                        configuration: TrainingConfiguration) -> [StressVariant: [ScoredItem]] {
        let builder = ExampleBuilder(plan: configuration.plan)
        let fermatas = options.fermatas
        let anotherEncoder = options.anotherEncoder
        let perFile = ConcurrentMap.map(entries.indices) { index -> [StressVariant: [ScoredItem]] in
            let entry = entries[index]
            guard let score = try? Score.load(contentsOf: manifest.url(of: entry)) else { return [:] }
            let spans = fermatas.spans(of: entry.id)
            var result: [StressVariant: [ScoredItem]] = [:]
            for variant in StressVariant.allCases {
                let encoded: Score?
                if variant == .anotherEncoder {
                    // Another encoder's file of the same work, when the folder has one that reads.
                    encoded = anotherEncoder.flatMap { try? Score.load(contentsOf: $0.appendingPathComponent(entry.id + ".mid")) }
                } else if variant.applies(to: entry.label, fermatas: spans) {
                    encoded = try? variant.apply(to: score, seed: UInt64(index) &+ 99, fermatas: spans)
                } else {
                    encoded = nil
                }
                guard let changed = encoded else { continue }
                let voices = builder.eligibleVoices(of: changed)
                let singles = voices.map { ScoreVariants.singleVoice(changed, index: $0) }
                // The piece and its voices in one call, so that each voice's idiom is scored once.
                let features = classifier.features(of: [changed] + singles)
                var scored = [scoredItem(features: features[0], facts: ScoreFacts(changed), entryID: entry.id,
                                         label: entry.label, view: .piece, part: "piece", variant: variant.rawValue,
                                         classifier: classifier, configuration: configuration)]
                for (offset, v) in voices.enumerated() {
                    scored.append(scoredItem(features: features[offset + 1], facts: ScoreFacts(singles[offset]), entryID: entry.id,
                                             label: entry.label, view: .voice, part: "voice \(v) (\(changed.voices[v].name))",
                                             variant: variant.rawValue, classifier: classifier, configuration: configuration))
                }
                result[variant] = scored
            }
            return result
        }
        var merged: [StressVariant: [ScoredItem]] = [:]
        for file in perFile { for (variant, scored) in file { merged[variant, default: []] += scored } }
        return merged
    }

    /// Chorales with Riemenschneider number up to 185 and lieder by composers A–K train; the
    /// other chorales and lieder test (with every motet and `other` file on the training side).
    func crossRepertorySplit(_ entries: [ManifestEntry]) -> (train: Set<String>, test: Set<String>) {
        var train = Set<String>(), test = Set<String>()
        for entry in entries {
            switch entry.label {
            case .genre(.bachChorale):
                let number = Int(entry.id.split(separator: "-").dropFirst().first?.dropFirst() ?? "") ?? 0
                if number <= 185 { train.insert(entry.id) } else { test.insert(entry.id) }
            case .genre(.lied):
                let initial = entry.composer.uppercased().first ?? "A"
                if initial <= "K" { train.insert(entry.id) } else { test.insert(entry.id) }
            default:
                train.insert(entry.id)
            }
        }
        return (train, test)
    }

    private func candidateScore(name: String, configuration: TrainingConfiguration, items: [ScoredItem]) -> CandidateScore {
        let metrics = SplitMetrics(items: items)
        let trained = items.filter { $0.truthIndex != nil }
        let logLoss = Metrics.negativeLogLikelihood(probabilities: trained.map(\.calibratedProbabilities),
                                                    labels: trained.map { $0.truthIndex ?? 0 })
        return CandidateScore(name: name, summary: configuration.summary,
                              pieceMacroF1: metrics.pieces.macroF1, voiceMacroF1: metrics.voices.macroF1,
                              pieceGenreOnlyMacroF1: metrics.pieces.genreOnlyMacroF1, voiceGenreOnlyMacroF1: metrics.voices.genreOnlyMacroF1,
                              motetVoiceRecall: metrics.voices.recall(of: .isorhythmicMotet),
                              calibratedECE: CalibrationReport(probabilities: trained.map(\.calibratedProbabilities),
                                                               labels: trained.map { $0.truthIndex ?? 0 }).expectedCalibrationError,
                              logLoss: logLoss)
    }
}
