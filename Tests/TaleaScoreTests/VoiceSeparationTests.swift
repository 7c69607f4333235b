import Foundation
import TaleaMIDI
import TaleaScore
import XCTest

/// A note at 480 ticks per quarter and 120 quarters per minute; times in quarters.
private func sepNote(_ pitch: Int, _ onset: Double, _ duration: Double) -> Note {
    Note(pitch: pitch, onsetTicks: Int((onset * 480).rounded()), durationTicks: Int((duration * 480).rounded()),
         onsetQuarters: onset, durationQuarters: duration, onsetSeconds: onset / 2, durationSeconds: duration / 2)
}

/// A voice of (pitch, onset, duration) triples, in quarters.
private func sepVoice(_ name: String, _ notes: [(Int, Double, Double)], index: Int = 0) -> Voice {
    Voice(index: index, name: name, trackIndex: 0, channel: 0, program: 52,
          notes: notes.map { sepNote($0.0, $0.1, $0.2) })
}

/// All the notes of the voices on one voice, sorted by onset then pitch, as a format-0 one-channel
/// encoder would leave them.
private func merged(_ voices: [Voice], name: String = "Channel 1") -> Voice {
    let notes = voices.flatMap(\.notes).sorted { ($0.onsetTicks, $0.pitch) < ($1.onsetTicks, $1.pitch) }
    return Voice(index: 0, name: name, trackIndex: 0, channel: 0, program: 52, notes: notes)
}

/// A voice's notes as comparable keys, order-free.
private func keys(_ notes: [Note]) -> [String] {
    notes.map { "\($0.onsetTicks):\($0.pitch):\($0.durationTicks)" }.sorted()
}

/// Notes of the streams together are exactly the input notes.
private func assertSameNotes(_ streams: [Voice], _ input: Voice, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(keys(streams.flatMap(\.notes)), keys(input.notes), "notes dropped or duplicated", file: file, line: line)
}

/// A four-part chorale phrase (S, A, T, B, in 4/4), mostly homorhythmic with passing eighths in the
/// inner parts, a half note in the bass, a rest in the tenor and a final fermata.
private func choralePhrase() -> [Voice] {
    let soprano: [(Int, Double, Double)] = [(67, 0, 1), (69, 1, 1), (71, 2, 1), (72, 3, 1), (74, 4, 1), (72, 5, 1),
                                            (71, 6, 1), (69, 7, 1), (67, 8, 2)]
    let alto: [(Int, Double, Double)] = [(62, 0, 1), (64, 1, 0.5), (66, 1.5, 0.5), (67, 2, 1), (67, 3, 1), (66, 4, 1),
                                         (64, 5, 0.5), (66, 5.5, 0.5), (67, 6, 1), (66, 7, 1), (62, 8, 2)]
    let tenor: [(Int, Double, Double)] = [(59, 0, 1), (60, 1, 1), (62, 2, 1), (64, 3, 1), (62, 4, 1), (64, 5, 1),
                                          (62, 6, 0.5), (60, 6.5, 0.5), (60, 7, 0.5), (59, 8, 2)]
    let bass: [(Int, Double, Double)] = [(43, 0, 1), (45, 1, 1), (47, 2, 1), (45, 3, 1), (50, 4, 2),
                                         (43, 6, 0.5), (45, 6.5, 0.5), (50, 7, 1), (43, 8, 2)]
    return [sepVoice("Soprano", soprano), sepVoice("Alto", alto), sepVoice("Tenor", tenor), sepVoice("Bass", bass)]
}

final class VoiceSeparationTests: XCTestCase {
    /// Four homorhythmic parts merged on one channel come back as exactly the four parts, highest first.
    func testChoraleTextureSplitsIntoItsFourParts() {
        let parts = choralePhrase()
        let voice = merged(parts)
        let streams = VoiceSeparation.separate(voice)
        XCTAssertEqual(streams.count, 4)
        XCTAssertEqual(streams.map(\.name), ["Channel 1 1", "Channel 1 2", "Channel 1 3", "Channel 1 4"])
        for (stream, part) in zip(streams, parts) {
            XCTAssertEqual(keys(stream.notes), keys(part.notes), "stream \(stream.name) should be the \(part.name)")
            XCTAssertEqual(stream.channel, 0)
            XCTAssertEqual(stream.program, 52)
        }
        assertSameNotes(streams, voice)
    }

    /// The rule depends on intervals and quarters only: transposed by a tritone and with the onsets
    /// spread slightly (a human player), the split is the same.
    func testChoraleTextureTransposedAndHumanised() {
        let parts = choralePhrase().enumerated().map { number, part in
            var copy = part
            copy.notes = part.notes.enumerated().map { i, note in
                // Deterministic jitter of up to ±0.03 quarter, and a slight legato overlap.
                let jitter = Double((i * 7 + number * 3) % 7 - 3) * 0.01
                return sepNote(note.pitch + 6, note.onsetQuarters + jitter, note.durationQuarters + 0.05)
            }
            return copy
        }
        let voice = merged(parts)
        let streams = VoiceSeparation.separate(voice)
        XCTAssertEqual(streams.count, 4)
        for (stream, part) in zip(streams, parts) {
            XCTAssertEqual(keys(stream.notes), keys(part.notes), "stream \(stream.name) should be the \(part.name)")
        }
        assertSameNotes(streams, voice)
    }

    /// Two moving upper parts over a slow tenor: three streams, the lowest one holds the long notes.
    func testSlowLowerVoiceUnderTwoMovingVoices() {
        let cantusSteps = [72, 74, 76, 77, 79, 77, 76, 74]
        let cantus: [(Int, Double, Double)] = (0..<16).map { i in (cantusSteps[i % 8], Double(i) * 0.5, 0.5) }
        let motetusSteps = [65, 67, 69, 67, 65, 67, 69, 67]
        var motetus: [(Int, Double, Double)] = []
        for (i, pitch) in motetusSteps.enumerated() {
            let onset: Double = i % 2 == 0 ? Double(i) : Double(i) + 0.5
            let duration: Double = i % 2 == 0 ? 1.5 : 0.5
            motetus.append((pitch, onset, duration))
        }
        let tenor: [(Int, Double, Double)] = [(53, 0, 4), (50, 4, 4)]
        let parts = [sepVoice("Triplum", cantus), sepVoice("Motetus", motetus), sepVoice("Tenor", tenor)]
        let voice = merged(parts)
        let streams = VoiceSeparation.separate(voice)
        XCTAssertEqual(streams.count, 3)
        XCTAssertEqual(keys(streams.last?.notes ?? []), keys(parts[2].notes), "the lowest stream holds the long tenor notes")
        XCTAssertEqual(keys(streams.first?.notes ?? []), keys(parts[0].notes))
        assertSameNotes(streams, voice)
    }

    /// A single line is not chordal, and a score of it is returned unchanged.
    func testMonophonicVoiceIsNotChordal() {
        let line = sepVoice("Voice", (0..<24).map { i in (60 + [0, 2, 4, 5, 7, 9, 7, 5][i % 8], Double(i) * 0.5, 0.5) })
        XCTAssertFalse(VoiceSeparation.isChordal(line))
        let score = Score(ticksPerQuarter: 480, voices: [line])
        XCTAssertEqual(score.separatingChordalVoices(), score)
        assertSameNotes(VoiceSeparation.separate(line), line)
    }

    /// A piano-like voice: a melody in eighths with a chord on every fourth onset is not chordal (25 %
    /// of onsets) and stays one voice; separating it anyway keeps every note.
    func testPianoVoiceWithOccasionalChords() {
        var notes: [(Int, Double, Double)] = []
        for i in 0..<32 {
            let onset = Double(i) * 0.5
            notes.append((67 + [0, 2, 4, 2][i % 4], onset, 0.5))
            if i % 4 == 0 { notes += [(60, onset, 0.5), (55, onset, 0.5)] }
        }
        let voice = sepVoice("Piano", notes)
        XCTAssertFalse(VoiceSeparation.isChordal(voice))
        let score = Score(ticksPerQuarter: 480, voices: [voice])
        XCTAssertEqual(score.separatingChordalVoices(), score)
        let streams = VoiceSeparation.separate(voice)
        assertSameNotes(streams, voice)
        XCTAssertEqual(streams.first.map { keys($0.notes) }, keys(notes.filter { $0.0 >= 67 }.map { sepNote($0.0, $0.1, $0.2) }),
                       "the melody is the highest stream")
    }

    /// The score-level entry point: one chordal voice (plus a drum voice) is replaced by its streams
    /// in place, indices renumbered; beside a single line it is left alone.
    func testScoreSeparatesChordalVoicesOnlyWithoutALine() {
        let chordal = merged(choralePhrase())
        var drums = sepVoice("Drums", [(36, 0, 0.25), (38, 1, 0.25)], index: 1)
        drums.isDrum = true
        drums.channel = 9
        let score = Score(ticksPerQuarter: 480, voices: [chordal, drums])
        let separated = score.separatingChordalVoices()
        XCTAssertEqual(separated.voices.count, 5)
        XCTAssertEqual(separated.voices.map(\.index), [0, 1, 2, 3, 4])
        XCTAssertEqual(separated.voices.last?.name, "Drums")
        XCTAssertEqual(separated.noteCount, score.noteCount)
        XCTAssertEqual(separated.warnings.count, 1)

        // A song: a vocal line beside a chordal piano staff keeps both as they are.
        let line = sepVoice("Voice", (0..<16).map { (67 + [0, 2, 4, 2][$0 % 4], Double($0) * 0.5, 0.5) }, index: 1)
        let song = Score(ticksPerQuarter: 480, voices: [chordal, line])
        XCTAssertEqual(song.separatingChordalVoices(), song)
        let lone = Score(ticksPerQuarter: 480, voices: [chordal, sepVoice("Other", [(60, 0, 1)], index: 1)])
        XCTAssertEqual(lone.separatingChordalVoices(), lone, "one note is not a line, but not chords either")
    }

    /// A chorale written as a short score (soprano and alto on one staff, tenor and bass on the
    /// other) comes back as its four parts, in order, every note kept.
    func testShortScoreStavesSplitIntoTheirParts() {
        let parts = choralePhrase()
        var lower = merged(Array(parts[2...]), name: "Lower staff")
        lower.index = 1
        let score = Score(ticksPerQuarter: 480, voices: [merged(Array(parts[..<2]), name: "Upper staff"), lower])
        let separated = score.separatingChordalVoices()
        XCTAssertEqual(separated.voices.map(\.name), ["Upper staff 1", "Upper staff 2", "Lower staff 1", "Lower staff 2"])
        XCTAssertEqual(separated.voices.map(\.index), [0, 1, 2, 3])
        for (stream, part) in zip(separated.voices, parts) {
            XCTAssertEqual(keys(stream.notes), keys(part.notes), "stream \(stream.name) should be the \(part.name)")
        }
        XCTAssertEqual(separated.warnings.count, 2)
    }

    /// The same texture read through real MIDI bytes: a format-0 file with all four parts on channel 1.
    func testFormatZeroOneChannelFileThroughBytes() throws {
        var track = MIDITrackBuilder()
        for part in choralePhrase() {
            for note in part.notes { track.note(note.pitch, at: note.onsetTicks, duration: note.durationTicks) }
        }
        let score = try Score(midi: try MIDIFile(bytes: try MIDIFile(format: 0, ticksPerQuarter: 480,
                                                                       tracks: [track.track()]).serialized()))
        XCTAssertEqual(score.voices.count, 1)
        let separated = score.separatingChordalVoices()
        XCTAssertEqual(separated.voices.count, 4)
        XCTAssertEqual(separated.noteCount, score.noteCount)
        for (stream, part) in zip(separated.voices, choralePhrase()) {
            XCTAssertEqual(keys(stream.notes), keys(part.notes))
        }
    }

    /// Ugly inputs: no notes, one note, thirty notes at one onset, zero-length notes, identical notes,
    /// NaN-free but extreme times. Nothing crashes and every note is kept exactly once.
    func testEdgeCasesKeepEveryNote() {
        let empty = sepVoice("Empty", [])
        XCTAssertFalse(VoiceSeparation.isChordal(empty))
        XCTAssertEqual(VoiceSeparation.separate(empty), [])
        XCTAssertEqual(Score(ticksPerQuarter: 480, voices: [empty]).separatingChordalVoices().voices, [empty])

        let single = sepVoice("One", [(60, 0, 1)])
        XCTAssertFalse(VoiceSeparation.isChordal(single))
        assertSameNotes(VoiceSeparation.separate(single), single)

        let cluster = sepVoice("Cluster", (0..<30).map { (40 + $0, 0, 1) })
        XCTAssertTrue(VoiceSeparation.isChordal(cluster))
        let clusterStreams = VoiceSeparation.separate(cluster)
        XCTAssertEqual(clusterStreams.count, 6, "k is clamped to 6")
        assertSameNotes(clusterStreams, cluster)
        XCTAssertEqual(clusterStreams.first?.notes.map(\.pitch).max(), 69)

        let zeroLength = sepVoice("Zero", (0..<20).flatMap { i in [(60 + i % 5, Double(i), 0), (48, Double(i), 0)] })
        _ = VoiceSeparation.isChordal(zeroLength)
        assertSameNotes(VoiceSeparation.separate(zeroLength), zeroLength)

        let identical = sepVoice("Same", Array(repeating: (64, 2, 1), count: 7) + [(60, 2, 1), (67, 3, 1)])
        assertSameNotes(VoiceSeparation.separate(identical), identical)

        // Hand-built notes outside the MIDI range must not overflow a pitch distance.
        let extreme = sepVoice("Extreme", [(Int.max, 0, 1), (Int.min, 0, 1), (60, 0.5, 1), (Int.max, 1, 1), (0, 1, -1)])
        assertSameNotes(VoiceSeparation.separate(extreme), extreme)

        // Long chords of varying size, overlapping everything.
        var mess: [(Int, Double, Double)] = []
        for i in 0..<200 { mess.append(((i * 37) % 88 + 21, Double((i * 13) % 50) * 0.25, Double(i % 9))) }
        let messy = sepVoice("Mess", mess)
        let messStreams = VoiceSeparation.separate(messy)
        assertSameNotes(messStreams, messy)
        XCTAssertTrue((1...6).contains(messStreams.count))
        XCTAssertEqual(VoiceSeparation.separate(messy), messStreams, "deterministic")
    }

    /// Large input stays fast (a linearithmic pass): 40,000 notes of four-part texture.
    func testLargeInputIsFast() {
        var notes: [(Int, Double, Double)] = []
        for beat in 0..<10_000 {
            for (part, base) in [72, 65, 58, 48].enumerated() { notes.append((base + (beat * (part + 3)) % 5, Double(beat), 1)) }
        }
        let voice = sepVoice("Big", notes)
        let start = Date()
        let streams = VoiceSeparation.separate(voice)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "separating 40,000 notes (debug build)")
        XCTAssertEqual(streams.count, 4)
        assertSameNotes(streams, voice)
    }

    /// A hostile file can stack a hundred thousand notes on one onset (note-ons never switched off).
    /// They are spread over the six streams by pitch rank and none is lost; placing them is linear in
    /// the notes of the onset (it once compared each note with all those before it, which took
    /// minutes for such a file).
    func testHundredThousandNotesOnOneOnsetAreSpreadAndKept() {
        let stacked = (0..<100_000).map { (36 + $0 % 60, 0.0, 0.0) } + [(60, 1.0, 1.0), (64, 2.0, 1.0)]
        let voice = sepVoice("Stack", stacked)
        let streams = VoiceSeparation.separate(voice)
        XCTAssertEqual(streams.count, VoiceSeparation.streamCountRange.upperBound)
        assertSameNotes(streams, voice)
        XCTAssertGreaterThan(meanPitch(streams[0]), meanPitch(streams[5]), "highest stream first")
    }

    /// Real chorales: the parts of every corpus chorale merged onto one voice and separated again.
    /// Measures the share of notes that land in the stream of their own part (stream i ↔ the i-th part
    /// by mean pitch, highest first; a note counts when its onset and pitch occur in its part's
    /// stream). The assertion covers the pieces of 2…6 parts (what the separator can rebuild: k ≤ 6);
    /// chorales with doubling instruments (7+ parts) are measured and reported too.
    func testCorpusChoralesAreReseparated() throws {
        try measureReseparation(genre: "bach_chorale", minimumShare: 0.95)
    }

    /// The same measurement on the corpus motets (three or four parts, often crossing).
    func testCorpusMotetsAreReseparated() throws {
        try measureReseparation(genre: "isorhythmic_motet", minimumShare: 0.6)
    }

    /// Merges the parts of every piece of a corpus genre, separates them, prints and checks the share
    /// of notes in their own stream (pieces of 2…6 parts) and that the merged voices are chordal.
    private func measureReseparation(genre: String, minimumShare: Double) throws {
        let directory = corpusDirectory().appendingPathComponent("midi/\(genre)")
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw XCTSkip("no \(genre) files at \(directory.path) (set TALEA_CORPUS); corpus re-separation skipped")
        }
        let chosen = files.filter { $0.hasSuffix(".mid") }.sorted()
        guard !chosen.isEmpty else { throw XCTSkip("no .mid files in \(directory.path)") }
        // (pieces, notes, notes in their own stream, pieces with the right stream count) for ≤ 6 and > 6 parts.
        var mergedChordal = 0, singleParts = 0, singleChordal = 0
        var tally = [(pieces: 0, notes: 0, right: 0, countRight: 0), (pieces: 0, notes: 0, right: 0, countRight: 0)]
        for file in chosen {
            guard let score = try? Score.load(contentsOf: directory.appendingPathComponent(file)) else { continue }
            let parts = score.voices.filter { !$0.isDrum && !$0.notes.isEmpty }
            guard parts.count >= 2 else { continue }
            let voice = merged(parts)
            if VoiceSeparation.isChordal(voice) { mergedChordal += 1 }
            singleParts += parts.count
            singleChordal += parts.filter(VoiceSeparation.isChordal).count
            let streams = VoiceSeparation.separate(voice)
            assertSameNotes(streams, voice)
            let group = parts.count <= 6 ? 0 : 1
            tally[group].pieces += 1
            if streams.count == parts.count { tally[group].countRight += 1 }
            let byPitch = parts.sorted { meanPitch($0) > meanPitch($1) }
            for (i, part) in byPitch.enumerated() {
                tally[group].notes += part.notes.count
                guard i < streams.count else { continue }
                var available: [String: Int] = [:]
                for note in streams[i].notes { available["\(note.onsetTicks):\(note.pitch)", default: 0] += 1 }
                for note in part.notes {
                    let key = "\(note.onsetTicks):\(note.pitch)"
                    if let left = available[key], left > 0 {
                        available[key] = left - 1
                        tally[group].right += 1
                    }
                }
            }
        }
        for (label, t) in zip(["2-6 parts", "7+ parts"], tally) where t.notes > 0 {
            print("VoiceSeparation corpus \(genre) (\(label)): \(t.pieces) pieces, \(t.right)/\(t.notes) notes in their own stream "
                  + "(\(String(format: "%.1f", Double(t.right) / Double(t.notes) * 100)) %), "
                  + "stream count right in \(t.countRight)/\(t.pieces)")
        }
        let pieces = tally[0].pieces + tally[1].pieces
        print("VoiceSeparation corpus \(genre): merged voice chordal in \(mergedChordal)/\(pieces) pieces; "
              + "single parts chordal: \(singleChordal)/\(singleParts)")
        XCTAssertEqual(mergedChordal, pieces, "every merged piece should be recognised as chordal")
        XCTAssertLessThanOrEqual(Double(singleChordal), 0.02 * Double(singleParts), "single sung parts are not chordal")
        guard tally[0].notes > 0 else { throw XCTSkip("no readable piece of 2-6 parts in \(directory.path)") }
        XCTAssertGreaterThanOrEqual(Double(tally[0].right) / Double(tally[0].notes), minimumShare)
    }
}

private func meanPitch(_ voice: Voice) -> Double {
    voice.notes.isEmpty ? 0 : Double(voice.notes.reduce(0) { $0 + $1.pitch }) / Double(voice.notes.count)
}
