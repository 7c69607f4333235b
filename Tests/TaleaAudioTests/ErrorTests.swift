import Foundation
import TaleaAudio
import TaleaScore
import XCTest

final class ErrorTests: XCTestCase {
    private func expect(_ expected: (AudioRenderError) -> Bool, _ what: String,
                        file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected an error: \(what)", file: file, line: line)
        } catch let error as AudioRenderError {
            XCTAssertTrue(expected(error), "unexpected error for \(what): \(error)", file: file, line: line)
            XCTAssertFalse(error.description.isEmpty)
        } catch {
            XCTFail("untyped error for \(what): \(error)", file: file, line: line)
        }
    }

    func testSoundFontDiscoveryOrder() throws {
        let found = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        let bogus = directory.appendingPathComponent("bogus.sf2")
        try Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8).write(to: bogus)

        // Explicit path first, even when the environment names another file.
        expect({ if case .invalidSoundFont(let path, _) = $0 { return path == bogus.path } else { return false } },
               "an explicit invalid path is not replaced by the environment") {
            _ = try SoundFont.locate(explicitPath: bogus.path, environment: [SoundFont.environmentVariable: found.url.path])
        }
        XCTAssertEqual(try SoundFont.locate(explicitPath: found.url.path, environment: [:], searchPaths: []).url, found.url)
        // Then TALEA_SOUNDFONT, before the defaults.
        XCTAssertEqual(try SoundFont.locate(environment: [SoundFont.environmentVariable: found.url.path], searchPaths: []).url,
                       found.url)
        expect({ if case .soundFontMissing = $0 { return true } else { return false } }, "environment path missing") {
            _ = try SoundFont.locate(environment: [SoundFont.environmentVariable: directory.appendingPathComponent("no.sf2").path],
                                     searchPaths: [found.url.path])
        }
        // Then the first default that exists.
        XCTAssertEqual(try SoundFont.locate(environment: [:], searchPaths: [directory.appendingPathComponent("none.sf2").path,
                                                                           found.url.path]).url, found.url)
        expect({ if case .soundFontNotFound(let searched) = $0 { return searched.count == 1 } else { return false } },
               "nothing found") {
            _ = try SoundFont.locate(environment: [:], searchPaths: [directory.appendingPathComponent("none.sf2").path])
        }
    }

    func testInvalidSoundFonts() throws {
        let directory = try makeTemporaryDirectory(self)
        let text = directory.appendingPathComponent("notes.sf2")
        try Data("this is not a SoundFont".utf8).write(to: text)
        expect({ if case .invalidSoundFont = $0 { return true } else { return false } }, "text file") {
            _ = try SoundFont(validating: text)
        }
        // A RIFF sfbk header with nothing behind it passes the header check but not FluidSynth.
        let truncated = directory.appendingPathComponent("truncated.sf2")
        try Data("RIFF\u{4}\u{0}\u{0}\u{0}sfbk".utf8).write(to: truncated)
        expect({ if case .invalidSoundFont = $0 { return true } else { return false } }, "truncated SoundFont") {
            let soundFont = try SoundFont(validating: truncated)
            try AudioRenderer(soundFont: soundFont).render(Fixtures.chorale, to: directory.appendingPathComponent("x.wav"))
        }
        expect({ if case .invalidSoundFont = $0 { return true } else { return false } }, "directory") {
            _ = try SoundFont(validating: directory)
        }
        expect({ if case .soundFontMissing = $0 { return true } else { return false } }, "missing") {
            _ = try SoundFont(validating: directory.appendingPathComponent("missing.sf2"))
        }
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { $0.hasSuffix(".sf2") },
                      "no output left behind")
    }

    func testOutputErrors() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        let renderer = AudioRenderer(soundFont: soundFont, options: fastOptions())
        expect({ if case .unsupportedExtension(_, let ext) = $0 { return ext == "mp3" } else { return false } }, ".mp3") {
            try renderer.render(Fixtures.chorale, to: directory.appendingPathComponent("out.mp3"))
        }
        expect({ if case .unsupportedExtension = $0 { return true } else { return false } }, "no extension") {
            try renderer.render(Fixtures.chorale, to: directory.appendingPathComponent("out"))
        }
        expect({ if case .outputNotWritable = $0 { return true } else { return false } }, "missing directory") {
            try renderer.render(Fixtures.chorale, to: directory.appendingPathComponent("no/such/dir/out.wav"))
        }
        let blocker = directory.appendingPathComponent("taken.wav")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        expect({ if case .outputNotWritable = $0 { return true } else { return false } }, "a directory in the way") {
            try renderer.render(Fixtures.chorale, to: blocker)
        }
        var deep = fastOptions()
        deep.bitDepth = .twentyFour
        expect({ if case .unsupportedBitDepth(.oggVorbis, 24) = $0 { return true } else { return false } }, "24-bit Vorbis") {
            try AudioRenderer(soundFont: soundFont, options: deep).render(Fixtures.chorale, to: directory.appendingPathComponent("o.ogg"))
        }
        var slow = fastOptions()
        slow.sampleRate = 4_000
        expect({ if case .unsupportedSampleRate(4_000, _) = $0 { return true } else { return false } }, "4 kHz") {
            try AudioRenderer(soundFont: soundFont, options: slow).render(Fixtures.chorale, to: directory.appendingPathComponent("r.wav"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["taken.wav"], "no partial files")
    }

    func testReadOnlyDirectoryIsRefused() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        let locked = directory.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        addTeardownBlock { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
        guard !FileManager.default.isWritableFile(atPath: locked.path) else {
            throw XCTSkip("running as a user who may write anywhere (root); permissions cannot be tested")
        }
        expect({ if case .outputNotWritable = $0 { return true } else { return false } }, "read-only directory") {
            try AudioRenderer(soundFont: soundFont, options: fastOptions())
                .render(Fixtures.chorale, to: locked.appendingPathComponent("out.wav"))
        }
    }

    func testSelectionErrors() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        let out = directory.appendingPathComponent("out.wav")
        func render(_ configure: (inout RenderOptions) -> Void, _ score: Score = Fixtures.chorale) throws {
            var options = fastOptions()
            configure(&options)
            try AudioRenderer(soundFont: soundFont, options: options).render(score, to: out)
        }
        expect({ if case .emptySelection = $0 { return true } else { return false } }, "all muted") {
            try render { $0.mutedVoices = (0..<4).map { .index($0) } }
        }
        expect({ if case .emptySelection = $0 { return true } else { return false } }, "solo then muted") {
            try render { $0.soloVoices = [.name("Alto")]; $0.mutedVoices = [.name("alto")] }
        }
        expect({ if case .emptySelection = $0 { return true } else { return false } }, "no voices") {
            try render({ _ in }, Fixtures.score([]))
        }
        expect({ if case .emptySelection = $0 { return true } else { return false } }, "excerpt after the end") {
            try render { $0.startSeconds = 60 }
        }
        expect({ if case .unknownVoice(let reference, let available) = $0 { return reference == "Quintus" && available.count == 4 }
                 else { return false } }, "unknown name") {
            try render { $0.soloVoices = [.name("Quintus")] }
        }
        expect({ if case .unknownVoice = $0 { return true } else { return false } }, "index out of range") {
            try render { $0.mutedVoices = [.index(4)] }
        }
        expect({ if case .invalidProgram = $0 { return true } else { return false } }, "program 128") {
            try render { $0.programOverrides = [ProgramOverride(voice: .index(0), program: 128)] }
        }
        expect({ if case .invalidOption = $0 { return true } else { return false } }, "negative tail") {
            try render { $0.releaseTailSeconds = -1 }
        }
        expect({ if case .tooLong = $0 { return true } else { return false } }, "a note a day away") {
            try render({ _ in }, Fixtures.score([Fixtures.voice(0, "Tenor", [(60, 0, 1), (62, 172_800, 1)])]))
        }
        // Notes never switched off end with their track: 300 of them struck in the first second of
        // a ten-second piece keep about 290 sounding at once, which would hold the synthesiser at
        // full polyphony for the whole render.
        let hanging: [(Int, Double, Double)] = (0..<300).map { index in
            let onset = Double(index) / 300
            return (36 + index % 60, onset, 10 - onset)
        }
        expect({ if case .tooDense(let mean, 128) = $0 { return (280...300).contains(mean) } else { return false } },
               "300 notes never switched off") {
            try render({ _ in }, Fixtures.score([Fixtures.voice(0, "Hanging", hanging)]))
        }
        // 5,000 zero-length notes struck in two seconds: nothing sounds for long, but each strike
        // costs the synthesiser a search of its voices.
        let burst: [(Int, Double, Double)] = (0..<5_000).map { (36 + $0 % 60, Double($0) / 2_500, 0) }
        expect({ if case .tooManyNotes(let perSecond, 1_000) = $0 { return perSecond > 2_400 } else { return false } },
               "5,000 notes in two seconds") {
            try render({ _ in }, Fixtures.score([Fixtures.voice(0, "Burst", burst)]))
        }
        expect({ if case .invalidOption = $0 { return true } else { return false } }, "notes-per-second limit 0") {
            try render { $0.notesPerSecondLimit = 0 }
        }
        expect({ if case .invalidOption = $0 { return true } else { return false } }, "sounding-notes limit 0") {
            try render { $0.meanSoundingNotesLimit = 0 }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [], "no partial files")
    }

    func testFailedRenderLeavesNoPartialFileAndKeepsAnExistingOne() throws {
        let soundFont = try requireSoundFont()
        let directory = try makeTemporaryDirectory(self)
        struct Cancelled: Error {}
        let renderer = AudioRenderer(soundFont: soundFont, options: fastOptions())

        let fresh = directory.appendingPathComponent("fresh.flac")
        XCTAssertThrowsError(try renderer.render(Fixtures.alternating, to: fresh) { progress in
            if progress.fraction > 0.5 { throw Cancelled() }
        }) { XCTAssertTrue($0 is Cancelled) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [], "nothing left behind")

        let existing = directory.appendingPathComponent("existing.wav")
        let before = Data("an earlier render".utf8)
        try before.write(to: existing)
        XCTAssertThrowsError(try renderer.render(Fixtures.alternating, to: existing) { progress in
            if progress.fraction > 0.5 { throw Cancelled() }
        })
        XCTAssertEqual(try Data(contentsOf: existing), before, "the existing file is untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["existing.wav"])
    }
}
