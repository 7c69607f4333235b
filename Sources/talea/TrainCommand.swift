import ArgumentParser
import Foundation
import TaleaCorpus

/// `talea train`: learn the model from a corpus directory.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the genre model on a corpus directory (manifest.csv + MIDI files).",
        discussion: """
        Every file gives rows for the whole piece, each single voice, excerpts and humanised copies; \
        files flagged in duplicates.csv are grouped (exact copies dropped). The model file records \
        the feature schema; training twice on the same corpus writes the same bytes.
        """)

    @Option(help: "Corpus directory holding manifest.csv (and duplicates.csv).")
    var corpus: String

    @Option(help: "Where to write the model.")
    var out: String = "Models/talea.json"

    @Option(help: "Classifier: ensemble (trees and logistic regression averaged; the shipped model), trees (gradient-boosted trees) or logistic.")
    var classifier: String = "ensemble"

    @Option(help: "Also write the training rows (file id, split group, label, view, variant, weight and every feature) to this CSV file.")
    var table: String?

    @Flag(help: "A small, fast configuration (few trees, no excerpts): for tests and trials, not for the shipped model.")
    var quick = false

    func run() throws {
        let directory = URL(fileURLWithPath: corpus)
        var configuration: TrainingConfiguration
        do {
            configuration = try TrainingConfiguration.preset(classifier)
        } catch {
            throw ValidationError("--\(error)")
        }
        if quick { configuration = configuration.quick }
        let started = Date()
        let (clean, manifest) = try CorpusLoading.load(directory)
        let bar = ProgressBar(total: clean.entries.count, label: "features")
        let table = ExampleTable(corpus: clean, manifest: manifest, builder: ExampleBuilder(plan: configuration.plan),
                                 seed: configuration.seed, progress: { done, _ in bar.update(done) })
        for failure in table.failures { printError("skipped \(failure.entry.path): \(failure.message)") }
        if let tablePath = self.table {
            try table.csv().write(toFile: tablePath, atomically: true, encoding: .utf8)
            print("wrote \(tablePath): \(table.examples.count) rows")
        }
        let model = try Trainer(configuration: configuration).train(table.examples, metadata: [
            "corpus_files": String(clean.entries.count - table.failures.count),
            "corpus_removed_duplicates": String(clean.removed.count),
        ])
        let url = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try model.write(to: url)
        print("wrote \(out): \(configuration.classifierSummary); \(table.examples.count) rows from \(clean.entries.count - table.failures.count) files; temperature \(String(format: "%.3f", model.calibration.temperature)); \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
