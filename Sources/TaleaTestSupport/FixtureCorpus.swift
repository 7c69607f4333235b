import Foundation
import TaleaMIDI

/// A small corpus written with Talea's own MIDI writer: caricatures of the three repertories and
/// of `other` music, with a manifest, so that training, evaluation and the CLI run end to end.
public enum FixtureCorpus {
    /// Writes `perLabel` files of each label into a new temporary directory and returns it.
    public static func make(perLabel: Int = 6, seed: UInt64 = 1) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("talea-fixture-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("midi"), withIntermediateDirectories: true)
        var rows = ["id,path,label,work_id,title,composer,notes"]
        var random = Lcg(seed)
        for n in 0..<perLabel {
            for (label, make) in [("isorhythmic_motet", motet), ("bach_chorale", chorale), ("lied", lied), ("other", folkSong)] as [(String, (inout Lcg) -> MIDIFile)] {
                let id = "\(label)-\(n)"
                let path = "midi/\(id).mid"
                let midi = make(&random)
                try Data(midi.serialized()).write(to: dir.appendingPathComponent(path))
                rows.append("\(id),\(path),\(label),work-\(id),Fixture \(id),Talea tests,0")
            }
        }
        try (rows.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    /// A tiny linear congruential generator, so fixtures are the same on every run.
    public struct Lcg {
        var state: UInt64
        /// Seeds the generator.
        public init(_ seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
        /// A number in 0..<bound.
        public mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    /// Ticks per quarter note of every fixture.
    public static let tpq = 480

    private static func conductor(_ numerator: Int, _ denominator: Int, tempo: Double) -> MIDITrack {
        var b = MIDITrackBuilder()
        b.tempo(quartersPerMinute: tempo)
        b.timeSignature(numerator, denominator)
        return b.track()
    }

    /// Tenor: a talea of long values stated 4 times over a color; two quick, syncopated upper voices.
    public static func motet(_ r: inout Lcg) -> MIDIFile {
        let talea = [6, 3, 9, 3, 3].map { $0 * tpq }
        let color = (0..<7).map { [50, 52, 53, 55, 57][($0 + r.next(5)) % 5] }
        var tenor = MIDITrackBuilder(); tenor.name("Tenor")
        var t = 0, c = 0
        for _ in 0..<4 { for d in talea { tenor.note(color[c % color.count], at: t, duration: d - tpq / 2, channel: 2); t += d; c += 1 } }
        var upper: [MIDITrackBuilder] = []
        for (v, base) in [(0, 67), (1, 62)] {
            var b = MIDITrackBuilder(); b.name(v == 0 ? "Triplum" : "Motetus")
            var u = tpq / 2 * r.next(2)
            while u < t {
                let d = [tpq / 2, tpq, tpq * 3 / 2, tpq * 3][r.next(4)]
                if r.next(6) > 0 { b.note(base + [0, 2, 4, 5, 7, -3][r.next(6)], at: u, duration: d, channel: v) }
                u += d
            }
            upper.append(b)
        }
        return MIDIFile(format: 1, ticksPerQuarter: tpq, tracks: [conductor(6, 8, tempo: 60)] + upper.map { $0.track() } + [tenor.track()])
    }

    /// Four voices in block quarter-note chords with a long note every 8 beats.
    public static func chorale(_ r: inout Lcg) -> MIDIFile {
        let key = r.next(7)
        let chords = [[0, 4, 7], [5, 9, 12], [7, 11, 14], [9, 12, 16]]
        var voices = ["Soprano", "Alto", "Tenor", "Bass"].enumerated().map { i, name -> MIDITrackBuilder in var b = MIDITrackBuilder(); b.name(name); _ = i; return b }
        var t = 0
        for beat in 0..<32 {
            let chord = chords[r.next(4)]
            let d = beat % 8 == 7 ? 2 * tpq : tpq
            for v in 0..<4 {
                let pitch = 60 + key + chord[v % 3] + [12, 0, -12, -24][v]
                voices[v].note(pitch, at: t, duration: d, channel: v)
            }
            t += d
        }
        return MIDIFile(format: 1, ticksPerQuarter: tpq, tracks: [conductor(4, 4, tempo: 80)] + voices.map { $0.track() })
    }

    /// A voice with chromatic, dotted phrases and rests, over piano arpeggios in two staves.
    public static func lied(_ r: inout Lcg) -> MIDIFile {
        var voice = MIDITrackBuilder(); voice.name("Voice")
        var right = MIDITrackBuilder(); right.name("Piano 1")
        var left = MIDITrackBuilder(); left.name("Piano 2")
        let key = 60 + r.next(12)
        var t = 0
        for bar in 0..<16 {
            for s in 0..<12 { right.note(key + [0, 4, 7, 12, 16, 19][(s + bar) % 6] + r.next(2), at: t + s * tpq / 3, duration: tpq / 3, channel: 1) }
            left.note(key - 24 + [0, 5, 7, 3][bar % 4], at: t, duration: 4 * tpq, channel: 2)
            if bar % 4 != 3 {
                voice.note(key + 7 + r.next(6) - 2, at: t, duration: tpq * 3 / 2, channel: 0)
                voice.note(key + 6 + r.next(4), at: t + tpq * 3 / 2, duration: tpq / 2, channel: 0)
                voice.note(key + 3 + r.next(5), at: t + 2 * tpq, duration: tpq, channel: 0)
            }
            t += 4 * tpq
        }
        return MIDIFile(format: 1, ticksPerQuarter: tpq, tracks: [conductor(4, 4, tempo: 66), voice.track(), right.track(), left.track()])
    }

    /// One diatonic tune in equal eighths and quarters.
    public static func folkSong(_ r: inout Lcg) -> MIDIFile {
        var b = MIDITrackBuilder(); b.name("Part 1")
        var t = 0
        for _ in 0..<48 {
            let d = [tpq / 2, tpq][r.next(2)]
            b.note(65 + [0, 2, 4, 5, 7, 9][r.next(6)], at: t, duration: d)
            t += d
        }
        return MIDIFile(format: 1, ticksPerQuarter: tpq, tracks: [conductor(2, 4, tempo: 100), b.track()])
    }
}
