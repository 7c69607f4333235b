import Foundation
import TaleaCorpus
import TaleaFeatures
import TaleaScore

// talea-bench fidelity [--corpus DIR] [--every N] [--variants humanised,detached,...] [--features a,b,...]
//
// How far a performance moves the rhythm features of a voice from those of its notation: every
// N-th chorale and lied of the manifest (in id order) and every motet, every eligible voice on its own,
// original against each performance variant of `talea evaluate`'s stress tests (the same
// variants, each file with its own fixed seed, so that two builds hear the same performances). Prints, per variant, the mean absolute difference of each rhythm feature
// read from the voice's timeline (pulse positions, subdivisions, interval classes) and their sum, or
// of the features named with --features (e.g. the isorhythm features, mean.iso.talea_strength,...).
// Lower is better: 0 means the performance is read exactly as its notation.

/// The rhythm features that depend on how a line's onsets are placed on the pulse grid.
private let timelineFeatures = [
    "mean.rhythm.on_pulse", "mean.rhythm.syncopation", "mean.rhythm.third_subdivision",
    "mean.rhythm.half_subdivision", "mean.rhythm.dotted_pairs", "mean.rhythm.trochee_pairs",
    "mean.rhythm.ioi_half", "mean.rhythm.ioi_pulse", "mean.rhythm.ioi_dotted", "mean.rhythm.ioi_double",
    "mean.rhythm.ioi_entropy", "mean.rhythm.ternary_grouping", "mean.rhythm.phrase_end_rate",
]

func runFidelityBenchmark(_ arguments: [String]) {
    var corpus = ProcessInfo.processInfo.environment["TALEA_CORPUS"] ?? "../shared/corpus"
    var every = 10
    var chosenVariants: [StressVariant] = [.humanised, .detached, .freeRubato]
    var featureNames = timelineFeatures
    var reader = BenchOptions(arguments)
    while let argument = reader.next() {
        switch argument {
        case "--corpus": corpus = reader.value(after: argument)
        case "--every": every = max(1, Int(reader.value(after: argument)) ?? every)
        case "--variants":
            chosenVariants = []
            let made = StressVariant.allCases.filter(\.isMadeFromScore)
            for name in reader.list(after: argument) {
                guard let variant = made.first(where: { "\($0)" == name }) else {
                    print("unknown variant \(name); expected one of " + made.map { "\($0)" }.joined(separator: ", "))
                    exit(2)
                }
                chosenVariants.append(variant)
            }
        case "--features":
            featureNames = reader.list(after: argument)
            if let unknown = featureNames.first(where: { !FeatureExtractor.names.contains($0) }) {
                print("unknown feature \(unknown); `talea features FILE` lists the names")
                exit(2)
            }
        default: BenchOptions.unknown(argument)
        }
    }
    guard let manifest = try? Manifest(directory: URL(fileURLWithPath: corpus)) else {
        print("cannot read \(corpus)/manifest.csv")
        exit(1)
    }
    let variants = chosenVariants
    let chosen = Genre.allCases.flatMap { genre in
        manifest.entries.filter { $0.label == .genre(genre) }.sorted { $0.id < $1.id }
            .enumerated().filter { genre == .isorhythmicMotet || $0.offset % every == 0 }.map(\.element)
    }
    let extractor = FeatureExtractor()
    let builder = ExampleBuilder()
    let names = FeatureExtractor.names
    let columns = featureNames.compactMap { names.firstIndex(of: $0) }
    // A seed per file (its manifest index).
    let seedOf = Dictionary(manifest.entries.enumerated().map { ($1.id, UInt64($0) &+ 99) }, uniquingKeysWith: { a, _ in a })
    let perFile = ConcurrentMap.map(chosen.indices) { fileIndex -> [[Double]] in
        let entry = chosen[fileIndex]
        guard let score = try? Score.load(contentsOf: manifest.url(of: entry)) else { return [] }
        var sums = [[Double]](repeating: [Double](repeating: 0, count: columns.count + 1), count: variants.count)
        let voices = builder.eligibleVoices(of: score)
        let originals = voices.map { extractor.extract(ScoreVariants.singleVoice(score, index: $0)).values }
        for (v, variant) in variants.enumerated() {
            guard let changed = try? variant.apply(to: score, seed: seedOf[entry.id] ?? 99) else { continue }
            for (k, voice) in voices.enumerated() where voice < changed.voices.count {
                let performed = extractor.extract(ScoreVariants.singleVoice(changed, index: voice)).values
                for (c, column) in columns.enumerated() { sums[v][c] += abs(performed[column] - originals[k][column]) }
                sums[v][columns.count] += 1
            }
        }
        return sums
    }
    print("fidelity: \(chosen.count) files (every \(every)th chorale and lied, every motet), \(FeatureExtractor.schemaVersion)")
    // Sums of |difference| per feature, then the voice count, over the files of one genre (nil: all).
    func totals(variant v: Int, genre: Genre?) -> [Double] {
        var total = [Double](repeating: 0, count: columns.count + 1)
        for (fileIndex, file) in perFile.enumerated() where file.count == variants.count {
            guard genre.map({ chosen[fileIndex].label == .genre($0) }) ?? true else { continue }
            for c in total.indices { total[c] += file[v][c] }
        }
        return total
    }
    for (v, variant) in variants.enumerated() {
        let total = totals(variant: v, genre: nil)
        let means = columns.indices.map { total[$0] / max(total[columns.count], 1) }
        let byGenre = Genre.allCases.map { genre in
            let genreTotal = totals(variant: v, genre: genre)
            let sum = columns.indices.reduce(0.0) { $0 + genreTotal[$1] } / max(genreTotal[columns.count], 1)
            return "\(genre.rawValue) \(String(format: "%.3f", sum))"
        }
        print("\(variant.rawValue): \(Int(total[columns.count])) voices, sum of mean |difference| \(String(format: "%.3f", means.reduce(0, +))) (\(byGenre.joined(separator: ", ")))")
        for (c, column) in columns.enumerated() {
            print("  \(names[column].padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%.4f", means[c]))")
        }
    }
}
