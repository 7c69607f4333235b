import ArgumentParser
import Foundation
import TaleaCorpus
import TaleaFeatures

/// `talea evaluate`: grouped cross-validation, stress tests and reports.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure how far the model can be trusted: grouped CV, single voices, re-encodings, unseen motets.",
        discussion: """
        Writes report.md, a self-contained report.html (inline SVG) and metrics.json to --report. \
        Every number comes from models that never saw the work they score (folds keep all \
        encodings and near-duplicates of a work on one side).
        """)

    @Option(help: "Corpus directory holding manifest.csv.")
    var corpus: String

    @Option(help: "The model whose configuration is evaluated (its metadata is shown in the report).")
    var model: String?

    @Option(help: "Directory for report.md, report.html and metrics.json.")
    var report: String = "evaluation"

    @Option(help: "Grouped folds.")
    var folds: Int = 5

    @Option(help: "Fermata annotations of the corpus for the 'fermatas held' stress test (CSV id,fermatas_quarters; default: Corpus/fermatas.csv of this package; 'none' skips that test).")
    var fermatas: String?

    @Option(help: "A folder of the corpus's files written by another MIDI encoder, named <manifest id>.mid (e.g. made by Benchmarks/another_encoder.py): each is scored by the model that did not see its work, as the stress test 'another encoder'.")
    var anotherEncoder: String?

    @Flag(help: "A quick look: the small training configuration, no stress tests, leave-one-motet-out, cross-repertory or other candidates.")
    var quick = false

    @Flag(help: "Do not render audio excerpts of misclassified items.")
    var noAudio = false

    @Option(help: "Classifier under test: ensemble, trees or logistic.")
    var classifier: String = "ensemble"

    @Option(help: "Open set: 'other-class' trains the corpus's other files as a fourth class answered unknown; 'threshold' trains three genres and answers unknown below --unknown-threshold.")
    var openSet: String = TrainingConfiguration.standard.otherClass ? "other-class" : "threshold"

    @Option(help: "Answer unknown when the top genre's probability is below this.")
    var unknownThreshold: Double = TrainingConfiguration.standard.unknownThreshold ?? 0

    @Option(help: "With the open-set class: answer unknown for a piece when its probability reaches this.")
    var otherThreshold: Double = TrainingConfiguration.standard.otherThreshold

    @Option(help: "With the open-set class: the same for a single voice (default: the preset's, else --other-threshold).")
    var singleVoiceOtherThreshold: Double?

    @Option(help: "With the open-set class: multiply its balanced class weight by this.")
    var otherEmphasis: Double = TrainingConfiguration.standard.classEmphasis?.last ?? 1

    @Option(help: "Multiply the motets' balanced class weight by this.")
    var motetEmphasis: Double = TrainingConfiguration.standard.classEmphasis?.first ?? 1

    @Option(help: ArgumentHelp("Ensemble only: the boosted trees' share when the probability of 'chorale or lied' is divided between the two; the linear model has the rest, 0.5 is the plain average. (default: the shipped model's, \(TrainingConfiguration.standard.choraleLiedTreesShare ?? 0.5))"))
    var choraleLiedTreesShare: Double?

    @Option(help: ArgumentHelp("Boosted trees trained with this many seeds and averaged (default: the shipped model's, \(TrainingConfiguration.standard.treeSeeds))."))
    var treeSeeds: Int?

    @Option(help: "Seed of the training's random choices (the performed training copies, the calibration folds), not of the evaluation folds: rerun with another seed to see how far the figures move with it alone.")
    var trainingSeed: UInt64 = TrainingConfiguration.standard.seed

    @Option(help: "Features the model may not use, comma-separated (names as `talea features` prints them): an ablation, e.g. metre.signature_ternary,metre.signature_present.")
    var excludeFeatures: String?

    @Option(help: "Trainings run side by side (default: every core). Results do not depend on it.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        let excluded = (excludeFeatures ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let unknown = excluded.first(where: { !GenreClassifier.featureNames.contains($0) }) {
            throw ValidationError("--exclude-features: no feature is called \(unknown) (`talea features FILE` lists them)")
        }
        if choraleLiedTreesShare != nil, classifier != "ensemble" {
            throw ValidationError("--chorale-lied-trees-share applies to the ensemble only")
        }
        // The configuration is built (and so checked) before the corpus is loaded.
        var options = EvaluationOptions()
        options.configuration = try TrainingConfiguration.named(classifier, openSet: openSet, unknownThreshold: unknownThreshold, otherThreshold: otherThreshold, singleVoiceOtherThreshold: singleVoiceOtherThreshold, otherEmphasis: otherEmphasis, motetEmphasis: motetEmphasis)
        if let share = choraleLiedTreesShare {
            options.configuration = try options.configuration.withChoraleLiedTreesShare(share)
        }
        if let treeSeeds {
            options.configuration = try options.configuration.withTreeSeeds(treeSeeds)
        }
        if let anotherEncoder {
            guard isFolder(anotherEncoder) else { throw ValidationError("--another-encoder \(anotherEncoder): no such directory") }
            options.anotherEncoder = URL(fileURLWithPath: anotherEncoder, isDirectory: true)
        }
        let started = Date()
        let (clean, manifest) = try CorpusLoading.load(URL(fileURLWithPath: corpus))
        options.folds = folds
        options.jobs = jobs
        options.log = { printError($0) }
        options.fermatas = try ModelLocation.fermatas(fermatas)
        if quick {
            options.configuration = options.configuration.quick
            options.stressTests = false
            options.leaveOneMotetOut = false
            options.crossRepertory = false
            options.holdout = false
            options.otherCandidates = []
        }
        options.configuration.seed = trainingSeed
        options.configuration.excludedFeatures = excluded
        let bar = ProgressBar(total: clean.entries.count, label: "features")
        let table = ExampleTable(corpus: clean, manifest: manifest,
                                 builder: ExampleBuilder(plan: options.configuration.plan),
                                 seed: options.configuration.seed, progress: { done, _ in bar.update(done) })
        let result = try Evaluator(options: options).evaluate(corpus: clean, manifest: manifest, table: table)
        let directory = URL(fileURLWithPath: report)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var excerpts: [String: ReportWriter.AudioExcerpt] = [:]
        if !noAudio {
            do {
                excerpts = try ReportAudio().excerpts(for: result, manifest: manifest)
            } catch {
                printError("no audio excerpts in the report: \(error)")
            }
        }
        let modelURL = ModelLocation.resolve(model)
        let writer = ReportWriter(report: result, manifest: manifest,
                                  modelDescription: (try? GenreClassifier(contentsOf: modelURL)).map { $0.model.metadata.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ") },
                                  audioExcerpts: excerpts)
        try writer.write(to: directory)
        let cv = result.crossValidation
        print(String(format: "grouped %d-fold CV: pieces macro-F1 %.3f (motet recall %.2f), voices macro-F1 %.3f (motet recall %.2f); ECE %.3f -> %.3f; %.0f s",
                     result.folds, cv.pieces.macroF1, cv.pieces.recall(of: .isorhythmicMotet), cv.voices.macroF1,
                     cv.voices.recall(of: .isorhythmicMotet), cv.pieces.calibrationBefore.expectedCalibrationError,
                     cv.pieces.calibrationAfter.expectedCalibrationError, Date().timeIntervalSince(started)))
        print("wrote \(directory.path)/report.md, report.html, metrics.json")
    }
}
