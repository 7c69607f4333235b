import Foundation
import TaleaMIDI
import TaleaScore

/// The re-encodings of a file that evaluation checks the model against: a user's file may be
/// format 0, humanised, transposed or written at another resolution, and the label must not move.
public enum StressVariant: String, CaseIterable, Codable, Sendable {
    /// The file as it is.
    case original
    /// Written as format 0 (one track, voices only by channel) and read back.
    case formatZero = "format-0"
    /// Written as format 0 with every voice on one channel, and read back: one voice of chords.
    case oneChannel = "format-0, one channel"
    /// A humanised performance: onset jitter and rubato (a seed unseen in training).
    case humanised
    /// A detached performance: as ``humanised``, and every note sounds only about 60% of its
    /// length (±15% from note to note), so that silences follow most notes.
    case detached = "humanised, detached (notes sound 60%)"
    /// A free performance: strong rubato (local tempo ±25%) and larger onset jitter.
    case freeRubato = "humanised, strong rubato (±25%)"
    /// Transposed up a perfect fourth (+5 semitones).
    case transposedUp = "transposed +5"
    /// Transposed down a minor third (−3 semitones).
    case transposedDown = "transposed -3"
    /// Re-timed: written at 10,080 ticks per quarter note with every tempo doubled in
    /// microseconds (half speed), and read back.
    case retimed = "re-timed (10080 PPQ, half tempo)"
    /// Written by a bare encoder: no time or key signatures, no track names, and read back.
    case bare = "no metre, key or names"
    /// Written by a sequencer that notates every file in its default metre: one 4/4 signature at the
    /// start in place of the edition's (a motet's 6/8 or 9/8 as much as a chorale's 3/4).
    case defaultMetre = "metre written as 4/4 throughout"
    /// Transcribed in halved note values (an edition reducing 1:4 where the corpus reduces 1:2):
    /// every onset and length in quarter notes halved, each quarter note lasting twice as long, so the
    /// music sounds as before.
    case halvedValues = "note values halved"
    /// Transcribed in doubled note values (minims where the corpus has crotchets).
    case doubledValues = "note values doubled"
    /// The first half played twice, as an encoder that writes out a repeat sign plays it
    /// (``ScoreVariants/repeatingFirstHalf(_:)``): a chorale's *Stollen*, a strophic song's verse.
    /// An isorhythmic motet carries no such sign, so motets are not tested with it.
    case repeatWrittenOut = "first half repeated (repeat written out)"
    /// A legato performance in which each note is held a quarter of a quarter note into the next
    /// (``ScoreVariants/overlappingLegato(_:overlap:reach:)``): a single line briefly sounds two notes.
    case legatoOverlap = "legato, notes overlapping the next (0.25 quarter)"
    /// Grace notes played as a notation program plays them, before one note in ten of those lasting a
    /// quarter note or more (``ScoreVariants/addingGraceNotes(_:seed:share:length:)``). Not applied to
    /// motets, whose editions carry none.
    case graceNotes = "grace notes before one longer note in ten"
    /// Every annotated fermata held twice its notated length, as a performer or an encoder that
    /// writes fermatas out plays it (``FermataAnnotations``). Only files with annotated fermatas
    /// (the chorales) are tested.
    case heldFermatas = "fermatas held twice as long"
    /// Written as a short score, as many encoders write a chorale: the parts merged in pairs from the
    /// top (soprano and alto on one staff, tenor and bass on another; a motet's triplum and motetus,
    /// contratenor and tenor; a song's voice and right hand), each staff one track on one channel.
    /// Its staves are scored as its voices (``ScoreVariants/mergingPartsInPairs(_:)``).
    case shortScore = "short score (parts merged in pairs)"
    /// The same work written by another MIDI encoder, read from a folder of such files
    /// (``EvaluationOptions/anotherEncoder``, `talea evaluate --another-encoder DIR`), not made
    /// from the score: ``apply(to:seed:fermatas:)`` cannot make it and throws.
    case anotherEncoder = "another encoder (files of the same works)"

    /// Whether ``apply(to:seed:fermatas:)`` makes this re-encoding from a score: every variant but
    /// ``anotherEncoder``, whose files are read from a folder.
    public var isMadeFromScore: Bool { self != .anotherEncoder }

    /// Whether this re-encoding is one a file of `label` can meet: repeat signs and grace notes are
    /// written out for anything but a motet, and fermatas are held only where they are known.
    public func applies(to label: CorpusLabel, fermatas: [FermataSpan]) -> Bool {
        switch self {
        case .repeatWrittenOut, .graceNotes: return label != .genre(.isorhythmicMotet)
        case .heldFermatas: return !fermatas.isEmpty
        case .anotherEncoder: return false
        default: return true
        }
    }

    /// The variant of a score. Variants that go through MIDI bytes use the project's writer and reader.
    /// `fermatas` are the file's annotated fermatas (only ``heldFermatas`` reads them).
    /// ``anotherEncoder`` cannot be made from a score and throws ``CorpusError/variantReadFromFiles(_:)``.
    public func apply(to score: Score, seed: UInt64, fermatas: [FermataSpan] = []) throws -> Score {
        switch self {
        case .original:
            return score
        case .formatZero:
            return try Self.readBack(score.formatZeroMIDIFile())
        case .oneChannel:
            var oneChannel = score
            for v in oneChannel.voices.indices where !oneChannel.voices[v].isDrum {
                oneChannel.voices[v].channel = 0
                for n in oneChannel.voices[v].notes.indices { oneChannel.voices[v].notes[n].channel = 0 }
            }
            return try Self.readBack(oneChannel.midiFile().mergedToFormatZero())
        case .humanised:
            return ScoreVariants.humanised(score, seed: seed ^ 0xA5A5_5A5A)
        case .detached:
            return ScoreVariants.humanised(score, seed: seed ^ 0xD37A_C4ED, articulation: 0.6, articulationSpread: 0.15)
        case .freeRubato:
            return ScoreVariants.humanised(score, seed: seed ^ 0x5B0A_70E5, jitterQuarters: 0.06, rubatoDepth: 0.25)
        case .transposedUp:
            return Self.transposed(score, by: 5)
        case .transposedDown:
            return Self.transposed(score, by: -3)
        case .retimed:
            let factor = max(1, 10_080 / max(score.ticksPerQuarter, 1))
            return try Self.rewritten(score, tickFactor: Double(factor), ticksPerQuarter: score.ticksPerQuarter * factor,
                                      tempoFactor: 2)
        case .halvedValues:
            return try Self.rescaled(score, by: 0.5)
        case .doubledValues:
            return try Self.rescaled(score, by: 2)
        case .repeatWrittenOut:
            return ScoreVariants.repeatingFirstHalf(score)
        case .legatoOverlap:
            return ScoreVariants.overlappingLegato(score)
        case .graceNotes:
            return ScoreVariants.addingGraceNotes(score, seed: seed ^ 0x6AC3_0A7E)
        case .heldFermatas:
            return ScoreVariants.holdingFermatas(score, spans: fermatas, factor: 2)
        case .anotherEncoder:
            throw CorpusError.variantReadFromFiles(rawValue)
        case .shortScore:
            return try Self.readBack(ScoreVariants.mergingPartsInPairs(score).midiFile(distinctChannels: true))
        case .defaultMetre:
            var common = score
            common.timeSignatures = [TimeSignature(tick: 0, quarters: 0, numerator: 4, denominator: 4)]
            return try Self.readBack(common.midiFile())
        case .bare:
            var bare = score
            bare.timeSignatures = []
            bare.keySignatures = []
            for v in bare.voices.indices { bare.voices[v].name = "" }
            return try Self.readBack(bare.midiFile())
        }
    }

    /// A MIDI file written to bytes with the project's writer and read back as a user's file would be.
    static func readBack(_ file: MIDIFile) throws -> Score {
        try Score(midi: MIDIFile(bytes: file.serialized()))
    }

    /// The score with every time in quarter notes multiplied by `factor` (1/2 or 2), written and read
    /// back: the ticks are kept and the division scaled by 1/`factor`, or, where that division is not
    /// a whole number of 15 bits, the ticks are scaled instead. Each quarter note lasts 1/`factor` as
    /// long, so the music lasts as long in seconds.
    static func rescaled(_ score: Score, by factor: Double) throws -> Score {
        let division = Double(score.ticksPerQuarter) / factor
        if division == division.rounded(), division >= 1, division < 0x8000 {
            return try rewritten(score, tickFactor: 1, ticksPerQuarter: Int(division), tempoFactor: 1 / factor)
        }
        // The division cannot carry the factor: the ticks do (exact when doubling; when halving at a
        // division of 16,384 or more, within a tick).
        return try rewritten(score, tickFactor: factor, ticksPerQuarter: score.ticksPerQuarter, tempoFactor: 1 / factor)
    }

    /// The score written as format 1 with every tick multiplied by `tickFactor` (rounded),
    /// `ticksPerQuarter` as its division and every tempo's microseconds per quarter multiplied by
    /// `tempoFactor` (within MIDI's 24 bits), and read back.
    static func rewritten(_ score: Score, tickFactor: Double, ticksPerQuarter: Int, tempoFactor: Double) throws -> Score {
        let tracks = score.midiFile().tracks.map { track in
            MIDITrack(events: track.events.map { event in
                var event = event
                if tickFactor != 1 { event.tick = Int((Double(event.tick) * tickFactor).rounded()) }
                if case .meta(.tempo(let tempo)) = event.message, tempoFactor != 1 {
                    let scaled = min(max(1, (Double(tempo) * tempoFactor).rounded()), Double(0xFF_FFFF))
                    event.message = .meta(.tempo(microsecondsPerQuarter: UInt32(scaled)))
                }
                return event
            })
        }
        return try readBack(MIDIFile(format: 1, ticksPerQuarter: ticksPerQuarter, tracks: tracks))
    }

    /// Every pitch moved by `semitones` (drums untouched; pitches kept within 0...127 by octaves).
    public static func transposed(_ score: Score, by semitones: Int) -> Score {
        var result = score
        for v in result.voices.indices where !result.voices[v].isDrum {
            for n in result.voices[v].notes.indices {
                var pitch = result.voices[v].notes[n].pitch + semitones
                while pitch > 127 { pitch -= 12 }
                while pitch < 0 { pitch += 12 }
                result.voices[v].notes[n].pitch = pitch
            }
        }
        return result
    }
}
