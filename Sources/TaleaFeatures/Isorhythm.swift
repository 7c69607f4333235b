import Foundation
import TaleaScore

/// A rhythmic period (*talea*) found in a voice.
public struct Talea: Sendable, Hashable, Codable {
    /// Notes (onsets) in one statement of the talea.
    public var periodNotes: Int
    /// Length of the first statement in quarter notes (as written in the file).
    public var periodQuarters: Double
    /// Length of the first statement in pulses of the voice (scale-free).
    public var periodPulses: Double
    /// Number of statements found (the first one included).
    public var statements: Int
    /// Chance-corrected, information-weighted agreement of the rhythm with itself one period later, 0...1.
    public var strength: Double
    /// Scale of every statement relative to the first (1 = same values, 0.5 = diminution 1:2,
    /// 2/3 = diminution 2:3, 2 = augmentation 2:1).
    public var statementScales: [Double]

    /// True when some statement is stated in diminution or augmentation.
    public var hasProportionChange: Bool { statementScales.contains { abs($0 - 1) > 1e-9 } }
}

/// A pitch period (*color*) found in a voice.
public struct Color: Sendable, Hashable, Codable {
    /// Notes in one statement of the color.
    public var periodNotes: Int
    /// Number of statements found (the first one included).
    public var statements: Int
    /// Chance-corrected, information-weighted agreement of the pitches with themselves one period later, 0...1.
    public var strength: Double
}

/// The result of isorhythm detection in one voice.
public struct IsorhythmAnalysis: Sendable, Hashable, Codable {
    /// Name of the voice analysed.
    public var voiceName: String
    /// Notes (merged onsets) of the voice.
    public var noteCount: Int
    /// Which part of the voice the periods describe: "whole voice", "first half" or "second half"
    /// (a tenor restated in a new rhythm has a talea in each half).
    public var section: String = "whole voice"
    /// The strongest rhythmic period, if the voice has enough notes to repeat anything.
    public var talea: Talea?
    /// The strongest pitch period, if any.
    public var color: Color?
    /// How strongly the pitches repeat at the talea period (1 = the talea always carries the same
    /// pitches, as in a strophic song; low = the rhythm repeats over new pitches, as in isorhythm).
    public var pitchAgreementAtTalea: Double
    /// Isorhythm strength 0...1: the talea strength, times (1 − 0.8 × the pitch agreement at the talea
    /// period) when no statement changes proportion (a rhythm that only repeats because everything
    /// repeats is plain repetition, as in a strophic song or a repeated Stollen), times the rhythmic
    /// entropy of one statement in bits, capped at 1 (equal notes closed by a fermata are no pattern),
    /// times 16 / statements when the pattern would be stated more than 16 times over the voice (an
    /// ostinato, not a talea).
    public var strength: Double

    /// True when a color was found and its length in notes differs from the talea's.
    public var taleaDiffersFromColor: Bool {
        guard let talea, let color, color.strength >= IsorhythmDetector.reportThreshold else { return false }
        return talea.periodNotes != color.periodNotes
    }

    /// The finding in words a musicologist understands.
    public var summary: String {
        var text = "\(voiceName): "
        guard let talea, talea.strength >= IsorhythmDetector.reportThreshold else {
            let value = talea?.strength ?? 0
            return text + "no talea (rhythmic periodicity \(format(value))); " + colorSummary
                + "; isorhythm strength \(format(strength))"
        }
        if section != "whole voice" { text += "in the \(section), " }
        text += "talea of \(format(talea.periodQuarters)) quarters (\(talea.periodNotes) notes) stated "
            + "\(IsorhythmAnalysis.times(talea.statements)) (strength \(format(talea.strength))); " + colorSummary
        if talea.hasProportionChange {
            text += "; " + proportionSummary(talea.statementScales)
        }
        if let color, color.strength >= IsorhythmDetector.reportThreshold {
            text += talea.periodNotes == color.periodNotes
                ? "; talea and color coincide" : "; talea and color differ in length"
        }
        return text + "; isorhythm strength \(format(strength))"
    }

    private var colorSummary: String {
        guard let color, color.strength >= IsorhythmDetector.reportThreshold else {
            return "no repeated color (pitch periodicity \(format(color?.strength ?? 0)))"
        }
        return "color of \(color.periodNotes) notes stated \(IsorhythmAnalysis.times(color.statements)) (strength \(format(color.strength)))"
    }

    private func proportionSummary(_ scales: [Double]) -> String {
        var parts: [String] = []
        var start = 0
        while start < scales.count {
            var end = start
            while end + 1 < scales.count && abs(scales[end + 1] - scales[start]) < 1e-9 { end += 1 }
            let scale = scales[start]
            if abs(scale - 1) > 1e-9 {
                let range = start == end ? "statement \(start + 1)" : "statements \(start + 1)–\(end + 1)"
                let (p, q) = IsorhythmDetector.fraction(scale)
                parts.append(range + (scale < 1 ? " in diminution \(p):\(q)" : " in augmentation \(p):\(q)"))
            }
            start = end + 1
        }
        return parts.joined(separator: ", ")
    }

    static func times(_ count: Int) -> String {
        count == 1 ? "once" : count == 2 ? "twice" : "\(count) times"
    }

    private func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }
}

/// Finds talea and color in a voice.
///
/// The voice is reduced to its merged onsets; each onset gets a rhythm token (its inter-onset
/// interval in twelfths of the voice's own pulse, snapped to quarter- and third-pulses, plus whether
/// a rest follows) and a pitch token (its highest pitch). For every candidate period `L` (in notes) the
/// tokens are compared with the tokens `L` notes later. Each agreement is weighted by the token's
/// information (−ln of its frequency), so agreeing on rare values (a long with a rest) counts more than
/// agreeing on the ubiquitous pulse value, and the score is corrected for the agreement expected by
/// chance from the token frequencies. In blocks of one period the rhythm may also agree after scaling
/// by 1/2, 2/3, 1/3 (diminution) or 2, 3/2, 3 (augmentation), when at least three quarters of the
/// block agree at that one scale. The period kept is the shortest one whose strength is within 5% of
/// the best. Work is bounded: at most ``maximumNotes`` notes and ``maximumPeriod`` candidate periods.
public enum IsorhythmDetector {
    /// Notes analysed at most per voice (the first ones).
    public static let maximumNotes = 384
    /// Longest candidate period, in notes.
    public static let maximumPeriod = 160
    /// Strength from which a talea or color is reported in words.
    public static let reportThreshold = 0.5

    /// Analyses one voice.
    public static func analyze(_ voice: Voice) -> IsorhythmAnalysis {
        analyze(line: VoiceLine(notes: voice.isDrum ? [] : voice.notes), name: voice.name)
    }

    static func analyze(line: VoiceLine, name: String) -> IsorhythmAnalysis {
        let count = min(line.events.count, maximumNotes)
        // The token sequences of the analysed window, built once for the whole window and its halves.
        var tokens = Tokens(capacity: count)
        for event in line.events.prefix(count) { tokens.append(event) }
        // One pre-screen pass per token sequence gives candidate periods for the whole window and
        // for each half at once.
        let half = count / 2
        let rhythmScreens = Periodicity.screens(tokens.rhythmKeys, half: half)
        let proportionScreens = Periodicity.screens(Periodicity.proportionTokens(tokens.values, rests: tokens.rests), half: half)
        let pitchScreens = Periodicity.screens(tokens.pitchKeys, half: half)
        func rhythmCandidates(_ part: Int) -> [Int] {
            // Both lists, sorted, without duplicates.
            var lags = (rhythmScreens[part] + proportionScreens[part]).sorted()
            var kept = 0
            for lag in lags where kept == 0 || lags[kept - 1] != lag {
                lags[kept] = lag
                kept += 1
            }
            lags.removeLast(lags.count - kept)
            return lags
        }
        let whole = analyze(line: line, tokens: tokens, name: name, range: 0..<count,
                            rhythmCandidates: rhythmCandidates(0), pitchCandidates: pitchScreens[0])
        // A tenor may be laid out in two sections with different taleae (the color restated in a new
        // rhythm): each half is also analysed, and kept at 0.9 of its strength if that is stronger.
        // Only worth it when the whole voice already shows some rhythmic or pitch periodicity.
        guard count >= 32, whole.strength < 0.9,
              (whole.talea?.strength ?? 0) >= 0.25 || (whole.color?.strength ?? 0) >= 0.5 else { return whole }
        var best = whole
        for (part, range) in [(1, 0..<half), (2, half..<count)] {
            var candidate = analyze(line: line, tokens: tokens, name: name, range: range,
                                    rhythmCandidates: rhythmCandidates(part), pitchCandidates: pitchScreens[part])
            candidate.strength *= 0.9
            candidate.section = part == 1 ? "first half" : "second half"
            if candidate.strength > best.strength { best = candidate }
        }
        best.noteCount = line.events.count
        return best
    }

    /// The tokens of a run of events: snapped intervals, rest flags, rhythm keys and pitch keys.
    struct Tokens {
        var values: [Int] = []
        var rests: [Bool] = []
        var rhythmKeys: [Int] = []
        var pitchKeys: [Int] = []

        init(capacity: Int) {
            values.reserveCapacity(capacity); rests.reserveCapacity(capacity)
            rhythmKeys.reserveCapacity(capacity); pitchKeys.reserveCapacity(capacity)
        }

        mutating func append(_ event: LineEvent) {
            values.append(event.twelfths)
            rests.append(event.restAfter)
            rhythmKeys.append(event.twelfths &* 2 &+ (event.restAfter ? 1 : 0))
            pitchKeys.append(event.top)
        }
    }

    private static func analyze(line: VoiceLine, tokens: Tokens, name: String, range: Range<Int>,
                                rhythmCandidates: [Int], pitchCandidates: [Int]) -> IsorhythmAnalysis {
        let count = range.count
        guard count >= 4 else {
            return IsorhythmAnalysis(voiceName: name, noteCount: line.events.count, talea: nil, color: nil,
                                     pitchAgreementAtTalea: 0, strength: 0)
        }
        // `events[i]` of the original formulation is `line.events[range.lowerBound + i]`.
        let offset = range.lowerBound
        let whole = range == 0..<tokens.values.count
        let values = whole ? tokens.values : Array(tokens.values[range])
        let rests = whole ? tokens.rests : Array(tokens.rests[range])
        let rhythmKeys = whole ? tokens.rhythmKeys : Array(tokens.rhythmKeys[range])
        let pitchKeys = whole ? tokens.pitchKeys : Array(tokens.pitchKeys[range])

        let rhythm = Periodicity(keys: rhythmKeys)
        var talea: Talea?
        var taleaLag = 0
        if let best = rhythm.bestPeriod(allowingScales: true, values: values, rests: rests, candidates: rhythmCandidates) {
            taleaLag = best.lag
            var quarters = 0.0
            for index in offset..<(offset + min(best.lag, count)) { quarters += line.events[index].ioi }
            talea = Talea(periodNotes: best.lag, periodQuarters: quarters,
                          periodPulses: line.pulse > 0 ? quarters / line.pulse : 0,
                          statements: best.statements, strength: best.strength,
                          statementScales: best.scales)
        }
        // The skeleton: only the long notes (at least twice the median interval) and the notes before
        // rests. A tenor restated in another mensuration changes its short values (2+2 becomes 1+2)
        // but keeps its longs and rests, so a period of the skeleton is a talea too (reported at 0.95
        // of its strength, since the short values were ignored).
        if let medianValue = VoiceLine.median(wholeNumbers: values) {
            let skeleton = values.indices.filter { Double(values[$0]) >= 2 * medianValue || rests[$0] }
            if skeleton.count >= 6 {
                let skeletonRhythm = Periodicity(keys: skeleton.map { rhythmKeys[$0] })
                if let best = skeletonRhythm.bestPeriod(allowingScales: true, values: skeleton.map { values[$0] },
                                                        rests: skeleton.map { rests[$0] }),
                   0.95 * best.strength > (talea?.strength ?? 0), best.lag < skeleton.count {
                    let first = skeleton[0], next = skeleton[best.lag]
                    let quarters = line.events[offset + next].onset - line.events[offset + first].onset
                    taleaLag = next - first
                    talea = Talea(periodNotes: next - first, periodQuarters: quarters,
                                  periodPulses: line.pulse > 0 ? quarters / line.pulse : 0,
                                  statements: best.statements, strength: 0.95 * best.strength,
                                  statementScales: best.scales)
                }
            }
        }
        let pitches = Periodicity(keys: pitchKeys)
        var color: Color?
        if let best = pitches.bestPeriod(allowingScales: false, values: values, rests: rests, candidates: pitchCandidates) {
            color = Color(periodNotes: best.lag, statements: best.statements, strength: best.strength)
        }
        let agreement = taleaLag > 0 ? pitches.strength(lag: taleaLag) : 0
        var strength = talea?.strength ?? 0
        if let talea {
            // Plain repetition (same pitches under the same rhythm, no change of proportion) is half
            // evidence: a strophic song repeats that way too.
            if !talea.hasProportionChange { strength *= 1 - 0.8 * agreement }
            // A talea is a rhythmic *pattern*: equal values closed by one long note (a hymn phrase
            // with its fermata) repeat too, but carry little rhythm. Below 1 bit of rhythmic
            // information per note within one statement, the strength is scaled down in proportion.
            strength *= min(1, IsorhythmDetector.patternEntropy(Array(rhythmKeys.prefix(max(1, min(taleaLag, count))))))
            // A talea is a large-scale period: a pattern stated dozens of times is an ostinato or
            // accompaniment figure, so beyond 16 statements over the voice the strength is scaled down.
            if talea.periodQuarters > 0 {
                let statementsOverVoice = line.span / talea.periodQuarters
                if statementsOverVoice > 16 { strength *= 16 / statementsOverVoice }
            }
        }
        strength = max(0, min(1, strength))
        return IsorhythmAnalysis(voiceName: name, noteCount: line.events.count, talea: talea, color: color,
                                 pitchAgreementAtTalea: agreement, strength: strength)
    }

    /// Shannon entropy (bits) of the tokens of one statement.
    static func patternEntropy(_ tokens: [Int]) -> Double {
        let sorted = tokens.sorted()
        var entropy = 0.0, start = 0
        let n = Double(max(sorted.count, 1))
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
            let p = Double(end - start) / n
            entropy -= p * log2(p)
            start = end
        }
        return entropy
    }

    /// Small fraction p/q for a scale (1/2 → (1, 2)).
    static func fraction(_ value: Double) -> (Int, Int) {
        for q in 1...6 {
            let p = (value * Double(q)).rounded()
            if abs(p / Double(q) - value) < 1e-6 { return (Int(p), q) }
        }
        return (Int((value * 100).rounded()), 100)
    }
}

/// Lag self-agreement of a token sequence, information-weighted and chance-corrected.
struct Periodicity {
    let keys: [Int]
    let weights: [Double]
    let totalWeight: Double
    /// Weighted agreement expected by chance.
    let chance: Double
    let entropy: Double


    init(keys: [Int]) {
        self.keys = keys
        // Token frequencies: a counting array when the tokens span a small range (pitches, most
        // rhythms), else sorting (cheaper than hashing for a few hundred tokens).
        let n = Double(max(keys.count, 1))
        var entropy = 0.0, chanceNumerator = 0.0
        var low = Int.max, high = Int.min
        for key in keys { low = min(low, key); high = max(high, key) }
        if low <= high, high - low < 8192 {
            // One slot per key value: first its count (whole numbers, exact), then its information.
            var slots = [Double](repeating: 0, count: high - low + 1)
            for key in keys { slots[key - low] += 1 }
            for slot in slots.indices where slots[slot] > 0 {
                let p = slots[slot] / n
                let information = -log(p)
                slots[slot] = information
                entropy += p * information
                chanceNumerator += p * p * information
            }
            weights = keys.map { slots[$0 - low] }
        } else {
            let sorted = keys.sorted()
            var uniques: [Int] = [], information: [Double] = []
            var start = 0
            while start < sorted.count {
                var end = start + 1
                while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
                let p = Double(end - start) / n
                let info = -log(p)
                uniques.append(sorted[start])
                information.append(info)
                entropy += p * info
                chanceNumerator += p * p * info
                start = end
            }
            weights = keys.map { key in
                var low = 0, high = uniques.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    if uniques[middle] < key { low = middle + 1 } else { high = middle }
                }
                return information.isEmpty ? 0 : information[low]
            }
        }
        totalWeight = weights.reduce(0, +)
        self.entropy = entropy
        chance = entropy > 0 ? chanceNumerator / entropy : 1
    }

    /// Chance-corrected exact agreement at one lag, 0...1.
    func strength(lag: Int) -> Double {
        guard lag > 0, lag < keys.count, entropy > 0.05 else { return 0 }
        var matched = 0.0, total = 0.0
        for index in 0..<(keys.count - lag) {
            total += weights[index]
            if keys[index] == keys[index + lag] { matched += weights[index] }
        }
        return corrected(matched, total)
    }

    private func corrected(_ matched: Double, _ total: Double) -> Double {
        guard total > 0, chance < 1 else { return 0 }
        let raw = matched / total
        return max(0, min(1, (raw - chance) / (1 - chance)))
    }

    struct Best { var lag: Int; var strength: Double; var statements: Int; var scales: [Double] }

    /// Later/earlier proportions tried for diminution and augmentation (index 0 = plain repetition).
    static let scaleNumerators: [Int] = [1, 1, 2, 2, 3, 1, 3, 3, 4]
    static let scaleDenominators: [Int] = [1, 2, 1, 3, 2, 3, 1, 4, 3]
    /// Candidate periods kept from each cheap pre-screen for the full evaluation.
    static let candidatesPerScreen = 3

    /// The shortest period whose strength is within 5% of the best one (nil for too short or uniform sequences).
    ///
    /// Candidates come from two cheap pre-screens over every lag (2 ... min(n/2, maximumPeriod)): the
    /// share of exactly equal tokens, and — for rhythm — the share of equal proportions between
    /// successive values (which a statement in diminution preserves). Only the best few lags of each
    /// are evaluated in full, which keeps the work linear in the number of notes for a fixed lag cap.
    func bestPeriod(allowingScales: Bool, values: [Int], rests: [Bool], candidates given: [Int]? = nil) -> Best? {
        let n = keys.count
        guard n >= 4, entropy > 0.05 else { return nil }
        let maxLag = min(n / 2, IsorhythmDetector.maximumPeriod)
        guard maxLag >= 2 else { return nil }
        var candidates: [Int]
        if let given {
            candidates = given.filter { $0 >= 2 && $0 <= maxLag }
        } else {
            candidates = Periodicity.screens(keys, half: 0)[0]
            if allowingScales {
                for lag in Periodicity.screens(Periodicity.proportionTokens(values, rests: rests), half: 0)[0]
                where !candidates.contains(lag) {
                    candidates.append(lag)
                }
            }
        }
        var evaluated: [Best] = []
        var highest = 0.0
        for lag in candidates.sorted() {
            let best = evaluate(lag: lag, allowingScales: allowingScales, values: values, rests: rests)
            // Strengths lie in 0...1, so a strength >= 0.95 is within 5% of any top; when no shorter
            // period is within 5% of the best so far (hence of the top), this one is the answer and
            // the longer candidates need no evaluation.
            if best.strength >= 0.95 && evaluated.allSatisfy({ $0.strength < 0.95 * max(highest, best.strength) }) {
                return best
            }
            highest = max(highest, best.strength)
            evaluated.append(best)
        }
        guard let top = evaluated.map(\.strength).max(), top > 0 else {
            return Best(lag: 2, strength: 0, statements: 1, scales: [1])
        }
        return evaluated.first { $0.strength >= 0.95 * top }
    }

    /// Number of positions `i` in `start..<end` with `p[i] == p[i + lag]` (a tight loop that vectorises).
    @inline(__always)
    static func equalCount(_ p: UnsafePointer<Int32>, _ start: Int, _ end: Int, _ lag: Int) -> Int {
        var equal: Int32 = 0
        var index = start
        while index < end {
            equal &+= p[index] == p[index &+ lag] ? 1 : 0
            index &+= 1
        }
        return Int(equal)
    }

    /// Byte codes for tokens, into a buffer of at least `tokens.count + 16` bytes: 0 for "no token"
    /// (negative), and equal codes exactly for equal tokens (compared, as in ``equalCount``, on their
    /// low 30 bits); the 16 bytes after the codes are zero. False when there are more than 255
    /// distinct tokens.
    static func byteCodes(_ tokens: [Int], into codes: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        let n = tokens.count
        guard codes.count >= n + 16 else { return false }
        var low = Int.max, high = Int.min
        for token in tokens where token >= 0 {
            let value = token & 0x3FFF_FFFF
            low = min(low, value); high = max(high, value)
        }
        for index in n..<(n + 16) { codes[index] = 0 }
        if low > high {
            for index in 0..<n { codes[index] = 0 }
            return true
        }
        if high - low < 255 {
            // A narrow range: the code is the offset from the lowest token.
            for index in 0..<n {
                let token = tokens[index]
                codes[index] = token >= 0 ? UInt8(truncatingIfNeeded: (token & 0x3FFF_FFFF) - low + 1) : 0
            }
            return true
        }
        // Otherwise codes in order of first appearance, through a small open-addressing table.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 1024) { table -> Bool in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { tableCodes -> Bool in
                for slot in 0..<1024 { table[slot] = -1 }
                var next = 1
                for index in 0..<n {
                    let token = tokens[index]
                    guard token >= 0 else { codes[index] = 0; continue }
                    let value = token & 0x3FFF_FFFF
                    var slot = (value &* 0x9E37_79B9) >> 8 & 1023
                    while table[slot] >= 0 && table[slot] != value { slot = (slot &+ 1) & 1023 }
                    if table[slot] < 0 {
                        guard next <= 255 else { return false }
                        table[slot] = value
                        tableCodes[slot] = UInt8(truncatingIfNeeded: next)
                        next += 1
                    }
                    codes[index] = tableCodes[slot]
                }
                return true
            }
        }
    }

    /// Number of positions `i` in `start..<end` with `p[i] == p[i + lag] != 0`, sixteen bytes at a
    /// time; bytes up to `end + lag + 15` are read (the padding of ``byteCodes(_:into:)``).
    @inline(__always)
    static func equalByteCount(_ p: UnsafeRawPointer, _ start: Int, _ end: Int, _ lag: Int) -> Int {
        guard end > start else { return 0 }
        let zero = SIMD16<UInt8>()
        var total = 0
        var counts = zero
        var rounds = 0
        var index = start
        while end &- index >= 16 {
            let a = p.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            let b = p.loadUnaligned(fromByteOffset: index &+ lag, as: SIMD16<UInt8>.self)
            counts = counts.replacing(with: counts &+ 1, where: (a .== b) .& (a .!= zero))
            index &+= 16
            rounds &+= 1
            if rounds == 255 {
                total &+= Int(SIMD16<UInt16>(truncatingIfNeeded: counts).wrappedSum())
                counts = zero
                rounds = 0
            }
        }
        if index < end {
            // The last, partial vector: lanes at or beyond `end` do not count.
            let a = p.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            let b = p.loadUnaligned(fromByteOffset: index &+ lag, as: SIMD16<UInt8>.self)
            let lanes = SIMD16<UInt8>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            let inside = lanes .< SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: end &- index))
            counts = counts.replacing(with: counts &+ 1, where: (a .== b) .& (a .!= zero) .& inside)
        }
        return total &+ Int(SIMD16<UInt16>(truncatingIfNeeded: counts).wrappedSum())
    }

    /// Tokens for the proportion between each value and the one before (kept by diminution), with
    /// the rest flag; -1 where undefined.
    static func proportionTokens(_ values: [Int], rests: [Bool]) -> [Int] {
        var tokens = [Int](repeating: -1, count: values.count)
        for index in values.indices.dropFirst() {
            let a = values[index - 1], b = values[index]
            guard a > 0, b > 0 else { continue }
            let divisor = gcd(a, b)
            tokens[index] = ((min(a / divisor, 4095) << 13) | (min(b / divisor, 4095) << 1)) | (rests[index] ? 1 : 0)
        }
        return tokens
    }

    /// For the whole sequence, and (when `half` > 0) for its first `half` tokens and the rest, the
    /// lags with the highest share of equal tokens (negative tokens never match), in one pass per lag.
    static func screens(_ tokens: [Int], half: Int) -> [[Int]] {
        let n = tokens.count
        let parts: [(length: Int, maxLag: Int)] = [(n, min(n / 2, IsorhythmDetector.maximumPeriod)),
                                                   (half, min(half / 2, IsorhythmDetector.maximumPeriod)),
                                                   (n - half, min((n - half) / 2, IsorhythmDetector.maximumPeriod))]
        let maxLag = parts.map(\.maxLag).max() ?? 0
        guard maxLag >= 2 else { return [[], [], []] }
        // Equal pairs per lag: inside the first half, straddling the middle, inside the second half
        // (at 3 × lag + part); then the best lags of each part.
        // At a lag, the pairs wholly inside the first half end at `firstEnd`; those inside the second
        // half start at `secondStart` (the pairs between them straddle the middle).
        func split(_ lag: Int) -> (firstEnd: Int, secondStart: Int) {
            let firstEnd = max(0, min(half - lag, n - lag))
            return (firstEnd, max(firstEnd, min(half, n - lag)))
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (maxLag + 1)) { counts -> [[Int]] in
            // Fills `counts` for every lag with `equal(start, end, lag)`, the equal pairs
            // (i, i + lag) for i in start..<end.
            @inline(__always) func countEveryLag(_ equal: (Int, Int, Int) -> Int) {
                for lag in 2...maxLag {
                    let (firstEnd, secondStart) = split(lag)
                    counts[3 * lag] = equal(0, firstEnd, lag)
                    counts[3 * lag + 1] = equal(firstEnd, secondStart, lag)
                    counts[3 * lag + 2] = equal(secondStart, max(secondStart, n - lag), lag)
                }
            }
            // Usually a sequence has fewer than 256 distinct tokens: then each becomes a byte code (0
            // for "no token", which never matches) and sixteen pairs are compared at once.
            let counted = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + 16) { codes -> Bool in
                guard let base = codes.baseAddress, byteCodes(tokens, into: codes) else { return false }
                let raw = UnsafeRawPointer(base)
                countEveryLag { equalByteCount(raw, $0, $1, $2) }
                return true
            }
            if !counted {
                // 32-bit tokens otherwise; "no token" (negative) becomes a value unique to its
                // position, so it can never match and the inner loop needs no mask.
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { narrow in
                    guard let base = narrow.baseAddress else { return }
                    for index in 0..<n {
                        let token = tokens[index]
                        narrow[index] = token >= 0 ? Int32(truncatingIfNeeded: token & 0x3FFF_FFFF)
                                                   : Int32.min &+ Int32(truncatingIfNeeded: index)
                    }
                    countEveryLag { equalCount(base, $0, $1, $2) }
                }
            }
            // The best few lags of each part (ties: the shorter), kept while the lags are scanned in
            // increasing order (see ``TopLags``).
            var top = (TopLags(), TopLags(), TopLags())
            for lag in 2...maxLag {
                let (firstEnd, secondStart) = split(lag)
                let first = counts[3 * lag], middle = counts[3 * lag + 1], second = counts[3 * lag + 2]
                if lag <= parts[0].maxLag { top.0.offer(lag, Double(first + middle + second) / Double(n - lag)) }
                if lag <= parts[1].maxLag && firstEnd > 0 { top.1.offer(lag, Double(first) / Double(firstEnd)) }
                if lag <= parts[2].maxLag && n - lag > secondStart {
                    top.2.offer(lag, Double(second) / Double(n - lag - secondStart))
                }
            }
            return [top.0.lags, top.1.lags, top.2.lags]
        }
    }

    /// The ``candidatesPerScreen`` lags with the highest shares, best first, offered in increasing lag
    /// order: a lag enters only when its share beats a kept share strictly, so ties keep the shorter lag
    /// (the same lags, in the same order, as repeatedly taking the first maximum). Holds 3 lags
    /// (``candidatesPerScreen``).
    struct TopLags {
        private(set) var lags: [Int] = []
        private var shares: (Double, Double, Double) = (-1, -1, -1)

        init() { lags.reserveCapacity(Periodicity.candidatesPerScreen) }

        mutating func offer(_ lag: Int, _ share: Double) {
            guard share >= 0 else { return }   // also refuses NaN, which never wins a comparison

            let kept = lags.count
            if kept == 3 && !(share > shares.2) { return }
            if kept >= 1 && !(share > shares.0) {
                if kept >= 2 && !(share > shares.1) {
                    // Third place.
                    if kept == 3 { lags[2] = lag } else { lags.append(lag) }
                    shares.2 = share
                } else {
                    // Second place.
                    if kept == 3 { lags[2] = lags[1]; lags[1] = lag } else { lags.insert(lag, at: 1) }
                    shares.2 = shares.1; shares.1 = share
                }
            } else {
                // First place.
                if kept == 3 { lags[2] = lags[1]; lags[1] = lags[0]; lags[0] = lag } else { lags.insert(lag, at: 0) }
                shares.2 = shares.1; shares.1 = shares.0; shares.0 = share
            }
        }
    }

    /// Agreement at one lag, block by block (a block = one period), with the scale of each block.
    func evaluate(lag: Int, allowingScales: Bool, values: [Int], rests: [Bool]) -> Best {
        let n = keys.count
        var matchedTotal = 0.0, weightTotal = 0.0
        var statements = 1
        var scales: [Double] = [1]
        var currentScale = 1.0
        let numerators = Periodicity.scaleNumerators, denominators = Periodicity.scaleDenominators
        let scaleCount = allowingScales ? numerators.count : 1
        guard n - lag > 0, values.count >= n, rests.count >= n else {
            return Best(lag: lag, strength: corrected(0, 0), statements: 1, scales: scales)
        }
        // Raw buffers (the sequences are read a few hundred times per voice): same sums in the same
        // order as a plain indexed loop, without bounds checks or per-call arrays.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 9) { byScale in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 9) { countByScale in
        keys.withUnsafeBufferPointer { keys in
        weights.withUnsafeBufferPointer { weights in
        values.withUnsafeBufferPointer { values in
        rests.withUnsafeBufferPointer { rests in
            var blockStart = 0
            while blockStart < n - lag {
                let blockEnd = min(blockStart + lag, n - lag)
                for s in 0..<9 { byScale[s] = 0; countByScale[s] = 0 }
                // Plain repetition, without branches. Every weight is positive (−ln p with p < 1, as
                // the entropy is positive), so adding +0.0 for a mismatch leaves the sum's bits as
                // skipping it would.
                var blockWeight = 0.0, plain = 0.0, plainCount = 0
                for index in blockStart..<blockEnd {
                    let weight = weights[index]
                    blockWeight += weight
                    let same = keys[index] == keys[index &+ lag]
                    plain += same ? weight : 0
                    plainCount &+= same ? 1 : 0
                }
                byScale[0] = plain; countByScale[0] = plainCount
                let blockLength = blockEnd - blockStart
                // Other proportions, each summed in index order as before. They can only be chosen
                // when they cover 3/4 of the block, which the mismatches must then do too.
                if allowingScales && blockLength >= 3 && (blockLength - plainCount) * 4 >= blockLength * 3 {
                    for index in blockStart..<blockEnd where keys[index] != keys[index &+ lag]
                        && rests[index] == rests[index &+ lag] && values[index] > 0 {
                        let s = Periodicity.scaleIndex(earlier: values[index], later: values[index &+ lag])
                        if s > 0 { byScale[s] += weights[index]; countByScale[s] &+= 1 }
                    }
                }
                // The block's scale: plain repetition unless one proportion covers >= 3/4 of the block.
                var chosen = 0
                if allowingScales && blockLength >= 3 {
                    for s in 1..<scaleCount where countByScale[s] * 4 >= blockLength * 3 && byScale[s] > byScale[chosen] {
                        chosen = s
                    }
                }
                matchedTotal += byScale[chosen]
                weightTotal += blockWeight
                if blockLength * 2 >= lag, blockWeight > 0, byScale[chosen] >= 0.7 * blockWeight {
                    statements += 1
                    currentScale *= Double(numerators[chosen]) / Double(denominators[chosen])
                    scales.append(currentScale)
                }
                blockStart = blockEnd
            }
        }}}}}}
        return Best(lag: lag, strength: corrected(matchedTotal, weightTotal), statements: statements, scales: scales)
    }

    /// The first scale index `s` in 1...8 with `later * denominator[s] == earlier * numerator[s]`
    /// (wrapping products, as ``scaleNumerators`` and ``scaleDenominators`` are tried in order), or 0.
    @inline(__always)
    static func scaleIndex(earlier: Int, later: Int) -> Int {
        if later &* 2 == earlier { return 1 }
        if later == earlier &* 2 { return 2 }
        if later &* 3 == earlier &* 2 { return 3 }
        if later &* 2 == earlier &* 3 { return 4 }
        if later &* 3 == earlier { return 5 }
        if later == earlier &* 3 { return 6 }
        if later &* 4 == earlier &* 3 { return 7 }
        if later &* 3 == earlier &* 4 { return 8 }
        return 0
    }
}

/// Greatest common divisor of two positive integers.
func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return max(x, 1)
}
