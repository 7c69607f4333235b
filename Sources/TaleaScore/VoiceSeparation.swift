/// Splitting a chordal voice (several parts written on one MIDI channel) back into monophonic streams.
///
/// Some encoders write a whole chorale or motet on one channel of a format-0 file; the builder then
/// yields one voice of chords, and voice-level cues are lost. ``isChordal(_:)`` recognises such a voice
/// and ``separate(_:)`` splits it into streams ordered from the highest to the lowest part.
///
/// Every time is measured in quarter notes (so the rules do not depend on tempo or on the file's
/// ticks per quarter) and every pitch comparison uses intervals (so they do not depend on transposition).
public enum VoiceSeparation {
    /// Onsets closer than this (in quarters) count as one onset: a chord played slightly unevenly by a
    /// human player (1/12 quarter is 42 ms at 120 quarters per minute) stays one chord.
    public static let onsetTolerance = 1.0 / 12.0
    /// A note that ends less than this (in quarters) after an onset counts as already ended there:
    /// the legato overlap of a performed line does not make it two parts.
    public static let releaseTolerance = 1.0 / 8.0
    /// ``isChordal(_:)``: share of onsets at which two or more notes start together.
    public static let chordOnsetShare = 0.4
    /// ``isChordal(_:)``: share of the sounding time during which two or more notes sound.
    public static let overlapTimeShare = 0.5
    /// Fewest and most streams ``separate(_:)`` makes.
    public static let streamCountRange = 2...6

    /// True when the voice is substantially polyphonic, i.e. holds several parts.
    ///
    /// Rule: onsets within ``onsetTolerance`` quarters of the first onset of a group form one onset.
    /// The voice is chordal when it has at least two notes and either
    /// - at least ``chordOnsetShare`` (40 %) of its distinct onsets start two or more notes, or
    /// - two or more notes sound together during at least ``overlapTimeShare`` (50 %) of the time in
    ///   which any note sounds (each note shortened by ``releaseTolerance``, so legato overlaps of a
    ///   single line do not count).
    ///
    /// Works in quarter notes and note counts only: invariant under tempo and transposition.
    /// O(n log n).
    public static func isChordal(_ voice: Voice) -> Bool {
        let notes = orderedNotes(voice.notes)
        guard notes.count >= 2 else { return false }
        let groups = onsetGroups(notes)
        let chordOnsets = groups.filter { $0.count >= 2 }.count
        if Double(chordOnsets) >= chordOnsetShare * Double(groups.count) { return true }
        return overlapShare(notes) >= overlapTimeShare
    }

    /// Splits a voice into monophonic streams, highest first.
    ///
    /// **Number of streams k**: at each onset (see ``onsetTolerance``), count the notes sounding there
    /// (those starting plus those still held beyond ``releaseTolerance``); k is the 90th percentile of
    /// these counts, clamped to ``streamCountRange`` (2…6).
    ///
    /// **Assignment**, onset by onset in time order. Each stream remembers its last pitch (at the
    /// start, the stream's register: the median pitch of rank s in the chords where k notes start
    /// together with nothing held, or else the pitch quantile (s + ½)/k from the top) and whether its
    /// last note is still sounding. The notes starting at the onset, taken from highest to lowest, go to
    /// streams in increasing order (no two new notes in one stream, no crossing among them), choosing
    /// the assignment of least total cost, found by dynamic programming; the cost of putting a pitch in
    /// stream s is
    /// - the distance in semitones to the stream's last pitch (capped at 24): continuity;
    /// - when k or more notes sound, 4 per step between s and the note's rank among all sounding notes
    ///   scaled to k streams (highest = 0): with a full texture the rank decides;
    /// - 8 for each held note the pitch would cross (above a held note but in a lower stream, or below
    ///   it in a higher stream);
    /// - 1000 if the stream's previous note is still sounding (used only when there is no free stream).
    ///
    /// So with a full texture a new note takes the stream of its rank, and with fewer sounding notes it
    /// takes the free stream whose last pitch is nearest. When more than k notes start at once, they
    /// are spread over the k streams by rank (note i of m goes to stream i·k/m).
    ///
    /// Notes are never dropped or duplicated: the streams together hold exactly the input notes (each
    /// stream sorted by onset, then pitch). Streams left without notes are omitted, so a voice with no
    /// notes gives no streams. Stream names are "<name> 1" (highest), "<name> 2", …; channel, program,
    /// track index and drum flag are copied; `index` keeps the input voice's index, for the caller to
    /// renumber. Deterministic; O(n log n) for at most six streams, however many notes share an onset.
    public static func separate(_ voice: Voice) -> [Voice] {
        let notes = orderedNotes(voice.notes)
        guard !notes.isEmpty else { return [] }
        let groups = onsetGroups(notes)

        // Sounding count at each onset, for k and for the register prior.
        var ends = MinHeap()
        var counts: [Int] = []
        counts.reserveCapacity(groups.count)
        var fullChordPitches: [[Int]] = []
        for group in groups {
            let time = notes[group.lowerBound].onsetQuarters
            while let top = ends.top, top <= time + releaseTolerance { ends.pop() }
            counts.append(ends.count + group.count)
            fullChordPitches.append(ends.count == 0 ? group.map { notes[$0].pitch } : [])
            for i in group { ends.push(notes[i].endQuarters) }
        }
        let sortedCounts = counts.sorted()
        let percentileIndex = min(sortedCounts.count - 1, max(0, Int((0.9 * Double(sortedCounts.count)).rounded(.up)) - 1))
        let k = min(streamCountRange.upperBound, max(streamCountRange.lowerBound, sortedCounts[percentileIndex]))

        var lastPitch = registerPrior(notes: notes, fullChords: fullChordPitches, streams: k)
        var streamEnd = [Double](repeating: -Double.infinity, count: k)
        var assignment = [Int](repeating: 0, count: notes.count)

        for group in groups {
            let time = notes[group.lowerBound].onsetQuarters
            let held = (0..<k).filter { streamEnd[$0] > time + releaseTolerance }
            // New notes from highest to lowest (ties: input order, for determinism).
            let fresh = group.sorted { notes[$0].pitch > notes[$1].pitch || (notes[$0].pitch == notes[$1].pitch && $0 < $1) }
            let sounding = held.count + fresh.count

            let chosen: [Int]
            if fresh.count > k {
                chosen = fresh.indices.map { $0 * k / fresh.count }
            } else {
                // Rank of each new note among all sounding notes, highest = 0.
                let heldPitches = held.map { lastPitch[$0] }
                let targets: [Int] = fresh.enumerated().map { position, index in
                    let pitch = notes[index].pitch
                    let above = heldPitches.filter { $0 > pitch }.count + position
                    return above * k / max(sounding, 1)
                }
                chosen = bestAssignment(count: fresh.count, streams: k) { position, stream in
                    let pitch = notes[fresh[position]].pitch
                    var cost = Double(min(abs(clamp(pitch) - clamp(lastPitch[stream])), 24))
                    if sounding >= k { cost += 4 * Double(abs(stream - targets[position])) }
                    for h in held where h != stream {
                        let heldPitch = lastPitch[h]
                        if (pitch > heldPitch && stream > h) || (pitch < heldPitch && stream < h) { cost += 8 }
                    }
                    if streamEnd[stream] > time + releaseTolerance { cost += 1000 }
                    return cost
                }
            }
            // Update the streams: the last pitch is that of the last new note placed there (the lowest);
            // the end is the latest among the notes still sounding in the stream.
            var updatedEnd = streamEnd
            // Per stream, whether an earlier new note of this onset went there: one flag per stream, so
            // that an onset of m notes costs O(m), not O(m²) (a hostile file can stack 10⁵ notes at once).
            var placedBefore = [Bool](repeating: false, count: k)
            for (position, index) in fresh.enumerated() {
                let stream = chosen[position]
                assignment[index] = stream
                lastPitch[stream] = notes[index].pitch
                let end = notes[index].endQuarters
                let wasHeld = streamEnd[stream] > time + releaseTolerance
                updatedEnd[stream] = (wasHeld || placedBefore[stream]) ? max(updatedEnd[stream], end) : end
                placedBefore[stream] = true
            }
            streamEnd = updatedEnd
        }

        var streams = [[Note]](repeating: [], count: k)
        for (i, note) in notes.enumerated() { streams[assignment[i]].append(note) }
        var result: [Voice] = []
        for stream in streams where !stream.isEmpty {
            // `notes` is in onset order, so each stream is too; restore "onset, then pitch" inside an onset.
            let sorted = stream.sorted { ($0.onsetTicks, $0.pitch) < ($1.onsetTicks, $1.pitch) }
            result.append(Voice(index: voice.index, name: "\(voice.name) \(result.count + 1)",
                                trackIndex: voice.trackIndex, channel: voice.channel, program: voice.program,
                                isDrum: voice.isDrum, notes: sorted))
        }
        return result
    }

    // MARK: - Helpers

    /// A pitch brought into the MIDI range, so that distances cannot overflow on hand-built notes.
    static func clamp(_ pitch: Int) -> Int { min(max(pitch, -1), 128) }

    /// Notes in onset order (quarters, then ticks, then pitch, then input order): a total, deterministic order.
    public static func orderedNotes(_ notes: [Note]) -> [Note] {
        notes.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.onsetQuarters != y.onsetQuarters { return x.onsetQuarters < y.onsetQuarters }
            if x.onsetTicks != y.onsetTicks { return x.onsetTicks < y.onsetTicks }
            if x.pitch != y.pitch { return x.pitch < y.pitch }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Index ranges of notes in ``orderedNotes(_:)`` order forming one onset: each group starts at a
    /// note and takes every following note within ``onsetTolerance`` quarters of it.
    public static func onsetGroups(_ notes: [Note]) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        while start < notes.count {
            var end = start + 1
            let first = notes[start].onsetQuarters
            // `!(a > b)` so that NaN times (impossible from the builder) cannot loop forever.
            while end < notes.count && !(notes[end].onsetQuarters > first + onsetTolerance) { end += 1 }
            groups.append(start..<end)
            start = end
        }
        return groups
    }

    /// Share of the sounding time during which two or more notes sound, each note shortened by
    /// ``releaseTolerance`` (never below zero length). 0 when nothing sounds.
    static func overlapShare(_ notes: [Note]) -> Double {
        var events: [(time: Double, change: Int)] = []
        events.reserveCapacity(notes.count * 2)
        for note in notes {
            let end = note.endQuarters - releaseTolerance
            guard end > note.onsetQuarters else { continue }
            events.append((note.onsetQuarters, 1))
            events.append((end, -1))
        }
        // Ends before starts at one time: touching notes do not overlap.
        events.sort { $0.time < $1.time || ($0.time == $1.time && $0.change < $1.change) }
        var sounding = 0
        var any = 0.0
        var several = 0.0
        var previous = events.first?.time ?? 0
        for event in events {
            let span = event.time - previous
            if span > 0 && span.isFinite {
                if sounding >= 1 { any += span }
                if sounding >= 2 { several += span }
            }
            sounding += event.change
            previous = event.time
        }
        return any > 0 ? several / any : 0
    }

    /// The starting pitch of each stream: the median pitch of rank s over chords of exactly `streams`
    /// notes starting with nothing held, or (with no such chord) the pitch quantile (s + ½)/k from the top.
    static func registerPrior(notes: [Note], fullChords: [[Int]], streams k: Int) -> [Int] {
        var byRank = [[Int]](repeating: [], count: k)
        for chord in fullChords where chord.count == k {
            for (rank, pitch) in chord.sorted(by: >).enumerated() { byRank[rank].append(pitch) }
        }
        if byRank[0].count > 0 {
            return byRank.map { pitches in
                let sorted = pitches.sorted()
                return sorted[sorted.count / 2]
            }
        }
        let descending = notes.map(\.pitch).sorted(by: >)
        return (0..<k).map { s in
            let position = Int((Double(s) + 0.5) / Double(k) * Double(descending.count))
            return descending[min(max(position, 0), descending.count - 1)]
        }
    }

    /// The cheapest order-preserving assignment of `count` items (count ≤ streams) to distinct streams:
    /// item i goes to a stream higher-numbered than item i − 1's. Dynamic programming, O(count · streams).
    static func bestAssignment(count: Int, streams: Int, cost: (Int, Int) -> Double) -> [Int] {
        guard count > 0 else { return [] }
        guard count <= streams else { return (0..<count).map { $0 * streams / count } }
        // best[i][j]: least cost of placing the first i items in streams < j.
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: streams + 1), count: count + 1)
        for j in 0...streams { best[0][j] = 0 }
        for i in 1...count {
            for j in 1...streams {
                let skip = best[i][j - 1]
                let take = best[i - 1][j - 1] + cost(i - 1, j - 1)
                best[i][j] = take < skip ? take : skip
            }
        }
        // Walk back: at (i, j) the item i − 1 took stream j − 1 unless skipping was as cheap.
        var result = [Int](repeating: 0, count: count)
        var i = count
        var j = streams
        while i > 0 && j > 0 {
            if j > i && best[i][j] == best[i][j - 1] {
                j -= 1
            } else {
                result[i - 1] = j - 1
                i -= 1
                j -= 1
            }
        }
        return result
    }
}

/// A binary min-heap of times (ends of sounding notes).
private struct MinHeap {
    private var items: [Double] = []

    var count: Int { items.count }
    var top: Double? { items.first }

    mutating func push(_ value: Double) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

extension Score {
    /// The score with its chordal voices split into monophonic streams when it has no single line.
    ///
    /// When every non-drum voice with notes holds chords (``VoiceSeparation/isChordal(_:)``) — a
    /// format-0 file with every part on one channel, a lone piano staff, a chorale or motet written
    /// as a short score of two staves — each of them is replaced, in place, by
    /// ``VoiceSeparation/separate(_:)``'s streams (highest first), voice indices are renumbered 0…,
    /// and a warning records each split. A score with at least one single line (a song's vocal line
    /// beside its piano staves, a chorale written part by part) is returned unchanged, as is one
    /// without pitched notes.
    public func separatingChordalVoices() -> Score {
        let pitched = voices.filter { !$0.isDrum && !$0.notes.isEmpty }
        guard !pitched.isEmpty, pitched.allSatisfy(VoiceSeparation.isChordal) else { return self }
        var result = self
        result.voices = []
        for voice in voices {
            let streams = voice.isDrum || voice.notes.isEmpty ? [] : VoiceSeparation.separate(voice)
            guard streams.count > 1 else {
                result.voices.append(voice)
                continue
            }
            result.voices += streams
            result.warnings.append("voice \"\(voice.name)\" holds chords on one channel; separated into \(streams.count) streams")
        }
        for i in result.voices.indices { result.voices[i].index = i }
        return result
    }
}
