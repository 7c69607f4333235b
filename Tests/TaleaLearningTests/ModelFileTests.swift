import XCTest
@testable import TaleaLearning

final class ModelFileTests: XCTestCase {
    func makeModel(boosted: Bool, seed: UInt64 = 0) throws -> ModelFile {
        let data = Synthetic.gaussians(centres: Synthetic.threeCentres, perClass: 30, spread: 1, seed: 41)
        let dataset = try Dataset(rows: data.rows, labels: data.labels, classCount: 3)
        let configuration: ClassifierConfiguration = boosted
            ? .boostedTrees(.init(rounds: 10, maxDepth: 3, seed: seed)) : .logisticRegression(.init())
        let pipeline = try FittedPipeline(configuration: configuration, training: dataset)
        return try ModelFile(featureSchema: FeatureSchema(version: "3", names: ["a", "b", "c"]),
                             classNames: ["motet", "chorale", "lied"], standardizer: pipeline.standardizer,
                             classifier: pipeline.classifier, calibration: TemperatureScaling(temperature: 1.5),
                             unknownThreshold: 0.6, metadata: ["seed": "\(seed)", "corpus": "test", "b": "2", "a": "1"])
    }

    func testRoundTripIsExactAndBytesAreStable() throws {
        for boosted in [false, true] {
            let model = try makeModel(boosted: boosted)
            let bytes = try model.jsonData()
            let loaded = try ModelFile(jsonData: bytes)
            XCTAssertEqual(loaded, model)
            XCTAssertEqual(try loaded.jsonData(), bytes, "re-encoding must reproduce the bytes")
            XCTAssertEqual(try makeModel(boosted: boosted).jsonData(), bytes, "retraining must reproduce the bytes")
            XCTAssertEqual(try ModelFile(jsonData: model.jsonData(prettyPrinted: false)), model)
            let row = [1.0, 2.0, 0.5]
            XCTAssertEqual(loaded.predict(row), model.predict(row))
        }
        XCTAssertNotEqual(try makeModel(boosted: true, seed: 1).jsonData(), try makeModel(boosted: true, seed: 2).jsonData())
    }

    func testFileOnDiskRoundTrip() throws {
        let model = try makeModel(boosted: true)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("talea-model-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.write(to: url)
        XCTAssertEqual(try ModelFile(contentsOf: url), model)
        XCTAssertThrowsError(try ModelFile(contentsOf: url.appendingPathExtension("missing")))
    }

    func testSchemaMismatchNamesTheDifference() throws {
        let model = try makeModel(boosted: false)
        XCTAssertNoThrow(try model.validate(against: FeatureSchema(version: "3", names: ["a", "b", "c"])))
        do {
            try model.validate(against: FeatureSchema(version: "4", names: ["a", "b", "c", "d"]))
            XCTFail("a mismatch must throw")
        } catch let error as ModelFileError {
            let message = error.description
            XCTAssertTrue(message.contains("feature schema 3 with 3 features"), message)
            XCTAssertTrue(message.contains("schema 4 with 4 features"), message)
            XCTAssertTrue(message.contains("\"d\""), message)
        }
        XCTAssertThrowsError(try model.validate(against: FeatureSchema(version: "3", names: ["a", "x", "c"]))) {
            XCTAssertTrue(String(describing: $0).contains("feature 1 is \"b\" in the model but \"x\" here"))
        }
    }

    func testWrongFormatVersionAndGarbageAreTypedErrors() throws {
        let model = try makeModel(boosted: false)
        var json = try XCTUnwrap(String(data: model.jsonData(), encoding: .utf8))
        json = json.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 99")
        XCTAssertThrowsError(try ModelFile(jsonData: Data(json.utf8))) {
            XCTAssertEqual($0 as? ModelFileError, .unsupportedFormatVersion(found: 99, supported: 1))
        }
        XCTAssertThrowsError(try ModelFile(jsonData: Data("not json".utf8))) {
            guard case .unreadable = $0 as? ModelFileError else { return XCTFail("expected unreadable, got \($0)") }
        }
        // Each way a file can fail says what is wrong, in words.
        let whole = try model.jsonData()
        let cases: [(Data, String)] = [
            (Data(), "not a readable Talea model file: the file is empty"),
            (whole.prefix(whole.count / 2), "not a readable Talea model file: not valid JSON (\(whole.count / 2) bytes; a file cut short, or not a model file)"),
            (Data(#"{"name": "another tool"}"#.utf8), "not a readable Talea model file: a JSON file, but not a Talea model (no field formatVersion)"),
            (Data(json.replacingOccurrences(of: "\"formatVersion\" : 99", with: "\"formatVersion\" : 1")
                .replacingOccurrences(of: "\"classNames\"", with: "\"classNamez\"").utf8),
             "not a readable Talea model file: no field classNames"),
        ]
        for (data, message) in cases {
            XCTAssertThrowsError(try ModelFile(jsonData: data)) { XCTAssertEqual("\($0)", message) }
        }
        let folder = FileManager.default.temporaryDirectory
        XCTAssertThrowsError(try ModelFile(contentsOf: folder)) {
            XCTAssertEqual("\($0)", "not a readable Talea model file: cannot read \(folder.path): it is a folder, not a model file")
        }
    }

    func testInconsistentPartsAreRejected() throws {
        let model = try makeModel(boosted: false)
        XCTAssertThrowsError(try ModelFile(featureSchema: FeatureSchema(version: "3", names: ["a", "b"]),
                                           classNames: model.classNames, standardizer: model.standardizer,
                                           classifier: model.classifier)) {
            guard case .inconsistent = $0 as? ModelFileError else { return XCTFail("expected inconsistent, got \($0)") }
        }
        XCTAssertThrowsError(try ModelFile(featureSchema: model.featureSchema, classNames: ["x", "y"],
                                           standardizer: model.standardizer, classifier: model.classifier))
    }

    func testPredictionAppliesTemperatureThresholdAndNamesTopFeatures() throws {
        let model = try makeModel(boosted: false)
        let row = [4.0, 0, 1]
        let prediction = model.predict(row)
        XCTAssertEqual(prediction.className, "chorale")
        XCTAssertEqual(prediction.probabilities, model.calibration.probabilities(prediction.logits))
        XCTAssertEqual(prediction.isUnknown, prediction.confidence < 0.6)
        let ambiguous = model.predict([2, 2, 0])
        XCTAssertLessThan(ambiguous.confidence, 0.6)
        XCTAssertTrue(ambiguous.isUnknown)
        let top = model.topFeatures(row, towards: 1)
        XCTAssertEqual(top.first?.name, "a")
        XCTAssertTrue(top.allSatisfy { $0.contribution > 0 })
    }

    func testMalformedTreesAreRejectedOnLoad() throws {
        let model = try makeModel(boosted: true)
        guard case .boostedTrees(let trees) = model.classifier else { return XCTFail("expected trees") }
        let split = try XCTUnwrap(trees.nodeFeature.firstIndex { $0 >= 0 })
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: model.jsonData()) as? [String: Any])
        var classifier = try XCTUnwrap(json["classifier"] as? [String: Any])
        var boosted = try XCTUnwrap(classifier["boostedTrees"] as? [String: Any])
        var payload = try XCTUnwrap(boosted["_0"] as? [String: Any])
        var left = try XCTUnwrap(payload["nodeLeft"] as? [Int])
        left[split] = split  // a cycle
        payload["nodeLeft"] = left
        boosted["_0"] = payload
        classifier["boostedTrees"] = boosted
        json["classifier"] = classifier
        let tampered = try JSONSerialization.data(withJSONObject: json)
        XCTAssertThrowsError(try ModelFile(jsonData: tampered)) {
            guard case .inconsistent = $0 as? ModelFileError else { return XCTFail("expected inconsistent, got \($0)") }
        }
    }
}
