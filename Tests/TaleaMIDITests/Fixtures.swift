import TaleaMIDI

/// A small two-part format-1 file: a conductor track and two voices, built with the writer's builder.
func twoVoiceFile(ticksPerQuarter: Int = 480) -> MIDIFile {
    var conductor = MIDITrackBuilder()
    conductor.tempo(quartersPerMinute: 100)
    conductor.timeSignature(3, 4)
    var upper = MIDITrackBuilder()
    upper.name("Upper")
    upper.program(52, channel: 0)
    var lower = MIDITrackBuilder()
    lower.name("Lower")
    for i in 0..<8 {
        upper.note(67 + i % 3, at: i * ticksPerQuarter, duration: ticksPerQuarter, channel: 0)
        lower.note(48 + i % 5, at: i * ticksPerQuarter, duration: ticksPerQuarter / 2, channel: 1, offAsZeroVelocity: true)
    }
    return MIDIFile(format: 1, ticksPerQuarter: ticksPerQuarter,
                    tracks: [conductor.track(), upper.track(), lower.track()])
}

/// Big-endian 32-bit value at an offset.
func readBE32(_ bytes: [UInt8], _ at: Int) -> Int {
    Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
}

/// Writes a big-endian 32-bit value at an offset.
func writeBE32(_ bytes: inout [UInt8], _ at: Int, _ value: Int) {
    bytes[at] = UInt8(truncatingIfNeeded: value >> 24)
    bytes[at + 1] = UInt8(truncatingIfNeeded: value >> 16)
    bytes[at + 2] = UInt8(truncatingIfNeeded: value >> 8)
    bytes[at + 3] = UInt8(truncatingIfNeeded: value)
}

/// Offsets of every "MTrk" tag.
func trackOffsets(_ bytes: [UInt8]) -> [Int] {
    guard bytes.count >= 4 else { return [] }
    return (0...(bytes.count - 4)).filter { bytes[$0] == 0x4D && bytes[$0 + 1] == 0x54 && bytes[$0 + 2] == 0x72 && bytes[$0 + 3] == 0x6B }
}

/// Number of note-ons with velocity above 0.
func noteOnCount(_ file: MIDIFile) -> Int {
    file.tracks.reduce(0) { total, track in
        total + track.events.filter { if case let .noteOn(_, _, v) = $0.message { return v > 0 } else { return false } }.count
    }
}

