import Foundation
import XCTest
@testable import TaleaCorpus

/// The parallel maps behind `talea batch`, `train` and `evaluate`.
final class ConcurrentMapTests: XCTestCase {
    /// Every result is delivered once, in input order, one delivery at a time, however unevenly
    /// the work is spread (here the even indices take longer than the odd ones).
    func testForEachInOrderDeliversEveryResultOnceInOrder() {
        for jobs in [1, 3, 8] {
            let delivered = Delivered()
            ConcurrentMap.forEachInOrder(10..<210, jobs: jobs) { index -> Int in
                if index % 2 == 0 { usleep(200) }
                return index * index
            } deliver: { index, square in
                delivered.append(index, square)
            }
            XCTAssertEqual(delivered.indices, Array(10..<210), "jobs \(jobs)")
            XCTAssertEqual(delivered.values, (10..<210).map { $0 * $0 })
            XCTAssertEqual(delivered.overlaps, 0, "deliveries never overlap")
        }
        let none = Delivered()
        ConcurrentMap.forEachInOrder(0..<0, jobs: 4) { $0 } deliver: { none.append($0, $1) }
        XCTAssertTrue(none.indices.isEmpty)
    }

    /// Records deliveries, and whether one ever started while another was running.
    private final class Delivered: @unchecked Sendable {
        private let lock = NSLock()
        private var running = false
        private(set) var indices: [Int] = []
        private(set) var values: [Int] = []
        private(set) var overlaps = 0

        func append(_ index: Int, _ value: Int) {
            lock.lock()
            if running { overlaps += 1 }
            running = true
            lock.unlock()
            usleep(50)
            lock.lock()
            indices.append(index)
            values.append(value)
            running = false
            lock.unlock()
        }
    }
}
