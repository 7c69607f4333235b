import Foundation

/// The names and order of the features a model expects, with the version of the code that
/// computes them.
public struct FeatureSchema: Codable, Equatable, Sendable {
    /// The feature extractor's schema version string.
    public let version: String
    /// Feature names in row order.
    public let names: [String]

    /// Creates a schema.
    public init(version: String, names: [String]) {
        self.version = version
        self.names = names
    }
}

/// Why a model file could not be used.
public enum ModelFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The bytes are not a model file this code can parse.
    case unreadable(String)
    /// The file's format version is not the one this code reads.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// The model's parts disagree with each other (e.g. feature counts).
    case inconsistent(String)
    /// The model was trained on other features than this build computes.
    case schemaMismatch(model: FeatureSchema, expected: FeatureSchema, detail: String)

    /// A sentence a user can act on.
    public var description: String {
        switch self {
        case .unreadable(let reason):
            return "not a readable Talea model file: \(reason)"
        case let .unsupportedFormatVersion(found, supported):
            return "model file format version \(found) is not supported; this build reads version \(supported) — retrain with `talea train`"
        case .inconsistent(let reason):
            return "model file is inconsistent: \(reason)"
        case let .schemaMismatch(model, expected, detail):
            return "model was trained on feature schema \(model.version) with \(model.names.count) features; "
                + "this build computes schema \(expected.version) with \(expected.names.count) features (\(detail)) — retrain with `talea train`"
        }
    }
}

/// One calibrated prediction.
public struct ModelPrediction: Codable, Equatable, Sendable {
    /// The most probable class index.
    public let classIndex: Int
    /// Its name, from `ModelFile.classNames`.
    public let className: String
    /// Calibrated probability of every class.
    public let probabilities: [Double]
    /// The calibrated probability of `classIndex`.
    public var confidence: Double { probabilities.indices.contains(classIndex) ? probabilities[classIndex] : 0 }
    /// True when `unknownThreshold` is set and `confidence` is below it.
    public let isUnknown: Bool
    /// Uncalibrated logits.
    public let logits: [Double]
}

/// Everything needed to classify a feature vector, stored as deterministic JSON.
///
/// The encoding uses sorted keys, contains only arrays, structs and a `[String: String]` (whose keys
/// are sorted too), so the same model always produces the same bytes — retraining on the same data
/// with the same seed reproduces the file exactly.
public struct ModelFile: Codable, Equatable, Sendable {
    /// The format version written by this build.
    public static let currentFormatVersion = 1

    /// Format version of this file.
    public let formatVersion: Int
    /// The features the model expects, by name and order.
    public let featureSchema: FeatureSchema
    /// One name per class index.
    public let classNames: [String]
    /// Fitted on the training rows; applied before the classifier.
    public let standardizer: Standardizer
    /// The trained classifier (works on standardised rows).
    public let classifier: AnyClassifier
    /// Calibration applied to the classifier's logits.
    public let calibration: TemperatureScaling
    /// If set, a prediction whose calibrated confidence is below this is reported as unknown.
    public let unknownThreshold: Double?
    /// Free-form facts (training date, corpus hash, chosen configuration…); keys are sorted on encoding.
    public let metadata: [String: String]
    /// The repertories' melodic habits whose scores end the row (the last features of the schema),
    /// or nil when the row is the feature extractor's alone.
    public let idiom: IdiomModel?

    /// Assembles a model and checks that its parts agree.
    public init(featureSchema: FeatureSchema, classNames: [String], standardizer: Standardizer,
                classifier: AnyClassifier, calibration: TemperatureScaling = .identity,
                unknownThreshold: Double? = nil, metadata: [String: String] = [:], idiom: IdiomModel? = nil) throws {
        self.formatVersion = Self.currentFormatVersion
        self.idiom = idiom
        self.featureSchema = featureSchema
        self.classNames = classNames
        self.standardizer = standardizer
        self.classifier = classifier
        self.calibration = calibration
        self.unknownThreshold = unknownThreshold
        self.metadata = metadata
        try validateConsistency()
    }

    /// Decodes and validates a model file (format version, then internal consistency).
    public init(jsonData data: Data) throws {
        struct VersionProbe: Decodable { let formatVersion: Int }
        let decoder = JSONDecoder()
        let probe: VersionProbe
        do {
            probe = try decoder.decode(VersionProbe.self, from: data)
        } catch {
            // Only now is the JSON itself checked, to say which of the two is wrong.
            guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
                throw ModelFileError.unreadable(data.isEmpty ? "the file is empty"
                    : "not valid JSON (\(data.count) bytes; a file cut short, or not a model file)")
            }
            throw ModelFileError.unreadable("a JSON file, but not a Talea model (\(Self.describe(error)))")
        }
        guard probe.formatVersion == Self.currentFormatVersion else {
            throw ModelFileError.unsupportedFormatVersion(found: probe.formatVersion, supported: Self.currentFormatVersion)
        }
        do {
            self = try decoder.decode(ModelFile.self, from: data)
        } catch {
            throw ModelFileError.unreadable(Self.describe(error))
        }
        try validateConsistency()
    }

    /// A decoding failure in words: which field, and what is wrong with it.
    static func describe(_ error: Error) -> String {
        func path(_ context: DecodingError.Context, _ last: CodingKey? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the top level" : text)
        }
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?: return "no field \(path(context, key))"
        case let .typeMismatch(_, context)?: return "field \(path(context)) has the wrong type"
        case let .valueNotFound(_, context)?: return "field \(path(context)) is null"
        case let .dataCorrupted(context)?: return "field \(path(context)): \(context.debugDescription)"
        default: return String(describing: error)
        }
    }

    /// Reads and validates a model file.
    public init(contentsOf url: URL) throws {
        let data: Data
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw ModelFileError.unreadable("cannot read \(url.path): no such file")
        }
        guard !isFolder.boolValue else {
            throw ModelFileError.unreadable("cannot read \(url.path): it is a folder, not a model file")
        }
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFileError.unreadable("cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(jsonData: data)
    }

    /// Deterministic JSON bytes (sorted keys; pretty-printed by default, ending with a newline).
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                                 : [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes `jsonData(prettyPrinted:)` atomically to `url`.
    public func write(to url: URL, prettyPrinted: Bool = true) throws {
        try jsonData(prettyPrinted: prettyPrinted).write(to: url, options: .atomic)
    }

    /// Throws `ModelFileError.schemaMismatch` unless `expected` equals the model's schema, naming
    /// the first difference (version, count or the first differing feature name).
    public func validate(against expected: FeatureSchema) throws {
        guard featureSchema != expected else { return }
        let detail: String
        if let index = zip(featureSchema.names, expected.names).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            detail = "feature \(index) is \"\(featureSchema.names[index])\" in the model but \"\(expected.names[index])\" here"
        } else if featureSchema.names.count != expected.names.count {
            let longer = featureSchema.names.count > expected.names.count ? featureSchema.names : expected.names
            let side = featureSchema.names.count > expected.names.count ? "only in the model" : "only in this build"
            let shorterCount = min(featureSchema.names.count, expected.names.count)
            detail = "first extra feature \"\(longer[shorterCount])\" is \(side)"
        } else {
            detail = "same feature names, different schema version"
        }
        throw ModelFileError.schemaMismatch(model: featureSchema, expected: expected, detail: detail)
    }

    /// Standardises `row`, runs the classifier, applies the temperature and the unknown threshold.
    /// A row of the wrong length is padded with non-finite values (read as the training mean) or truncated;
    /// call `validate(against:)` once at load time to rule that out.
    public func predict(_ row: [Double]) -> ModelPrediction {
        let logits = classifier.logits(standardizer.transform(row))
        let probabilities = calibration.probabilities(logits)
        let index = Softmax.argmax(probabilities)
        let confidence = probabilities.isEmpty ? 0 : probabilities[index]
        return ModelPrediction(classIndex: index,
                               className: index < classNames.count ? classNames[index] : "class \(index)",
                               probabilities: probabilities,
                               isUnknown: unknownThreshold.map { confidence < $0 } ?? false,
                               logits: logits)
    }

    /// The classifier's explanation of `row` (on the standardised row; contributions are in logit
    /// units before temperature scaling).
    public func explain(_ row: [Double]) -> Explanation {
        classifier.explain(standardizer.transform(row))
    }

    /// The `count` features that pushed hardest towards `classIndex`, by name.
    public func topFeatures(_ row: [Double], towards classIndex: Int, count: Int = 3) -> [(name: String, contribution: Double)] {
        explain(row).topFeatures(towards: classIndex, count: count).map { item in
            (name: item.feature < featureSchema.names.count ? featureSchema.names[item.feature] : "feature \(item.feature)",
             contribution: item.contribution)
        }
    }

    private func validateConsistency() throws {
        let width = featureSchema.names.count
        guard standardizer.featureCount == width else {
            throw ModelFileError.inconsistent("standardizer has \(standardizer.featureCount) columns; the schema lists \(width) features")
        }
        guard classifier.featureCount == width else {
            throw ModelFileError.inconsistent("classifier expects \(classifier.featureCount) features; the schema lists \(width)")
        }
        guard classifier.classCount == classNames.count else {
            throw ModelFileError.inconsistent("classifier has \(classifier.classCount) classes; \(classNames.count) class names given")
        }
        guard standardizer.means.allSatisfy(\.isFinite), standardizer.scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelFileError.inconsistent("standardizer has non-finite means or non-positive scales")
        }
        guard calibration.temperature.isFinite, calibration.temperature > 0 else {
            throw ModelFileError.inconsistent("temperature must be positive")
        }
        try Self.validateStructure(of: classifier, width: width)
    }

    private static func validateStructure(of classifier: AnyClassifier, width: Int) throws {
        switch classifier {
        case .boostedTrees(let model):
            if let problem = model.structuralProblem() { throw ModelFileError.inconsistent("boosted trees: \(problem)") }
        case .logisticRegression(let model):
            guard model.coefficients.allSatisfy({ $0.count == width }) else {
                throw ModelFileError.inconsistent("coefficient rows differ from the feature count")
            }
        case .averaged(let mixture):
            guard !mixture.members.isEmpty, mixture.weights.count == mixture.members.count,
                  mixture.weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw ModelFileError.inconsistent("a mixture needs one finite, non-negative weight per member")
            }
            if let problem = mixture.split?.problem(classCount: mixture.classCount, memberCount: mixture.members.count) {
                throw ModelFileError.inconsistent(problem)
            }
            for member in mixture.members {
                guard member.featureCount == width, member.classCount == mixture.classCount else {
                    throw ModelFileError.inconsistent("mixture members differ in their number of classes or features")
                }
                try validateStructure(of: member, width: width)
            }
        }
    }
}
