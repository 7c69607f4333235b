import Foundation

/// Features computed for one voice on its own. A piece aggregates them over its voices as
/// `mean.*` (mean over voices), `slowest.*` (the voice with the longest pulse: a tenor, a bass)
/// and `active.*` (the voice with the most onsets: a triplum, a piano part) — see ``FeatureExtractor``.
///
/// Every time is relative to the voice's own pulse (see ``VoiceLine``), so these values do not change
/// when all durations are scaled; pitch is used only through intervals and pitch classes relative to
/// the voice itself, except for the `register.*` features, which are declared absolute.
enum VoiceFeature: Int, CaseIterable {
    // Melody: intervals between successive onsets of the voice's highest line.
    case melodyUnison, melodySemitone, melodyTone, melodyThird, melodyFourth, melodyTritone, melodyFifth,
         melodySixthSeventh, melodyOctavePlus, melodyMeanInterval, melodyDirectionChanges, melodyAscending,
         melodyGapFill, melodyChromaticRun
    // Pitch.
    case pitchAmbitus, pitchSpread, pitchDiatonicFit, pitchClassesUsed
    case registerMean, registerLowest, registerHighest
    // Rhythm.
    case ioiVeryShort, ioiHalf, ioiPulse, ioiDotted, ioiDouble, ioiTriple, ioiLong, ioiVeryLong
    case ioiEntropy, ioiLogSpread, dottedPairs, trocheePairs, thirdSubdivision, halfSubdivision,
         ternaryGrouping, onPulse, syncopation, restRatio, restsPerNote, phraseEndRate, phraseLength,
         phraseRegularity, articulation, notesPerOnset, gridDeviation, pulseQuarters, notesPerQuarter,
         onsetCount, motifRepetition
    // Isorhythm.
    case taleaStrength, taleaNotes, taleaPulses, taleaStatements, colorStrength, colorNotes, colorStatements,
         pitchAgreementAtTalea, taleaDiffersFromColor, proportionChange, isorhythmStrength

    /// Name, definition, unit, and whether it is absolute (exempt from invariance).
    var declaration: (name: String, definition: String, unit: String, absolute: Bool) {
        switch self {
        case .melodyUnison: ("melody.unison", "share of melodic intervals that repeat the pitch", "fraction", false)
        case .melodySemitone: ("melody.semitone", "share of melodic intervals of 1 semitone", "fraction", false)
        case .melodyTone: ("melody.tone", "share of melodic intervals of 2 semitones", "fraction", false)
        case .melodyThird: ("melody.third", "share of melodic intervals of 3 or 4 semitones", "fraction", false)
        case .melodyFourth: ("melody.fourth", "share of melodic intervals of 5 semitones", "fraction", false)
        case .melodyTritone: ("melody.tritone", "share of melodic intervals of 6 semitones", "fraction", false)
        case .melodyFifth: ("melody.fifth", "share of melodic intervals of 7 semitones", "fraction", false)
        case .melodySixthSeventh: ("melody.sixth_seventh", "share of melodic intervals of 8 to 11 semitones", "fraction", false)
        case .melodyOctavePlus: ("melody.octave_plus", "share of melodic intervals of an octave or more", "fraction", false)
        case .melodyMeanInterval: ("melody.mean_interval", "mean absolute melodic interval", "semitones", false)
        case .melodyDirectionChanges: ("melody.direction_changes", "share of successive pitch moves that change direction (contour turns)", "fraction", false)
        case .melodyAscending: ("melody.ascending", "share of pitch moves that go up", "fraction", false)
        case .melodyGapFill: ("melody.gap_fill", "share of leaps (>= 5 semitones) followed by a move in the opposite direction", "fraction", false)
        case .melodyChromaticRun: ("melody.chromatic_run", "share of semitone moves that continue a semitone move in the same direction", "fraction", false)
        case .pitchAmbitus: ("pitch.ambitus", "highest minus lowest pitch of the voice", "semitones", false)
        case .pitchSpread: ("pitch.spread", "duration-weighted standard deviation of pitch", "semitones", false)
        case .pitchDiatonicFit: ("pitch.diatonic_fit", "share of sounding time on the best-fitting 7-note diatonic collection (few accidentals = 1)", "fraction", false)
        case .pitchClassesUsed: ("pitch.classes_used", "pitch classes holding at least 3% of sounding time, divided by 12", "fraction", false)
        case .registerMean: ("register.mean", "duration-weighted mean MIDI pitch (changes with transposition)", "MIDI key", true)
        case .registerLowest: ("register.lowest", "lowest MIDI pitch (changes with transposition)", "MIDI key", true)
        case .registerHighest: ("register.highest", "highest MIDI pitch (changes with transposition)", "MIDI key", true)
        case .ioiVeryShort: ("rhythm.ioi_very_short", "share of inter-onset intervals under 0.4 pulse", "fraction", false)
        case .ioiHalf: ("rhythm.ioi_half", "share of inter-onset intervals of 0.4 to 0.8 pulse (halves, two-thirds)", "fraction", false)
        case .ioiPulse: ("rhythm.ioi_pulse", "share of inter-onset intervals of 0.8 to 1.25 pulse", "fraction", false)
        case .ioiDotted: ("rhythm.ioi_dotted", "share of inter-onset intervals of 1.25 to 1.75 pulses", "fraction", false)
        case .ioiDouble: ("rhythm.ioi_double", "share of inter-onset intervals of 1.75 to 2.5 pulses", "fraction", false)
        case .ioiTriple: ("rhythm.ioi_triple", "share of inter-onset intervals of 2.5 to 3.5 pulses", "fraction", false)
        case .ioiLong: ("rhythm.ioi_long", "share of inter-onset intervals of 3.5 to 6 pulses", "fraction", false)
        case .ioiVeryLong: ("rhythm.ioi_very_long", "share of inter-onset intervals of 6 pulses or more", "fraction", false)
        case .ioiEntropy: ("rhythm.ioi_entropy", "Shannon entropy of the snapped inter-onset intervals", "bits", false)
        case .ioiLogSpread: ("rhythm.ioi_log_spread", "standard deviation of log2 of the snapped inter-onset intervals", "log2 pulses", false)
        case .dottedPairs: ("rhythm.dotted_pairs", "share of successive onsets in a long-short 3:1 proportion (dotted rhythm)", "fraction", false)
        case .trocheePairs: ("rhythm.trochee_pairs", "share of successive onsets in a long-short 2:1 proportion (ternary trochee)", "fraction", false)
        case .thirdSubdivision: ("rhythm.third_subdivision", "share of onsets whose interval is a multiple of a third of a pulse but not of a half (triplets, perfect prolation)", "fraction", false)
        case .halfSubdivision: ("rhythm.half_subdivision", "share of onsets whose interval is an odd multiple of half a pulse (binary subdivision)", "fraction", false)
        case .ternaryGrouping: ("rhythm.ternary_grouping", "evidence that pulses group in threes minus evidence that they group in twos (duration-weighted onset phase concentration on the snapped timeline, in windows of 16 onsets)", "difference of fractions", false)
        case .onPulse: ("rhythm.on_pulse", "share of onsets that fall on a whole pulse of the snapped timeline (pulse phase re-estimated every 16 onsets)", "fraction", false)
        case .syncopation: ("rhythm.syncopation", "share of onsets off the pulse that are held across the next pulse (pulse phase re-estimated every 16 onsets)", "fraction", false)
        case .restRatio: ("rhythm.rest_ratio", "silent share of the voice's time span (rests, hockets)", "fraction", false)
        case .restsPerNote: ("rhythm.rests_per_note", "rests (silences of at least a quarter pulse and 30% of the inter-onset interval) per onset", "fraction", false)
        case .phraseEndRate: ("rhythm.phrase_end_rate", "phrase ends per onset: rests, or notes at least twice as long as their neighbours and 1.5 pulses (fermata-like)", "fraction", false)
        case .phraseLength: ("rhythm.phrase_length", "log2 of the median distance between phrase ends (the whole voice if fewer than two)", "log2 pulses", false)
        case .phraseRegularity: ("rhythm.phrase_regularity", "1 minus the coefficient of variation of phrase lengths, clamped to 0...1 (0 with fewer than three phrase ends)", "fraction", false)
        case .articulation: ("rhythm.articulation", "median of sounding length over inter-onset interval after the voice's typical detachment is undone (see Articulation), capped at 1.5 (legato ~1, notated staccato < 1)", "ratio", false)
        case .notesPerOnset: ("rhythm.notes_per_onset", "mean number of notes struck together within the voice (chords)", "notes", false)
        case .gridDeviation: ("rhythm.grid_deviation", "median relative distance of the inter-onset intervals from their snapped values (0 for a notated file, higher for a human performance)", "fraction", false)
        case .pulseQuarters: ("rhythm.pulse_quarters", "log2 of the voice's pulse in quarter notes (changes with duration scaling)", "log2 quarters", true)
        case .notesPerQuarter: ("rhythm.notes_per_quarter", "onsets per quarter note of the voice's span (changes with duration scaling)", "onsets per quarter", true)
        case .onsetCount: ("rhythm.onsets", "log2 of the number of onsets (events after chords are merged) of the voice: a chorale voice has some 30 to 80, a lied's vocal line and a motet's upper voice hundreds", "log2 onsets", false)
        case .motifRepetition: ("melody.motif_repetition", "share of the voice's 4-onset figures (3 melodic intervals and the 3 snapped inter-onset intervals) that occur again elsewhere in the voice: motifs, sequences and repeated strains (0 with fewer than 5 onsets)", "fraction", false)
        case .taleaStrength: ("iso.talea_strength", "strength of the best rhythmic period (talea), chance-corrected, with diminution allowed", "0...1", false)
        case .taleaNotes: ("iso.talea_notes", "log2 of the talea length in notes (0 without a talea)", "log2 notes", false)
        case .taleaPulses: ("iso.talea_pulses", "log2 of the talea length in pulses of the voice (0 without a talea)", "log2 pulses", false)
        case .taleaStatements: ("iso.talea_statements", "statements of the talea found (0 without a talea)", "count", false)
        case .colorStrength: ("iso.color_strength", "strength of the best pitch period (color), chance-corrected", "0...1", false)
        case .colorNotes: ("iso.color_notes", "log2 of the color length in notes (0 without a color)", "log2 notes", false)
        case .colorStatements: ("iso.color_statements", "statements of the color found (0 without a color)", "count", false)
        case .pitchAgreementAtTalea: ("iso.pitch_agreement_at_talea", "pitch agreement one talea later (high = plain repetition, low = new pitches under the same rhythm)", "0...1", false)
        case .taleaDiffersFromColor: ("iso.talea_differs_from_color", "1 when talea and color (both at strength >= 0.5) differ in length", "0 or 1", false)
        case .proportionChange: ("iso.proportion_change", "1 when some talea statement is in diminution or augmentation", "0 or 1", false)
        case .isorhythmStrength: ("iso.strength", "isorhythm strength: talea strength x (1 - 0.8 x pitch agreement at the talea, unless a statement changes proportion) x min(1, rhythmic entropy of one statement in bits) x min(1, 16 / statements over the voice)", "0...1", false)
        }
    }

    /// Features also reported for the slowest voice (`slowest.*`): what a tenor is.
    static let slowest: [VoiceFeature] = [
        .isorhythmStrength, .taleaStrength, .taleaPulses, .taleaStatements, .colorStrength,
        .taleaDiffersFromColor, .proportionChange, .restRatio, .restsPerNote, .ioiEntropy, .ternaryGrouping,
        .melodyMeanInterval, .melodyUnison, .pitchAmbitus,
    ]
    /// Features also reported for the most active voice (`active.*`): a triplum, a piano part, a soprano.
    static let active: [VoiceFeature] = [
        .syncopation, .ternaryGrouping, .thirdSubdivision, .dottedPairs, .ioiEntropy, .restRatio,
        .phraseEndRate, .notesPerOnset, .melodyMeanInterval, .melodySemitone, .melodyChromaticRun,
        .melodyOctavePlus, .pitchAmbitus, .pitchDiatonicFit, .isorhythmStrength,
    ]

    /// The `rhythm.ioi_*` bin (0...7) of an interval of `twelfths` twelfths of a pulse: bounds at
    /// 0.4, 0.8, 1.25, 1.75, 2.5, 3.5 and 6 pulses, i.e. at 4.8, 9.6, 15, 21, 30, 42 and 72 twelfths.
    /// The same bin as comparing `Double(twelfths) / 12` with the bounds: the quotient is correctly
    /// rounded and the bounds that fall on whole twelfths are exact in binary.
    @inline(__always)
    static func ioiBin(twelfths value: Int) -> Int {
        if value < 15 { return value <= 4 ? 0 : value <= 9 ? 1 : 2 }
        if value < 30 { return value < 21 ? 3 : 4 }
        return value < 42 ? 5 : value < 72 ? 6 : 7
    }

    /// Computes every voice feature, indexed by raw value. Never NaN or infinite.
    static func compute(line: VoiceLine, isorhythm: IsorhythmAnalysis) -> [Double] {
        var v = [Double](repeating: 0, count: allCases.count)
        func set(_ feature: VoiceFeature, _ value: Double) { v[feature.rawValue] = value.isFinite ? value : 0 }
        let events = line.events
        guard !events.isEmpty else { return v }
        // Counts are kept as integers and converted once: every sum of whole numbers below 2^53 is
        // exact in Double, so this gives the same values as counting in Double.

        // Melody on the top line.
        var bins = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        var intervalCount = 0, intervalSum = 0
        var moves: [Int] = []
        moves.reserveCapacity(events.count)
        for index in 1..<max(1, events.count) {
            let step = events[index].top - events[index - 1].top
            let size = abs(step)
            switch size {
            case 0: bins.0 += 1
            case 1: bins.1 += 1
            case 2: bins.2 += 1
            case 3, 4: bins.3 += 1
            case 5: bins.4 += 1
            case 6: bins.5 += 1
            case 7: bins.6 += 1
            case 8...11: bins.7 += 1
            default: bins.8 += 1
            }
            intervalCount += 1
            intervalSum += size
            if step != 0 { moves.append(step) }
        }
        let intervals = Double(intervalCount)
        set(.melodyUnison, ratio(Double(bins.0), intervals))
        set(.melodySemitone, ratio(Double(bins.1), intervals))
        set(.melodyTone, ratio(Double(bins.2), intervals))
        set(.melodyThird, ratio(Double(bins.3), intervals))
        set(.melodyFourth, ratio(Double(bins.4), intervals))
        set(.melodyTritone, ratio(Double(bins.5), intervals))
        set(.melodyFifth, ratio(Double(bins.6), intervals))
        set(.melodySixthSeventh, ratio(Double(bins.7), intervals))
        set(.melodyOctavePlus, ratio(Double(bins.8), intervals))
        set(.melodyMeanInterval, ratio(Double(intervalSum), intervals))
        var turns = 0, ascending = 0, leaps = 0, filled = 0, semitones = 0, chromatic = 0
        for (index, move) in moves.enumerated() {
            if move > 0 { ascending += 1 }
            if index > 0 && (move > 0) != (moves[index - 1] > 0) { turns += 1 }
            if abs(move) >= 5 && index + 1 < moves.count {
                leaps += 1
                if (moves[index + 1] > 0) != (move > 0) { filled += 1 }
            }
            if abs(move) == 1 {
                semitones += 1
                if index > 0 && moves[index - 1] == move { chromatic += 1 }
            }
        }
        set(.melodyDirectionChanges, ratio(Double(turns), Double(moves.count - 1)))
        set(.melodyAscending, ratio(Double(ascending), Double(moves.count)))
        set(.melodyGapFill, ratio(Double(filled), Double(leaps)))
        set(.melodyChromaticRun, ratio(Double(chromatic), Double(semitones)))

        // Pitch.
        var histogram = [Double](repeating: 0, count: 12)
        var weightSum = 0.0, pitchSum = 0.0
        var lowest = Int.max, highest = Int.min
        for (index, pitch) in line.pitches.enumerated() {
            let weight = line.weight(index)
            histogram[((pitch % 12) + 12) % 12] += weight
            weightSum += weight
            pitchSum += weight * Double(pitch)
            lowest = min(lowest, pitch); highest = max(highest, pitch)
        }
        let meanPitch = ratio(pitchSum, weightSum)
        var variance = 0.0
        for (index, pitch) in line.pitches.enumerated() {
            let d = Double(pitch) - meanPitch
            variance += line.weight(index) * d * d
        }
        set(.pitchAmbitus, lowest <= highest ? Double(highest - lowest) : 0)
        set(.pitchSpread, sqrt(ratio(variance, weightSum)))
        set(.pitchDiatonicFit, PitchClassProfile.diatonicFit(histogram))
        set(.pitchClassesUsed, PitchClassProfile.classesUsed(histogram) / 12)
        set(.registerMean, meanPitch)
        set(.registerLowest, lowest <= highest ? Double(lowest) : 0)
        set(.registerHighest, lowest <= highest ? Double(highest) : 0)

        // Rhythm on the snapped timeline (twelfths of the pulse).
        var q = [Int](repeating: 0, count: events.count)
        for index in events.indices { q[index] = events[index].twelfths }
        let n = Double(events.count)
        // One scratch buffer for the per-onset reals (log intervals, then articulations, then grid errors).
        var scratch: [Double] = []
        scratch.reserveCapacity(q.count)
        var ioiBins = (0, 0, 0, 0, 0, 0, 0, 0)
        var thirds = 0, halves = 0
        for value in q {
            switch VoiceFeature.ioiBin(twelfths: value) {
            case 0: ioiBins.0 += 1
            case 1: ioiBins.1 += 1
            case 2: ioiBins.2 += 1
            case 3: ioiBins.3 += 1
            case 4: ioiBins.4 += 1
            case 5: ioiBins.5 += 1
            case 6: ioiBins.6 += 1
            default: ioiBins.7 += 1
            }
            if value > 0 { scratch.append(log2(Double(value) / 12)) }
            if value % 4 == 0 && value % 6 != 0 { thirds += 1 }
            if value % 6 == 0 && value % 12 != 0 { halves += 1 }
        }
        set(.ioiVeryShort, Double(ioiBins.0) / n)
        set(.ioiHalf, Double(ioiBins.1) / n)
        set(.ioiPulse, Double(ioiBins.2) / n)
        set(.ioiDotted, Double(ioiBins.3) / n)
        set(.ioiDouble, Double(ioiBins.4) / n)
        set(.ioiTriple, Double(ioiBins.5) / n)
        set(.ioiLong, Double(ioiBins.6) / n)
        set(.ioiVeryLong, Double(ioiBins.7) / n)
        set(.ioiLogSpread, standardDeviation(scratch))
        // Entropy over the distinct values in increasing order (the order of the sum).
        var entropy = 0.0
        var lowValue = Int.max, highValue = Int.min
        for value in q { lowValue = min(lowValue, value); highValue = max(highValue, value) }
        if highValue - lowValue < 4096 {
            // Counting: the distinct values come out in increasing order, as from a sort.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: highValue - lowValue + 1) { counts in
                for slot in counts.indices { counts[slot] = 0 }
                for value in q { counts[value - lowValue] += 1 }
                for slot in counts.indices where counts[slot] > 0 {
                    let p = Double(counts[slot]) / n
                    entropy -= p * log2(p)
                }
            }
        } else {
            // The same sum over a sorted copy (`events` is not empty, so q.count is n).
            entropy = IsorhythmDetector.patternEntropy(q)
        }
        set(.ioiEntropy, entropy)
        var dotted = 0, trochee = 0
        for index in 1..<max(1, q.count) {
            let a = q[index - 1], b = q[index]
            if b > 0 && a == 3 * b { dotted += 1 }
            if b > 0 && a == 2 * b { trochee += 1 }
        }
        set(.dottedPairs, ratio(Double(dotted), n - 1))
        set(.trocheePairs, ratio(Double(trochee), n - 1))
        set(.thirdSubdivision, Double(thirds) / n)
        set(.halfSubdivision, Double(halves) / n)

        // Positions on the snapped timeline; grouping of pulses in twos and threes. One mis-snapped
        // interval (performance jitter, rubato) shifts every later position, so the timeline is read
        // in windows of 16 onsets, each with its own pulse phase (the most common position within the
        // pulse), and the grouping evidence is averaged over windows (weighted by their mass).
        var positions = [Int](repeating: 0, count: q.count)
        var running = 0
        for (index, value) in q.enumerated() {
            positions[index] = running
            running = min(running &+ value, Int.max / 4)
        }
        var onPulse = 0, syncopated = 0
        var groupingSum = 0.0, groupingMass = 0.0
        var windowStart = 0
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 12) { phaseCounts in
            while windowStart < q.count {
                let windowEnd = min(windowStart + 16, q.count)
                for slot in 0..<12 { phaseCounts[slot] = 0 }
                for index in windowStart..<windowEnd { phaseCounts[positions[index] % 12] += 1 }
                var phase = 0
                for candidate in 1..<12 where phaseCounts[candidate] > phaseCounts[phase] { phase = candidate }
                // Whole-number masses (weights are whole twelfths): exact in Double in any order.
                var twos = (0.0, 0.0), threes = (0.0, 0.0, 0.0), mass = 0.0
                for index in windowStart..<windowEnd {
                    let shifted = positions[index] - phase + 12
                    let within = shifted % 12
                    if within == 0 {
                        onPulse += 1
                        let beat = shifted / 12
                        let weight = Double(max(q[index], 1))
                        if beat % 2 == 0 { twos.0 += weight } else { twos.1 += weight }
                        switch beat % 3 {
                        case 0: threes.0 += weight
                        case 1: threes.1 += weight
                        default: threes.2 += weight
                        }
                        mass += weight
                    } else if within + q[index] > 12 {
                        syncopated += 1
                    }
                }
                if mass > 0 && windowEnd - windowStart >= 6 {
                    let two = (max(twos.0, twos.1) / mass - 0.5) / 0.5
                    let three = (max(threes.0, threes.1, threes.2) / mass - 1.0 / 3) / (2.0 / 3)
                    groupingSum += (three - two) * mass
                    groupingMass += mass
                }
                windowStart = windowEnd
            }
        }
        set(.onPulse, Double(onPulse) / n)
        set(.syncopation, Double(syncopated) / n)
        set(.ternaryGrouping, ratio(groupingSum, groupingMass))
        set(.restRatio, line.span > 0 ? min(1, line.silence / line.span) : 0)
        var restCount = 0, noteCount = 0
        for event in events {
            if event.restAfter { restCount += 1 }
            noteCount += event.count
        }
        set(.restsPerNote, Double(restCount) / n)

        // Phrase ends: rests, or notes at least twice as long as the median of their neighbours.
        var ends: [Int] = []   // positions (twelfths) where phrases end
        var position = 0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { neighbours in
            for index in q.indices {
                var isEnd = events[index].restAfter
                if !isEnd && q[index] >= 18 && index + 1 < q.count {
                    let low = max(0, index - 4), high = min(q.count - 1, index + 4)
                    var taken = 0
                    for other in low...high where other != index {
                        neighbours[taken] = Double(q[other])
                        taken += 1
                    }
                    if let median = VoiceLine.medianInPlace(UnsafeMutableBufferPointer(rebasing: neighbours[0..<taken])),
                       Double(q[index]) >= 2 * median {
                        isEnd = true
                    }
                }
                position = min(position &+ q[index], Int.max / 4)
                if isEnd { ends.append(position) }
            }
        }
        set(.phraseEndRate, Double(ends.count) / n)
        var lengths: [Double] = []
        lengths.reserveCapacity(ends.count)
        for index in 1..<max(1, ends.count) { lengths.append(Double(ends[index] - ends[index - 1]) / 12) }
        let phrase = VoiceLine.median(lengths) ?? Double(position) / 12
        set(.phraseLength, log2(max(phrase, 1)))
        if lengths.count >= 2 {
            let mean = lengths.reduce(0, +) / Double(lengths.count)
            set(.phraseRegularity, mean > 0 ? max(0, min(1, 1 - standardDeviation(lengths) / mean)) : 0)
        }
        scratch.removeAll(keepingCapacity: true)
        for event in events where event.ioi > 0 { scratch.append(min(1.5, event.duration / event.ioi)) }
        set(.articulation, scratch.withUnsafeMutableBufferPointer { VoiceLine.medianInPlace($0) } ?? 1)
        set(.notesPerOnset, Double(noteCount) / n)
        scratch.removeAll(keepingCapacity: true)
        for event in events { scratch.append(event.snapError) }
        set(.gridDeviation, scratch.withUnsafeMutableBufferPointer { VoiceLine.medianInPlace($0) } ?? 0)
        set(.pulseQuarters, log2(max(line.pulse, 1e-6)))
        set(.notesPerQuarter, line.span > 0 ? Double(line.pitches.count) / line.span : 0)

        set(.onsetCount, log2(n))
        set(.motifRepetition, VoiceFeature.motifRepetition(events: events, snapped: q))

        // Isorhythm.
        if let talea = isorhythm.talea {
            set(.taleaStrength, talea.strength)
            set(.taleaNotes, log2(Double(max(talea.periodNotes, 1))))
            set(.taleaPulses, log2(max(talea.periodPulses, 1)))
            set(.taleaStatements, Double(talea.statements))
            set(.proportionChange, talea.hasProportionChange && talea.strength >= IsorhythmDetector.reportThreshold ? 1 : 0)
        }
        if let color = isorhythm.color {
            set(.colorStrength, color.strength)
            set(.colorNotes, log2(Double(max(color.periodNotes, 1))))
            set(.colorStatements, Double(color.statements))
        }
        set(.pitchAgreementAtTalea, isorhythm.pitchAgreementAtTalea)
        set(.taleaDiffersFromColor, isorhythm.taleaDiffersFromColor
            && (isorhythm.talea?.strength ?? 0) >= IsorhythmDetector.reportThreshold ? 1 : 0)
        set(.isorhythmStrength, isorhythm.strength)
        return v
    }
}

extension VoiceFeature {
    /// A figure of four successive onsets: its three melodic intervals (top line, semitones) and the
    /// snapped inter-onset intervals from its first three onsets (twelfths of the pulse).
    private struct Figure: Hashable {
        var firstInterval, secondInterval, thirdInterval: Int
        var firstDuration, secondDuration, thirdDuration: Int
    }

    /// `melody.motif_repetition`: the share of the voice's 4-onset figures (``Figure``) that occur at
    /// least twice in it (0 with fewer than 5 onsets). Transposition and a change of note values
    /// leave it as it is: intervals are relative, and durations are in pulses of the voice.
    static func motifRepetition(events: [LineEvent], snapped q: [Int]) -> Double {
        guard events.count >= 5 else { return 0 }
        let figureCount = events.count - 3
        var occurrences: [Figure: Int] = [:]
        occurrences.reserveCapacity(figureCount)
        for start in 0..<figureCount {
            let figure = Figure(firstInterval: events[start + 1].top - events[start].top,
                                secondInterval: events[start + 2].top - events[start + 1].top,
                                thirdInterval: events[start + 3].top - events[start + 2].top,
                                firstDuration: q[start], secondDuration: q[start + 1], thirdDuration: q[start + 2])
            occurrences[figure, default: 0] += 1
        }
        var recurring = 0
        for count in occurrences.values where count >= 2 { recurring += count }
        return Double(recurring) / Double(figureCount)
    }
}

/// a / b, or 0 when b is not positive.
func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }

/// Population standard deviation (0 for fewer than two values).
func standardDeviation(_ values: [Double]) -> Double {
    guard values.count >= 2 else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return sqrt(max(0, variance))
}
