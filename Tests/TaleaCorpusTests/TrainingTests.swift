import Foundation
import XCTest
import TaleaFeatures
import TaleaLearning
import TaleaScore
import TaleaTestSupport
@testable import TaleaCorpus

/// A configuration small enough for debug-mode tests.
let smallTrees = TrainingConfiguration(
    plan: ExamplePlan(minimumVoiceNotes: 4, excerptsPerPiece: 1, humanised: true),
    classifier: .boostedTrees(.init(rounds: 20, learningRate: 0.3, maxDepth: 3, minSamplesLeaf: 2, seed: 3)),
    otherClass: true, unknownThreshold: 0.4, calibrationFolds: 2, seed: 5)

final class TrainingTests: XCTestCase {
    /// Written once for the whole test class.
    static let corpus: URL? = try? FixtureCorpus.make()

    override class func tearDown() {
        if let corpus { try? FileManager.default.removeItem(at: corpus) }
        super.tearDown()
    }

    private func table(_ configuration: TrainingConfiguration) throws -> (CleanCorpus, Manifest, ExampleTable) {
        try Self.table(configuration)
    }

    private static func table(_ configuration: TrainingConfiguration) throws -> (CleanCorpus, Manifest, ExampleTable) {
        let dir = try XCTUnwrap(corpus)
        let (clean, manifest) = try CorpusLoading.load(dir)
        let table = ExampleTable(corpus: clean, manifest: manifest, builder: ExampleBuilder(plan: configuration.plan), seed: configuration.seed)
        return (clean, manifest, table)
    }

    /// The ``smallTrees`` model of the fixture corpus, trained once for the tests that only read it
    /// (training is deterministic: `testTrainingIsDeterministicAndTheModelLearnsTheFixtures`).
    private static let smallTreesModel = Result { try Trainer(configuration: smallTrees).train(table(smallTrees).2.examples) }

    func testRowsCoverPiecesVoicesAndVariantsWithWeightsSummingToOnePerView() throws {
        let (_, _, table) = try table(smallTrees)
        XCTAssertTrue(table.failures.isEmpty, "\(table.failures)")
        let motet = table.examples.filter { $0.entryID == "isorhythmic_motet-0" }
        XCTAssertEqual(motet.filter { $0.view == .voice && $0.isOriginal }.count, 3, "one original row per voice")
        XCTAssertTrue(motet.contains { $0.variant == "humanised and transposed" })
        XCTAssertTrue(motet.contains { $0.variant.hasPrefix("excerpt") })
        for view in ExampleView.allCases {
            XCTAssertEqual(motet.filter { $0.view == view }.map(\.weight).reduce(0, +), 1, accuracy: 1e-9)
        }
        XCTAssertEqual(motet.first?.features.count, FeatureExtractor.definitions.count)
    }

    func testTrainingIsDeterministicAndTheModelLearnsTheFixtures() throws {
        let (_, _, table) = try table(smallTrees)
        let trainer = Trainer(configuration: smallTrees)
        let first = try trainer.train(table.examples).jsonData()
        let second = try trainer.train(table.examples).jsonData()
        XCTAssertEqual(first, second, "same rows and seed must give the same bytes")
        let classifier = try GenreClassifier(model: ModelFile(jsonData: first))
        let dir = try XCTUnwrap(Self.corpus)
        for (id, expected) in [("isorhythmic_motet-1", "isorhythmic_motet"), ("bach_chorale-2", "bach_chorale"), ("lied-3", "lied")] {
            let score = try Score.load(contentsOf: dir.appendingPathComponent("midi/\(id).mid"))
            let result = classifier.classify(score)
            XCTAssertEqual(result.label, expected, id)
            XCTAssertEqual(result.reasons.count, 3)
            XCTAssertGreaterThan(result.confidence, 0.4)
        }
    }

    func testModelTrainedOnOtherFeaturesIsRefusedWithAClearMessage() throws {
        let model = try Self.smallTreesModel.get()
        let stale = try ModelFile(featureSchema: FeatureSchema(version: "talea-features-0", names: model.featureSchema.names),
                                  classNames: model.classNames, standardizer: model.standardizer, classifier: model.classifier)
        XCTAssertThrowsError(try GenreClassifier(model: stale)) { error in
            XCTAssertTrue(String(describing: error).contains("talea-features-0"), "\(error)")
        }
    }

    func testASingleVoicesMeasurementIsOneReasonWithItsPushesAdded() throws {
        let classifier = try GenreClassifier(model: Self.smallTreesModel.get())
        let motet = try Score.load(contentsOf: XCTUnwrap(Self.corpus).appendingPathComponent("midi/isorhythmic_motet-0.mid"))
        let tenor = try motet.selectingVoices([.index(motet.voices.count - 1)])
        let features = classifier.features(of: tenor)
        let result = classifier.classify(tenor, reasonCount: 200)
        let target = try XCTUnwrap(classifier.model.classNames.firstIndex(of: result.label))
        let pushes = classifier.model.explain(features).relativeContributions(towards: target)
        let names = FeatureExtractor.names
        XCTAssertFalse(result.reasons.isEmpty)
        XCTAssertEqual(Set(result.reasons.map(\.feature)).count, result.reasons.count, "no measurement twice")
        for reason in result.reasons where reason.feature.hasPrefix("mean.") {
            XCTAssertTrue(reason.definition.hasPrefix("the voice: "), reason.definition)
            let measurement = reason.feature.dropFirst("mean.".count)
            let forms = ["mean.", "slowest.", "active."].compactMap { names.firstIndex(of: $0 + measurement) }
            XCTAssertEqual(reason.contribution, forms.map { pushes[$0] }.reduce(0, +), accuracy: 1e-9, reason.feature)
        }
        XCTAssertFalse(result.reasons.contains { $0.feature.hasPrefix("slowest.") || $0.feature.hasPrefix("active.") })
        XCTAssertEqual(result.reasons.map(\.contribution), result.reasons.map(\.contribution).sorted(by: >))

        // A whole piece keeps every feature as it is.
        let piece = classifier.classify(motet, reasonCount: 200)
        XCTAssertTrue(piece.reasons.contains { $0.feature.hasPrefix("slowest.") || $0.feature.hasPrefix("active.") })
        XCTAssertFalse(piece.reasons.contains { $0.definition.hasPrefix("the voice: ") })
    }

    /// A model holds the idiom learnt from the chorale and lied voices, its row ends with the three
    /// idiom scores, and a model whose schema asks for them but holds no idiom is refused.
    func testTheModelReadsIdiomScoresAfterTheFeatures() throws {
        let model = try Self.smallTreesModel.get()
        XCTAssertNotNil(model.idiom)
        XCTAssertEqual(model.featureSchema.names, FeatureExtractor.names + IdiomFeatures.definitions.map(\.name))
        let classifier = try GenreClassifier(model: model)
        let chorale = try Score.load(contentsOf: XCTUnwrap(Self.corpus).appendingPathComponent("midi/bach_chorale-2.mid"))
        let row = classifier.features(of: chorale)
        XCTAssertEqual(row.count, GenreClassifier.definitions.count)
        XCTAssertEqual(Array(row.prefix(FeatureExtractor.names.count)), FeatureExtractor().extract(GenreClassifier.modelView(of: chorale)).values)
        XCTAssertGreaterThan(row[FeatureExtractor.names.count + 2], 0, "a chorale's steps are likelier among chorale voices")

        let withoutIdiom = try ModelFile(featureSchema: model.featureSchema, classNames: model.classNames,
                                         standardizer: model.standardizer, classifier: model.classifier)
        XCTAssertThrowsError(try GenreClassifier(model: withoutIdiom)) { error in
            XCTAssertTrue(String(describing: error).contains("idiom"), "\(error)")
        }
    }

    /// `docs/features.md` documents every number the model reads: the extractor's features, then the
    /// idiom scores.
    func testDocsFeaturesMarkdownDocumentsTheIdiomScores() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/features.md"), encoding: .utf8)
        XCTAssertEqual(committed, FeatureExtractor.markdownDocumentation() + IdiomFeatures.markdownDocumentation(),
                       "docs/features.md is stale: regenerate it with `swift run talea features --list-markdown > docs/features.md`")
        for definition in IdiomFeatures.definitions { XCTAssertTrue(committed.contains("`\(definition.name)`"), definition.name) }
    }

    /// A training row's idiom scores come from a model that learnt nothing from its work: relabelling
    /// one work's rows (which changes what a model learns from them) leaves that work's own scores
    /// exactly as they were, while it does move the scores of works in other folds.
    func testIdiomScoresOfATrainingRowNeverComeFromItsOwnWork() throws {
        let (_, _, table) = try table(smallTrees)
        let examples = table.examples
        let group = try XCTUnwrap(examples.first { $0.label == .genre(.bachChorale) }?.group)
        var relabelled = examples
        for index in relabelled.indices where relabelled[index].group == group { relabelled[index].label = .genre(.lied) }
        let before = try IdiomFeatures.crossFittedScores(of: examples, seed: 5)
        let after = try IdiomFeatures.crossFittedScores(of: relabelled, seed: 5)
        let own = examples.indices.filter { examples[$0].group == group }
        XCTAssertFalse(own.isEmpty)
        for index in own { XCTAssertEqual(before[index], after[index], examples[index].variant) }
        let moved = examples.indices.filter { examples[$0].group != group && before[$0] != after[$0] }
        XCTAssertFalse(moved.isEmpty, "the relabelled work must count for the other folds' models")
    }

    func testReasonsShowSharesAsPercentagesAndLogScalesWithWhatTheyStandFor() {
        func sentence(_ value: Double, _ unit: String) -> String {
            Reason(feature: "f", definition: "d.", value: value, unit: unit, contribution: 1).sentence
        }
        XCTAssertEqual(sentence(0.194, "fraction"), "d = 19.4%")
        XCTAssertEqual(sentence(0, "fraction"), "d = 0%")
        XCTAssertEqual(sentence(4, "log2 quarters"), "d = 4 log2 quarters (16 quarters)")
        XCTAssertEqual(sentence(1.585, "log2"), "d = 1.58 log2 (a ratio of 3)")
        XCTAssertEqual(sentence(0.812, "0...1"), "d = 0.812")
        XCTAssertEqual(sentence(1, "0 or 1"), "d = 1")
        XCTAssertEqual(sentence(12, "semitones"), "d = 12 semitones")
    }

    func testSingleVoicesAndPiecesHaveTheirOwnOpenSetThreshold() throws {
        let (_, _, table) = try table(smallTrees)
        var configuration = smallTrees
        configuration.unknownThreshold = nil
        configuration.otherThreshold = 0.6
        configuration.singleVoiceOtherThreshold = 0.8
        let trained = try Trainer(configuration: configuration).train(table.examples)
        XCTAssertEqual(trained.metadata[GenreClassifier.otherThresholdKey], "0.6")
        XCTAssertEqual(trained.metadata[GenreClassifier.singleVoiceOtherThresholdKey], "0.8")
        XCTAssertTrue(configuration.summary.contains("(a single voice: ≥ 0.8)"), configuration.summary)

        // Thresholds at the extremes make the rule visible: a piece is always `unknown`, a single
        // voice never is.
        let extremes = try ModelFile(featureSchema: trained.featureSchema, classNames: trained.classNames,
                                     standardizer: trained.standardizer, classifier: trained.classifier,
                                     metadata: [GenreClassifier.otherThresholdKey: "0",
                                                GenreClassifier.singleVoiceOtherThresholdKey: "1.01"],
                                     idiom: trained.idiom)
        let classifier = try GenreClassifier(model: extremes)
        let motet = try Score.load(contentsOf: XCTUnwrap(Self.corpus).appendingPathComponent("midi/isorhythmic_motet-0.mid"))
        XCTAssertEqual(classifier.classify(motet).label, ModelClasses.unknown)
        let tenor = try motet.selectingVoices([.index(motet.voices.count - 1)])
        XCTAssertEqual(tenor.voices.count, 1)
        XCTAssertNotEqual(classifier.classify(tenor).label, ModelClasses.unknown)
        let voicesPresent = try XCTUnwrap(FeatureExtractor.names.firstIndex(of: "texture.voices_present"))
        XCTAssertEqual(classifier.otherThreshold(for: classifier.features(of: tenor)), 1.01)
        XCTAssertEqual(classifier.features(of: tenor)[voicesPresent], 1)

        // A model without the single-voice key uses one threshold for both.
        let single = try GenreClassifier(model: ModelFile(featureSchema: trained.featureSchema, classNames: trained.classNames,
                                                         standardizer: trained.standardizer, classifier: trained.classifier,
                                                         metadata: [GenreClassifier.otherThresholdKey: "0.65"],
                                                         idiom: trained.idiom))
        XCTAssertEqual(single.singleVoiceOtherThreshold, 0.65)
        XCTAssertEqual(single.otherThreshold(for: single.features(of: tenor)), 0.65)
    }

    func testAPieceAndItsVoicesReadTogetherGiveEachItsOwnFeatures() throws {
        let classifier = try GenreClassifier(model: Self.smallTreesModel.get())
        let dir = try XCTUnwrap(Self.corpus)
        for id in ["isorhythmic_motet-0", "bach_chorale-2", "lied-3"] {
            let piece = try Score.load(contentsOf: dir.appendingPathComponent("midi/\(id).mid"))
            let scores = [piece] + piece.voices.indices.map { ScoreVariants.singleVoice(piece, index: $0) }
            XCTAssertGreaterThan(scores.count, 2, id)
            // Bit for bit what each score gives alone, although each voice's idiom is scored once.
            XCTAssertEqual(classifier.features(of: scores), scores.map { classifier.features(of: $0) }, id)
        }
        XCTAssertEqual(classifier.features(of: []), [])
    }

    func testALoneFourFourIsReadPartlyAsNoSignature() throws {
        let classifier = try GenreClassifier(model: Self.smallTreesModel.get())
        var motet = try Score.load(contentsOf: XCTUnwrap(Self.corpus).appendingPathComponent("midi/isorhythmic_motet-0.mid"))
        func signed(_ metres: [(Int, Int)]) -> Score {
            var score = motet
            score.timeSignatures = metres.enumerated().map { offset, metre in
                TimeSignature(tick: offset * 4 * score.ticksPerQuarter, quarters: Double(offset * 4), numerator: metre.0, denominator: metre.1)
            }
            return score
        }
        XCTAssertTrue(ScoreFacts(signed([(4, 4)])).metreIsOnlyFourFour)
        XCTAssertTrue(ScoreFacts(signed([(4, 4), (4, 4)])).metreIsOnlyFourFour)
        for metres in [[], [(3, 4)], [(2, 4)], [(4, 4), (3, 4)], [(4, 8)]] {
            XCTAssertFalse(ScoreFacts(signed(metres)).metreIsOnlyFourFour, "\(metres)")
        }
        // A voice selected from a file in 4/4 keeps the file's signature.
        XCTAssertTrue(ScoreFacts(try signed([(4, 4)]).selectingVoices([.index(0)])).metreIsOnlyFourFour)

        // In 4/4, the probabilities average the model's reading as written with its reading of the
        // same file without a signature, which is exactly what the extractor reads from that file.
        motet = signed([(4, 4)])
        let written = classifier.features(of: motet)
        let unsigned = classifier.features(of: signed([]))
        XCTAssertNotEqual(written, unsigned)
        let asWritten = classifier.model.predict(written).probabilities
        let asUnsigned = classifier.model.predict(unsigned).probabilities
        let facts = ScoreFacts(motet)
        let averaged = classifier.probabilities(features: written, facts: facts)
        XCTAssertEqual(averaged.count, asWritten.count)
        for index in averaged.indices {
            let expected = (1 - GenreClassifier.fourFourDoubt) * asWritten[index] + GenreClassifier.fourFourDoubt * asUnsigned[index]
            XCTAssertEqual(averaged[index], expected, accuracy: 1e-12)
        }
        XCTAssertEqual(averaged.reduce(0, +), 1, accuracy: 1e-9)
        let answer = classifier.classify(motet)
        for (index, name) in classifier.model.classNames.enumerated() where Genre(rawValue: name) != nil {
            XCTAssertEqual(answer.probabilities[name] ?? -1, averaged[index], accuracy: 1e-12, name)
        }
        // Any other metre is read as written.
        for metres in [[(6, 8)], [(2, 4)]] {
            let score = signed(metres)
            let features = classifier.features(of: score)
            XCTAssertEqual(classifier.probabilities(features: features, facts: ScoreFacts(score)),
                           classifier.model.predict(features).probabilities, "\(metres)")
        }
    }

    func testTheEnsemblesChoraleLiedShareIsSetByName() throws {
        let single = try TrainingConfiguration.ensemble.withTreeSeeds(1)
        let shared = try single.withChoraleLiedTreesShare(0.6)
        guard case .averaged(let members, let weights, let split) = shared.classifier else { return XCTFail("expected an ensemble") }
        XCTAssertEqual(members.map(\.kindName), ["boosted trees", "logistic regression"])
        XCTAssertEqual(weights, [0.5, 0.5], "the mixture's own weights do not move")
        XCTAssertEqual(split?.weights, [0.6, 0.4])
        let chorale = try XCTUnwrap(shared.classIndex(of: .genre(.bachChorale)))
        let lied = try XCTUnwrap(shared.classIndex(of: .genre(.lied)))
        XCTAssertEqual(split?.classes, [chorale, lied])
        XCTAssertEqual(shared.choraleLiedTreesShare, 0.6)
        XCTAssertTrue(shared.summary.contains("bach_chorale or lied divided between them by 0.6 × boosted trees and 0.4 × logistic regression"),
                      shared.summary)

        let plain = try shared.withChoraleLiedTreesShare(0.5)
        guard case .averaged(_, _, let none) = plain.classifier else { return XCTFail("expected an ensemble") }
        XCTAssertNil(none, "the trees' own weight is the plain average")
        XCTAssertEqual(plain.choraleLiedTreesShare, 0.5)

        XCTAssertEqual(try XCTUnwrap(TrainingConfiguration.ensemble.choraleLiedTreesShare), 0.75, accuracy: 1e-12,
                       "the shipped model: three to one")
        XCTAssertNil(TrainingConfiguration.standardTrees.choraleLiedTreesShare)
        XCTAssertThrowsError(try TrainingConfiguration.standardTrees.withChoraleLiedTreesShare(0.75))
        XCTAssertThrowsError(try TrainingConfiguration.ensemble.withChoraleLiedTreesShare(1.5))
    }

    func testTreesCanBeBaggedOverSeedsKeepingEveryShare() throws {
        let shipped = TrainingConfiguration.ensemble
        XCTAssertEqual(shipped.treeSeeds, 3, "the shipped model averages three sets of trees")
        XCTAssertTrue(shipped.summary.hasPrefix("probability average of 0.5 × boosted trees (150 rounds, rate 0.1, depth 4, min leaf 10, rows 0.8, features 0.5, balanced; 3 seeds averaged) and 0.5 × logistic regression"),
                      shipped.summary)
        XCTAssertTrue(shipped.summary.contains("divided between them by 0.75 × boosted trees and 0.25 × logistic regression"), shipped.summary)

        let single = try shipped.withTreeSeeds(1)
        guard case .averaged(let few, let fewWeights, let fewSplit) = single.classifier else { return XCTFail("expected an ensemble") }
        XCTAssertEqual(few.map(\.kindName), ["boosted trees", "logistic regression"])
        XCTAssertEqual(fewWeights, [0.5, 0.5])
        XCTAssertEqual(fewSplit?.weights ?? [], [0.75, 0.25])

        let bagged = try single.withTreeSeeds(3)
        XCTAssertEqual(bagged.classifier, shipped.classifier, "bagging the single-seed ensemble gives the shipped recipe")
        guard case .averaged(let members, let weights, let split) = bagged.classifier else { return XCTFail("expected an ensemble") }
        XCTAssertEqual(members.map(\.kindName), ["boosted trees", "boosted trees", "boosted trees", "logistic regression"])
        let seeds = members.compactMap { member -> UInt64? in
            if case .boostedTrees(let trees) = member { return trees.seed } else { return nil }
        }
        XCTAssertEqual(seeds, [1, 2, 3])
        for (found, expected) in zip(weights, [1.0 / 6, 1.0 / 6, 1.0 / 6, 0.5]) { XCTAssertEqual(found, expected, accuracy: 1e-12) }
        for (found, expected) in zip(split?.weights ?? [], [0.25, 0.25, 0.25, 0.25]) { XCTAssertEqual(found, expected, accuracy: 1e-12) }
        XCTAssertEqual(try bagged.withTreeSeeds(3).classifier, bagged.classifier, "the number of seeds, not a multiplier")
        XCTAssertEqual(try bagged.withTreeSeeds(5).treeSeeds, 5)

        let reshared = try bagged.withChoraleLiedTreesShare(0.6)
        guard case .averaged(_, _, let resplit) = reshared.classifier else { return XCTFail("expected an ensemble") }
        for (found, expected) in zip(resplit?.weights ?? [], [0.2, 0.2, 0.2, 0.4]) { XCTAssertEqual(found, expected, accuracy: 1e-12) }

        XCTAssertEqual(try TrainingConfiguration.standardTrees.withTreeSeeds(2).treeSeeds, 2)
        XCTAssertEqual(try TrainingConfiguration.standardTrees.withTreeSeeds(2).withTreeSeeds(1).classifier,
                       TrainingConfiguration.standardTrees.classifier)
        XCTAssertEqual(TrainingConfiguration.logisticRegression.treeSeeds, 0)
        XCTAssertThrowsError(try shipped.withTreeSeeds(0))
    }

    func testTrainingWithoutAGenreIsATypedError() throws {
        let (_, _, table) = try table(smallTrees)
        let noMotets = table.examples.filter { $0.label != .genre(.isorhythmicMotet) }
        XCTAssertThrowsError(try Trainer(configuration: smallTrees).train(noMotets)) { error in
            XCTAssertEqual(error as? CorpusError, .missingGenre(.isorhythmicMotet))
        }
    }

    func testEvaluationKeepsEveryWorkOnOneSideAndWritesReports() throws {
        var configuration = smallTrees
        configuration.plan.excerptsPerPiece = 0
        let (clean, manifest, table) = try table(configuration)
        var options = EvaluationOptions()
        options.folds = 3
        options.configuration = configuration
        options.otherCandidates = []
        options.crossRepertory = false
        options.holdout = false
        // One chorale's fermatas are known: the held-fermata stress test sees that file alone.
        let annotated = try XCTUnwrap(clean.entries.first { $0.label == .genre(.bachChorale) }).id
        options.fermatas = FermataAnnotations(spans: [annotated: [FermataSpan(startQuarters: 3, endQuarters: 4)]])
        // Another encoder wrote two of the files (as format 0) and damaged a third: the two are
        // scored, the damaged one is left out, the rest have no such file.
        let encoded = FileManager.default.temporaryDirectory.appendingPathComponent("talea-encoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: encoded, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: encoded) }
        let motet = try XCTUnwrap(clean.entries.first { $0.label == .genre(.isorhythmicMotet) })
        for entry in [motet, try XCTUnwrap(clean.entries.first { $0.id == annotated })] {
            let score = try Score.load(contentsOf: manifest.url(of: entry))
            try Data(score.formatZeroMIDIFile().serialized()).write(to: encoded.appendingPathComponent(entry.id + ".mid"))
        }
        let lied = try XCTUnwrap(clean.entries.first { $0.label == .genre(.lied) })
        try Data("MThd broken".utf8).write(to: encoded.appendingPathComponent(lied.id + ".mid"))
        options.anotherEncoder = encoded
        let report = try Evaluator(options: options).evaluate(corpus: clean, manifest: manifest, table: table)
        // Each group is in exactly one fold.
        var foldOfGroup: [String: Int] = [:]
        for (id, fold) in report.foldOfFile {
            let group = try XCTUnwrap(clean.groupOf[id])
            if let known = foldOfGroup[group] { XCTAssertEqual(known, fold) } else { foldOfGroup[group] = fold }
        }
        XCTAssertEqual(report.foldOfFile.count, 24)
        XCTAssertEqual(report.crossValidation.pieces.count, 24)
        XCTAssertGreaterThan(report.crossValidation.pieces.macroF1, 0.6, "the caricatures are easy")
        XCTAssertEqual(report.stress.count, StressVariant.allCases.count - 1)
        let held = try XCTUnwrap(report.stress.first { $0.variant == StressVariant.heldFermatas.rawValue })
        XCTAssertEqual(held.metrics.pieces.count, 1, "only the annotated file is tested with held fermatas")
        let other = try XCTUnwrap(report.stress.first { $0.variant == StressVariant.anotherEncoder.rawValue })
        XCTAssertEqual(other.metrics.pieces.count, 2, "the two readable files of the other encoder, and only those")
        XCTAssertThrowsError(try StressVariant.anotherEncoder.apply(to: Score(ticksPerQuarter: 480, voices: []), seed: 1))
        for result in report.stress {
            let traced = report.stressItems.filter { $0.variant == result.variant }
            XCTAssertEqual(traced.count, result.metrics.pieces.count + result.metrics.voices.count,
                           "every scored item of \(result.variant) is kept for stress-items.jsonl")
        }
        XCTAssertNotNil(report.leaveOneMotetOut)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("talea-report-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: out) }
        try ReportWriter(report: report, manifest: manifest, modelDescription: nil).write(to: out)
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        let stressLines = try String(contentsOf: out.appendingPathComponent("stress-items.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        XCTAssertEqual(stressLines.count, report.stressItems.count)
        XCTAssertTrue(markdown.contains("## Grouped cross-validation"))
        XCTAssertTrue(markdown.contains("## Leave one motet out"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg"), "reliability diagrams are inline SVG")
        // Both reports say which rules beyond the model the answers include.
        XCTAssertTrue(markdown.contains("none of which a singer could sing (`SingablePart`)"), "method note in report.md")
        XCTAssertTrue(markdown.contains("a file through which a drum kit plays (`DrumKit`"), "method note in report.md")
        XCTAssertTrue(html.contains("none of which a singer could sing (<code>SingablePart</code>)"), "method note in report.html")
        XCTAssertTrue(html.contains("a file through which a drum kit plays (<code>DrumKit</code>"), "method note in report.html")
        XCTAssertFalse(html.contains("http://") && html.contains("<script src"), "no external resources")
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json"))) as? [String: Any]
        XCTAssertNotNil(metrics?["crossValidation"])
    }

    func testStressVariantsKeepTheNotes() throws {
        let dir = try XCTUnwrap(Self.corpus)
        let score = try Score.load(contentsOf: dir.appendingPathComponent("midi/bach_chorale-0.mid"))
        // Another encoder's files are read, not made (its throwing is pinned in the evaluation test).
        for variant in StressVariant.allCases where variant.isMadeFromScore {
            let changed = try variant.apply(to: score, seed: 1)
            guard variant != .repeatWrittenOut, variant != .graceNotes else { continue }
            XCTAssertEqual(changed.noteCount, score.noteCount, variant.rawValue)
            let voices = variant == .oneChannel ? 1 : variant == .shortScore ? (score.voices.count + 1) / 2 : score.voices.count
            XCTAssertEqual(changed.voices.count, voices, variant.rawValue)
        }
        // The short score: parts 0 and 1 on the first staff, on one channel, every note kept.
        let short = try StressVariant.shortScore.apply(to: score, seed: 1)
        XCTAssertEqual(short.voices[0].notes.map(\.pitch).sorted(),
                       (score.voices[0].notes + score.voices[1].notes).map(\.pitch).sorted())
        XCTAssertEqual(Set(short.voices[0].notes.map(\.channel)).count, 1)
        XCTAssertEqual(short.voices[0].name, score.voices[0].name + "+" + score.voices[1].name)
        let up = try StressVariant.transposedUp.apply(to: score, seed: 1)
        XCTAssertEqual(up.voices[0].notes[0].pitch, score.voices[0].notes[0].pitch + 5)
        let retimed = try StressVariant.retimed.apply(to: score, seed: 1)
        XCTAssertEqual(retimed.durationQuarters, score.durationQuarters, accuracy: 1e-9)
        XCTAssertEqual(retimed.durationSeconds, 2 * score.durationSeconds, accuracy: 1e-6)
        let bare = try StressVariant.bare.apply(to: score, seed: 1)
        XCTAssertTrue(bare.timeSignatures.isEmpty && bare.keySignatures.isEmpty)
        XCTAssertEqual(bare.voices.map { $0.notes.map(\.pitch) }, score.voices.map { $0.notes.map(\.pitch) })
        XCTAssertEqual(bare.durationQuarters, score.durationQuarters, accuracy: 1e-9)
        let common = try StressVariant.defaultMetre.apply(to: score, seed: 1)
        XCTAssertEqual(common.timeSignatures.map { [$0.tick, $0.numerator, $0.denominator] }, [[0, 4, 4]])
        XCTAssertEqual(common.keySignatures, score.keySignatures)
        XCTAssertEqual(common.voices.map { $0.notes.map(\.pitch) }, score.voices.map { $0.notes.map(\.pitch) })
        for (variant, factor) in [(StressVariant.halvedValues, 0.5), (.doubledValues, 2)] {
            let rescaled = try variant.apply(to: score, seed: 1)
            XCTAssertEqual(rescaled.durationQuarters, factor * score.durationQuarters, accuracy: 1e-9, variant.rawValue)
            XCTAssertEqual(rescaled.durationSeconds, score.durationSeconds, accuracy: 1e-3, "\(variant.rawValue) sounds as long")
            XCTAssertEqual(rescaled.voices[1].notes.map(\.durationQuarters), score.voices[1].notes.map { factor * $0.durationQuarters })
        }
        // A division too fine to double (halving needs 2 × 20,000 ticks per quarter): the ticks are halved.
        var fine = score
        fine.ticksPerQuarter = 20_000
        let halvedFine = try StressVariant.rescaled(fine, by: 0.5)
        XCTAssertEqual(halvedFine.ticksPerQuarter, 20_000)
        XCTAssertEqual(halvedFine.noteCount, score.noteCount)
        XCTAssertEqual(halvedFine.durationSeconds, try StressVariant.rescaled(fine, by: 1).durationSeconds, accuracy: 1e-3)
    }
}
