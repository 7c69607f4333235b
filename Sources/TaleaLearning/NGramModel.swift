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

    /// Every context seen, by length and then by ``lookupKey(length:context:)`` (ascending, the order
    /// of the encoding): its key, how often it was seen, how many distinct tokens followed it, and
    /// where those tokens lie in `followers`.
    private var contexts: [Context] = []
    /// Where each context's key leads in `contexts`: an open-addressing hash table (linear probing,
    /// at most half full, -1 for an empty slot). Scoring looks up a context for every order at every
    /// step, and a multiplicative hash of the key costs less than `Dictionary`'s seeded hashing
    /// (a batch over the corpus takes 0.8–0.9 of the time it took with one: docs/benchmarks.md).
    private var slots: [Int32] = []
    /// The tokens seen after each context, in ascending order, with their counts, context after
    /// context in the order of `contexts`.
    private var followers: [(token: Int32, count: Int32)] = []

    private struct Context {
        var key: Int
        var total: Int
        var types: Int
        var first: Int
        var end: Int
    }

    /// One counted n-gram: its context (the last tokens before it, packed) and its token.
    private typealias Gram = (context: Int, token: Int, count: Int)

    private static let startMark = maximumVocabulary
    private static let bits = 10

    /// Where a lookup key holds its context's length: above the 30 bits of the longest context.
    private static let lengthShift = 40

    private static func lookupKey(length: Int, context: Int) -> Int { length << lengthShift | context }

    /// The tokens before the current one, newest in the lowest bits, `order − 1` of them at most:
    /// the context of length k is its low 10·k bits.
    private struct History {
        private var packed = 0
        private let mask: Int

        /// The start of a sequence: nothing but start marks.
        init(order: Int) {
            mask = (1 << (NGramModel.bits * (order - 1))) - 1
            for _ in 0..<(order - 1) { packed = packed << NGramModel.bits | NGramModel.startMark }
        }

        func context(length: Int) -> Int { packed & ((1 << (NGramModel.bits * length)) - 1) }

        mutating func advance(by token: Int) { packed = (packed << NGramModel.bits | token) & mask }
    }

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
            var history = History(order: order)
            for token in sequence {
                guard Int(token) < vocabularySize else {
                    throw LearningError.invalidParameter("token \(token) is outside the vocabulary of \(vocabularySize)")
                }
                for length in 0..<order {
                    tables[length][history.context(length: length) << Self.bits | Int(token), default: 0] += 1
                }
                history.advance(by: Int(token))
            }
        }
        self.order = order
        self.vocabularySize = vocabularySize
        index(tables.map { table in
            table.keys.sorted().map { key in (key >> Self.bits, key & ((1 << Self.bits) - 1), table[key] ?? 0) }
        })
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
        func damaged(_ problem: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .counts, in: container, debugDescription: problem)
        }
        var tables: [[Gram]] = []
        for (length, line) in lines.enumerated() {
            var table: [Gram] = [], key = 0, gap: Int? = nil
            for field in line.split(separator: " ") {
                guard let number = Int(field), number >= 0 else { throw damaged("n-gram counts must be whole numbers") }
                guard let step = gap else {
                    gap = number
                    continue
                }
                let (next, overflow) = key.addingReportingOverflow(step)
                guard !overflow, step > 0 || table.isEmpty else { throw damaged("n-gram keys must ascend") }
                key = next
                let gram: Gram = (key >> Self.bits, key & ((1 << Self.bits) - 1), number)
                // Context keys hold at most order − 1 tokens of 10 bits, and a count fits 31 bits, so that
                // sums of counts cannot overflow and keys of different context lengths cannot collide.
                guard gram.context < 1 << (Self.bits * length), gram.token < vocabularySize,
                      gram.count > 0, gram.count <= Int(Int32.max) else { throw damaged("an n-gram count is out of range") }
                table.append(gram)
                gap = nil
            }
            guard gap == nil else { throw damaged("an n-gram key without its count") }
            tables.append(table)
        }
        index(tables)
    }

    /// Encodes the order, the vocabulary and the counts.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order, forKey: .order)
        try container.encode(vocabularySize, forKey: .vocabularySize)
        let lines = sortedCounts().map { table -> String in
            var fields: [String] = []
            fields.reserveCapacity(table.count * 2)
            var previous = 0
            for gram in table {
                let key = gram.context << Self.bits | gram.token
                fields.append(String(key - previous))
                fields.append(String(gram.count))
                previous = key
            }
            return fields.joined(separator: " ")
        }
        try container.encode(lines, forKey: .counts)
    }

    /// Models are equal when their counts are.
    public static func == (a: NGramModel, b: NGramModel) -> Bool {
        a.order == b.order && a.vocabularySize == b.vocabularySize
            && a.sortedCounts().elementsEqual(b.sortedCounts()) { x, y in
                x.elementsEqual(y) { $0.context == $1.context && $0.token == $1.token && $0.count == $1.count }
            }
    }

    /// Indexes the counts, per context length in ascending (context, token) order, for scoring: the
    /// n-grams of one context are neighbours there, so each context is one run of `followers`.
    private mutating func index(_ tables: [[Gram]]) {
        contexts = []
        followers = []
        followers.reserveCapacity(tables.reduce(0) { $0 + $1.count })
        for (length, table) in tables.enumerated() {
            for gram in table {
                let key = Self.lookupKey(length: length, context: gram.context)
                if let last = contexts.indices.last, contexts[last].key == key {
                    contexts[last].total += gram.count
                    contexts[last].types += 1
                    contexts[last].end = followers.count + 1
                } else {
                    contexts.append(Context(key: key, total: gram.count, types: 1, first: followers.count, end: followers.count + 1))
                }
                followers.append((Int32(truncatingIfNeeded: gram.token), Int32(clamping: gram.count)))
            }
        }
        var capacity = 16
        while capacity < 2 * contexts.count { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        for (position, context) in contexts.enumerated() {
            var slot = Self.slot(of: context.key, capacity: capacity)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(position)
        }
    }

    /// The first slot to probe for `key` in a table of `capacity` (a power of two) slots: Fibonacci
    /// hashing, the key times 2^64/φ, read from its high bits.
    private static func slot(of key: Int, capacity: Int) -> Int {
        let product = UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: product >> UInt64(64 - capacity.trailingZeroBitCount)) & (capacity - 1)
    }

    /// The position in `contexts` of the context with `key`, or nil when it was never seen.
    private static func position(of key: Int, in slots: UnsafeBufferPointer<Int32>,
                                 _ contexts: UnsafeBufferPointer<Context>) -> Int? {
        var slot = slot(of: key, capacity: slots.count)
        while true {
            let position = Int(slots[slot])
            if position < 0 { return nil }
            if contexts[position].key == key { return position }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// The counts per context length, in ascending (context, token) order: the encoding's order.
    private func sortedCounts() -> [[Gram]] {
        var tables = [[Gram]](repeating: [], count: order)
        for context in contexts {
            let packed = context.key & ((1 << Self.lengthShift) - 1)
            tables[context.key >> Self.lengthShift] += followers[context.first..<context.end].map { (packed, Int($0.token), Int($0.count)) }
        }
        return tables
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

    /// The mean natural-log probability per token of `sequence` (0 for an empty sequence). Tokens
    /// outside the vocabulary are scored as if unseen.
    public func meanLogProbability(_ sequence: [UInt16]) -> Double {
        guard !sequence.isEmpty else { return 0 }
        var history = History(order: order)
        var total = 0.0
        followers.withUnsafeBufferPointer { followers in
            contexts.withUnsafeBufferPointer { contexts in
                slots.withUnsafeBufferPointer { slots in
                    for token in sequence {
                        let word = Swift.min(Int(token), Self.maximumVocabulary - 1)
                        var probability = 1 / Double(vocabularySize)
                        for length in 0..<order {
                            let key = Self.lookupKey(length: length, context: history.context(length: length))
                            guard let position = Self.position(of: key, in: slots, contexts) else { continue }
                            let seen = contexts[position]
                            let mix = Double(seen.total) / Double(seen.total + seen.types)
                            let count = Self.count(of: Int32(word), among: followers, seen)
                            probability = mix * Double(count) / Double(seen.total) + (1 - mix) * probability
                        }
                        total += Foundation.log(probability)
                        history.advance(by: word)
                    }
                }
            }
        }
        return total / Double(sequence.count)
    }
}
