import TaleaMIDI

extension MIDITrackBuilder {
    /// Writes a rock beat on channel 10 from tick 0 at 480 ticks per quarter: the hi-hat (key 42) on
    /// every one of `eighths` eighths, with the bass drum (36) on the first and the snare (38) on the
    /// third eighth of every four, each stroke an eighth's half long.
    public mutating func rockBeat(eighths: Int) {
        for eighth in 0..<eighths {
            note(42, at: eighth * 240, duration: 120, channel: 9)
            if eighth % 2 == 0 { note(eighth % 4 == 0 ? 36 : 38, at: eighth * 240, duration: 120, channel: 9) }
        }
    }
}
