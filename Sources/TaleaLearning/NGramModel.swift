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

    /// (context length << 40 | context key) → how often the context was seen, how many distinct
    /// tokens followed it, and where those tokens lie in `followers` (ascending).
    private var contexts: [Int: Context] = [:]
    /// The tokens seen after each context, context after context, each with its count.
    private var followers: [(token: Int32, count: Int32)] = []

    private struct Context {
        var total: Int
        var types: Int
        var first: Int
        var end: Int
    }

    private static func lookupKey(length: Int, context: Int) -> Int { length << 40 | context }

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
        // Context keys hold at most order − 1 tokens of 10 bits, and a count fits 31 bits, so that
        // sums of counts cannot overflow and keys of different context lengths cannot collide.
        for (length, table) in counts.enumerated() {
            for start in stride(from: 0, to: table.count, by: 3)
            where table[start] < 0 || table[start] >= 1 << (Self.bits * length) || table[start + 1] < 0
                || table[start + 1] >= vocabularySize || table[start + 2] <= 0 || table[start + 2] > Int(Int32.max) {
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

    /// Indexes the counts for scoring. The triples of one context are contiguous and ascend by token,
    /// since they are sorted by context, then token.
    private mutating func buildIndex() {
        var index: [Int: Context] = [:]
        var list: [(token: Int32, count: Int32)] = []
        list.reserveCapacity(counts.reduce(0) { $0 + $1.count / 3 })
        for (length, table) in counts.enumerated() {
            for start in stride(from: 0, to: table.count, by: 3) {
                let key = Self.lookupKey(length: length, context: table[start])
                let count = table[start + 2]
                if var seen = index[key] {
                    seen.total += count
                    seen.types += 1
                    seen.end = list.count + 1
                    index[key] = seen
                } else {
                    index[key] = Context(total: count, types: 1, first: list.count, end: list.count + 1)
                }
                list.append((Int32(truncatingIfNeeded: table[start + 1]), Int32(clamping: count)))
            }
        }
        contexts = index
        followers = list
    }

    /// How often `token` followed a context (a binary search over its followers, which ascend).
    private static func count(of token: Int32, among followers: UnsafeBufferPointer<(token: Int32, count: Int32)>,
                              _ context: Context) -> Int {
        var low = context.first, high = context.end
        while low < high {
            let middle = (low + high) / 2
            let candidate = followers[middle].token
            if candidate == token { return Int(followers[middle].count) }
            if candidate < token { low = middle + 1 } else { high = middle }
        }
        return 0
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
        // The last order − 1 tokens, newest in the lowest bits: the context of length k is its low 10k bits.
        let historyMask = (1 << (Self.bits * (order - 1))) - 1
        var history = 0
        for _ in 0..<(order - 1) { history = history << Self.bits | Self.startMark }
        var total = 0.0
        followers.withUnsafeBufferPointer { followers in
            for token in sequence {
                let word = Swift.min(Int(token), Self.maximumVocabulary - 1)
                var probability = 1 / Double(vocabularySize)
                for length in 0..<order {
                    let key = Self.lookupKey(length: length, context: history & ((1 << (Self.bits * length)) - 1))
                    guard let seen = contexts[key] else { continue }
                    let mix = Double(seen.total) / Double(seen.total + seen.types)
                    let count = Self.count(of: Int32(word), among: followers, seen)
                    probability = mix * Double(count) / Double(seen.total) + (1 - mix) * probability
                }
                total += Foundation.log(probability)
                history = (history << Self.bits | word) & historyMask
            }
        }
        return total / Double(sequence.count)
    }
}
