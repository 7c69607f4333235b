import Foundation
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// The declared schema, the single-voice contract, and finiteness on ugly inputs.
final class SchemaTests: XCTestCase {
    func testDefinitionsAreUniqueDocumentedAndOfSensibleSize() {
        let definitions = FeatureExtractor.definitions
        XCTAssertGreaterThanOrEqual(definitions.count, 80)
        XCTAssertLessThanOrEqual(definitions.count, 150)
        XCTAssertEqual(Set(definitions.map(\.name)).count, definitions.count, "feature names must be unique")
        for definition in definitions {
            XCTAssertFalse(definition.definition.isEmpty, definition.name)
            XCTAssertFalse(definition.unit.isEmpty, definition.name)
            XCTAssertFalse(definition.name.contains(" "), definition.name)
        }
        XCTAssertTrue(definitions.contains { $0.name == "texture.voices_present" })
        XCTAssertFalse(FeatureExtractor.schemaVersion.isEmpty)
    }

    func testSameNamesInSameOrderForAPieceAndForOneVoice() {
        let piece = Fixtures.score([
            Fixtures.voice("Upper", index: 0, [(72, 1, 0), (74, 0.5, 0), (76, 0.5, 0), (77, 2, 1)]),
            Fixtures.voice("Lower", index: 1, [(48, 4, 0), (50, 2, 1)], channel: 1),
        ])
        var single = piece
        single.voices = [piece.voices[1]]
        let extractor = FeatureExtractor()
        let whole = extractor.extract(piece), alone = extractor.extract(single)
        XCTAssertEqual(whole.names, FeatureExtractor.names)
        XCTAssertEqual(alone.names, whole.names)
        XCTAssertEqual(whole["texture.voices_present"], 2)
        XCTAssertEqual(alone["texture.voices_present"], 1)
        // Between-voice features take their documented neutral value for one voice.
        for definition in FeatureExtractor.definitions where definition.name.hasPrefix("texture.")
            && ["homorhythm", "onset_overlap", "parallel_perfects", "voice_crossing", "pulse_ratio", "density_ratio"]
                .contains(where: { definition.name.hasSuffix($0) }) {
            XCTAssertEqual(alone[definition.name], definition.neutralValue, definition.name)
        }
        // With one voice the mean, the slowest and the most active voice coincide.
        XCTAssertEqual(alone["mean.iso.strength"], alone["slowest.iso.strength"])
        XCTAssertEqual(alone["mean.pitch.ambitus"], alone["active.pitch.ambitus"])
    }

    func testUglyInputsGiveFiniteValues() {
        let extractor = FeatureExtractor()
        var drums = Fixtures.voice("Drums", [(36, 0.5, 0), (38, 0.5, 0), (42, 0.25, 0)], channel: 9)
        drums.isDrum = true
        var nonFinite = Fixtures.voice("Broken", [(60, 1, 0), (62, 1, 0)])
        nonFinite.notes[0].onsetQuarters = .nan
        nonFinite.notes[1].durationQuarters = .infinity
        let sameOnset = Voice(index: 0, name: "Cluster", trackIndex: 0, channel: 0,
                              notes: (0..<12).map { Fixtures.note(48 + $0, at: 0, for: 1) })
        let cases: [(String, Score)] = [
            ("no voices", Fixtures.score([])),
            ("empty voice", Fixtures.score([Voice(index: 0, name: "Empty", trackIndex: 0, channel: 0, notes: [])])),
            ("single note", Fixtures.score([Fixtures.voice("One", [(60, 1, 0)])])),
            ("zero durations", Fixtures.score([Fixtures.voice("Zero", [(60, 0, 0), (62, 0, 0), (64, 0, 0)])])),
            ("drums only", Fixtures.score([drums])),
            ("non-finite times", Fixtures.score([nonFinite])),
            ("one chord", Fixtures.score([sameOnset])),
            ("extreme pitches and lengths", Fixtures.score([Fixtures.voice("Wild", [(0, 1e9, 0), (127, 1e-9, 0), (64, 3, 1e6)])])),
        ]
        for (label, score) in cases {
            let vector = extractor.extract(score)
            XCTAssertEqual(vector.count, FeatureExtractor.definitions.count, label)
            for (name, value) in zip(vector.names, vector.values) {
                XCTAssertTrue(value.isFinite, "\(label): \(name) = \(value)")
            }
        }
        // Drums are ignored: a score of drums alone has no voices.
        XCTAssertEqual(extractor.extract(Fixtures.score([drums]))["texture.voices_present"], 0)
    }

    func testDocsFeaturesMarkdownIsUpToDate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("docs/features.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        // The file goes on with the learnt idiom scores, which TaleaCorpus documents (its tests check the rest).
        XCTAssertTrue(committed.hasPrefix(FeatureExtractor.markdownDocumentation()),
                      "docs/features.md is stale: regenerate it with `swift run talea features --list-markdown > docs/features.md`")
    }
}
