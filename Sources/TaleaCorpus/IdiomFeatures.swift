import Foundation
import TaleaFeatures
import TaleaLearning

/// The three learned features that end a Talea model's row: how much more a score's voices move
/// like chorale voices than like lied voices, read by an ``IdiomModel`` from their melodic steps
/// (``TaleaFeatures/MelodicSteps``).
///
/// The other features describe a voice in summary (shares of intervals and durations, phrase
/// lengths…); the idiom reads the order of its steps, which is where a chorale alto and a song's
/// vocal line differ most. Because the idiom is learnt from the corpus, a row used for training
/// must get its scores from a model that did not learn from its own work: ``crossFittedScores``.
public enum IdiomFeatures {
    /// Version of the idiom scores (steps, readings, orders, smoothing): part of the model's schema.
    public static let version = "idiom-1"

    /// The declarations of the three idiom scores, in row order (after the extractor's features).
    public static let definitions: [FeatureDefinition] = [
        FeatureDefinition(name: "idiom.chorale_vs_lied.intervals",
                          definition: "learnt idiom: how much likelier the voices' successions of melodic intervals (4-grams) are in Bach chorale voices than in lied voices (mean log-likelihood ratio per step; positive: chorale-like)",
                          unit: "nats per step", scope: .voice),
        FeatureDefinition(name: "idiom.chorale_vs_lied.rhythm",
                          definition: "learnt idiom: how much likelier the voices' successions of durations and rests (4-grams) are in Bach chorale voices than in lied voices (positive: chorale-like)",
                          unit: "nats per step", scope: .voice),
        FeatureDefinition(name: "idiom.chorale_vs_lied.steps",
                          definition: "learnt idiom: how much likelier the voices' successions of whole steps, interval with duration (trigrams), are in Bach chorale voices than in lied voices (positive: chorale-like)",
                          unit: "nats per step", scope: .voice),
    ]

    /// Folds of the cross-fitting in ``crossFittedScores(of:folds:seed:)``.
    public static let crossFittingFolds = 5

    /// The idiom model learnt from the unmodified single-voice rows of chorales (first) and lieder
    /// (second) among `examples`, one line per voice: a piano staff split into streams is learnt from
    /// its top stream alone (learning from every stream measured no better, `docs/model.md`).
    public static func model(learningFrom examples: [Example]) throws -> IdiomModel {
        func voices(_ genre: Genre) -> [[UInt16]] {
            examples.filter { $0.view == .voice && $0.isOriginal && $0.label == .genre(genre) }.compactMap(\.steps.first)
        }
        return try IdiomModel(intervalClasses: MelodicSteps.intervalClasses, rhythmClasses: MelodicSteps.rhythmClasses,
                              first: voices(.bachChorale), second: voices(.lied))
    }

    /// The idiom scores of every example, each from a model that learnt nothing from its split group:
    /// the groups are dealt into `folds` seeded folds, and a group's rows are scored by the model of
    /// the other folds. (Scoring a training row with a model that learnt its own voice would make
    /// the idiom look more certain in training than it can be on a new file.)
    public static func crossFittedScores(of examples: [Example], folds: Int = crossFittingFolds, seed: UInt64) throws -> [[Double]] {
        var order = Array(Set(examples.map(\.group))).sorted()
        var random = SeededGenerator(seed: seed ^ 0x1D10_3A7C)
        random.shuffle(&order)
        let count = max(2, folds)
        let foldOfGroup = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset % count) })
        let models = try (0..<count).map { fold in
            try model(learningFrom: examples.filter { foldOfGroup[$0.group] != fold })
        }
        return ConcurrentMap.map(examples.indices) { index in
            models[foldOfGroup[examples[index].group] ?? 0].scores(voices: examples[index].steps)
        }
    }

    /// The Markdown section of `docs/features.md` on the idiom scores, numbered after the extractor's
    /// features (the end of `talea features --list-markdown`).
    public static func markdownDocumentation() -> String {
        let first = FeatureExtractor.definitions.count
        var text = """

        ## Learnt idiom scores (`\(version)`)

        A trained model reads \(definitions.count) more numbers after these \(first): scores that it learns from the
        corpus itself, so `talea features` (which needs no model) does not print them; `talea classify`
        names them when they are among its reasons. Every voice is read as a sequence of *steps*, one per
        onset (`MelodicSteps`): the melodic interval to the next onset's highest pitch (−12…+12 semitones,
        wider leaps read as an octave), the inter-onset interval in pulses of the voice read as the nearest
        of \(MelodicSteps.durationPulses.count) values from 1/4 to 8 pulses (on a log scale), and whether a rest follows. Like the features
        above, steps do not change with transposition or note values.

        From the unmodified single voices of the training chorales and lieder (the top stream of a piano
        staff split into streams), the model learns one n-gram model per repertory for each of three
        readings of the steps — intervals alone (4-grams), rhythm alone (4-grams), whole steps
        (trigrams) — with Witten–Bell interpolation down to a uniform
        distribution (`NGramModel`, `IdiomModel`). A score's idiom score for a reading is, averaged over its
        voices with at least two steps, the mean log-likelihood ratio per step, chorale over lied: positive
        when the voice moves like a chorale voice, negative like a lied's. Motets and `other` files are not
        learnt from: the features above tell those apart.

        So that the classifier does not learn to trust a score that has seen its own voice, each training
        row's idiom scores come from a model learnt only from the works of the other folds (\(crossFittingFolds) folds of
        split groups, `IdiomFeatures.crossFittedScores`); the model file keeps the idiom learnt from every training work,
        which is what `classify` and `batch` use.

        | # | name | scope | unit | absolute | neutral | definition |
        | ---: | --- | --- | --- | --- | --- | --- |

        """
        for (offset, definition) in definitions.enumerated() {
            text += "| \(first + offset + 1) | `\(definition.name)` | \(definition.scope.rawValue) | \(definition.unit) | | | \(definition.definition) |\n"
        }
        return text
    }
}
