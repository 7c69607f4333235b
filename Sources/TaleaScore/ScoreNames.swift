extension Note {
    /// Scientific pitch name with sharps: 60 → "C4", 61 → "C#4", 21 → "A0".
    public static func name(ofPitch pitch: Int) -> String {
        let names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
        let octave = Int((Double(pitch) / 12).rounded(.down)) - 1
        return names[((pitch % 12) + 12) % 12] + String(octave)
    }
}

extension KeySignature {
    /// The key the signature names, e.g. "D major", "B minor", "E♭ major".
    public var name: String {
        let major = ["C♭", "G♭", "D♭", "A♭", "E♭", "B♭", "F", "C", "G", "D", "A", "E", "B", "F♯", "C♯"]
        let minor = ["A♭", "E♭", "B♭", "F", "C", "G", "D", "A", "E", "B", "F♯", "C♯", "G♯", "D♯", "A♯"]
        let index = min(max(sharps, -7), 7) + 7
        return (isMinor ? minor[index] : major[index]) + (isMinor ? " minor" : " major")
    }
}

extension TimeSignature {
    /// "3/4".
    public var name: String { "\(numerator)/\(denominator)" }
}
