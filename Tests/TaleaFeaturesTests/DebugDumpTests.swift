import Foundation
import XCTest
@testable import TaleaFeatures
import TaleaScore

final class DebugDumpTests: XCTestCase {
    func testDump() throws {
        guard let path = ProcessInfo.processInfo.environment["TALEA_DUMP"] else { throw XCTSkip("TALEA_DUMP not set") }
        let score = try Score.load(contentsOf: URL(fileURLWithPath: path))
        for voice in score.voices where voice.name == (ProcessInfo.processInfo.environment["TALEA_VOICE"] ?? voice.name) {
            let line = VoiceLine(notes: voice.notes)
            print(voice.name, "pulse", line.pulse, line.events.map { "\($0.twelfths)\($0.restAfter ? "r" : "")" }.joined(separator: " "))
        }
    }
}
