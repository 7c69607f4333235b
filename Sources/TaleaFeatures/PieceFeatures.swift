import Foundation
import TaleaScore

/// Features of the whole score: pitch content of all its (non-drum) notes pooled, sonorities,
/// relations between voices, and piece-level isorhythm. They are defined for a single voice too:
/// pooled measures then describe that voice (a piano staff still has chords), and between-voice
/// measures take their documented neutral value (0) while `texture.voices_present` says 1.
enum PieceFeature: Int, CaseIterable {
    case pc0, pc1, pc2, pc3, pc4, pc5, pc6, pc7, pc8, pc9, pc10, pc11
    case majorCorrelation, minorCorrelation, isMinor, keyClarity, modalMinusTonal, diatonicFit,
         pitchClassEntropy, chromaticShare, classesUsed
    case simultaneity, chordalShare, denseShare, outerSpan
    case verticalUnisonOctave, verticalFifth, verticalFourth, verticalThird, verticalSixth, verticalSecondSeventh,
         verticalTritone, perfectConsonance, triadShare, seventhShare, openFifthShare
    case voicesPresent, homorhythm, onsetOverlap, parallelPerfects, voiceCrossing, pulseRatio, densityRatio
    case strongestIsorhythm, strongestTaleaPulses, strongestStatements, strongestDiffers, isorhythmicVoices
    case signatureTernary, signaturePresent

    /// Name, definition, unit, absolute flag and neutral value.
    var declaration: (name: String, definition: String, unit: String, absolute: Bool, neutral: Double?) {
        switch self {
        case .pc0, .pc1, .pc2, .pc3, .pc4, .pc5, .pc6, .pc7, .pc8, .pc9, .pc10, .pc11:
            let degree = rawValue - PieceFeature.pc0.rawValue
            return ("tonal.pc_\(degree)", "share of sounding time on the pitch class \(degree) semitones above the estimated tonic", "fraction", false, nil)
        case .majorCorrelation: return ("tonal.major_correlation", "best correlation of the pitch-class profile with the Krumhansl–Kessler major profile over all tonics", "correlation", false, nil)
        case .minorCorrelation: return ("tonal.minor_correlation", "best correlation with the Krumhansl–Kessler minor profile over all tonics", "correlation", false, nil)
        case .isMinor: return ("tonal.is_minor", "1 when the best key is minor", "0 or 1", false, nil)
        case .keyClarity: return ("tonal.key_clarity", "best key correlation minus the second best", "correlation", false, nil)
        case .modalMinusTonal: return ("tonal.modal_minus_tonal", "best church-mode template correlation (Dorian, Phrygian, Lydian, Mixolydian) minus best major/minor correlation", "correlation", false, nil)
        case .diatonicFit: return ("tonal.diatonic_fit", "share of sounding time on the best-fitting 7-note diatonic collection", "fraction", false, nil)
        case .pitchClassEntropy: return ("tonal.pc_entropy", "entropy of the duration-weighted pitch-class distribution", "bits", false, nil)
        case .chromaticShare: return ("tonal.chromatic_share", "share of notes outside the best-fitting diatonic collection (accidental density)", "fraction", false, nil)
        case .classesUsed: return ("tonal.classes_used", "pitch classes holding at least 3% of sounding time, divided by 12", "fraction", false, nil)
        case .simultaneity: return ("texture.simultaneity", "mean number of distinct pitches sounding at each onset", "pitches", false, nil)
        case .chordalShare: return ("texture.chordal_share", "share of onsets where at least 2 pitches sound", "fraction", false, nil)
        case .denseShare: return ("texture.dense_share", "share of onsets where at least 4 pitches sound", "fraction", false, nil)
        case .outerSpan: return ("texture.outer_span", "mean distance from the lowest to the highest sounding pitch, over onsets with at least 2 pitches", "semitones", false, 0)
        case .verticalUnisonOctave: return ("vertical.unison_octave", "share of bass-to-upper intervals that are unisons or octaves (mod 12)", "fraction", false, 0)
        case .verticalFifth: return ("vertical.fifth", "share of bass-to-upper intervals that are fifths (7 mod 12)", "fraction", false, 0)
        case .verticalFourth: return ("vertical.fourth", "share of bass-to-upper intervals that are fourths (5 mod 12)", "fraction", false, 0)
        case .verticalThird: return ("vertical.third", "share of bass-to-upper intervals that are thirds (3, 4 mod 12)", "fraction", false, 0)
        case .verticalSixth: return ("vertical.sixth", "share of bass-to-upper intervals that are sixths (8, 9 mod 12)", "fraction", false, 0)
        case .verticalSecondSeventh: return ("vertical.second_seventh", "share of bass-to-upper intervals that are seconds or sevenths (1, 2, 10, 11 mod 12)", "fraction", false, 0)
        case .verticalTritone: return ("vertical.tritone", "share of bass-to-upper intervals that are tritones", "fraction", false, 0)
        case .perfectConsonance: return ("vertical.perfect_consonance", "perfect consonances (unison, fifth, octave) among consonant bass-to-upper intervals", "fraction", false, 0)
        case .triadShare: return ("harmony.triad_share", "share of sonorities (>= 2 pitch classes) containing a complete major or minor triad", "fraction", false, 0)
        case .seventhShare: return ("harmony.seventh_share", "share of sonorities containing a dominant-seventh chord", "fraction", false, 0)
        case .openFifthShare: return ("harmony.open_fifth_share", "share of sonorities made only of a bass pitch class and its fifth (no third)", "fraction", false, 0)
        case .voicesPresent: return ("texture.voices_present", "number of non-drum voices with notes (1 for a single voice)", "voices", false, nil)
        case .homorhythm: return ("texture.homorhythm", "mean share of sounding voices that strike at each onset where at least 2 voices sound", "fraction", false, 0)
        case .onsetOverlap: return ("texture.onset_overlap", "mean over voice pairs of shared onsets over onsets of either (Jaccard)", "fraction", false, 0)
        case .parallelPerfects: return ("texture.parallel_perfects", "parallel unisons, fifths or octaves per move in which two voices both change pitch", "fraction", false, 0)
        case .voiceCrossing: return ("texture.voice_crossing", "share of moments where two sounding voices are in the reverse of their average order", "fraction", false, 0)
        case .pulseRatio: return ("texture.pulse_ratio", "log2 of the slowest voice's pulse over the fastest voice's pulse", "log2", false, 0)
        case .densityRatio: return ("texture.density_ratio", "log2 of the onsets of the most active voice over those of the slowest voice", "log2", false, 0)
        case .strongestIsorhythm: return ("isorhythm.strongest", "isorhythm strength of the most isorhythmic voice", "0...1", false, nil)
        case .strongestTaleaPulses: return ("isorhythm.strongest_talea_pulses", "log2 talea length (pulses of its voice) of the most isorhythmic voice", "log2 pulses", false, nil)
        case .strongestStatements: return ("isorhythm.strongest_statements", "talea statements of the most isorhythmic voice", "count", false, nil)
        case .strongestDiffers: return ("isorhythm.strongest_talea_differs_from_color", "1 when talea and color of the most isorhythmic voice differ in length", "0 or 1", false, nil)
        case .isorhythmicVoices: return ("isorhythm.voice_share", "share of voices with isorhythm strength >= 0.5", "fraction", false, nil)
        case .signatureTernary: return ("metre.signature_ternary", "share of the notated time signatures whose numerator is a multiple of 3 (3/4, 6/8, 9/8 …); 0.5 without any", "fraction", false, 0.5)
        case .signaturePresent: return ("metre.signature_present", "1 when the file notates a time signature", "0 or 1", false, nil)
        }
    }
}

/// A note of the pooled texture.
struct SoundingNote {
    var onset: Double
    var end: Double
    var pitch: Int
}

/// An onset of one voice in the pooled texture.
struct VoiceOnset {
    var onset: Double
    var voice: Int
}

/// One voice prepared for piece-level measures.
struct AnalysedVoice {
    var line: VoiceLine
    var isorhythm: IsorhythmAnalysis
    var values: [Double]
    var meanPitch: Double
}

extension PieceFeature {
    /// (raw value, neutral value) of the features that declare one, computed once (building the
    /// declarations formats strings, too slow for every score).
    private static let neutralValues: [(Int, Double)] = allCases.compactMap { feature in
        feature.declaration.neutral.map { (feature.rawValue, $0.isFinite ? $0 : 0) }
    }

    /// Computes every piece feature, indexed by raw value. Never NaN or infinite.
    static func compute(score: Score, voices: [AnalysedVoice], slowest: Int?, active: Int?) -> [Double] {
        var v = [Double](repeating: 0, count: allCases.count)
        func set(_ feature: PieceFeature, _ value: Double) { v[feature.rawValue] = value.isFinite ? value : 0 }
        for (feature, neutral) in neutralValues { v[feature] = neutral }

        // Time signatures (metadata; kept even for a single voice).
        if !score.timeSignatures.isEmpty {
            let ternary = score.timeSignatures.filter { $0.numerator > 0 && $0.numerator % 3 == 0 }.count
            set(.signatureTernary, Double(ternary) / Double(score.timeSignatures.count))
            set(.signaturePresent, 1)
        }
        set(.voicesPresent, Double(voices.count))
        guard !voices.isEmpty else { return v }

        // Pooled pitch-class profile.
        var histogram = [Double](repeating: 0, count: 12)
        for voice in voices {
            for (index, pitch) in voice.line.pitches.enumerated() {
                histogram[((pitch % 12) + 12) % 12] += voice.line.weight(index)
            }
        }
        let total = histogram.reduce(0, +)
        let key = PitchClassProfile.key(histogram)
        for degree in 0..<12 {
            set(PieceFeature(rawValue: PieceFeature.pc0.rawValue + degree) ?? .pc0,
                ratio(histogram[(degree + key.tonic) % 12], total))
        }
        set(.majorCorrelation, key.major)
        set(.minorCorrelation, key.minor)
        set(.isMinor, key.isMinor ? 1 : 0)
        set(.keyClarity, key.clarity)
        set(.modalMinusTonal, PitchClassProfile.modalCorrelation(histogram) - max(key.major, key.minor))
        let diatonic = PitchClassProfile.bestDiatonic(histogram)
        set(.diatonicFit, diatonic.fit)
        set(.pitchClassEntropy, PitchClassProfile.entropy(histogram))
        set(.classesUsed, PitchClassProfile.classesUsed(histogram) / 12)
        // The collection as a 12-bit set of pitch classes.
        var inside: UInt16 = 0
        for degree in PitchClassProfile.diatonic { inside |= 1 << UInt16((degree + diatonic.offset) % 12) }
        var outside = 0.0, noteCount = 0.0
        for voice in voices {
            for pitch in voice.line.pitches {
                noteCount += 1
                if (inside >> UInt16(((pitch % 12) + 12) % 12)) & 1 == 0 { outside += 1 }
            }
        }
        set(.chromaticShare, ratio(outside, noteCount))

        // A common clustering tolerance: 15% of the fastest voice's pulse.
        let fastestPulse = voices.map(\.line.pulse).min() ?? 1
        let tolerance = 0.15 * fastestPulse
        sonorities(voices: voices, tolerance: tolerance, set: set)
        betweenVoices(voices: voices, tolerance: tolerance, set: set)
        if voices.count >= 2, let slowest, let active {
            let pulses = voices.map(\.line.pulse)
            if let low = pulses.min(), let high = pulses.max(), low > 0 { set(.pulseRatio, log2(high / low)) }
            let busy = Double(max(voices[active].line.events.count, 1))
            let slow = Double(max(voices[slowest].line.events.count, 1))
            set(.densityRatio, log2(busy / slow))
        }

        // Piece-level isorhythm: the most isorhythmic voice (ties: the slower voice).
        var strongest = 0
        for index in voices.indices where voices[index].isorhythm.strength > voices[strongest].isorhythm.strength {
            strongest = index
        }
        let iso = voices[strongest].isorhythm
        set(.strongestIsorhythm, iso.strength)
        if let talea = iso.talea {
            set(.strongestTaleaPulses, log2(max(talea.periodPulses, 1)))
            set(.strongestStatements, Double(talea.statements))
        }
        set(.strongestDiffers, iso.taleaDiffersFromColor && (iso.talea?.strength ?? 0) >= IsorhythmDetector.reportThreshold ? 1 : 0)
        set(.isorhythmicVoices, Double(voices.filter { $0.isorhythm.strength >= IsorhythmDetector.reportThreshold }.count)
            / Double(voices.count))
        return v
    }

    /// Sonorities at the onsets of the pooled notes (also within a single voice's chords).
    private static func sonorities(voices: [AnalysedVoice], tolerance: Double, set: (PieceFeature, Double) -> Void) {
        // The notes of every voice in onset order. Only the onsets decide the result (notes struck
        // together are pooled into bit sets), so the voices' sorted note lists are merged.
        var notes: [SoundingNote] = []
        notes.reserveCapacity(voices.reduce(0) { $0 + $1.line.pitches.count })
        forEachMerged(voices.map(\.line.noteOnsets)) { voice, index in
            let line = voices[voice].line
            let onset = line.noteOnsets[index]
            notes.append(SoundingNote(onset: onset, end: onset + line.durations[index],
                                      pitch: min(127, max(0, line.pitches[index]))))
        }
        // What sounds is kept per pitch, as the latest end of its notes: only the set of sounding pitches
        // matters, and a file of notes that never end (closed at the end of the track) would otherwise
        // make every onset revisit every earlier note.
        var latestEnd = [Double](repeating: -.infinity, count: 128)
        // Sounding pitches as a 128-bit set, carried from onset to onset.
        var low: UInt64 = 0, high: UInt64 = 0
        var onsets = 0.0, pitchesSum = 0.0, chordal = 0.0, dense = 0.0, spanSum = 0.0
        var intervalBins = [Double](repeating: 0, count: 12)
        var sonorityCount = 0.0, triads = 0.0, sevenths = 0.0, openFifths = 0.0
        /// `word` (pitches `base` to `base + 63`) without the pitches whose notes have all ended by `time`.
        func stillSounding(_ word: UInt64, base: Int, at time: Double) -> UInt64 {
            var kept = word, bits = word
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                bits &= bits &- 1
                if latestEnd[base + bit] <= time { kept &= ~(1 << UInt64(bit)) }
            }
            return kept
        }
        var index = 0
        while index < notes.count {
            let start = notes[index].onset
            // Earlier notes still sounding, plus this onset's notes.
            low = stillSounding(low, base: 0, at: start + tolerance)
            high = stillSounding(high, base: 64, at: start + tolerance)
            while index < notes.count && notes[index].onset - start <= tolerance {
                let note = notes[index]
                if note.pitch < 64 { low |= 1 << UInt64(note.pitch) } else { high |= 1 << UInt64(note.pitch - 64) }
                latestEnd[note.pitch] = max(latestEnd[note.pitch], note.end)
                index += 1
            }
            let count = low.nonzeroBitCount + high.nonzeroBitCount
            onsets += 1
            pitchesSum += Double(count)
            guard count >= 2 else { continue }
            chordal += 1
            if count >= 4 { dense += 1 }
            let bass = low != 0 ? low.trailingZeroBitCount : 64 + high.trailingZeroBitCount
            let top = high != 0 ? 127 - high.leadingZeroBitCount : 63 - low.leadingZeroBitCount
            spanSum += Double(top - bass)
            // Pitch classes above the bass, visiting only the sounding pitches (whole-number bins).
            var classes: UInt16 = 0
            for word in 0..<2 {
                var bits = word == 0 ? low : high
                let offset = 64 * word
                while bits != 0 {
                    let pitch = offset + bits.trailingZeroBitCount
                    bits &= bits &- 1
                    let interval = (pitch - bass) % 12
                    classes |= 1 << UInt16(interval)
                    if pitch != bass { intervalBins[interval] += 1 }
                }
            }
            if classes.nonzeroBitCount >= 2 {
                sonorityCount += 1
                if hasTriad(classes) { triads += 1 }
                if hasDominantSeventh(classes) { sevenths += 1 }
                if classes & ~UInt16(0b1000_0001) == 0 { openFifths += 1 }
            }
        }
        set(.simultaneity, ratio(pitchesSum, onsets))
        set(.chordalShare, ratio(chordal, onsets))
        set(.denseShare, ratio(dense, onsets))
        set(.outerSpan, ratio(spanSum, chordal))
        let intervals = intervalBins.reduce(0, +)
        set(.verticalUnisonOctave, ratio(intervalBins[0], intervals))
        set(.verticalFifth, ratio(intervalBins[7], intervals))
        set(.verticalFourth, ratio(intervalBins[5], intervals))
        set(.verticalThird, ratio(intervalBins[3] + intervalBins[4], intervals))
        set(.verticalSixth, ratio(intervalBins[8] + intervalBins[9], intervals))
        set(.verticalSecondSeventh, ratio(intervalBins[1] + intervalBins[2] + intervalBins[10] + intervalBins[11], intervals))
        set(.verticalTritone, ratio(intervalBins[6], intervals))
        let consonant = intervalBins[0] + intervalBins[3] + intervalBins[4] + intervalBins[7] + intervalBins[8] + intervalBins[9]
        set(.perfectConsonance, ratio(intervalBins[0] + intervalBins[7], consonant))
        set(.triadShare, ratio(triads, sonorityCount))
        set(.seventhShare, ratio(sevenths, sonorityCount))
        set(.openFifthShare, ratio(openFifths, sonorityCount))
    }

    /// Calls `body(list, index)` for every key of `lists` (each sorted in increasing order, NaN-free)
    /// in increasing key order, ties in list order: the order of a stable sort by key of the
    /// concatenated lists.
    static func forEachMerged(_ lists: [[Double]], _ body: (Int, Int) -> Void) {
        if lists.count == 1 {
            for index in lists[0].indices { body(0, index) }
            return
        }
        guard lists.count <= 16 else {
            var order: [(key: Double, list: Int, index: Int)] = []
            for (list, keys) in lists.enumerated() {
                for (index, key) in keys.enumerated() { order.append((key, list, index)) }
            }
            order.sort { ($0.key, $0.list, $0.index) < ($1.key, $1.list, $1.index) }
            for entry in order { body(entry.list, entry.index) }
            return
        }
        var heads = [Int](repeating: 0, count: lists.count)
        while true {
            var best = -1, bestKey = 0.0
            for list in lists.indices where heads[list] < lists[list].count {
                let key = lists[list][heads[list]]
                if best < 0 || key < bestKey { best = list; bestKey = key }
            }
            guard best >= 0 else { return }
            body(best, heads[best])
            heads[best] += 1
        }
    }

    /// Bit `i` set when pitch class `i` is present.
    private static func contains(_ classes: UInt16, _ pitchClass: Int) -> Bool { (classes >> UInt16(pitchClass % 12)) & 1 == 1 }

    /// True when the pitch classes (a 12-bit set) contain a major or minor triad on some root.
    static func hasTriad(_ classes: UInt16) -> Bool {
        for root in 0..<12 where contains(classes, root) && contains(classes, root + 7) {
            if contains(classes, root + 4) || contains(classes, root + 3) { return true }
        }
        return false
    }

    /// True when the pitch classes contain a dominant seventh (root, major third, minor seventh; fifth optional).
    static func hasDominantSeventh(_ classes: UInt16) -> Bool {
        for root in 0..<12 where contains(classes, root) && contains(classes, root + 4) && contains(classes, root + 10) {
            return true
        }
        return false
    }

    /// Homorhythm, onset overlap, parallel perfects and voice crossing (neutral 0 for one voice).
    private static func betweenVoices(voices: [AnalysedVoice], tolerance: Double, set: (PieceFeature, Double) -> Void) {
        guard voices.count >= 2 else { return }
        // At most 8 voices (the busiest) keep the pairwise work bounded.
        let chosen = voices.indices.sorted {
            (voices[$0].line.events.count, -$0) > (voices[$1].line.events.count, -$1)
        }.prefix(8).sorted()
        let lines = chosen.map { voices[$0].line }
        let means = chosen.map { voices[$0].meanPitch }
        // Every voice's onsets in time order (each voice's events are in time order: a merge).
        var starts: [VoiceOnset] = []
        starts.reserveCapacity(lines.reduce(0) { $0 + $1.events.count })
        forEachMerged(lines.map { $0.events.map(\.onset) }) { voice, index in
            starts.append(VoiceOnset(onset: lines[voice].events[index].onset, voice: voice))
        }
        let voiceCount = lines.count
        // Each voice's events as flat columns (onset, end, top) from `first[voice]`: no per-onset
        // copies of the lines; `end` is the same sum `onset + duration` as before.
        var first = [Int](repeating: 0, count: voiceCount + 1)
        var eventOnsets: [Double] = [], eventEnds: [Double] = [], eventTops: [Int] = []
        eventOnsets.reserveCapacity(starts.count); eventEnds.reserveCapacity(starts.count); eventTops.reserveCapacity(starts.count)
        for (voice, line) in lines.enumerated() {
            for event in line.events {
                eventOnsets.append(event.onset)
                eventEnds.append(event.onset + event.duration)
                eventTops.append(event.top)
            }
            first[voice + 1] = eventOnsets.count
        }
        var pointer = [Int](repeating: -1, count: voiceCount)   // relative to first[voice]
        var previousPitch = [Int](repeating: 0, count: voiceCount)
        var hasPrevious = [Bool](repeating: false, count: voiceCount)
        var attacksBy = [Int](repeating: 0, count: voiceCount)
        var shared = [Int](repeating: 0, count: voiceCount * voiceCount)   // at a * voiceCount + b
        var homorhythmSum = 0.0, homorhythmCount = 0.0
        var parallels = 0.0, moves = 0.0, crossings = 0.0, pairSamples = 0.0
        var attacking = [Bool](repeating: false, count: voiceCount)
        var pitch = [Int](repeating: 0, count: voiceCount)
        var sounds = [Bool](repeating: false, count: voiceCount)
        var index = 0
        while index < starts.count {
            let start = starts[index].onset
            for voice in 0..<voiceCount { attacking[voice] = false; sounds[voice] = false }
            var last = start
            while index < starts.count && starts[index].onset - start <= tolerance {
                attacking[starts[index].voice] = true
                last = starts[index].onset
                index += 1
            }
            for voice in 0..<voiceCount {
                let base = first[voice], count = first[voice + 1] - base
                while pointer[voice] + 1 < count && eventOnsets[base + pointer[voice] + 1] <= last {
                    pointer[voice] += 1
                }
                guard pointer[voice] >= 0 else { continue }
                let event = base + pointer[voice]
                if attacking[voice] || eventEnds[event] > start + tolerance {
                    pitch[voice] = eventTops[event]
                    sounds[voice] = true
                }
            }
            var sounding = 0, attacks = 0
            for voice in 0..<voiceCount {
                if sounds[voice] { sounding += 1 }
                if attacking[voice] { attacks += 1 }
            }
            if sounding >= 2 {
                homorhythmSum += Double(min(attacks, sounding)) / Double(sounding)
                homorhythmCount += 1
            }
            for a in 0..<voiceCount where attacking[a] {
                attacksBy[a] += 1
                for b in (a + 1)..<max(a + 1, voiceCount) where attacking[b] { shared[a * voiceCount + b] += 1 }
            }
            for a in 0..<voiceCount where sounds[a] {
                for b in (a + 1)..<max(a + 1, voiceCount) where sounds[b] {
                    let pa = pitch[a], pb = pitch[b]
                    pairSamples += 1
                    let aboveA = means[a] >= means[b]
                    if (aboveA && pa < pb) || (!aboveA && pb < pa) { crossings += 1 }
                    if hasPrevious[a] && hasPrevious[b] {
                        let qa = previousPitch[a], qb = previousPitch[b]
                        guard qa != pa, qb != pb else { continue }
                        moves += 1
                        let before = ((qa - qb) % 12 + 12) % 12, after = ((pa - pb) % 12 + 12) % 12
                        if before == after && (after == 0 || after == 7) && (pa - qa > 0) == (pb - qb > 0) {
                            parallels += 1
                        }
                    }
                }
            }
            for voice in 0..<voiceCount where sounds[voice] {
                previousPitch[voice] = pitch[voice]
                hasPrevious[voice] = true
            }
        }
        var jaccard = 0.0, pairs = 0.0
        for a in 0..<voiceCount {
            for b in (a + 1)..<max(a + 1, voiceCount) {
                let union = attacksBy[a] + attacksBy[b] - shared[a * voiceCount + b]
                jaccard += ratio(Double(shared[a * voiceCount + b]), Double(union))
                pairs += 1
            }
        }
        set(.homorhythm, ratio(homorhythmSum, homorhythmCount))
        set(.onsetOverlap, ratio(jaccard, pairs))
        set(.parallelPerfects, ratio(parallels, moves))
        set(.voiceCrossing, ratio(crossings, pairSamples))
    }
}
