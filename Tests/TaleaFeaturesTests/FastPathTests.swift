import XCTest
@testable import TaleaFeatures

/// The fast paths added for throughput give exactly what the plain formulations give.
final class FastPathTests: XCTestCase {
    func testWholeNumberAndSortedMediansMatchSelection() {
        var random = SeededGenerator(seed: 11)
        for size in 1...40 {
            for trial in 0..<40 {
                // Narrow ranges use counting, wide ones (every fifth trial) the fallback.
                let range = trial % 5 == 0 ? 100_000 : 60
                let values = (0..<size).map { _ in Int.random(in: -range...range, using: &random) }
                let doubles = values.map(Double.init)
                let expected = VoiceLine.median(doubles)
                XCTAssertEqual(VoiceLine.median(wholeNumbers: values)?.bitPattern, expected?.bitPattern, "\(values)")
                XCTAssertEqual(VoiceLine.median(sorted: doubles.sorted()[...])?.bitPattern, expected?.bitPattern)
            }
        }
        XCTAssertNil(VoiceLine.median(wholeNumbers: []))
        XCTAssertNil(VoiceLine.median(sorted: []))
    }

    func testWholeTwelfthsBinLikeTheirQuotient() {
        for value in -50...100_000 {
            let r = Double(value) / 12
            let expected = r < 0.4 ? 0 : r < 0.8 ? 1 : r < 1.25 ? 2 : r < 1.75 ? 3 : r < 2.5 ? 4 : r < 3.5 ? 5 : r < 6 ? 6 : 7
            XCTAssertEqual(VoiceFeature.ioiBin(twelfths: value), expected, "\(value)")
        }
    }

    /// The original pre-screen: 32-bit tokens, one scalar pass per lag, repeated first maxima.
    private func referenceScreens(_ tokens: [Int], half: Int) -> [[Int]] {
        let n = tokens.count
        let narrow = (0..<n).map { tokens[$0] >= 0 ? Int32(truncatingIfNeeded: tokens[$0] & 0x3FFF_FFFF)
                                                   : Int32.min &+ Int32(truncatingIfNeeded: $0) }
        let parts = [min(n / 2, 160), min(half / 2, 160), min((n - half) / 2, 160)]
        let maxLag = parts.max() ?? 0
        var shares = [[Double]](repeating: [Double](repeating: -1, count: max(maxLag + 1, 1)), count: 3)
        func equal(_ start: Int, _ end: Int, _ lag: Int) -> Int {
            var count = 0
            var index = start
            while index < end { if narrow[index] == narrow[index + lag] { count += 1 }; index += 1 }
            return count
        }
        if maxLag >= 2 {
            for lag in 2...maxLag {
                let firstEnd = max(0, min(half - lag, n - lag))
                let secondStart = max(firstEnd, min(half, n - lag))
                let first = equal(0, firstEnd, lag), middle = equal(firstEnd, secondStart, lag)
                let second = equal(secondStart, max(secondStart, n - lag), lag)
                if lag <= parts[0] { shares[0][lag] = Double(first + middle + second) / Double(n - lag) }
                if lag <= parts[1] && firstEnd > 0 { shares[1][lag] = Double(first) / Double(firstEnd) }
                if lag <= parts[2] && n - lag > secondStart { shares[2][lag] = Double(second) / Double(n - lag - secondStart) }
            }
        }
        return (0..<3).map { part in
            var chosen: [Int] = []
            for _ in 0..<3 {
                var bestLag = -1, bestShare = -1.0
                for lag in 2..<max(2, shares[part].count) where shares[part][lag] > bestShare && !chosen.contains(lag) {
                    bestShare = shares[part][lag]; bestLag = lag
                }
                guard bestLag >= 0, bestShare >= 0 else { break }
                chosen.append(bestLag)
            }
            return chosen
        }
    }

    func testByteCodedScreenMatchesThirtyTwoBitScreen() {
        var random = SeededGenerator(seed: 5)
        for trial in 0..<300 {
            let n = Int.random(in: 0...384, using: &random)
            // Alphabets: tiny, pitch-like, wide-ranged (hash path), > 255 distinct (32-bit path).
            let alphabet = [3, 40, 200, 2_000][trial % 4]
            let spread = trial % 3 == 0 ? 1 << 24 : 1
            var tokens = (0..<n).map { _ in Int.random(in: 0..<alphabet, using: &random) * spread }
            // Some "no token" positions, and a periodic stretch so that real periods exist.
            for index in tokens.indices where Int.random(in: 0..<10, using: &random) == 0 { tokens[index] = -1 }
            if n > 40 { for index in 20..<n where index % 7 != 0 { tokens[index] = tokens[index - 20] } }
            let half = Int.random(in: 0...n, using: &random)
            XCTAssertEqual(Periodicity.screens(tokens, half: half), referenceScreens(tokens, half: half),
                           "trial \(trial): n \(n), alphabet \(alphabet), half \(half)")
        }
    }
}
