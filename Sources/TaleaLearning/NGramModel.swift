import Foundation

/// A language model of token sequences: the probability of each token given the few before it,
/// estimated from counts with Witten–Bell interpolation (each order's estimate is mixed with the
/// next lower order's in proportion to how often its context has been seen against how many
/// different tokens followed it), down to a uniform distribution over `vocabularySize` tokens.
///
/// Tokens are below ``maximumVocabulary``; a sequence is preceded by `order − 1` start marks.
/// Each order's counts are encoded as one line of text, "gap count gap count …": every n-gram is a
/// key (its context packed 10 bits a token, then the token), keys in ascending order, each written
/// as its distance from the one before. The same counts always give the same bytes, and a model
/// of hundreds of thousands of n-grams stays a few megabytes.
public struct NGramModel: Codable, Equatable, Sendable {
    /// Tokens must be below this (10 bits each in the packed keys; one more value marks the start).
    public static let maximumVocabulary = 1023

    /// Tokens of context plus one: 3 for trigrams.
    public let order: Int
    /// Size of the token alphabet: the uniform distribution at the bottom of the interpolation.
    public let vocabularySize: Int
    /// Per context length k (0 ..< order): flat triples (context key, token, count), sorted.
    let counts: [[Int]]

    /// Per context length: context key → (occurrences, distinct following tokens).
    private var contexts: [[Int: (total: Int, types: Int)]] = []
    /// Per context length: (context key << 10 | token) → count.
    private var pairs: [[Int: Int]] = []

    private static let startMark = maximumVocabulary
    private static let bits = 10

    /// Counts every `order`-gram (and every shorter one) of the sequences.
    /// - Throws: `LearningError.invalidParameter` when `order` is not 1…4 or `vocabularySize` not
    ///   1…``maximumVocabulary``, or a token is not below `vocabularySize`.
    public init(order: Int, vocabularySize: Int, training sequences: [[UInt16]]) throws {
        guard (1...4).contains(order) else { throw LearningError.invalidParameter("an n-gram order must be 1 to 4, not \(order)") }
        guard (1...Self.maximumVocabulary).contains(vocabularySize) else {
            throw LearningError.invalidParameter("an n-gram vocabulary must hold 1 to \(Self.maximumVocabulary) tokens, not \(vocabularySize)")
        }
        var tables = [[Int: Int]](repeating: [:], count: order)
        for sequence in sequences {
            var history = [Int](repeating: Self.startMark, count: order - 1)
            for token in sequence {
                guard Int(token) < vocabularySize else {
                    throw LearningError.invalidParameter("token \(token) is outside the vocabulary of \(vocabularySize)")
                }
                for length in 0..<order {
                    tables[length][Self.pairKey(context: Self.contextKey(history, length: length), token: Int(token)), default: 0] += 1
                }
                if order > 1 { history.removeFirst(); history.append(Int(token)) }
            }
        }
        self.order = order
        self.vocabularySize = vocabularySize
        self.counts = tables.map { table in
            table.keys.sorted().flatMap { key in [key >> Self.bits, key & ((1 << Self.bits) - 1), table[key] ?? 0] }
        }
        buildIndex()
    }

    private enum CodingKeys: String, CodingKey { case order, vocabularySize, counts }

    /// Decodes a model and checks its counts.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        order = try container.decode(Int.self, forKey: .order)
        vocabularySize = try container.decode(Int.self, forKey: .vocabularySize)
        let lines = try container.decode([String].self, forKey: .counts)
        guard (1...4).contains(order), (1...Self.maximumVocabulary).contains(vocabularySize), lines.count == order else {
            throw DecodingError.dataCorruptedError(forKey: .counts, in: container,
                                                   debugDescription: "n-gram counts do not match the order and vocabulary")
        }
        var tables: [[Int]] = []
        for line in lines {
            var table: [Int] = [], key = 0, gap: Int? = nil
            for field in line.split(separator: " ") {
                guard let number = Int(field), number >= 0 else {
                    throw DecodingError.dataCorruptedError(forKey: .counts, in: container, debugDescription: "n-gram counts must be whole numbers")
                }
                if let step = gap {
                    let (next, overflow) = key.addingReportingOverflow(step)
                    guard !overflow, step > 0 || table.isEmpty else {
                        throw DecodingError.dataCorruptedError(forKey: .counts, in: container, debugDescription: "n-gram keys must ascend")
                    }
                    key = next
                    table += [key >> Self.bits, key & ((1 << Self.bits) - 1), number]
                    gap = nil
                } else {
                    gap = number
                }
            }
            guard gap == nil else {
                throw DecodingError.dataCorruptedError(forKey: .counts, in: container, debugDescription: "an n-gram key without its count")
            }
            tables.append(table)
        }
        counts = tables
        for table in counts {
            for start in stride(from: 0, to: table.count, by: 3)
            where table[start] < 0 || table[start + 1] < 0 || table[start + 1] >= vocabularySize || table[start + 2] <= 0 {
                throw DecodingError.dataCorruptedError(forKey: .counts, in: container, debugDescription: "an n-gram count is out of range")
            }
        }
        buildIndex()
    }

    /// Encodes the order, the vocabulary and the counts.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order, forKey: .order)
        try container.encode(vocabularySize, forKey: .vocabularySize)
        let lines = counts.map { table -> String in
            var fields: [String] = []
            fields.reserveCapacity(table.count / 3 * 2)
            var previous = 0
            for start in stride(from: 0, to: table.count, by: 3) {
                let key = Self.pairKey(context: table[start], token: table[start + 1])
                fields.append(String(key - previous))
                fields.append(String(table[start + 2]))
                previous = key
            }
            return fields.joined(separator: " ")
        }
        try container.encode(lines, forKey: .counts)
    }

    /// Models are equal when their counts are.
    public static func == (a: NGramModel, b: NGramModel) -> Bool {
        a.order == b.order && a.vocabularySize == b.vocabularySize && a.counts == b.counts
    }

    private mutating func buildIndex() {
        contexts = counts.map { table in
            var index: [Int: (total: Int, types: Int)] = [:]
            for start in stride(from: 0, to: table.count, by: 3) {
                let seen = index[table[start]] ?? (0, 0)
                index[table[start]] = (seen.total + table[start + 2], seen.types + 1)
            }
            return index
        }
        pairs = counts.map { table in
            var index: [Int: Int] = [:]
            index.reserveCapacity(table.count / 3)
            for start in stride(from: 0, to: table.count, by: 3) {
                index[Self.pairKey(context: table[start], token: table[start + 1])] = table[start + 2]
            }
            return index
        }
    }

    /// The last `length` tokens of `history`, packed.
    private static func contextKey(_ history: [Int], length: Int) -> Int {
        var key = 0
        for token in history.suffix(length) { key = key << bits | token }
        return key
    }

    private static func pairKey(context: Int, token: Int) -> Int { context << bits | token }

    /// The mean natural-log probability per token of `sequence` (0 for an empty sequence). Tokens
    /// outside the vocabulary are scored as if unseen.
    public func meanLogProbability(_ sequence: [UInt16]) -> Double {
        guard !sequence.isEmpty else { return 0 }
        var history = [Int](repeating: Self.startMark, count: order - 1)
        var total = 0.0
        for token in sequence {
            let word = Swift.min(Int(token), Self.maximumVocabulary - 1)
            var probability = 1 / Double(vocabularySize)
            var key = 0
            for length in 0..<order {
                if length > 0 { key = key | history[order - 1 - length] << (Self.bits * (length - 1)) }
                guard let seen = contexts[length][key] else { continue }
                let mix = Double(seen.total) / Double(seen.total + seen.types)
                let count = pairs[length][Self.pairKey(context: key, token: word)] ?? 0
                probability = mix * Double(count) / Double(seen.total) + (1 - mix) * probability
            }
            total += Foundation.log(probability)
            if order > 1 { history.removeFirst(); history.append(word) }
        }
        return total / Double(sequence.count)
    }
}
