import XCTest
@testable import TaleaCorpus

final class VoiceRoleTests: XCTestCase {
    func testPartNamesOfTheCorpusReadAsTheirRoles() {
        let expected: [(Genre, String, VoiceRole)] = [
            (.isorhythmicMotet, "Tenor", .motetTenor),
            (.isorhythmicMotet, "Tenor2", .motetTenor),
            (.isorhythmicMotet, "Contratenor", .motetContratenor),
            (.isorhythmicMotet, "Triplum", .motetUpperVoice),
            (.isorhythmicMotet, "Cantus II", .motetUpperVoice),
            (.isorhythmicMotet, "Discantus", .motetUpperVoice),
            (.bachChorale, "Alto", .choraleSungPart),
            (.bachChorale, "Soprano Oboe 1 Violin1", .choraleSungPart),
            (.bachChorale, "Bass Continuo", .choraleSungPart),
            (.bachChorale, "Part 3", .choraleSungPart),
            (.bachChorale, "Trumpet 1,2", .choraleInstrument),
            (.bachChorale, "Timpani", .choraleInstrument),
            (.bachChorale, "Flutes", .choraleInstrument),
            (.bachChorale, "Oboe d'amore", .choraleInstrument),
            (.lied, "Singstimme Voice", .liedVocalLine),
            (.lied, "Mignon", .liedVocalLine),
            (.lied, "Tenor", .liedVocalLine),
            (.lied, "Pianoforte 2", .liedPianoStaff),
            (.lied, "Piano (or Harp) 1", .liedPianoStaff),
            (.lied, "Klavier 1", .liedPianoStaff),
            (.lied, "Clarinet in C", .liedInstrument),
            (.lied, "Guitarre", .liedInstrument),
        ]
        for (genre, name, role) in expected {
            XCTAssertEqual(VoiceRole(genre: genre, partName: name), role, name)
            XCTAssertEqual(role.genre, genre)
        }
    }

    func testTheNameIsReadFromTheItemsPart() {
        XCTAssertEqual(VoiceRole.partName("voice 2 (Tenor)"), "Tenor")
        XCTAssertEqual(VoiceRole.partName("voice 0 (Piano (or Harp) 1)"), "Piano (or Harp) 1")
        XCTAssertEqual(VoiceRole.partName("voice 1 ()"), "")
        XCTAssertEqual(VoiceRole.partName("piece"), "piece")
    }

    func testASongsSungPartsAreAnEnsembleWhenItsFileHasSeveral() {
        func item(_ entry: String, _ part: String, variant: String = "original") -> ScoredItem {
            ScoredItem(entryID: entry, truth: "lied", view: .voice, part: part, variant: variant, predicted: "lied",
                       confidence: 0.9, rawProbabilities: [], calibratedProbabilities: [], truthIndex: nil)
        }
        let items = [
            item("solo", "voice 0 (Voice)"), item("solo", "voice 1 (Piano 1)"),
            item("choir", "voice 0 (Soprano)"), item("choir", "voice 1 (Alto)"), item("choir", "voice 2 (Piano 1)"),
            item("choir", "voice 0 (Soprano)", variant: "humanised"),
        ]
        XCTAssertEqual(VoiceRole.roles(of: items),
                       [.liedVocalLine, .liedPianoStaff, .liedEnsembleVoice, .liedEnsembleVoice, .liedPianoStaff, .liedVocalLine],
                       "a file's sung parts are counted within one re-encoding")
    }

    func testBreakdownCountsAnswersPerRoleAndIgnoresPiecesAndOtherFiles() {
        func item(_ truth: String, _ view: ExampleView, _ part: String, _ answer: String) -> ScoredItem {
            ScoredItem(entryID: "x", truth: truth, view: view, part: part, variant: "original", predicted: answer,
                       confidence: 0.9, rawProbabilities: [], calibratedProbabilities: [], truthIndex: nil)
        }
        let items = [
            item("isorhythmic_motet", .voice, "voice 3 (Tenor)", "isorhythmic_motet"),
            item("isorhythmic_motet", .voice, "voice 4 (Tenor)", "bach_chorale"),
            item("isorhythmic_motet", .voice, "voice 0 (Triplum)", "isorhythmic_motet"),
            item("isorhythmic_motet", .piece, "piece", "lied"),
            item("other", .voice, "voice 0 (Tenor)", "lied"),
            item("lied", .voice, "voice 0 (Voice)", "unknown"),
            item("lied", .voice, "voice 1 (Piano 1)", "lied"),
        ]
        let results = VoiceRoleResult.breakdown(items)
        XCTAssertEqual(results.map(\.role), [.motetTenor, .motetUpperVoice, .liedVocalLine, .liedPianoStaff],
                       "in VoiceRole order, only roles with voices")
        XCTAssertEqual(results[0].count, 2)
        XCTAssertEqual(results[0].answers, ["isorhythmic_motet": 1, "bach_chorale": 1])
        XCTAssertEqual(results[0].recall, 0.5)
        XCTAssertEqual(results[2].recall, 0, "unknown is a miss")
        XCTAssertEqual(results[3].recall, 1)
    }
}
