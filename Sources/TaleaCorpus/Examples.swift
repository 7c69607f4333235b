import Foundation
import TaleaFeatures
import TaleaScore

/// Whether an example shows a whole piece or one voice of it. Metrics are reported for each.
public enum ExampleView: String, Codable, CaseIterable, Sendable {
    /// All voices of the piece (or of an excerpt of it).
    case piece
    /// A single voice.
    case voice
}

/// One row for learning: the features of one view of one corpus file.
public struct Example: Sendable {
    /// The manifest id of the file.
    public var entryID: String
    /// The split group (all rows of a group stay on one side of every split).
    public var group: String
    /// The file's label.
    public var label: CorpusLabel
    /// Whole piece or single voice.
    public var view: ExampleView
    /// What was done to the score: `original`, `voice 2 (Tenor)`, `excerpt 1/2`, `humanised`, …
    public var variant: String
    /// True for the file as it is (the whole piece or one of its voices, unmodified): the rows
    /// that evaluation scores. Augmented rows (excerpts, humanised, merged keyboard) only train.
    public var isOriginal: Bool
    /// The feature values, in the order of `FeatureExtractor.definitions`.
    public var features: [Double]
    /// The melodic steps of every voice the features read (``TaleaFeatures/MelodicSteps``): what the
    /// idiom scores are computed from (``IdiomFeatures``).
    public var steps: [[UInt16]]
    /// The row's weight within its file and view (the rows of one file and view sum to 1).
    public var weight: Double
    /// What the answer's rules read from the row's score (evaluation applies them as `classify` does).
    public var facts: ScoreFacts
}

/// Which views of each corpus file become rows.
public struct ExamplePlan: Codable, Equatable, Sendable {
    /// A single-voice row for each voice with at least this many notes.
    public var minimumVoiceNotes: Int
    /// Excerpts of the whole piece, each a fraction `excerptFraction` of its length.
    public var excerptsPerPiece: Int
    /// Length of an excerpt as a fraction of the piece.
    public var excerptFraction: Double
    /// A humanised (jitter and rubato), transposed copy of the piece and of every voice, without
    /// metre or key marks (as a recorded performance often is).
    public var humanised: Bool
    /// A copy of the piece with its keyboard staves merged into one voice (when it has two).
    public var mergedKeyboard: Bool
    /// At most this many voices of one file become single-voice rows (the rest are not shown).
    public var maximumVoices: Int
    /// A copy of the piece with every voice joined into one (a format-0 file on one channel).
    public var mergedVoices: Bool = true
    /// Excerpts of every single voice (same fraction as the piece's excerpts).
    public var excerptsPerVoice: Int = 1

    /// Creates a plan.
    public init(minimumVoiceNotes: Int = 8, excerptsPerPiece: Int = 2, excerptFraction: Double = 0.4,
                humanised: Bool = true, mergedKeyboard: Bool = true, maximumVoices: Int = 12) {
        self.minimumVoiceNotes = minimumVoiceNotes
        self.excerptsPerPiece = excerptsPerPiece
        self.excerptFraction = excerptFraction
        self.humanised = humanised
        self.mergedKeyboard = mergedKeyboard
        self.maximumVoices = maximumVoices
    }

    /// Only the file as it is: the whole piece and every voice, no augmentation.
    public static let originalsOnly: ExamplePlan = {
        var plan = ExamplePlan(excerptsPerPiece: 0, humanised: false, mergedKeyboard: false)
        plan.mergedVoices = false
        plan.excerptsPerVoice = 0
        return plan
    }()
}

/// Turns a score into the rows of an ``ExamplePlan``.
public struct ExampleBuilder: Sendable {
    /// The plan.
    public var plan: ExamplePlan
    /// The feature extractor.
    public var extractor: FeatureExtractor

    /// Creates a builder.
    public init(plan: ExamplePlan = ExamplePlan(), extractor: FeatureExtractor = FeatureExtractor()) {
        self.plan = plan
        self.extractor = extractor
    }

    /// The voices of a score that become single-voice rows: not drums, with enough notes.
    public func eligibleVoices(of score: Score) -> [Int] {
        Array(score.voices.indices.filter { !score.voices[$0].isDrum && score.voices[$0].notes.count >= plan.minimumVoiceNotes }
            .prefix(plan.maximumVoices))
    }

    /// A humanised copy transposed by a seeded interval of −5…+6 semitones (never 0): the model
    /// must not learn the keys and registers of the corpus's editions.
    /// Its articulation is seeded too, since a performance or another encoder rarely writes notes as
    /// long as the notation: legato in about a third of the copies, otherwise every note sounding
    /// 40–100% of its length (±10% from note to note). (Copies with a wider range of jitter and
    /// rubato were tried and cost motet voices: `docs/model.md`.)
    /// Unless `ornamented` is false (motets, whose editions carry none), half the copies also play
    /// grace notes on the beat before some longer notes, as a notation program does.
    private func performed(_ score: Score, seed: UInt64, ornamented: Bool) -> Score {
        let shift = Int(seed % 11) - 5
        var random = SplitMix(seed: seed ^ 0xA271_C0DE)
        let draw = random.nextUnit()
        let articulation = draw < 0.3 ? 1 : 0.4 + 0.6 * (draw - 0.3) / 0.7
        let graced = ornamented && random.nextUnit() < 0.5 ? ScoreVariants.addingGraceNotes(score, seed: seed ^ 0x0A7E_6AC3) : score
        let humanised = ScoreVariants.humanised(graced, seed: seed, articulation: articulation, articulationSpread: 0.1)
        var performance = StressVariant.transposed(humanised, by: shift >= 0 ? shift + 1 : shift)
        // A recorded performance, or a file from a bare encoder, often has no metre or key marks:
        // the model must not need them, so these copies go without.
        performance.timeSignatures = []
        performance.keySignatures = []
        return performance
    }

    /// `count` excerpts of `score`, each `plan.excerptFraction` of its length, spread evenly: the
    /// first starts at 0, the last ends at the end (one excerpt starts at 0).
    private func excerpts(of score: Score, count: Int, label: String) -> [(String, Bool, Score)] {
        let length = score.durationQuarters
        guard count > 0, length > 0 else { return [] }
        let span = length * plan.excerptFraction
        return (0..<count).compactMap { k in
            let start = count == 1 ? 0 : (length - span) * Double(k) / Double(count - 1)
            let excerpt = ScoreVariants.excerpt(score, fromQuarters: start, toQuarters: start + span)
            return excerpt.noteCount >= plan.minimumVoiceNotes ? ("\(label) \(k + 1)/\(count)", false, excerpt) : nil
        }
    }

    /// The rows for one file. `seed` makes the humanised copies reproducible.
    public func examples(for entry: ManifestEntry, group: String, score: Score, seed: UInt64) -> [Example] {
        var piece: [(String, Bool, Score)] = [("original", true, score)]
        piece += excerpts(of: score, count: plan.excerptsPerPiece, label: "excerpt")
        let ornamented = entry.label != .genre(.isorhythmicMotet)
        if plan.humanised { piece.append(("humanised and transposed", false, performed(score, seed: seed, ornamented: ornamented))) }
        if plan.mergedKeyboard {
            let merged = ScoreVariants.mergingKeyboardStaves(score)
            if merged.voices.count != score.voices.count { piece.append(("merged keyboard", false, merged)) }
        }
        if plan.mergedVoices, score.voices.filter({ !$0.isDrum }).count >= 2 {
            piece.append(("all voices on one channel", false, ScoreVariants.mergingAllVoices(score)))
        }
        var voices: [(String, Bool, Score)] = []
        for index in eligibleVoices(of: score) {
            let single = ScoreVariants.singleVoice(score, index: index)
            let name = "voice \(index) (\(score.voices[index].name))"
            voices.append((name, true, single))
            voices += excerpts(of: single, count: plan.excerptsPerVoice, label: name + " excerpt")
            if plan.humanised {
                voices.append((name + " humanised and transposed", false, performed(single, seed: seed &+ UInt64(index + 1), ornamented: ornamented)))
            }
        }
        func rows(_ views: [(String, Bool, Score)], _ view: ExampleView) -> [Example] {
            views.map { variant, original, score in
                let reading = extractor.read(GenreClassifier.modelView(of: score))
                return Example(entryID: entry.id, group: group, label: entry.label, view: view, variant: variant,
                               isOriginal: original, features: reading.features.values, steps: reading.steps,
                               weight: 1 / Double(views.count), facts: ScoreFacts(score))
            }
        }
        return rows(piece, .piece) + rows(voices, .voice)
    }
}

/// The outcome of reading one corpus file.
public enum LoadedFile: Sendable {
    /// The file's rows.
    case examples([Example])
    /// The file could not be read or has no notes; the message says why.
    case failed(entry: ManifestEntry, message: String)
}

/// The rows of a whole corpus, computed on every core, in manifest order.
public struct ExampleTable: Sendable {
    /// Every row, grouped by file in manifest order.
    public var examples: [Example]
    /// Files that could not be used, with the reason.
    public var failures: [(entry: ManifestEntry, message: String)]

    /// Reads every file of a cleaned corpus and builds its rows.
    public init(corpus: CleanCorpus, manifest: Manifest, builder: ExampleBuilder, seed: UInt64 = 2024,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        let entries = corpus.entries
        let results = ConcurrentMap.map(entries.indices, progress: progress) { index -> LoadedFile in
            let entry = entries[index]
            do {
                let score = try Score.load(contentsOf: manifest.url(of: entry))
                guard score.noteCount > 0 else { return .failed(entry: entry, message: "the file has no notes") }
                let group = corpus.groupOf[entry.id] ?? entry.workID
                return .examples(builder.examples(for: entry, group: group, score: score, seed: seed &+ UInt64(index)))
            } catch {
                return .failed(entry: entry, message: String(describing: error))
            }
        }
        var examples: [Example] = []
        var failures: [(ManifestEntry, String)] = []
        for result in results {
            switch result {
            case .examples(let rows): examples += rows
            case .failed(let entry, let message): failures.append((entry, message))
            }
        }
        self.examples = examples
        self.failures = failures
    }

    /// Creates a table from rows.
    public init(examples: [Example], failures: [(entry: ManifestEntry, message: String)] = []) {
        self.examples = examples
        self.failures = failures
    }

    /// The rows as CSV, one line per row: `id,group,label,view,variant,original,weight`, then one
    /// column per feature named as in `featureNames`. Numbers are written in full precision, so
    /// that other tools see exactly what the model is trained on.
    public func csv(featureNames: [String] = FeatureExtractor.names) -> String {
        var text = CSV.line(["id", "group", "label", "view", "variant", "original", "weight"] + featureNames) + "\n"
        for example in examples {
            let head = [example.entryID, example.group, example.label.manifestValue, example.view.rawValue,
                        example.variant, example.isOriginal ? "1" : "0", "\(example.weight)"]
            text += CSV.line(head + example.features.map { "\($0)" }) + "\n"
        }
        return text
    }
}

/// `map` over a range on every core, keeping the order of the input.
public enum ConcurrentMap {
    /// Applies `transform` to every element, in parallel, and returns results in input order.
    public static func map<T: Sendable>(_ range: Range<Int>, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                                        progress: (@Sendable (Int, Int) -> Void)? = nil,
                                        _ transform: @Sendable (Int) -> T) -> [T] {
        let storage = ResultStorage<T>(count: range.count)
        forEach(range, jobs: jobs, progress: progress) { index in storage.set(index - range.lowerBound, transform(index)) }
        return storage.values()
    }

    /// Applies `transform` to every element in parallel and hands each result to `deliver` in input
    /// order, as soon as it and every result before it are done; a delivered result is not kept.
    /// `deliver` runs on one thread at a time, so it may write to a file or count without a lock.
    /// A long run therefore writes its results as it goes, in a stable order, and holds in memory
    /// only those waiting for an earlier one.
    public static func forEachInOrder<T: Sendable>(_ range: Range<Int>, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                                                   progress: (@Sendable (Int, Int) -> Void)? = nil,
                                                   _ transform: @Sendable (Int) -> T,
                                                   deliver: @Sendable (Int, T) -> Void) {
        let queue = InOrderQueue<T>()
        forEach(range, jobs: jobs, progress: progress) { index in
            let result = transform(index)
            queue.complete(index - range.lowerBound, result) { position, value in deliver(range.lowerBound + position, value) }
        }
    }

    /// Runs `body` for every element on `jobs` threads, each taking every `jobs`-th element (so that
    /// results finish roughly in input order), and reports progress after each.
    private static func forEach(_ range: Range<Int>, jobs: Int, progress: (@Sendable (Int, Int) -> Void)?,
                                _ body: @Sendable (Int) -> Void) {
        let counter = ResultStorage<Int>(count: 1)
        let chunks = max(1, min(jobs, range.count))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var index = range.lowerBound + chunk
            while index < range.upperBound {
                body(index)
                if let progress { progress(counter.increment(), range.count) }
                index += chunks
            }
        }
    }
}

/// Results waiting for an earlier one, released in order under one lock.
final class InOrderQueue<T>: @unchecked Sendable {
    private var waiting: [Int: T] = [:]
    private var next = 0
    private let lock = NSLock()

    /// Records result `index` and delivers every result that is now next in order.
    func complete(_ index: Int, _ value: T, deliver: (Int, T) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        waiting[index] = value
        while let ready = waiting.removeValue(forKey: next) {
            deliver(next, ready)
            next += 1
        }
    }
}

/// Lock-protected slots for results computed on several threads.
final class ResultStorage<T>: @unchecked Sendable {
    private var slots: [T?]
    private var count = 0
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.lock(); slots[index] = value; lock.unlock() }
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
    func values() -> [T] { slots.compactMap { $0 } }
}
