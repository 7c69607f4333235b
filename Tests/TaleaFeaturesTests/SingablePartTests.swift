import Foundation
import TaleaScore
import XCTest
@testable import TaleaFeatures

/// A lied has a voice to sing: a file of several parts none of which a singer could sing is not one.
final class SingablePartTests: XCTestCase {
    /// A tune of a ninth, stepwise, in quarters and halves.
    static let tune = Fixtures.voice("Voice", (0..<32).map { (64 + [0, 2, 4, 5, 7, 9, 11, 12, 14][$0 % 9], [1.0, 1.0, 2.0][$0 % 3], 0) })

    /// A right hand of three-note chords, one per beat.
    static func chords(name: String = "Piano", index: Int = 1, root: Int = 60) -> Voice {
        var notes: [Note] = []
        for beat in 0..<24 {
            for interval in [0, 4, 7] { notes.append(Fixtures.note(root + interval + [0, 5, 7, 0][beat % 4], at: Double(beat), for: 1)) }
        }
        return Voice(index: index, name: name, trackIndex: index + 1, channel: 0, notes: notes)
    }

    /// An arpeggiated bass of single notes over three octaves and a half.
    static let widebass = Fixtures.voice("Piano", index: 2, (0..<32).map { (28 + [0, 12, 19, 24, 31, 36, 40, 43][$0 % 8], 0.5, 0) })

    func testATuneIsSingableAChordalStaffAndAWideLineAreNot() {
        XCTAssertTrue(SingablePart.isSingable(Self.tune))
        XCTAssertFalse(SingablePart.isSingable(Self.chords()))
        XCTAssertFalse(SingablePart.isSingable(Self.widebass))
        var drums = Self.tune
        drums.isDrum = true
        XCTAssertFalse(SingablePart.isSingable(drums))
        let short = Fixtures.voice("Voice", (0..<7).map { (60 + $0, 1.0, 0) })
        XCTAssertFalse(SingablePart.isSingable(short), "too few notes to judge")
    }

    func testTheVerdictSaysWhyAPartCannotBeSung() {
        XCTAssertEqual(SingablePart.verdict(Self.tune), .singable)
        XCTAssertEqual(SingablePart.verdict(Self.chords()), .chords(share: 1))
        XCTAssertEqual(SingablePart.verdict(Self.widebass), .span(semitones: 43))
        XCTAssertEqual(SingablePart.verdict(Self.chords()).description, "chords on 100% of its onsets")
        XCTAssertEqual(SingablePart.verdict(Self.widebass).description, "spans 43 semitones")
        let pianoPiece = Fixtures.score([Self.chords(name: "Right hand"), Self.widebass])
        XCTAssertEqual(SingablePart.unsingableParts(of: pianoPiece),
                       ["Right hand: chords on 100% of its onsets", "Piano: spans 43 semitones"])
        XCTAssertEqual(SingablePart.unsingableParts(of: Fixtures.score([Self.tune, Self.chords()])), [])
    }

    func testAUnisonOfTwoLayersIsNotAChordButADivisiOfEveryNoteIs() {
        // Every note doubled at the unison, as an encoder writes a staff sung "a 2".
        var doubled = Self.tune
        doubled.notes += Self.tune.notes
        XCTAssertTrue(SingablePart.isSingable(doubled))
        // A third below every other note: half the onsets are chords.
        var divisi = Self.tune
        divisi.notes += Self.tune.notes.enumerated().filter { $0.offset % 2 == 0 }.map { _, note in
            var lower = note
            lower.pitch -= 3
            return lower
        }
        XCTAssertFalse(SingablePart.isSingable(divisi))
    }

    /// A run in very short values (a melisma in sixty-fourths, as an edition in halved values writes
    /// thirty-seconds) has onsets closer than the onset tolerance, but each note ends as the next
    /// begins: no chord. A chord whose notes a performer spreads by a few hundredths is still one.
    func testAFastRunIsNoChordButASpreadChordIsOne() {
        let run = Fixtures.voice("Voice", (0..<64).map { (64 + [0, 2, 4, 5, 7, 5, 4, 2][$0 % 8], 1.0 / 16, 0) })
        XCTAssertEqual(SingablePart.verdict(run), .singable)
        var spread = Self.chords()
        for n in spread.notes.indices { spread.notes[n].onsetQuarters += 0.03 * Double(n % 3) }
        XCTAssertEqual(SingablePart.verdict(spread), .chords(share: 1))
    }

    func testAStrayNoteDoesNotWidenTheSpan() {
        var tune = Fixtures.voice("Voice", (0..<60).map { (64 + [0, 2, 4, 5, 7][$0 % 5], 1.0, 0) })
        tune.notes[30].pitch = 100
        XCTAssertTrue(SingablePart.isSingable(tune), "one note in 60 is beyond the 98th percentile")
    }

    func testOnlyAScoreOfSeveralPartsWithoutASingerLacksOne() {
        let song = Fixtures.score([Self.tune, Self.chords(), Self.widebass])
        XCTAssertFalse(SingablePart.lacksASinger(song))
        let pianoPiece = Fixtures.score([Self.chords(), Self.widebass])
        XCTAssertTrue(SingablePart.lacksASinger(pianoPiece))
        // One part alone is a voice of something (a lied's piano staff is one): never judged.
        XCTAssertFalse(SingablePart.lacksASinger(Fixtures.score([Self.chords()])))
        // Transposing changes nothing: registers are not read.
        var transposed = pianoPiece
        for v in transposed.voices.indices { for n in transposed.voices[v].notes.indices { transposed.voices[v].notes[n].pitch += 7 } }
        XCTAssertTrue(SingablePart.lacksASinger(transposed))
    }

    func testPartNamesSayInstrumentKeyboardOrSinger() {
        for name in ["Violino I", "Violin 2", "Viola", "Violoncello", "Contrabass", "Flöte", "Clarinet in A", "Horn in F",
                     "Bassoon", "Trumpet 1,2", "Timpani", "Guitarre", "Continuo", "Streicher"] {
            XCTAssertTrue(PartName.namesAnInstrumentAlone(name), name)
        }
        for name in ["Soprano Oboe 1 Violin1", "Bass Continuo", "Voice", "Singstimme", "Tenor", "Alt", "Piano 1", "Pianoforte",
                     "Organ", "Track 3", "P1", "", "Mignon", "Chant Voice"] {
            XCTAssertFalse(PartName.namesAnInstrumentAlone(name), name)
        }
        for name in ["Piano 2", "Klavier", "Pianoforte. 1", "Piano (or Harp) 1", "Organo", "Harpsichord"] {
            XCTAssertTrue(PartName.namesAKeyboard(name), name)
        }
        XCTAssertFalse(PartName.namesAKeyboard("Violin"))
    }

    func testLinesNamedAsInstrumentsAreNotSungUnlessAKeyboardPlaysWithThem() {
        // Four lines a voice could sing, as a string quartet's parts lie: unnamed, they could be a song's.
        let lines = ["Violino I", "Violino II", "Viola", "Violoncello"].enumerated().map { index, name in
            Fixtures.voice(name, index: index, (0..<32).map { (55 + [0, 2, 4, 5, 7, 9, 11, 12][$0 % 8] - 5 * index, 1.0, 0) })
        }
        XCTAssertTrue(lines.allSatisfy { SingablePart.verdict($0) == .singable })
        let quartet = Fixtures.score(lines)
        XCTAssertEqual(SingablePart.unsingableParts(of: quartet),
                       ["Violino I: named as an instrument", "Violino II: named as an instrument",
                        "Viola: named as an instrument", "Violoncello: named as an instrument"])
        XCTAssertEqual(SingablePart.verdicts(of: quartet), Array(repeating: .namedInstrument, count: 4), "as inspect shows them")
        var unnamed = quartet
        for v in unnamed.voices.indices { unnamed.voices[v].name = "" }
        XCTAssertFalse(SingablePart.lacksASinger(unnamed), "a name is evidence, never required")
        // A vocal line that a sequencer names after its instrument, over a piano, may be a song's.
        var flute = Self.tune
        flute.name = "Flute"
        XCTAssertFalse(SingablePart.lacksASinger(Fixtures.score([flute, Self.chords()])))
        // One part named for a singer is enough.
        var song = lines
        song[0].name = "Soprano"
        XCTAssertFalse(SingablePart.lacksASinger(Fixtures.score(song)))
    }

    /// In the shared corpus every chorale, motet and `other` file has a part to sing, and all lieder
    /// but one (lc6218315, whose vocal line spans 28 semitones) do. None has a drum kit (``DrumKit``).
    func testCorpusRepertoriesHaveAPartToSingAndNoDrumKit() throws {
        let rows = try Fixtures.manifest()
        var lacking: [String] = []
        var drummed: [String] = []
        for (index, row) in rows.enumerated() where row.label != "lied" || index % 2 == 0 {
            let score = try Score.load(contentsOf: row.url)
            if SingablePart.lacksASinger(score) { lacking.append(row.id) }
            if DrumKit.playsThrough(score) { drummed.append(row.id) }
        }
        XCTAssertTrue(lacking.allSatisfy { $0.hasPrefix("lied-") }, "\(lacking)")
        XCTAssertLessThanOrEqual(lacking.count, 1, "\(lacking)")
        XCTAssertEqual(drummed, [])
    }
}
