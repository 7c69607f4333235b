import TaleaScore

/// One onset of a voice after near-simultaneous notes were merged (a note or a chord).
struct LineEvent: Sendable, Hashable {
    /// Onset of the earliest note of the cluster, in quarter notes.
    var onset: Double
    /// Time to the next onset (for the last event: its own sounding length), in quarter notes.
    var ioi: Double
    /// Longest sounding length of the notes in the cluster, in quarter notes.
    var duration: Double
    /// Highest and lowest pitch of the cluster.
    var top: Int
    var bottom: Int
    /// Notes in the cluster.
    var count: Int
    /// The inter-onset interval in twelfths of the voice's pulse, snapped to a musical grid.
    var twelfths: Int
    /// Relative distance of the interval from its snapped value (0 for exactly notated files).
    var snapError: Double
    /// True when a rest follows the note: a silence of at least a quarter of the pulse and 30% of the
    /// inter-onset interval (so a rest keeps its flag when a talea is restated in diminution).
    var restAfter: Bool
}

/// Notes struck together while a line is built.
private struct Cluster {
    var onset: Double
    var duration: Double
    var top: Int
    var bottom: Int
    var count: Int
    var end: Double
}

/// A voice reduced to what rhythm, melody and isorhythm analysis need: its pulse and its events.
///
/// Every time is measured relative to the voice's own pulse, so scaling all durations by any
/// factor leaves the event tokens (``LineEvent/twelfths``) unchanged, and the snapping to a grid of
/// quarter- and third-pulses absorbs a few percent of performance jitter.
struct VoiceLine: Sendable {
    /// Weight of note `index` in pitch statistics: its length, with zero-length notes (grace notes)
    /// counting a millionth of a pulse (relative, so that duration scaling changes nothing).
    func weight(_ index: Int) -> Double { max(durations[index], 1e-6 * pulse) }

    /// Robust pulse of the voice in quarter notes (median inter-onset interval of merged onsets).
    var pulse: Double
    /// Merged onsets in time order.
    var events: [LineEvent]
    /// Pitches and durations (quarters) of every note, for pitch-class and register measures.
    var pitches: [Int]
    var durations: [Double]
    /// Onsets (quarters) of every note, parallel to ``pitches``.
    var noteOnsets: [Double]
    /// Time from the first onset to the last end, in quarter notes.
    var span: Double
    /// Sum of silences between events inside the span, in quarter notes.
    var silence: Double
    /// True when at least half of the intervals lie within 1% of a grid value of the pulse: the line
    /// is taken as written, and no tempo tracker re-reads it.
    var readsAsNotated: Bool

    /// The line of a voice as notated: when the voice's notes typically sound only part of the time
    /// to the next onset (a detached performance, an encoder that shortens every note), that
    /// articulation is undone first (see ``undoingArticulation(_:)``), so rests, phrase ends and
    /// sonorities are read as a legato encoding of the same music would show them.
    init(notes: [Note]) {
        let sorted = VoiceLine.usableNotesInOrder(notes)
        let asPlayed = VoiceLine(sortedNotes: sorted)
        guard let legato = asPlayed.undoingArticulation(sorted) else {
            self = asPlayed
            return
        }
        self = VoiceLine(sortedNotes: legato)
    }

    /// The share of the time to the next onset that this voice's notes typically sound: the upper
    /// quartile of sounding length over inter-onset interval, over the events that have a successor
    /// (nil with fewer than 8 of them). The upper quartile, not the median, so that a voice whose
    /// notes are mostly followed by notated rests (a hocket, a tenor's long-rest talea) still reads 1.
    var typicalArticulation: Double? {
        guard events.count > 8 else { return nil }
        var ratios: [Double] = []
        ratios.reserveCapacity(events.count - 1)
        for event in events.dropLast() where event.ioi > 0 {
            ratios.append(event.duration / event.ioi)
        }
        guard ratios.count >= 8 else { return nil }
        let rank = Int((Double(ratios.count - 1) * 0.75).rounded())
        return VoiceLine.select(&ratios, rank)
    }

    /// Every note lengthened by the inverse of ``typicalArticulation`` when it is below 1 (nil when
    /// there is nothing to undo). A uniformly detached line so regains the lengths of its notation
    /// exactly, held notes included, and a rest much longer than the detachment stays a rest. Notes
    /// of no length (an encoder that writes none) are held to the next onset (the last for a pulse).
    func undoingArticulation(_ sorted: [Note]) -> [Note]? {
        guard let articulation = typicalArticulation, articulation < 1 else { return nil }
        var legato = sorted
        var next = 0
        for index in legato.indices {
            let length = legato[index].durationQuarters
            guard length.isFinite, length >= 0 else { continue }
            if articulation > 1e-9 {
                legato[index].durationQuarters = length / articulation
            } else {
                let onset = legato[index].onsetQuarters
                while next < events.count && events[next].onset <= onset { next += 1 }
                legato[index].durationQuarters = max(length, next < events.count ? events[next].onset - onset : pulse)
            }
        }
        return legato
    }

    /// The notes with a finite onset, in the builder's order (onset, then pitch). Usually every note
    /// is usable and already in that order: then the array is returned as given, without a copy.
    static func usableNotesInOrder(_ unsorted: [Note]) -> [Note] {
        var notes = unsorted
        if !unsorted.allSatisfy({ $0.onsetQuarters.isFinite && abs($0.onsetQuarters) < 1e12 }) {
            notes = unsorted.filter { $0.onsetQuarters.isFinite && abs($0.onsetQuarters) < 1e12 }
        }
        for index in notes.indices.dropFirst() {
            let a = notes[index - 1], b = notes[index]
            if !(a.onsetQuarters < b.onsetQuarters || (a.onsetQuarters == b.onsetQuarters && a.pitch <= b.pitch)) {
                notes.sort { ($0.onsetQuarters, $0.pitch) < ($1.onsetQuarters, $1.pitch) }
                break
            }
        }
        return notes
    }

    /// The line of notes exactly as they sound (already usable and in order).
    init(sortedNotes notes: [Note]) {
        var pitches = [Int](), durations = [Double](), noteOnsets = [Double]()
        pitches.reserveCapacity(notes.count); durations.reserveCapacity(notes.count); noteOnsets.reserveCapacity(notes.count)
        for note in notes {
            pitches.append(note.pitch)
            durations.append(max(0, note.durationQuarters.isFinite ? note.durationQuarters : 0))
            noteOnsets.append(note.onsetQuarters)
        }
        self.pitches = pitches
        self.durations = durations
        self.noteOnsets = noteOnsets
        guard let first = notes.first else {
            pulse = 1; events = []; span = 0; silence = 0; readsAsNotated = true
            return
        }
        // 1. A first, duration-weighted median of the inter-onset intervals: tiny gaps from spread
        //    chords or ornaments weigh little, so it is robust to performance noise.
        var gaps: [Double] = []
        gaps.reserveCapacity(notes.count)
        var previous = first.onsetQuarters
        for note in notes.dropFirst() where note.onsetQuarters > previous {
            gaps.append(note.onsetQuarters - previous)
            previous = note.onsetQuarters
        }
        // Long rests weigh much in that median, so the clustering scale is the plain median of the
        // gaps that are at least an eighth of it (which drops chord spreads, keeps real notes).
        // Both medians are read from the gaps sorted once (all positive and finite, so the order
        // statistics, hence the values, are those of `weightedMedian` and `median`).
        gaps.sort()
        let weighted = VoiceLine.weightedMedian(sorted: gaps) ?? max(first.durationQuarters, 1e-9)
        var kept = gaps.count
        while kept > 0 && gaps[gaps.count - kept] < weighted / 8 { kept -= 1 }
        let roughPulse = VoiceLine.median(sorted: gaps[(gaps.count - kept)...]) ?? weighted
        let tolerance = 0.15 * roughPulse

        // 2. Merge onsets closer than the tolerance into clusters (chords, spread chords).
        var clusters: [Cluster] = []
        clusters.reserveCapacity(notes.count)
        for note in notes {
            let duration = max(0, note.durationQuarters.isFinite ? note.durationQuarters : 0)
            if let last = clusters.last, note.onsetQuarters - last.onset <= tolerance {
                clusters[clusters.count - 1].duration = max(last.duration, duration)
                clusters[clusters.count - 1].top = max(last.top, note.pitch)
                clusters[clusters.count - 1].bottom = min(last.bottom, note.pitch)
                clusters[clusters.count - 1].count += 1
                clusters[clusters.count - 1].end = max(last.end, note.onsetQuarters + duration)
            } else {
                clusters.append(Cluster(onset: note.onsetQuarters, duration: duration, top: note.pitch,
                                        bottom: note.pitch, count: 1, end: note.onsetQuarters + duration))
            }
        }
        // 3. The pulse: the plain median inter-onset interval of the clusters.
        var clusterGaps: [Double] = []
        clusterGaps.reserveCapacity(clusters.count)
        for index in 1..<max(1, clusters.count) {
            clusterGaps.append(clusters[index].onset - clusters[index - 1].onset)
        }
        var estimated = clusterGaps.withUnsafeMutableBufferPointer { VoiceLine.medianInPlace($0) } ?? roughPulse
        if !(estimated > 0) || !estimated.isFinite { estimated = max(clusters[0].duration, 1) }
        if !(estimated > 0) || !estimated.isFinite { estimated = 1 }
        pulse = estimated

        // 4. Events with rest flags and IOIs snapped against the global pulse.
        var events: [LineEvent] = []
        events.reserveCapacity(clusters.count)
        var silence = 0.0
        var maxEnd = clusters[0].end
        var exact = 0
        for index in clusters.indices {
            let cluster = clusters[index]
            let ioi: Double
            if index + 1 < clusters.count {
                ioi = clusters[index + 1].onset - cluster.onset
                let gap = clusters[index + 1].onset - max(maxEnd, cluster.end)
                if gap > 0 { silence += gap }
            } else {
                ioi = max(cluster.duration, 0)
            }
            maxEnd = max(maxEnd, cluster.end)
            let gap = ioi - cluster.duration
            let rest = index + 1 < clusters.count && gap >= 0.25 * estimated && gap >= 0.3 * ioi
            let (twelfths, error) = VoiceLine.snap(ioi, pulse: estimated)
            if index + 1 < clusters.count && twelfths > 0 && error <= 0.01 { exact += 1 }
            events.append(LineEvent(onset: cluster.onset, ioi: ioi, duration: cluster.duration,
                                    top: cluster.top, bottom: cluster.bottom, count: cluster.count,
                                    twelfths: twelfths, snapError: error, restAfter: rest))
        }
        // 5. A line where at least half of the intervals lie within 1% of a grid value reads as
        //    notated, and stays as read: there, an interval near a simple value is a written one (a
        //    triplet against dotted notes). A performed line is read again by a slow tempo tracker
        //    that follows rubato: after each interval that snaps cleanly (within 12% of a simple
        //    value: 1/2, 1, 3/2, 2, 3 or 4 pulses) the local pulse moves 15% of the way towards the
        //    pulse that interval implies, within 2/3 ... 3/2 of the global pulse; a statement in
        //    diminution snaps to halved values without moving it.
        readsAsNotated = 2 * exact >= events.count - 1
        if !readsAsNotated {
            var localPulse = estimated
            for index in events.indices {
                let ioi = events[index].ioi
                let (twelfths, error) = VoiceLine.snap(ioi, pulse: localPulse)
                events[index].twelfths = twelfths
                events[index].snapError = error
                if VoiceLine.isSimpleValue(twelfths), ioi > 0 {
                    let implied = ioi / (Double(twelfths) / 12)
                    if abs(implied - localPulse) <= 0.12 * localPulse {
                        localPulse = min(max(0.85 * localPulse + 0.15 * implied, estimated / 1.5), estimated * 1.5)
                    }
                }
            }
        }
        self.events = events
        self.silence = silence
        span = max(0, maxEnd - first.onsetQuarters)
    }

    /// An interval snapped against a pulse (``snapToTwelfths(_:)``), with its relative distance from
    /// the snapped value (capped at 1; 0 when it snaps to nothing).
    @inline(__always)
    static func snap(_ ioi: Double, pulse: Double) -> (twelfths: Int, error: Double) {
        let twelfths = snapToTwelfths(ioi / pulse)
        let snapped = Double(twelfths) / 12
        return (twelfths, snapped > 0 ? min(1, abs(ioi / pulse - snapped) / snapped) : 0)
    }

    /// True for 1/2, 1, 3/2, 2, 3 or 4 pulses (in twelfths), the values the tempo tracker follows.
    @inline(__always)
    static func isSimpleValue(_ twelfths: Int) -> Bool {
        switch twelfths {
        case 6, 12, 18, 24, 36, 48: true
        default: false
        }
    }

    /// Snaps a duration ratio (in pulses) to a musical grid and returns it in twelfths of a pulse:
    /// quarter- or third-pulses below 4 pulses, half- or third-pulses up to 16, whole pulses beyond.
    static func snapToTwelfths(_ ratio: Double) -> Int {
        guard ratio.isFinite, ratio > 0 else { return 0 }
        let r = min(ratio, 1e6)
        let value: Double
        if r < 4 {
            let quarter = (r * 4).rounded() / 4, third = (r * 3).rounded() / 3
            value = abs(quarter - r) <= abs(third - r) ? quarter : third
        } else if r < 16 {
            let half = (r * 2).rounded() / 2, third = (r * 3).rounded() / 3
            value = abs(half - r) <= abs(third - r) ? half : third
        } else {
            value = r.rounded()
        }
        return Int((value * 12).rounded())
    }

    /// Median of the values (nil when empty), by selection rather than a full sort.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var work = values
        return work.withUnsafeMutableBufferPointer { medianInPlace($0) }
    }

    /// Median of the values in a scratch buffer, which it reorders (nil when empty); the same
    /// selection, hence the same value to the bit, as ``median(_:)``.
    static func medianInPlace(_ work: UnsafeMutableBufferPointer<Double>) -> Double? {
        guard !work.isEmpty else { return nil }
        // All values identical to the bit (a notated file's grid errors, a legato line): selection
        // would find that value at both middles, so the result is known without moving anything.
        let firstBits = work[0].bitPattern
        var index = 1
        while index < work.count && work[index].bitPattern == firstBits { index += 1 }
        if index == work.count {
            let value = work[0]
            return work.count % 2 == 1 ? value : 0.5 * (max(-Double.infinity, value) + value)
        }
        let middle = work.count / 2
        let upper = select(work, middle)
        guard work.count % 2 == 0 else { return upper }
        // The lower middle is the largest value left of the upper one after selection.
        var lower = -Double.infinity
        for index in 0..<middle { lower = max(lower, work[index]) }
        return 0.5 * (lower + upper)
    }

    /// Rearranges `values` so that index `k` holds the k-th smallest value, smaller ones before it
    /// (Hoare's selection with middle pivots; NaN-free input).
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        values.withUnsafeMutableBufferPointer { select($0, k) }
    }

    /// ``select(_:_:)`` on a buffer.
    static func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }

    /// Median of whole numbers (nil when empty): the same value as ``median(_:)`` of the numbers as
    /// `Double` (exact below 2^53), by counting when they span a small range.
    static func median(wholeNumbers values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        var low = Int.max, high = Int.min
        for value in values { low = min(low, value); high = max(high, value) }
        guard high - low < 4096, abs(low) < 1 << 52, abs(high) < 1 << 52 else {
            return median(values.map(Double.init))
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: high - low + 1) { counts -> Double in
            for slot in counts.indices { counts[slot] = 0 }
            for value in values { counts[value - low] += 1 }
            // The values of rank `middle` (and `middle - 1` for an even count), 0-based.
            let middle = values.count / 2
            var seen = 0, lower = low, upper = low
            var foundLower = false
            for slot in counts.indices {
                let next = seen + counts[slot]
                if !foundLower && middle - 1 < next { lower = low + slot; foundLower = true }
                if middle < next { upper = low + slot; break }
                seen = next
            }
            guard values.count % 2 == 0 else { return Double(upper) }
            return 0.5 * (Double(lower) + Double(upper))
        }
    }

    /// Median of values sorted in increasing order (nil when empty).
    static func median(sorted: ArraySlice<Double>) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.startIndex + sorted.count / 2
        guard sorted.count % 2 == 0 else { return sorted[middle] }
        return 0.5 * (sorted[middle - 1] + sorted[middle])
    }

    /// The value below which half of the total (value-weighted) mass lies (nil when empty).
    static func weightedMedian(_ values: [Double]) -> Double? {
        weightedMedian(sorted: values.sorted())
    }

    /// ``weightedMedian(_:)`` of values already sorted in increasing order.
    static func weightedMedian(sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let total = sorted.reduce(0, +)
        guard total > 0 else { return nil }
        var running = 0.0
        for value in sorted {
            running += value
            if running >= 0.5 * total { return value }
        }
        return sorted.last
    }
}
