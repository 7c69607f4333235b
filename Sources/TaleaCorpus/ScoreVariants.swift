import Foundation
import TaleaScore

/// Other views of a score that a user may give Talea: one voice, an excerpt, a humanised
/// performance, a piano written on one staff. Training sees them so that the model does too.
public enum ScoreVariants {
    /// The score reduced to one voice (index into ``Score/voices``), re-indexed as voice 0.
    public static func singleVoice(_ score: Score, index: Int) -> Score {
        var result = score
        guard score.voices.indices.contains(index) else { result.voices = []; return result }
        var voice = score.voices[index]
        voice.index = 0
        result.voices = [voice]
        return result
    }

    /// The notes starting in `[start, end)` quarter notes, shifted so the excerpt starts at 0.
    /// Notes that run past `end` are cut there. Voices left empty are dropped.
    public static func excerpt(_ score: Score, fromQuarters start: Double, toQuarters end: Double) -> Score {
        var result = score
        let ticksPerQuarter = Double(max(score.ticksPerQuarter, 1))
        let secondsAtStart = seconds(atQuarters: start, in: score)
        result.voices = score.voices.compactMap { voice in
            var voice = voice
            voice.notes = voice.notes.compactMap { note in
                guard note.onsetQuarters >= start, note.onsetQuarters < end else { return nil }
                var note = note
                let duration = min(note.durationQuarters, end - note.onsetQuarters)
                let onset = note.onsetQuarters - start
                let onsetSeconds = note.onsetSeconds - secondsAtStart
                let secondsPerQuarter = note.durationQuarters > 0 ? note.durationSeconds / note.durationQuarters : 0.5
                note.onsetQuarters = onset
                note.durationQuarters = duration
                note.onsetTicks = Int((onset * ticksPerQuarter).rounded())
                note.durationTicks = Int((duration * ticksPerQuarter).rounded())
                note.onsetSeconds = onsetSeconds
                note.durationSeconds = duration * secondsPerQuarter
                return note
            }
            return voice.notes.isEmpty ? nil : voice
        }
        for index in result.voices.indices { result.voices[index].index = index }
        result.tempi = []
        result.timeSignatures = score.timeSignatures.filter { $0.quarters <= start }.suffix(1).map {
            TimeSignature(tick: 0, quarters: 0, numerator: $0.numerator, denominator: $0.denominator)
        } + score.timeSignatures.filter { $0.quarters > start && $0.quarters < end }.map {
            TimeSignature(tick: Int((($0.quarters - start) * ticksPerQuarter).rounded()), quarters: $0.quarters - start,
                          numerator: $0.numerator, denominator: $0.denominator)
        }
        result.keySignatures = score.keySignatures.filter { $0.quarters <= start }.suffix(1).map {
            KeySignature(tick: 0, quarters: 0, sharps: $0.sharps, isMinor: $0.isMinor)
        }
        return result
    }

    /// A performance-like copy: onsets and ends moved by Gaussian jitter (standard deviation
    /// `jitterQuarters`) and by a slow rubato warp of the time axis (up to `rubatoDepth` of local
    /// tempo change), as a MIDI file recorded from a keyboard at a fixed tempo would show.
    /// Quarter notes, ticks and seconds all follow the warped time (120 quarters per minute).
    /// With `articulation` below 1 every note sounds only that share of its (warped) length, each
    /// note's share varying by `articulationSpread` (standard deviation), as a detached performance
    /// or an encoder that shortens notes writes them.
    public static func humanised(_ score: Score, seed: UInt64, jitterQuarters: Double = 0.04,
                                 rubatoDepth: Double = 0.08, articulation: Double = 1,
                                 articulationSpread: Double = 0) -> Score {
        var random = SplitMix(seed: seed)
        let period = 16.0 + 16.0 * random.nextUnit()
        let phase = 2 * Double.pi * random.nextUnit()
        // Warp with derivative 1 + depth·sin(...): local tempo swings by ±depth.
        func warp(_ q: Double) -> Double {
            q - rubatoDepth * period / (2 * .pi) * (cos(2 * .pi * q / period + phase) - cos(phase))
        }
        let ticksPerQuarter = Double(max(score.ticksPerQuarter, 1))
        var result = score
        for v in result.voices.indices {
            result.voices[v].notes = result.voices[v].notes.map { note in
                var note = note
                let warpedOnset = warp(note.onsetQuarters)
                let onset = max(0, warpedOnset + jitterQuarters * random.nextGaussian())
                var warpedEnd = warp(note.endQuarters)
                if articulation < 1 {
                    let share = min(1, max(0.05, articulation + articulationSpread * random.nextGaussian()))
                    warpedEnd = warpedOnset + (warpedEnd - warpedOnset) * share
                }
                let end = max(onset + 0.01, warpedEnd + jitterQuarters * random.nextGaussian())
                note.onsetQuarters = onset
                note.durationQuarters = end - onset
                note.onsetTicks = Int((onset * ticksPerQuarter).rounded())
                note.durationTicks = max(1, Int((note.durationQuarters * ticksPerQuarter).rounded()))
                note.onsetSeconds = onset * 0.5
                note.durationSeconds = note.durationQuarters * 0.5
                note.velocity = min(127, max(1, note.velocity + Int((10 * random.nextGaussian()).rounded())))
                return note
            }.sorted { ($0.onsetQuarters, $0.pitch) < ($1.onsetQuarters, $1.pitch) }
        }
        result.tempi = [TempoChange(tick: 0, quarters: 0, seconds: 0, microsecondsPerQuarter: 500_000)]
        return result
    }

    /// Joins the staves of a keyboard part (voices whose names say piano, pianoforte, klavier,
    /// keyboard or harp) into one voice, as encoders that write a piano on one track do.
    /// A score without two such voices is returned unchanged.
    public static func mergingKeyboardStaves(_ score: Score) -> Score {
        let keyboard = score.voices.filter { isKeyboardName($0.name) }
        guard keyboard.count >= 2, let first = keyboard.first else { return score }
        var merged = first
        merged.notes = keyboard.flatMap(\.notes).sorted { ($0.onsetTicks, $0.pitch) < ($1.onsetTicks, $1.pitch) }
        var result = score
        result.voices = score.voices.filter { !isKeyboardName($0.name) } + [merged]
        result.voices.sort { $0.trackIndex < $1.trackIndex }
        for index in result.voices.indices { result.voices[index].index = index }
        return result
    }

    /// Every non-drum voice joined into one, as a format-0 file whose parts all share one channel
    /// reads (some encoders write a whole chorale on channel 1).
    public static func mergingAllVoices(_ score: Score) -> Score {
        let pitched = score.voices.filter { !$0.isDrum }
        guard pitched.count >= 2, let first = pitched.first else { return score }
        var merged = first
        merged.index = 0
        merged.name = "All voices"
        merged.notes = pitched.flatMap(\.notes).sorted { ($0.onsetTicks, $0.pitch) < ($1.onsetTicks, $1.pitch) }
        var result = score
        result.voices = [merged]
        return result
    }

    /// The parts merged in pairs from the top, as a short score writes them: voices 0 and 1 on the
    /// first staff, 2 and 3 on the second, and so on (an odd last part keeps a staff of its own).
    /// Each staff is one voice (its first part's track, channel, program and name joined with the
    /// second's by "+"; ``TaleaScore/Score/midiFile(distinctChannels:)`` gives each staff a channel
    /// of its own); drum voices are kept as they are. A score of fewer than two pitched voices is
    /// returned unchanged.
    public static func mergingPartsInPairs(_ score: Score) -> Score {
        let pitched = score.voices.filter { !$0.isDrum }
        guard pitched.count >= 2 else { return score }
        var staves: [Voice] = []
        for start in stride(from: 0, to: pitched.count, by: 2) {
            var staff = pitched[start]
            if start + 1 < pitched.count {
                let lower = pitched[start + 1]
                staff.name = [staff.name, lower.name].filter { !$0.isEmpty }.joined(separator: "+")
                staff.notes += lower.notes
            }
            for n in staff.notes.indices { staff.notes[n].channel = staff.channel }
            staff.notes.sort { ($0.onsetTicks, -$0.pitch) < ($1.onsetTicks, -$1.pitch) }
            staves.append(staff)
        }
        var result = score
        result.voices = staves + score.voices.filter(\.isDrum)
        for index in result.voices.indices { result.voices[index].index = index }
        return result
    }

    /// True for a part name that says keyboard (piano, pianoforte, klavier, keyboard, harp).
    public static func isKeyboardName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["piano", "klavier", "keyboard", "harp", "pf.", "clavier"].contains { lower.contains($0) }
    }

    static func seconds(atQuarters quarters: Double, in score: Score) -> Double {
        guard let tempo = score.tempi.last(where: { $0.quarters <= quarters }) else { return quarters * 0.5 }
        return tempo.seconds + (quarters - tempo.quarters) * Double(tempo.microsecondsPerQuarter) / 1_000_000
    }
}

/// A small seeded generator (SplitMix64) so that variants are the same on every run.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    mutating func nextGaussian() -> Double {
        let u = max(nextUnit(), 1e-12), v = nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

extension ScoreVariants {
    /// The score with its first half played twice, as an encoder that writes out a repeat sign
    /// (a chorale's *Stollen*, a strophic song's verse) plays it: the notes before the cut, then
    /// the same notes again, then the rest, all moved later by the length of the first half.
    /// The cut is the note onset nearest the middle at which no note of any voice is sounding, so
    /// no note is split; a score without such an onset is returned unchanged.
    public static func repeatingFirstHalf(_ score: Score) -> Score {
        let notes = score.voices.flatMap(\.notes)
        let middle = score.durationQuarters / 2
        // Onsets crossed by no note, found in one sweep over the notes sorted by onset.
        let sorted = notes.sorted { $0.onsetQuarters < $1.onsetQuarters }
        var cut: Double?
        var soundingUntil = -Double.infinity
        var index = 0
        while index < sorted.count {
            let onset = sorted[index].onsetQuarters
            if onset > 0, soundingUntil <= onset + 1e-9, abs(onset - middle) < abs((cut ?? .infinity) - middle) { cut = onset }
            while index < sorted.count, sorted[index].onsetQuarters == onset {
                soundingUntil = max(soundingUntil, sorted[index].endQuarters)
                index += 1
            }
        }
        guard let cut else { return score }
        let ticksPerQuarter = Double(max(score.ticksPerQuarter, 1))
        let cutTicks = Int((cut * ticksPerQuarter).rounded())
        let cutSeconds = seconds(atQuarters: cut, in: score)
        // Everything from the cut on, and the copy of the first half, moves later by the first half.
        func moved<Event>(_ event: Event, _ quarters: WritableKeyPath<Event, Double>, _ ticks: WritableKeyPath<Event, Int>) -> Event {
            var event = event
            event[keyPath: quarters] += cut
            event[keyPath: ticks] += cutTicks
            return event
        }
        var result = score
        for v in result.voices.indices {
            let notes = result.voices[v].notes
            result.voices[v].notes = notes.filter { $0.onsetQuarters < cut } + notes.map { note in
                var note = moved(note, \.onsetQuarters, \.onsetTicks)
                note.onsetSeconds += cutSeconds
                return note
            }
        }
        result.tempi = score.tempi.filter { $0.quarters < cut } + score.tempi.map { tempo in
            var tempo = moved(tempo, \.quarters, \.tick)
            tempo.seconds += cutSeconds
            return tempo
        }
        result.timeSignatures = score.timeSignatures.filter { $0.quarters < cut } + score.timeSignatures.map { moved($0, \.quarters, \.tick) }
        result.keySignatures = score.keySignatures.filter { $0.quarters < cut } + score.keySignatures.map { moved($0, \.quarters, \.tick) }
        return result
    }

    /// A legato performance: every note that reaches (within `reach` quarter notes) the next onset
    /// of its voice is held `overlap` quarter notes into it, as a keyboard player's fingers
    /// overlap, so that a single line briefly sounds two notes at once.
    public static func overlappingLegato(_ score: Score, overlap: Double = 0.25, reach: Double = 0.25) -> Score {
        let ticksPerQuarter = Double(max(score.ticksPerQuarter, 1))
        var result = score
        for v in result.voices.indices {
            let onsets = Array(Set(result.voices[v].notes.map(\.onsetQuarters))).sorted()
            result.voices[v].notes = result.voices[v].notes.map { note in
                // The first onset after this note's own.
                var low = 0, high = onsets.count
                while low < high {
                    let mid = (low + high) / 2
                    if onsets[mid] <= note.onsetQuarters { low = mid + 1 } else { high = mid }
                }
                guard low < onsets.count, onsets[low] - note.endQuarters < reach else { return note }
                var note = note
                let end = max(note.endQuarters, onsets[low] + overlap)
                let secondsPerQuarter = note.durationQuarters > 0 ? note.durationSeconds / note.durationQuarters : 0.5
                note.durationQuarters = end - note.onsetQuarters
                note.durationTicks = max(1, Int((note.durationQuarters * ticksPerQuarter).rounded()))
                note.durationSeconds = note.durationQuarters * secondsPerQuarter
                return note
            }
        }
        return result
    }
}

extension ScoreVariants {
    /// The score with grace notes as a notation program plays them: before about `share` of the
    /// notes that last at least a quarter note (seeded), a note a step above or a semitone below
    /// sounds for `length` quarter notes on the beat, and the main note starts that much later.
    public static func addingGraceNotes(_ score: Score, seed: UInt64, share: Double = 0.1, length: Double = 0.125) -> Score {
        var random = SplitMix(seed: seed)
        let ticksPerQuarter = Double(max(score.ticksPerQuarter, 1))
        var result = score
        for v in result.voices.indices where !result.voices[v].isDrum {
            var notes: [Note] = []
            for note in result.voices[v].notes {
                guard note.durationQuarters >= 1, random.nextUnit() < share else {
                    notes.append(note)
                    continue
                }
                let secondsPerQuarter = note.durationSeconds / note.durationQuarters
                var grace = note
                grace.pitch = min(127, max(0, note.pitch + (random.nextUnit() < 0.5 ? 2 : -1)))
                grace.durationQuarters = length
                grace.durationTicks = max(1, Int((length * ticksPerQuarter).rounded()))
                grace.durationSeconds = length * secondsPerQuarter
                var main = note
                main.onsetQuarters += length
                main.durationQuarters -= length
                main.onsetTicks += grace.durationTicks
                main.durationTicks = max(1, note.durationTicks - grace.durationTicks)
                main.onsetSeconds += grace.durationSeconds
                main.durationSeconds -= grace.durationSeconds
                notes += [grace, main]
            }
            result.voices[v].notes = notes.sorted { ($0.onsetQuarters, $0.pitch) < ($1.onsetQuarters, $1.pitch) }
        }
        return result
    }
}
