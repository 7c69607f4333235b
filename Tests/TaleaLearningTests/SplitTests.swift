import XCTest
@testable import TaleaLearning

final class SplitTests: XCTestCase {
    /// An imbalanced corpus like Talea's: many works of two classes, few of a third; each work has
    /// several rows (whole piece, voices, excerpts) of its class.
    func makeCorpus(seed: UInt64) -> (labels: [Int], groups: [String]) {
        var generator = SeededGenerator(seed: seed)
        var labels: [Int] = [], groups: [String] = []
        for (label, works) in [(0, 60), (1, 100), (2, 10)] {
            for w in 0..<works {
                let rows = 1 + generator.nextInt(below: 8)
                for _ in 0..<rows {
                    labels.append(label)
                    groups.append("class\(label)-work\(w)")
                }
            }
        }
        return (labels, groups)
    }

    func testKFoldNeverSplitsAGroupAndCoversEveryRowOnce() throws {
        let corpus = makeCorpus(seed: 31)
        let folds = try GroupedStratifiedKFold(folds: 5, seed: 7).split(labels: corpus.labels, groups: corpus.groups, classCount: 3)
        XCTAssertEqual(folds.count, 5)
        var timesTested = [Int](repeating: 0, count: corpus.labels.count)
        for fold in folds {
            let trainGroups = Set(fold.trainIndices.map { corpus.groups[$0] })
            let testGroups = Set(fold.testIndices.map { corpus.groups[$0] })
            XCTAssertTrue(trainGroups.isDisjoint(with: testGroups), "a group straddles train and test")
            XCTAssertEqual(fold.trainIndices.count + fold.testIndices.count, corpus.labels.count)
            for i in fold.testIndices { timesTested[i] += 1 }
            // Roughly stratified: each fold holds 20 % ± 8 % of every class's rows, and at least one rare work.
            for c in 0..<3 {
                let total = corpus.labels.filter { $0 == c }.count
                let inFold = fold.testIndices.filter { corpus.labels[$0] == c }.count
                XCTAssertEqual(Double(inFold) / Double(total), 0.2, accuracy: 0.08, "class \(c)")
            }
        }
        XCTAssertTrue(timesTested.allSatisfy { $0 == 1 })
    }

    func testKFoldIsDeterministicAndSeedDependent() throws {
        let corpus = makeCorpus(seed: 32)
        let a = try GroupedStratifiedKFold(folds: 5, seed: 1).split(labels: corpus.labels, groups: corpus.groups, classCount: 3)
        let b = try GroupedStratifiedKFold(folds: 5, seed: 1).split(labels: corpus.labels, groups: corpus.groups, classCount: 3)
        let c = try GroupedStratifiedKFold(folds: 5, seed: 2).split(labels: corpus.labels, groups: corpus.groups, classCount: 3)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testTooFewGroupsThrows() {
        XCTAssertThrowsError(try GroupedStratifiedKFold(folds: 5).split(labels: [0, 1, 0], groups: ["a", "b", "a"], classCount: 2)) {
            XCTAssertEqual($0 as? LearningError, .tooFewGroups(groups: 2, folds: 5))
        }
    }

    func testTrainTestSplitKeepsGroupsTogetherAndIsStratified() throws {
        let corpus = makeCorpus(seed: 33)
        let split = try GroupedStratifiedSplit(testFraction: 0.2, seed: 3).split(labels: corpus.labels, groups: corpus.groups, classCount: 3)
        let trainGroups = Set(split.trainIndices.map { corpus.groups[$0] })
        let testGroups = Set(split.testIndices.map { corpus.groups[$0] })
        XCTAssertTrue(trainGroups.isDisjoint(with: testGroups))
        XCTAssertEqual(Set(split.trainIndices + split.testIndices).count, corpus.labels.count)
        for c in 0..<3 {
            let total = corpus.labels.filter { $0 == c }.count
            let inTest = split.testIndices.filter { corpus.labels[$0] == c }.count
            XCTAssertEqual(Double(inTest) / Double(total), 0.2, accuracy: 0.07, "class \(c)")
            XCTAssertGreaterThan(inTest, 0, "every class with several groups reaches the test side")
        }
    }

    func testTwoGroupClassKeepsOneGroupOnEachSide() throws {
        let labels = [0, 0, 0, 1, 1, 1, 1]
        let groups = ["a", "a", "b", "c", "d", "e", "f"]
        let split = try GroupedStratifiedSplit(testFraction: 0.1, seed: 0).split(labels: labels, groups: groups, classCount: 2)
        XCTAssertTrue(split.testIndices.contains { labels[$0] == 0 })
        XCTAssertTrue(split.trainIndices.contains { labels[$0] == 0 })
    }
}
