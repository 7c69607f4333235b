import Foundation
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// What the features say about the shared corpus (skipped when it is absent).
final class CorpusTests: XCTestCase {
    /// Motets whose encoding has no exact rhythmic period in any voice. Ciconia's *O virum omnimoda*
    /// (PMFC 24/15) as encoded here: its two cantus open in imitation and no voice restates a rhythm
    /// (strongest voice 0.17); documented in docs/isorhythm.md.
    static let knownNonIsorhythmicEncodings: Set<String> = ["motet-pmfc_24_15_o_virum_omnimoda"]

    func testEveryCorpusMotetIsIsorhythmicInAtLeastOneVoice() throws {
        let motets = try Fixtures.manifest().filter { $0.label == "isorhythmic_motet" }
        XCTAssertGreaterThanOrEqual(motets.count, 10)
        for motet in motets where !Self.knownNonIsorhythmicEncodings.contains(motet.id) {
            let score = try Score.load(contentsOf: motet.url)
            let best = score.voices.map { IsorhythmDetector.analyze($0) }.max { $0.strength < $1.strength }
            XCTAssertGreaterThanOrEqual(best?.strength ?? 0, 0.65, "\(motet.id): \(best?.summary ?? "no voice")")
            // The piece-level feature sees it too, for the whole piece.
            XCTAssertGreaterThanOrEqual(FeatureExtractor().extract(score)["isorhythm.strongest"] ?? 0, 0.65, motet.id)
        }
    }

    func testChoraleAndLiedVoicesScoreLowIsorhythmStrength() throws {
        // Every 10th chorale and every 25th lied (about 30 + 48 files, 250 voices) keeps debug runs short.
        let rows = try Fixtures.manifest()
        var strengths: [String: [Double]] = [:]
        for (label, stride) in [("bach_chorale", 10), ("lied", 25)] {
            for (index, row) in rows.filter({ $0.label == label }).enumerated() where index % stride == 0 {
                let score = try Score.load(contentsOf: row.url)
                for voice in score.voices where !voice.isDrum {
                    strengths[label, default: []].append(IsorhythmDetector.analyze(voice).strength)
                }
            }
        }
        var motetBest: [Double] = []
        for row in rows where row.label == "isorhythmic_motet" && !Self.knownNonIsorhythmicEncodings.contains(row.id) {
            let score = try Score.load(contentsOf: row.url)
            motetBest.append(score.voices.map { IsorhythmDetector.analyze($0).strength }.max() ?? 0)
        }
        let weakestMotet = motetBest.min() ?? 1
        for (label, values) in strengths {
            let sorted = values.sorted()
            let median = sorted[sorted.count / 2]
            let below = Double(values.filter { $0 < weakestMotet }.count) / Double(values.count)
            XCTAssertLessThan(median, 0.4, "\(label): median isorhythm strength \(median)")
            XCTAssertGreaterThan(below, 0.8, "\(label): only \(below) of voices below the weakest motet's \(weakestMotet)")
        }
    }

    func testSmallOnsetJitterChangesKeyFeaturesLittle() throws {
        let rows = try Fixtures.manifest()
        let picks = ["isorhythmic_motet", "bach_chorale", "lied"].compactMap { label in rows.first { $0.label == label } }
        let keys = ["slowest.iso.strength", "isorhythm.strongest", "mean.rhythm.ioi_pulse", "mean.rhythm.ternary_grouping",
                    "mean.rhythm.rest_ratio", "mean.melody.mean_interval", "tonal.diatonic_fit", "texture.homorhythm",
                    "vertical.perfect_consonance", "harmony.triad_share", "texture.simultaneity"]
        let tolerances: [String: Double] = ["texture.simultaneity": 0.25, "mean.melody.mean_interval": 0.3]
        let extractor = FeatureExtractor()
        for row in picks {
            let score = try Score.load(contentsOf: row.url)
            var jittered = score
            var random = SeededGenerator(seed: 2026)
            // Up to ±2% of a quarter on every onset, releases up to 5% early: a careful human player.
            for v in jittered.voices.indices {
                for n in jittered.voices[v].notes.indices {
                    jittered.voices[v].notes[n].onsetQuarters += Double.random(in: -0.02...0.02, using: &random)
                    jittered.voices[v].notes[n].durationQuarters *= Double.random(in: 0.95...1.0, using: &random)
                }
            }
            let a = extractor.extract(score), b = extractor.extract(jittered)
            for key in keys {
                let before = a[key] ?? 0, after = b[key] ?? 0
                XCTAssertLessThanOrEqual(abs(before - after), tolerances[key] ?? 0.15, "\(row.id) \(key): \(before) → \(after)")
            }
        }
    }
}
