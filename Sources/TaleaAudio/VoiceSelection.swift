import Foundation
import TaleaScore

extension VoiceSelector {
    /// Indices of the voices this selector picks in `voices`, with the same rule as
    /// ``Score/selectingVoices(_:)`` (a 0-based index; or the voices named so, case-insensitively,
    /// else those whose names contain the text, so "piano" picks "Piano 1" and "Piano 2").
    /// Throws ``AudioRenderError/unknownVoice(reference:available:)`` when it picks none.
    public func voiceIndices(in voices: [Voice]) throws -> [Int] {
        let matches: [Int]
        switch self {
        case .index(let index):
            matches = voices.indices.contains(index) ? [index] : []
        case .name(let name):
            let wanted = name.lowercased()
            let exact = voices.indices.filter { voices[$0].name.lowercased() == wanted }
            matches = exact.isEmpty && !wanted.isEmpty
                ? voices.indices.filter { voices[$0].name.lowercased().contains(wanted) } : exact
        }
        guard !matches.isEmpty else {
            throw AudioRenderError.unknownVoice(reference: description,
                                                available: voices.enumerated().map { "\($0.offset): \($0.element.name)" })
        }
        return matches
    }
}

/// A General MIDI program forced on one voice (`--program VOICE=N`).
public struct ProgramOverride: Sendable, Hashable {
    /// The voice (or voices: a name may pick several, like "piano") to change.
    public var voice: VoiceSelector
    /// General MIDI program, 0...127 (0-based: 0 = Acoustic Grand Piano, 52 = Choir Aahs).
    public var program: Int

    /// Creates an override.
    public init(voice: VoiceSelector, program: Int) {
        self.voice = voice
        self.program = program
    }

    /// Reads `VOICE=N` (the voice by index or name; the program 0-based). Returns nil for text
    /// without `=` or with a program that is not an integer.
    public init?(parsing text: String) {
        guard let equals = text.lastIndex(of: "=") else { return nil }
        let voiceText = String(text[..<equals])
        guard let program = Int(text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)),
              !voiceText.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        self.init(voice: VoiceSelector(voiceText.trimmingCharacters(in: .whitespaces)), program: program)
    }
}
