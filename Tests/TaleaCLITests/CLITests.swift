import Foundation
import XCTest
import TaleaCorpus
import TaleaMIDI
import TaleaScore
import TaleaTestSupport

/// Runs the built `talea` executable, as a user would.
struct Talea {
    static var executable: URL {
        if let explicit = ProcessInfo.processInfo.environment["TALEA_BINARY"] { return URL(fileURLWithPath: explicit) }
        // The test bundle runs from the build products folder, beside the `talea` executable.
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [products, products.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("talea")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug/talea")
    }

    static var packageRoot: URL { SharedCorpus.packageRoot }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                      error: String(decoding: errData, as: UTF8.self))
    }
}

/// End-to-end runs of train, classify, batch, evaluate and inspect on a generated corpus.
final class CLITests: XCTestCase {
    /// A fixture corpus and a model trained on it by `talea train`, made once for the class.
    static let setup: (corpus: URL, model: URL)? = {
        guard let corpus = try? FixtureCorpus.make(perLabel: 6) else { return nil }
        let model = corpus.appendingPathComponent("model.json")
        guard let result = try? Talea.run(["train", "--corpus", corpus.path, "--out", model.path, "--quick"]),
              result.status == 0 else { return nil }
        return (corpus, model)
    }()

    override class func tearDown() {
        if let setup { try? FileManager.default.removeItem(at: setup.corpus) }
        super.tearDown()
    }

    private func fixture() throws -> (corpus: URL, model: URL) {
        try XCTUnwrap(Self.setup, "talea train on the fixture corpus failed")
    }

    func testTrainWritesTheSameBytesTwice() throws {
        let (corpus, model) = try fixture()
        let again = corpus.appendingPathComponent("model-again.json")
        let result = try Talea.run(["train", "--corpus", corpus.path, "--out", again.path, "--quick"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertEqual(try Data(contentsOf: model), try Data(contentsOf: again))
    }

    func testClassifyPrintsLabelProbabilitiesAndReasons() throws {
        let (corpus, model) = try fixture()
        let file = corpus.appendingPathComponent("midi/bach_chorale-1.mid").path
        let text = try Talea.run(["classify", file, "--model", model.path])
        XCTAssertEqual(text.status, 0, text.error)
        XCTAssertTrue(text.output.contains("label: bach_chorale"), text.output)
        XCTAssertTrue(text.output.contains("why (Bach chorale):"), text.output)

        let json = try Talea.run(["classify", file, "--json", "--model", model.path, "--voice", "Soprano"])
        XCTAssertEqual(json.status, 0, json.error)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["voice"] as? String, "Soprano")
        let probabilities = try XCTUnwrap(rows[0]["probabilities"] as? [String: Double])
        XCTAssertEqual(Set(probabilities.keys), ["isorhythmic_motet", "bach_chorale", "lied"])
        XCTAssertEqual((rows[0]["reasons"] as? [Any])?.count, 3)
    }

    func testClassifyReportsABadFileAndAnUnknownVoiceAndGoesOn() throws {
        let (corpus, model) = try fixture()
        let garbage = corpus.appendingPathComponent("garbage.mid")
        try Data("this is not MIDI at all".utf8).write(to: garbage)
        let good = corpus.appendingPathComponent("midi/lied-0.mid").path
        let result = try Talea.run(["classify", garbage.path, good, "--model", model.path])
        XCTAssertEqual(result.status, 1, "a failed file makes the exit status non-zero")
        XCTAssertTrue(result.output.contains("error:"), result.output)
        XCTAssertTrue(result.output.contains("label: lied"), "the good file after the bad one is still classified")
        let voice = try Talea.run(["classify", good, "--voice", "Tuba", "--model", model.path])
        XCTAssertEqual(voice.status, 1)
        XCTAssertTrue(voice.output.contains("Tuba"), voice.output)
        let aFolder = try Talea.run(["classify", corpus.appendingPathComponent("midi").path, "--model", model.path])
        XCTAssertEqual(aFolder.status, 1)
        XCTAssertTrue(aFolder.output.contains("it is a folder, not a MIDI file (talea batch labels a folder)"), aFolder.output)
        let absent = try Talea.run(["classify", corpus.appendingPathComponent("absent.mid").path, "--model", model.path])
        XCTAssertEqual(absent.status, 1)
        XCTAssertTrue(absent.output.contains("absent.mid: no such file"), absent.output)
        // A device is refused before reading: /dev/zero would be read forever.
        let device = try Talea.run(["classify", "/dev/zero", "--model", model.path])
        XCTAssertEqual(device.status, 1)
        XCTAssertTrue(device.output.contains("/dev/zero: not a regular file (a device, named pipe or socket)"), device.output)
        // A symbolic link to a MIDI file is read through.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("talea-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("linked.mid")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: good)
        let linked = try Talea.run(["classify", link.path, "--model", model.path])
        XCTAssertEqual(linked.status, 0, linked.output)
        XCTAssertTrue(linked.output.contains("label: lied"), linked.output)
        let dangling = folder.appendingPathComponent("dangling.mid")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: folder.appendingPathComponent("gone.mid").path)
        let toNothing = try Talea.run(["classify", dangling.path, "--model", model.path])
        XCTAssertEqual(toNothing.status, 1)
        XCTAssertTrue(toNothing.output.contains("dangling.mid: a symbolic link to nothing"), toNothing.output)
    }

    /// Output that cannot be written (a full disk: /dev/full) is an error, not a silent loss.
    func testUnwritableStandardOutputIsAnError() throws {
        let (corpus, model) = try fixture()
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        let process = Process()
        process.executableURL = Talea.executable
        process.arguments = ["classify", corpus.appendingPathComponent("midi/lied-0.mid").path, "--model", model.path]
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(message.contains("writing standard output failed: No space left on device"), message)
    }

    func testMissingOrStaleModelIsAClearError() throws {
        let (corpus, _) = try fixture()
        let file = corpus.appendingPathComponent("midi/lied-0.mid").path
        let missing = try Talea.run(["classify", file, "--model", "/nonexistent/talea.json"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("no model at /nonexistent/talea.json"), missing.error)
        let stale = corpus.appendingPathComponent("stale.json")
        try Data(#"{"formatVersion": 99}"#.utf8).write(to: stale)
        let result = try Talea.run(["classify", file, "--model", stale.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("cannot use model"), result.error)
    }

    func testBatchGivesEveryFileARowInPathOrderIncludingBrokenOnes() throws {
        let (corpus, model) = try fixture()
        let folder = corpus.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let good = try Data(contentsOf: corpus.appendingPathComponent("midi/bach_chorale-0.mid"))
        try good.write(to: folder.appendingPathComponent("a-chorale.mid"))
        try good.prefix(30).write(to: folder.appendingPathComponent("b-truncated.mid"))
        try Data().write(to: folder.appendingPathComponent("c-empty.midi"))
        try Data(contentsOf: corpus.appendingPathComponent("midi/lied-2.mid")).write(to: folder.appendingPathComponent("sub/d-lied.kar"))
        try Data("not midi".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let out = folder.appendingPathComponent("labels.csv")
        let result = try Talea.run(["batch", folder.path, "--out", out.path, "--jobs", "2", "--model", model.path])
        XCTAssertEqual(result.status, 0, result.error)
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "path,label,confidence,p_isorhythmic_motet,p_bach_chorale,p_lied,error")
        XCTAssertEqual(lines.count, 5, "a header and one row per MIDI file, the .txt ignored")
        XCTAssertTrue(lines[1].hasSuffix("a-chorale.mid,bach_chorale") == false && lines[1].contains("a-chorale.mid,bach_chorale,"))
        XCTAssertTrue(lines[2].contains("b-truncated.mid,error,"), lines[2])
        XCTAssertTrue(lines[3].contains("c-empty.midi,error,"), lines[3])
        XCTAssertTrue(lines[4].contains("sub/d-lied.kar,lied,"), lines[4])
        XCTAssertTrue(result.error.contains("wrote 4 rows for 4 files to \(out.path) (2 failed)"), result.error)
        XCTAssertTrue(result.error.contains("files by label: bach_chorale 1, lied 1, error 2"), result.error)

        let jsonl = folder.appendingPathComponent("labels.jsonl")
        let perVoice = try Talea.run(["batch", folder.path, "--out", jsonl.path, "--per-voice", "--model", model.path])
        XCTAssertEqual(perVoice.status, 0, perVoice.error)
        let rows = try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(rows.count, 4 + 4 + 3, "file rows plus a row per voice of the chorale (4) and the lied (3)")
        XCTAssertTrue(perVoice.error.contains("files by label: bach_chorale 1, lied 1, error 2"), "voice rows are not counted: \(perVoice.error)")
        XCTAssertTrue(rows.contains { ($0["voice"] as? String) == "0:Soprano" })

        // The output is opened before any work: a missing folder fails at once, with the path.
        let nowhere = folder.appendingPathComponent("missing/labels.csv").path
        let refused = try Talea.run(["batch", folder.path, "--out", nowhere, "--model", model.path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.error.contains("cannot write \(nowhere): its folder is missing"), refused.error)
        XCTAssertFalse(refused.error.contains("wrote"), refused.error)

        // A symbolic link to a MIDI file is listed under its own name, beside its target.
        let linked = corpus.appendingPathComponent("linked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: linked.appendingPathComponent("real"), withIntermediateDirectories: true)
        try good.write(to: linked.appendingPathComponent("real/a.mid"))
        try FileManager.default.createSymbolicLink(atPath: linked.appendingPathComponent("alias.mid").path, withDestinationPath: "real/a.mid")
        let both = try Talea.run(["batch", linked.path, "--model", model.path])
        XCTAssertEqual(both.status, 0, both.error)
        XCTAssertEqual(both.output.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) },
                       [linked.path + "/alias.mid", linked.path + "/real/a.mid"])
    }

    func testFilesWhoseNamesAreNotUTF8AreReadByTheirBytes() throws {
        let (corpus, model) = try fixture()
        let folder = corpus.appendingPathComponent("latin1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let chorale = try Data(contentsOf: corpus.appendingPathComponent("midi/bach_chorale-0.mid"))
        let lied = try Data(contentsOf: corpus.appendingPathComponent("midi/lied-2.mid"))
        try chorale.write(to: folder.appendingPathComponent("a-chorale.mid"))
        // Names as an old archive writes them, in Latin-1 (é = 0xE9, è = 0xE8, ü = 0xFC), which
        // Foundation cannot create, so the C library does: a file in a folder "dossier-ü", and two
        // files whose names differ only in such a byte.
        let root = Array(folder.path.utf8)
        let slash = Array("/".utf8)
        let dossier = root + slash + Array("dossier-".utf8) + [0xFC]
        try XCTSkipUnless(makeRawFolder(dossier), "this file system refuses names that are not UTF-8")
        XCTAssertTrue(writeRawFile(dossier + slash + Array("lied.mid".utf8), lied))
        XCTAssertTrue(writeRawFile(root + slash + Array("b-".utf8) + [0xE9] + Array(".mid".utf8), lied))
        XCTAssertTrue(writeRawFile(root + slash + Array("b-".utf8) + [0xE8] + Array(".mid".utf8), chorale))

        let result = try Talea.run(["batch", folder.path, "--model", model.path])
        XCTAssertEqual(result.status, 0, result.error)
        let lines = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, "a header and a row for each file: \(result.output)")
        XCTAssertTrue(lines[1].contains("a-chorale.mid,bach_chorale,"), lines[1])
        // The two b-?.mid read the same once decoded: neither can be told from the other.
        for line in lines[2...3] {
            XCTAssertTrue(line.contains("b-\u{FFFD}.mid,error,"), line)
            XCTAssertTrue(line.contains("2 names in its folder read as"), line)
        }
        XCTAssertTrue(lines[4].contains("dossier-\u{FFFD}/lied.mid,lied,"), lines[4])

        // Foundation cannot list a folder by such a name: batch says so and points to its parent.
        let unlisted = try Talea.run(["batch", folder.path + "/dossier-\u{FFFD}", "--model", model.path])
        XCTAssertNotEqual(unlisted.status, 0)
        XCTAssertTrue(unlisted.error.contains("its name is not UTF-8): label its parent folder, or rename it"), unlisted.error)

        // classify takes the path as the shell gives it, bytes and all.
        let classified = try Talea.run(["classify", folder.path + "/dossier-\u{FFFD}/lied.mid", "--model", model.path])
        XCTAssertEqual(classified.status, 0, classified.output)
        XCTAssertTrue(classified.output.contains("label: lied"), classified.output)
        let absent = try Talea.run(["classify", folder.path + "/dossier-\u{FFFD}/gone.mid", "--model", model.path])
        XCTAssertEqual(absent.status, 1)
        XCTAssertTrue(absent.output.contains("gone.mid: no such file"), absent.output)
    }

    private func makeRawFolder(_ path: [UInt8]) -> Bool {
        (path + [0]).map { CChar(bitPattern: $0) }.withUnsafeBufferPointer { name in
            name.baseAddress.map { mkdir($0, 0o755) == 0 } ?? false
        }
    }

    private func writeRawFile(_ path: [UInt8], _ data: Data) -> Bool {
        (path + [0]).map { CChar(bitPattern: $0) }.withUnsafeBufferPointer { name -> Bool in
            guard let file = fopen(name.baseAddress, "wb") else { return false }
            let count = data.withUnsafeBytes { fwrite($0.baseAddress, 1, data.count, file) }
            return fclose(file) == 0 && count == data.count
        }
    }

    func testAFewNotesAreAnsweredUnknownWithTheReason() throws {
        let (corpus, model) = try fixture()
        let folder = corpus.appendingPathComponent("few-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var tune = MIDITrackBuilder()
        tune.name("Fragment")
        for (i, key) in [60, 62, 64].enumerated() { tune.note(key, at: i * 480, duration: 480) }
        let file = folder.appendingPathComponent("fragment.mid")
        try Data(MIDIFile(format: 1, ticksPerQuarter: 480, tracks: [tune.track()]).serialized()).write(to: file)

        let text = try Talea.run(["classify", file.path, "--model", model.path])
        XCTAssertEqual(text.status, 0, text.error)
        XCTAssertTrue(text.output.contains("label: unknown"), text.output)
        XCTAssertTrue(text.output.contains("note: only 3 notes: too few to judge (the model learnt from at least 8)"), text.output)
        XCTAssertTrue(text.output.contains("probabilities:"), "the probabilities are still shown")

        let json = try Talea.run(["classify", file.path, "--json", "--model", model.path])
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.first?["label"] as? String, "unknown")
        XCTAssertEqual(entries.first?["caveat"] as? String, "only 3 notes: too few to judge (the model learnt from at least 8)")

        let good = corpus.appendingPathComponent("midi/lied-0.mid")
        let normal = try Talea.run(["classify", good.path, "--json", "--model", model.path])
        XCTAssertFalse(normal.output.contains("caveat"), "a file with enough notes has no caveat")

        let batch = try Talea.run(["batch", folder.path, "--model", model.path])
        XCTAssertEqual(batch.status, 0, batch.error)
        XCTAssertTrue(batch.output.contains("fragment.mid,unknown,"), batch.output)
    }

    func testBatchShardsSplitTheFilesWithoutOverlap() throws {
        let (corpus, model) = try fixture()
        var seen: [String] = []
        for k in 1...3 {
            let result = try Talea.run(["batch", corpus.appendingPathComponent("midi").path, "--shard", "\(k)/3", "--model", model.path])
            XCTAssertEqual(result.status, 0, result.error)
            seen += result.output.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        }
        XCTAssertEqual(seen.count, 24)
        XCTAssertEqual(Set(seen).count, 24)
        let bad = try Talea.run(["batch", corpus.path, "--shard", "4/3", "--model", model.path])
        XCTAssertNotEqual(bad.status, 0)
    }

    func testEvaluateWritesTheThreeReports() throws {
        let (corpus, model) = try fixture()
        let report = corpus.appendingPathComponent("report-\(UUID().uuidString)")
        let result = try Talea.run(["evaluate", "--corpus", corpus.path, "--model", model.path, "--report", report.path,
                                    "--folds", "3", "--quick", "--no-audio"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("grouped 3-fold CV"), result.output)
        for name in ["report.md", "report.html", "metrics.json", "items.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: report.appendingPathComponent(name).path), name)
        }
    }

    func testEvaluateTrainingSeedChangesTheTrainingsNotTheFolds() throws {
        let (corpus, model) = try fixture()
        func evaluate(seed: Int?) throws -> [String: Any] {
            let report = corpus.appendingPathComponent("report-\(UUID().uuidString)")
            let result = try Talea.run(["evaluate", "--corpus", corpus.path, "--model", model.path, "--report", report.path,
                                        "--folds", "3", "--quick", "--no-audio"] + (seed.map { ["--training-seed", "\($0)"] } ?? []))
            XCTAssertEqual(result.status, 0, result.error)
            let data = try Data(contentsOf: report.appendingPathComponent("metrics.json"))
            return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        let standard = try evaluate(seed: nil), first = try evaluate(seed: 1), second = try evaluate(seed: 2)
        XCTAssertEqual(standard["foldOfFile"] as? [String: Int], second["foldOfFile"] as? [String: Int], "the folds stay")
        XCTAssertEqual(standard["foldTemperatures"] as? [Double], first["foldTemperatures"] as? [Double], "seed 1 is the default")
        XCTAssertNotEqual(first["foldTemperatures"] as? [Double], second["foldTemperatures"] as? [Double],
                          "other performed copies and calibration folds give other temperatures")
    }

    func testEvaluateExcludesOnlyFeaturesThatExist() throws {
        let (corpus, model) = try fixture()
        let report = corpus.appendingPathComponent("report-\(UUID().uuidString)")
        let wrong = try Talea.run(["evaluate", "--corpus", corpus.path, "--model", model.path, "--report", report.path,
                                   "--quick", "--no-audio", "--exclude-features", "metre.signature_ternary,metre.time_signature"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.error.contains("no feature is called metre.time_signature"), wrong.error)
        let ablation = try Talea.run(["evaluate", "--corpus", corpus.path, "--model", model.path, "--report", report.path,
                                      "--folds", "3", "--quick", "--no-audio",
                                      "--exclude-features", "metre.signature_ternary, metre.signature_present"])
        XCTAssertEqual(ablation.status, 0, ablation.error)
        let text = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(text.contains("features not used: metre.signature_ternary, metre.signature_present"), text)
    }

    func testEvaluateNamesAMissingFolderOfAnotherEncoder() throws {
        let (corpus, model) = try fixture()
        let missing = corpus.appendingPathComponent("no-such-encoder-\(UUID().uuidString)").path
        let result = try Talea.run(["evaluate", "--corpus", corpus.path, "--model", model.path, "--quick", "--no-audio",
                                    "--report", corpus.appendingPathComponent("unused").path, "--another-encoder", missing])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains("--another-encoder \(missing): no such directory"), result.error)
    }

    func testEvaluateSharesOutTheChoraleLiedDecisionAsAsked() throws {
        let (corpus, model) = try fixture()
        let report = corpus.appendingPathComponent("report-\(UUID().uuidString)")
        let base = ["evaluate", "--corpus", corpus.path, "--model", model.path, "--report", report.path,
                    "--folds", "3", "--quick", "--no-audio"]
        for (arguments, message) in [(["--chorale-lied-trees-share", "1.5"], "between 0 and 1"),
                                     (["--classifier", "trees", "--chorale-lied-trees-share", "0.5"], "ensemble only"),
                                     (["--tree-seeds", "0"], "1 to 16")] {
            let refused = try Talea.run(base + arguments)
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertTrue(refused.error.contains(message), refused.error)
        }
        let shipped = try Talea.run(base)
        XCTAssertEqual(shipped.status, 0, shipped.error)
        // The configuration evaluated (not the committed model's metadata, which the report shows too).
        func configurationLine() throws -> String {
            let text = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
            return text.split(separator: "\n").first { $0.hasPrefix("- Configuration evaluated:") }.map(String.init) ?? ""
        }
        var line = try configurationLine()
        XCTAssertTrue(line.contains("bach_chorale or lied divided between them by 0.75 × boosted trees and 0.25 × logistic regression"), line)
        let plain = try Talea.run(base + ["--chorale-lied-trees-share", "0.5"])
        XCTAssertEqual(plain.status, 0, plain.error)
        line = try configurationLine()
        XCTAssertTrue(line.contains("probability average of 0.5 × boosted trees"), line)
        XCTAssertFalse(line.contains("divided between them"), "0.5 is the plain average: \(line)")
        XCTAssertTrue(line.contains("3 seeds averaged"), "the shipped three sets of trees: \(line)")
        let single = try Talea.run(base + ["--tree-seeds", "1"])
        XCTAssertEqual(single.status, 0, single.error)
        line = try configurationLine()
        XCTAssertFalse(line.contains("seeds averaged"), "one set of trees: \(line)")
        XCTAssertTrue(line.contains("divided between them by 0.75 × boosted trees"), line)
    }

    func testInspectListsVoicesAndFailsOnlyForBadFiles() throws {
        let (corpus, _) = try fixture()
        let garbage = corpus.appendingPathComponent("inspect-garbage.mid")
        try Data([0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 2]).write(to: garbage)
        let good = corpus.appendingPathComponent("midi/lied-1.mid").path
        let result = try Talea.run(["inspect", good, garbage.path, "--json"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("Piano 1"), result.output)
        let ok = try Talea.run(["inspect", good])
        XCTAssertEqual(ok.status, 0, ok.error)
        XCTAssertTrue(ok.output.contains("Voice"), ok.output)
    }
}

/// The committed model is what `talea train` makes of the shared corpus, byte for byte.
final class CommittedModelTests: XCTestCase {
    private var corpus: URL? { SharedCorpus.directory }

    func testCommittedModelLoadsAndClassifiesTheExamples() throws {
        let model = Talea.packageRoot.appendingPathComponent("Models/talea.json")
        let examples = Talea.packageRoot.appendingPathComponent("Corpus/examples")
        let expected = [
            "chorale-bwv66_6.mid": "bach_chorale",
            "lied-schubert-der-lindenbaum.mid": "lied",
            "motet-vitry-vos-qui-admiramini.mid": "isorhythmic_motet",
        ]
        for (file, label) in expected {
            let result = try Talea.run(["classify", examples.appendingPathComponent(file).path, "--json", "--model", model.path])
            XCTAssertEqual(result.status, 0, result.error)
            let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
            XCTAssertEqual(rows.first?["label"] as? String, label, file)
        }
    }

    /// A chorale written as a short score — soprano and alto on one staff, tenor and bass on the
    /// other, as many encoders write one — is still a chorale: its staves are split back into parts.
    func testCommittedModelReadsAChoraleWrittenOnTwoStaves() throws {
        let model = Talea.packageRoot.appendingPathComponent("Models/talea.json")
        let chorale = try Score.load(contentsOf: Talea.packageRoot.appendingPathComponent("Corpus/examples/chorale-bwv66_6.mid"))
        let shortScore = ScoreVariants.mergingPartsInPairs(chorale)
        XCTAssertEqual(shortScore.voices.count, 2)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("talea-short-score-\(UUID().uuidString).mid")
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        try Data(shortScore.midiFile(distinctChannels: true).serialized()).write(to: file)
        let result = try Talea.run(["classify", file.path, "--json", "--model", model.path])
        XCTAssertEqual(result.status, 0, result.error)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.first?["label"] as? String, "bach_chorale")
    }

    /// Writes `score` with the project's writer as the only file of a new temporary folder (removed
    /// after the test), so that `batch` over the folder sees it alone.
    private func writeInFolderOfItsOwn(_ score: Score, named name: String) throws -> (folder: URL, file: URL) {
        try writeInFolderOfItsOwn(score.midiFile(), named: name)
    }

    private func writeInFolderOfItsOwn(_ midi: MIDIFile, named name: String) throws -> (folder: URL, file: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("talea-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try Data(midi.serialized()).write(to: file)
        return (folder, file)
    }

    /// *Der Lindenbaum* without its singer — the two piano staves alone, as a piano piece is written —
    /// is not a lied: no part could be sung, and neither is a staff selected from that file. The song
    /// itself still is, and so is one piano staff written as a file of its own (a voice of the lied).
    func testCommittedModelDoesNotCallAPianoPieceALied() throws {
        let model = Talea.packageRoot.appendingPathComponent("Models/talea.json")
        let song = try Score.load(contentsOf: Talea.packageRoot.appendingPathComponent("Corpus/examples/lied-schubert-der-lindenbaum.mid"))
        var accompaniment = song
        accompaniment.voices = song.voices.filter { $0.name.hasPrefix("Piano") }
        XCTAssertEqual(accompaniment.voices.count, 2)
        let (folder, file) = try writeInFolderOfItsOwn(accompaniment, named: "lindenbaum-piano.mid")

        let text = try Talea.run(["classify", file.path, "--model", model.path])
        XCTAssertEqual(text.status, 0, text.error)
        XCTAssertTrue(text.output.contains("label: unknown"), text.output)
        XCTAssertTrue(text.output.contains("note: no part could be sung (Piano: "), text.output)
        XCTAssertTrue(text.output.contains("a lied needs a voice"), text.output)
        let selected = try Talea.run(["classify", file.path, "--voice", "0", "--json", "--model", model.path])
        let selectedRows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(selected.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(selectedRows.first?["label"] as? String, "unknown", "a staff of a piano piece is no lied's")
        XCTAssertTrue((selectedRows.first?["caveat"] as? String)?.hasPrefix("it is a part of a file none of whose parts could be sung (Piano: ") == true,
                      selected.output)
        var rightHand = accompaniment
        rightHand.voices = [accompaniment.voices[0]]
        let (_, staffFile) = try writeInFolderOfItsOwn(rightHand, named: "lindenbaum-right-hand.mid")
        let staff = try Talea.run(["classify", staffFile.path, "--json", "--model", model.path])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(staff.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.first?["label"] as? String, "lied", "one piano staff alone is a voice of a lied")

        let batch = try Talea.run(["batch", folder.path, "--model", model.path])
        XCTAssertEqual(batch.status, 0, batch.error)
        XCTAssertTrue(batch.output.contains("lindenbaum-piano.mid,unknown,"), batch.output)
        let inspect = try Talea.run(["inspect", file.path])
        XCTAssertFalse(inspect.output.contains("singable line"), inspect.output)
    }

    /// A drum loop on its own (a file whose only notes are a kit on channel 10) is none of the three
    /// repertories: `unknown`, with the drum kit as the reason and no feature given as a reason, since
    /// nothing pitched was read. Before, its drums were read as pitches and called a chorale (0.87).
    func testCommittedModelAnswersUnknownForADrumLoopAlone() throws {
        let model = Talea.packageRoot.appendingPathComponent("Models/talea.json")
        var track = MIDITrackBuilder()
        track.rockBeat(eighths: 256)
        let (folder, file) = try writeInFolderOfItsOwn(MIDIFile(format: 0, ticksPerQuarter: 480, tracks: [track.track()]),
                                                       named: "drum-loop.mid")

        let text = try Talea.run(["classify", file.path, "--model", model.path])
        XCTAssertEqual(text.status, 0, text.error)
        let lines = text.output.split(separator: "\n")
        XCTAssertTrue(lines.count > 2 && lines[1].hasPrefix("  label: unknown  "), text.output)
        XCTAssertEqual(lines.count > 2 ? String(lines[2]) : "",
                       "  note: a drum kit plays through it (384 notes on MIDI channel 10), and none of the three repertories has one: most likely popular or dance music, which Talea was not taught to recognise")
        XCTAssertFalse(text.output.contains("why ("), "nothing pitched to give as a reason: \(text.output)")
        let batch = try Talea.run(["batch", folder.path, "--model", model.path])
        XCTAssertEqual(batch.status, 0, batch.error)
        XCTAssertEqual(batch.output.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }, ["unknown"], batch.output)
        let inspect = try Talea.run(["inspect", file.path])
        XCTAssertTrue(inspect.output.contains("drum kit: plays through the music"), inspect.output)
    }

    /// *Der Lindenbaum* with a drum kit playing along, as a pop arrangement has it, is none of the
    /// three repertories: the file, and any voice of it, is answered `unknown` with the reason.
    func testCommittedModelAnswersUnknownForASongWithADrumKit() throws {
        let model = Talea.packageRoot.appendingPathComponent("Models/talea.json")
        var song = try Score.load(contentsOf: Talea.packageRoot.appendingPathComponent("Corpus/examples/lied-schubert-der-lindenbaum.mid"))
        let singer = try XCTUnwrap(song.voices.firstIndex { !$0.name.hasPrefix("Piano") })
        let end = song.durationQuarters
        let ticks = Double(song.ticksPerQuarter)
        // Bass drum, hi-hat, snare, hi-hat: one stroke per eighth, from the first bar to the last.
        let strokes = (0..<Int(end * 2)).map { stroke -> Note in
            let onset = 0.5 * Double(stroke)
            return Note(pitch: [36, 42, 38, 42][stroke % 4], velocity: 90, channel: 9,
                        onsetTicks: Int(onset * ticks), durationTicks: Int(0.25 * ticks),
                        onsetQuarters: onset, durationQuarters: 0.25, onsetSeconds: 0, durationSeconds: 0)
        }
        song.voices.append(Voice(index: song.voices.count, name: "Drums", trackIndex: song.voices.count + 1, channel: 9,
                                 isDrum: true, notes: strokes))
        let (folder, file) = try writeInFolderOfItsOwn(song, named: "lindenbaum-with-drums.mid")

        let text = try Talea.run(["classify", file.path, "--model", model.path])
        XCTAssertEqual(text.status, 0, text.error)
        XCTAssertTrue(text.output.contains("label: unknown"), text.output)
        XCTAssertTrue(text.output.contains("note: a drum kit plays through it (\(strokes.count) notes on MIDI channel 10)"), text.output)
        let voice = try Talea.run(["classify", file.path, "--voice", "\(singer)", "--json", "--model", model.path])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(voice.output.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.first?["label"] as? String, "unknown", "the singer of a song with a drum kit")
        XCTAssertTrue((rows.first?["caveat"] as? String)?.hasPrefix("a drum kit plays through it") == true, voice.output)
        let drums = try Talea.run(["classify", file.path, "--voice", "Drums", "--model", model.path])
        XCTAssertTrue(drums.output.contains("label: unknown"), drums.output)
        XCTAssertTrue(drums.output.contains("note: a drum kit plays through it"), "the kit itself: \(drums.output)")

        let batch = try Talea.run(["batch", folder.path, "--per-voice", "--model", model.path])
        XCTAssertEqual(batch.status, 0, batch.error)
        let lines = batch.output.split(separator: "\n").dropFirst()
        XCTAssertEqual(lines.count, 1 + song.voices.count, batch.output)
        XCTAssertTrue(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[2] == "unknown" }, batch.output)
        let inspect = try Talea.run(["inspect", file.path])
        XCTAssertTrue(inspect.output.contains("channel 10 (drums)"), inspect.output)
        XCTAssertTrue(inspect.output.contains("drum kit: plays through the music"), inspect.output)

        // Ten strokes on the drum channel are no kit: the song is still a lied, and the strokes
        // alone are too few pitched notes to judge, which the note says.
        song.voices[song.voices.count - 1].notes = Array(strokes.prefix(10))
        let (_, strayStrokes) = try writeInFolderOfItsOwn(song, named: "lindenbaum-with-ten-strokes.mid")
        let stray = try Talea.run(["classify", strayStrokes.path, "--model", model.path])
        XCTAssertTrue(stray.output.contains("label: lied"), stray.output)
        let strokesAlone = try Talea.run(["classify", strayStrokes.path, "--voice", "Drums", "--model", model.path])
        XCTAssertTrue(strokesAlone.output.contains("note: only 0 notes besides 10 on the drum channel: too few to judge"),
                      strokesAlone.output)
    }

    /// Needs the release build (`swift build -c release --product talea`, as the README's test
    /// command does first): training in debug mode would take far longer.
    func testTrainReproducesTheCommittedModelByteForByte() throws {
        guard let corpus else { throw XCTSkip("../shared/corpus is absent: cannot retrain the committed model") }
        let release = ProcessInfo.processInfo.environment["TALEA_RELEASE_BINARY"].map { URL(fileURLWithPath: $0) }
            ?? Talea.packageRoot.appendingPathComponent(".build/release/talea")
        guard FileManager.default.isExecutableFile(atPath: release.path) else {
            throw XCTSkip("no release build at \(release.path): run `swift build -c release --product talea` first")
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("talea-retrained-\(UUID().uuidString).json")
        addTeardownBlock { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = release
        process.arguments = ["train", "--corpus", corpus.path, "--out", out.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let committed = try Data(contentsOf: Talea.packageRoot.appendingPathComponent("Models/talea.json"))
        let retrained = try Data(contentsOf: out)
        XCTAssertTrue(committed == retrained,
                      "Models/talea.json differs from a fresh `talea train --corpus \(corpus.path)` (\(committed.count) vs \(retrained.count) bytes): retrain and commit the model")
    }
}
