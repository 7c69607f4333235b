import Foundation
import TaleaScore

/// A held note (a fermata) of a corpus file: the span of the notes under it, in quarter notes
/// from the start of the MIDI file.
public struct FermataSpan: Hashable, Sendable {
    /// Where the fermata's notes start.
    public var startQuarters: Double
    /// Where they end as notated.
    public var endQuarters: Double

    /// Creates a span; `endQuarters` must be after `startQuarters`.
    public init(startQuarters: Double, endQuarters: Double) {
        self.startQuarters = startQuarters
        self.endQuarters = endQuarters
    }
}

/// Where the corpus's files hold fermatas, read from `Corpus/fermatas.csv` (written by
/// `Corpus/fermatas.py` from the scores music21 ships). The corpus MIDI files play every fermata at
/// its notated length; a performer, and some MIDI encoders, hold it longer. The stress variant
/// ``StressVariant/heldFermatas`` holds them, to measure whether a chorale whose phrase ends are
/// held still reads as a chorale.
public struct FermataAnnotations: Sendable, Equatable {
    /// The fermata spans of each file, by manifest id, in time order.
    public var spans: [String: [FermataSpan]]

    /// No annotation: no file holds a fermata.
    public static let none = FermataAnnotations(spans: [:])

    /// Annotations from a dictionary.
    public init(spans: [String: [FermataSpan]]) {
        self.spans = spans
    }

    /// Reads the CSV (`id,fermatas_quarters`, spans written `start-end` and joined by `;`).
    /// A malformed row is an error that names it.
    public init(contentsOf url: URL) throws {
        let rows = try CSV.records(at: url) { FermataAnnotationError.unreadable(path: url.path, reason: $0) }
        guard let header = rows.first, header.count >= 2, header[0] == "id", header[1] == "fermatas_quarters" else {
            throw FermataAnnotationError.malformed(path: url.path, row: 1, reason: "the header must be id,fermatas_quarters")
        }
        var spans: [String: [FermataSpan]] = [:]
        for (offset, row) in rows.dropFirst().enumerated() where !CSV.isBlank(row) {
            let number = offset + 2
            guard row.count >= 2, !row[0].isEmpty else {
                throw FermataAnnotationError.malformed(path: url.path, row: number, reason: "expected an id and its spans")
            }
            var fileSpans: [FermataSpan] = []
            for field in row[1].split(separator: ";") {
                let bounds = field.split(separator: "-").compactMap { Double($0) }
                guard bounds.count == 2, bounds[0].isFinite, bounds[1].isFinite, bounds[0] >= 0, bounds[1] > bounds[0] else {
                    throw FermataAnnotationError.malformed(path: url.path, row: number, reason: "'\(field)' is not a span start-end")
                }
                fileSpans.append(FermataSpan(startQuarters: bounds[0], endQuarters: bounds[1]))
            }
            spans[row[0]] = fileSpans.sorted { $0.startQuarters < $1.startQuarters }
        }
        self.spans = spans
    }

    /// The spans of one file (empty when it has none).
    public func spans(of entryID: String) -> [FermataSpan] {
        spans[entryID] ?? []
    }
}

/// What can go wrong while reading fermata annotations.
public enum FermataAnnotationError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be read.
    case unreadable(path: String, reason: String)
    /// A row is not `id,start-end;start-end…`.
    case malformed(path: String, row: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read fermata annotations \(path): \(reason)"
        case .malformed(let path, let row, let reason): return "fermata annotations \(path), row \(row): \(reason)"
        }
    }
}

extension ScoreVariants {
    /// The score with every fermata held: time inside each span runs `factor` times slower, so the
    /// notes under a fermata last `factor` times their notated length and everything after moves
    /// later by the extra time, as a performer (or an encoder that writes fermatas out) holds them.
    /// Onsets, lengths, ticks, seconds (at the tempo in force), metre and key marks all follow.
    public static func holdingFermatas(_ score: Score, spans: [FermataSpan], factor: Double) -> Score {
        let spans = spans.filter { $0.endQuarters > $0.startQuarters }.sorted { $0.startQuarters < $1.startQuarters }
        guard !spans.isEmpty, factor > 0, factor != 1 else { return score }
        func held(_ q: Double) -> Double {
            var added = 0.0
            for span in spans {
                guard q > span.startQuarters else { break }
                added += (min(q, span.endQuarters) - span.startQuarters) * (factor - 1)
            }
            return q + added
        }
        let ticksPerQuarter = Double(max(score.ticksPerQuarter, 1))
        var result = score
        // The tempo map moves with the music; seconds are then read from it again.
        var elapsed = 0.0
        for t in result.tempi.indices {
            let quarters = held(score.tempi[t].quarters)
            if t > 0 {
                let previous = result.tempi[t - 1]
                elapsed += (quarters - previous.quarters) * Double(previous.microsecondsPerQuarter) / 1_000_000
            }
            result.tempi[t].quarters = quarters
            result.tempi[t].tick = Int((quarters * ticksPerQuarter).rounded())
            if t == 0 { elapsed = quarters * 0.5 }  // before the first tempo: 120 per minute, as the reader assumes
            result.tempi[t].seconds = elapsed
        }
        for v in result.voices.indices {
            result.voices[v].notes = result.voices[v].notes.map { note in
                var note = note
                let onset = held(note.onsetQuarters), end = held(note.endQuarters)
                note.onsetQuarters = onset
                note.durationQuarters = end - onset
                note.onsetTicks = Int((onset * ticksPerQuarter).rounded())
                note.durationTicks = max(1, Int(((end - onset) * ticksPerQuarter).rounded()))
                note.onsetSeconds = seconds(atQuarters: onset, in: result)
                note.durationSeconds = seconds(atQuarters: end, in: result) - note.onsetSeconds
                return note
            }
        }
        func heldMark<Mark>(_ mark: Mark, _ quarters: WritableKeyPath<Mark, Double>, _ tick: WritableKeyPath<Mark, Int>) -> Mark {
            var mark = mark
            mark[keyPath: quarters] = held(mark[keyPath: quarters])
            mark[keyPath: tick] = Int((mark[keyPath: quarters] * ticksPerQuarter).rounded())
            return mark
        }
        result.timeSignatures = result.timeSignatures.map { heldMark($0, \.quarters, \.tick) }
        result.keySignatures = result.keySignatures.map { heldMark($0, \.quarters, \.tick) }
        return result
    }
}
