import Foundation
import TaleaFeatures

/// What a single voice of a corpus work is in its repertory, read from its part name: a motet's
/// tenor or upper voice, a chorale's sung part or an instrument doubling or adorning it, a song's
/// vocal line or piano staff. Used to break single-voice results down by the part a user gives.
///
/// Part names come from the encodings (`docs/evaluation.md` lists them), so the reading is by
/// keyword: a name the rules do not cover falls to the most common part of its genre (an upper
/// voice, a sung part, a vocal line).
public enum VoiceRole: String, CaseIterable, Codable, Sendable {
    /// A motet's tenor: the chant in long values that carries the talea and color.
    case motetTenor = "tenor"
    /// A motet's contratenor, sharing the tenor's register and often its isorhythm.
    case motetContratenor = "contratenor"
    /// A motet's texted upper voice: triplum, motetus, cantus, discantus.
    case motetUpperVoice = "upper voice (triplum, motetus, cantus)"
    /// A chorale's soprano, alto, tenor or bass.
    case choraleSungPart = "sung part (soprano, alto, tenor, bass)"
    /// A chorale's instrument: trumpets, horns, timpani, strings, oboes, continuo.
    case choraleInstrument = "instrument (brass, timpani, strings, oboes, continuo)"
    /// A song's vocal line, the only one of its file.
    case liedVocalLine = "vocal line"
    /// One of two or more sung parts of a song's file: a duet's, or a part-song's choir.
    case liedEnsembleVoice = "one of several sung parts (duet, part-song)"
    /// One staff of a song's piano (or harp) part.
    case liedPianoStaff = "piano staff"
    /// An obbligato instrument of a song: flute, oboe, clarinet, cello, guitar.
    case liedInstrument = "obbligato instrument"

    /// The genre whose parts this role names.
    public var genre: Genre {
        switch self {
        case .motetTenor, .motetContratenor, .motetUpperVoice: return .isorhythmicMotet
        case .choraleSungPart, .choraleInstrument: return .bachChorale
        case .liedVocalLine, .liedEnsembleVoice, .liedPianoStaff, .liedInstrument: return .lied
        }
    }

    /// The role of a voice named `partName` in a work of `genre`, read from the name alone: a song's
    /// sung part is a ``liedVocalLine`` (``roles(of:)`` tells a duet's or a choir's parts apart).
    public init(genre: Genre, partName: String) {
        let name = partName.lowercased()
        switch genre {
        case .isorhythmicMotet:
            if name.contains("contratenor") || name.hasPrefix("contra") {
                self = .motetContratenor
            } else if name.contains("tenor") {
                self = .motetTenor
            } else {
                self = .motetUpperVoice
            }
        case .bachChorale:
            // "Soprano Oboe 1 Violin1" and "Bass Continuo" are the sung part with its doubling.
            let sung = ["soprano", "alto", "tenor", "bass"].contains { name.hasPrefix($0) }
            let instrument = PartName.namesAnInstrumentAlone(partName) || PartName.namesAKeyboard(partName)
            self = sung || !instrument ? .choraleSungPart : .choraleInstrument
        case .lied:
            if ScoreVariants.isKeyboardName(partName) {
                self = .liedPianoStaff
            } else if PartName.namesAnInstrumentAlone(partName) {
                self = .liedInstrument
            } else {
                self = .liedVocalLine
            }
        }
    }

    /// The role of a scored single voice, or nil for a whole piece or an `other` file.
    /// Its part reads `voice N (name)`, as ``ExampleBuilder`` names it.
    public init?(item: ScoredItem) {
        guard item.view == .voice, let genre = Genre(rawValue: item.truth) else { return nil }
        self.init(genre: genre, partName: Self.partName(item.part))
    }

    /// The role of each item (nil for a whole piece or an `other` file), with its file in view: a
    /// song's sung part is a ``liedEnsembleVoice`` when the same file, in the same re-encoding, has
    /// another sung part among the items.
    public static func roles(of items: [ScoredItem]) -> [VoiceRole?] {
        let byName = items.map { VoiceRole(item: $0) }
        var sungParts: [String: Set<String>] = [:]
        for (item, role) in zip(items, byName) where role == .liedVocalLine {
            sungParts[item.entryID + "|" + item.variant, default: []].insert(item.part)
        }
        return zip(items, byName).map { item, role in
            guard role == .liedVocalLine, sungParts[item.entryID + "|" + item.variant, default: []].count >= 2 else { return role }
            return .liedEnsembleVoice
        }
    }

    /// The name inside `voice N (name)`; the whole text when it has no parentheses.
    static func partName(_ part: String) -> String {
        guard let open = part.range(of: " ("), part.hasSuffix(")") else { return part }
        return String(part[open.upperBound..<part.index(before: part.endIndex)])
    }
}

/// How the single voices of one role were answered: the breakdown of single-voice results by part.
public struct VoiceRoleResult: Codable, Equatable, Sendable {
    /// The role.
    public var role: VoiceRole
    /// Voices of this role scored.
    public var count: Int
    /// Answers, keyed by label (the three genres and `unknown`).
    public var answers: [String: Int]

    /// Share of the voices answered with their genre.
    public var recall: Double { count == 0 ? 0 : Double(answers[role.genre.rawValue, default: 0]) / Double(count) }

    /// One result per role that has voices among `items` (whole pieces and `other` files are
    /// ignored), in ``VoiceRole`` order.
    public static func breakdown(_ items: [ScoredItem]) -> [VoiceRoleResult] {
        var byRole: [VoiceRole: [String: Int]] = [:]
        for (item, role) in zip(items, VoiceRole.roles(of: items)) {
            guard let role else { continue }
            byRole[role, default: [:]][item.predicted, default: 0] += 1
        }
        return VoiceRole.allCases.compactMap { role in
            byRole[role].map { VoiceRoleResult(role: role, count: $0.values.reduce(0, +), answers: $0) }
        }
    }
}
