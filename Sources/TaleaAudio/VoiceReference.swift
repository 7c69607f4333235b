import Foundation
import TaleaScore

/// Names one voice of a score for `--voice`, `--mute` and `--program`: by its index in
/// ``Score/voices`` (0-based, as ``Voice/index``) or by its name (case- and accent-insensitive,
/// exact match first, then a unique prefix).
public enum VoiceReference: Sendable, Hashable, CustomStringConvertible {
    /// The voice at this 0-based index.
    case index(Int)
    /// The voice with this name.
    case name(String)

    /// Reads a reference from text: a non-negative integer is an index, anything else a name.
    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = Int(trimmed), number >= 0 {
            self = .index(number)
        } else {
            self = .name(trimmed)
        }
    }

    public var description: String {
        switch self {
        case .index(let index): return String(index)
        case .name(let name): return name
        }
    }

    /// The index of the voice this reference names in `voices`, or
    /// ``AudioRenderError/unknownVoice(reference:available:)``.
    public func resolve(in voices: [Voice]) throws -> Int {
        switch self {
        case .index(let index):
            if voices.indices.contains(index) { return index }
        case .name(let name):
            let wanted = VoiceReference.fold(name)
            if let exact = voices.firstIndex(where: { VoiceReference.fold($0.name) == wanted }) {
                return exact
            }
            let prefixed = voices.indices.filter { VoiceReference.fold(voices[$0].name).hasPrefix(wanted) }
            if prefixed.count == 1, !wanted.isEmpty { return prefixed[0] }
        }
        throw AudioRenderError.unknownVoice(reference: description,
                                            available: voices.enumerated().map { "\($0.offset): \($0.element.name)" })
    }

    /// Lower case without diacritics, for matching names typed on any keyboard.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespaces)
    }
}

/// A General MIDI program forced on one voice (`--program VOICE=N`).
public struct ProgramOverride: Sendable, Hashable {
    /// The voice to change.
    public var voice: VoiceReference
    /// General MIDI program, 0...127 (0-based: 0 = Acoustic Grand Piano, 52 = Choir Aahs).
    public var program: Int

    /// Creates an override.
    public init(voice: VoiceReference, program: Int) {
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
        self.init(voice: VoiceReference(parsing: voiceText), program: program)
    }
}
