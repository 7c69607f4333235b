import Foundation
import TaleaMIDI
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// Transposition, duration/tempo scaling and format 1 → format 0 change no non-absolute feature.
final class InvarianceTests: XCTestCase {
    static let tolerance = 1e-9

    /// A few corpus pieces of every kind, plus one voice of each.
    static func corpusScores() throws -> [(String, Score)] {
        let rows = try Fixtures.manifest()
        var picked: [(String, Score)] = []
        for label in ["isorhythmic_motet", "bach_chorale", "lied", "other"] {
            let ofLabel = rows.filter { $0.label == label }
            for row in [ofLabel.first, ofLabel.dropFirst(ofLabel.count / 2).first].compactMap({ $0 }) {
                let score = try Score.load(contentsOf: row.url)
                picked.append((row.id, score))
                if let last = score.voices.last {
                    var single = score
                    single.voices = [last]
                    picked.append((row.id + " voice " + last.name, single))
                }
            }
        }
        return picked
    }


    static func transposed(_ score: Score, by semitones: Int) -> Score {
        var score = score
        for v in score.voices.indices where !score.voices[v].isDrum {
            for n in score.voices[v].notes.indices { score.voices[v].notes[n].pitch += semitones }
        }
        return score
    }

    /// The same ticks read with `factor` times fewer ticks per quarter and a tempo `factor` times
    /// slower per quarter: every duration in quarters is multiplied by `factor`, seconds unchanged.
    static func scaledFile(_ score: Score, by factor: Double) throws -> Score {
        var source = score
        let ticksPerQuarter = Int(Double(score.ticksPerQuarter) / factor)
        source.ticksPerQuarter = ticksPerQuarter
        source.tempi = score.tempi.map { tempo in
            var tempo = tempo
            tempo.microsecondsPerQuarter = Int(Double(tempo.microsecondsPerQuarter) * factor)
            return tempo
        }
        return try Fixtures.roundTrip(source.midiFile())
    }

    func testTranspositionChangesNoRelativeFeature() throws {
        let extractor = FeatureExtractor()
        for (label, score) in try Self.corpusScores() {
            let original = extractor.extract(score)
            for semitones in [1, -5, 6, 7, 11] {
                assertInvariant(original, extractor.extract(Self.transposed(score, by: semitones)),
                                "\(label) transposed \(semitones)")
            }
        }
    }

    func testScalingDurationsAndTempoChangesNoRelativeFeature() throws {
        let extractor = FeatureExtractor()
        for (label, score) in try Self.corpusScores() {
            let written = try Fixtures.roundTrip(score.midiFile())
            let original = extractor.extract(written)
            for factor in [0.5, 2.0] {
                guard Double(score.ticksPerQuarter) / factor == Double(Int(Double(score.ticksPerQuarter) / factor)) else { continue }
                let scaled = try Self.scaledFile(written, by: factor)
                XCTAssertEqual(scaled.durationQuarters, written.durationQuarters * factor, accuracy: 1e-9, label)
                assertInvariant(original, extractor.extract(scaled), "\(label) durations ×\(factor)")
            }
        }
    }

    func testScalingQuarterTimesInMemoryChangesNoRelativeFeature() {
        // Also on a score built in code, where quarter-note times are scaled directly.
        let score = Fixtures.score([
            IsorhythmTests.tenor(talea: [(4, 0), (2, 2), (2, 0), (8, 0), (2, 2), (4, 4)],
                                 color: IsorhythmTests.color10, scales: [1, 1, 1, 0.5, 0.5]),
            Fixtures.voice("Triplum", index: 1, (0..<90).map { (67 + $0 % 7, [0.5, 1, 1.5][$0 % 3], $0 % 11 == 0 ? 0.5 : 0) },
                           channel: 1),
        ])
        let extractor = FeatureExtractor()
        let original = extractor.extract(score)
        for factor in [0.5, 2.0] {
            var scaled = score
            for v in scaled.voices.indices {
                for n in scaled.voices[v].notes.indices {
                    scaled.voices[v].notes[n].onsetQuarters *= factor
                    scaled.voices[v].notes[n].durationQuarters *= factor
                }
            }
            assertInvariant(original, extractor.extract(scaled), "in-memory ×\(factor)")
        }
    }

    func testFormatZeroRewriteChangesNoRelativeFeature() throws {
        let extractor = FeatureExtractor()
        for (label, score) in try Self.corpusScores() {
            let formatOne = try Fixtures.roundTrip(score.midiFile(distinctChannels: true))
            let formatZero = try Fixtures.roundTrip(score.formatZeroMIDIFile())
            XCTAssertEqual(formatZero.voices.count, formatOne.voices.count, label)
            assertInvariant(extractor.extract(score), extractor.extract(formatZero), "\(label) format 0")
        }
    }
}

extension XCTestCase {
    /// Every feature not marked absolute is equal in both vectors within ``InvarianceTests/tolerance``.
    func assertInvariant(_ original: FeatureVector, _ changed: FeatureVector, _ label: String,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(original.names, changed.names, label, file: file, line: line)
        for (index, definition) in FeatureExtractor.definitions.enumerated() where !definition.isAbsolute {
            let a = original.values[index], b = changed.values[index]
            XCTAssertLessThanOrEqual(abs(a - b), InvarianceTests.tolerance, "\(label): \(definition.name) \(a) → \(b)",
                                     file: file, line: line)
        }
    }
}
