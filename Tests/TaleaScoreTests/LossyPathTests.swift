import Foundation
import TaleaMIDI
import XCTest
@testable import TaleaScore

final class LossyPathTests: XCTestCase {
    /// A folder holding `sub-é/x.mid` with é in Latin-1 (0xE9), made through the C library.
    private func latin1Folder() throws -> (folder: URL, raw: [UInt8]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("talea-lossy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let sub = Array(folder.path.utf8) + Array("/sub-".utf8) + [0xE9]
        let made = (sub + [0]).map { CChar(bitPattern: $0) }.withUnsafeBufferPointer { name in
            name.baseAddress.map { mkdir($0, 0o755) == 0 } ?? false
        }
        try XCTSkipUnless(made, "this file system refuses names that are not UTF-8")
        let file = sub + Array("/x.mid".utf8)
        let written = (file + [0]).map { CChar(bitPattern: $0) }.withUnsafeBufferPointer { name -> Bool in
            guard let handle = fopen(name.baseAddress, "wb") else { return false }
            return fputs("MThd", handle) >= 0 && fclose(handle) == 0
        }
        XCTAssertTrue(written)
        return (folder, file)
    }

    func testAPathDecodedWithReplacementsResolvesToItsBytes() throws {
        let (folder, raw) = try latin1Folder()
        let lossy = folder.path + "/sub-\u{FFFD}/x.mid"
        XCTAssertTrue(LossyPath.isLossy(lossy))
        XCTAssertEqual(LossyPath.resolve(lossy), .found(raw))
        XCTAssertEqual(LossyPath.resolve(folder.path + "/sub-\u{FFFD}\u{FFFD}/x.mid"), .missing)
        let (kind, size) = LossyPath.kind(of: raw)
        XCTAssertEqual(kind, .regular)
        XCTAssertEqual(try LossyPath.contents(of: raw, size: size, displayPath: lossy), Array("MThd".utf8))
        XCTAssertThrowsError(try kind.refuseUnlessReadable(path: lossy, size: size, limits: MIDIReadLimits(maxFileSize: 3)),
                             "read past the limit") { error in
            XCTAssertEqual(error as? MIDIReadError, .fileTooLarge(size: 4, limit: 3))
        }
        XCTAssertEqual(LossyPath.kind(of: Array(folder.path.utf8)).kind, .folder)
    }

    func testARelativePathResolvesFromTheWorkingFolder() throws {
        let (folder, _) = try latin1Folder()
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        XCTAssertEqual(LossyPath.resolve("sub-\u{FFFD}/x.mid"), .found(Array("sub-".utf8) + [0xE9] + Array("/x.mid".utf8)))
        // The loader finds the bytes: what fails is the four-byte file itself, not the opening.
        XCTAssertThrowsError(try Score.load(contentsOf: URL(fileURLWithPath: "sub-\u{FFFD}/x.mid"))) { error in
            XCTAssertTrue(error is MIDIReadError, "\(error)")
        }
    }
}
