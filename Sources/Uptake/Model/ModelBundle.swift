import Foundation
import Learn
import Records

/// Everything needed to score raw records later: how to read them, the features and their reason templates, the
/// encoders (inside the learner), the learner with its additive tables, and a record of the training run.
///
/// Saved as JSON in an envelope `{"format", "schemaVersion", "checksum", "model"}`; loading checks all three, so a
/// damaged, edited or incompatible file is reported as such instead of scoring wrongly.
public struct ModelBundle: Codable, Equatable, Sendable {
  public static let format = "uptake-model"
  /// Raised whenever a saved bundle would no longer load into this structure.
  public static let schemaVersion = 1

  public var source: FrameSource
  public var schema: FeatureSchema
  public var learner: FittedLearner
  public var training: TrainingRecord
  /// Maps margins to calibrated probabilities, when the model was calibrated on held-out families.
  public var calibration: Calibrator?
  /// The training data's distributions, for drift checks on new data.
  public var profile: DataProfile
  /// The single-feature rule every evaluation compares the model with.
  public var baselineRule: BaselineRule?

  /// The boosting rounds of a stumps model (nil for logistic regression).
  public var stumpRounds: Int? {
    if case .stumps(let model) = learner { return model.configuration.rounds }
    return nil
  }

  /// Pairwise interaction terms in the model (their contributions follow the features').
  public var pairCount: Int {
    if case .stumps(let model) = learner { return model.pairs?.count ?? 0 }
    return 0
  }

  /// How the model saved relates to the one validated, in words (nil in bundles from before cross-fitting).
  public var refitSentence: String? {
    guard let refit = training.refit else { return nil }
    var bags = 1
    if case .stumps(let model) = learner { bags = model.configuration.bags }
    return refit.sentence(
      rows: training.rows, rounds: stumpRounds, bags: bags, bagShare: 1 - StumpBoost.Configuration.bagHoldOut)
  }

  public init(
    source: FrameSource, schema: FeatureSchema, learner: FittedLearner, training: TrainingRecord,
    calibration: Calibrator? = nil, profile: DataProfile, baselineRule: BaselineRule?
  ) {
    self.source = source
    self.schema = schema
    self.learner = learner
    self.training = training
    self.calibration = calibration
    self.profile = profile
    self.baselineRule = baselineRule
  }

  /// The probability of the event for a margin: calibrated when the bundle has a calibrator.
  public func probability(margin: Double) -> Double {
    calibration?.probability(margin: margin) ?? LogisticMath.sigmoid(margin)
  }
}

/// How a model's rows are read from data, so new data are read the same way.
public enum FrameSource: Codable, Equatable, Sendable {
  /// One CSV with a row per unit. `read`, `keep`, `types`, `sheet`, `personalAllowed` and `unit` (as `--unit` gave
  /// it) are nil in bundles written before they existed.
  case flatFile(
    target: String, event: String, id: String?, group: String?, exclude: [String], read: ReadSettings? = nil,
    keep: [String]? = nil, types: [String: ColumnType]? = nil, sheet: String? = nil, personalAllowed: [String]? = nil,
    unit: UnitName? = nil)
  /// Linked records described by `uptake.yaml` (its text, read against each new folder or SQLite file).
  case linkedRecords(config: String)

  /// The source of a flat file read as `flat` describes.
  public static func flat(_ flat: FlatFile) -> FrameSource {
    .flatFile(
      target: flat.target, event: flat.event, id: flat.id, group: flat.group, exclude: flat.exclude, read: flat.read,
      keep: flat.keep, types: flat.types, sheet: flat.sheet,
      personalAllowed: flat.personalAllowed.isEmpty ? nil : flat.personalAllowed, unit: flat.unit)
  }

  public var flatFile: FlatFile? {
    if case .flatFile(
      let target, let event, let id, let group, let exclude, let read, let keep, let types, let sheet, let allowed,
      let unit) =
      self
    {
      return FlatFile(
        target: target, event: event, id: id, group: group, exclude: exclude, keep: keep ?? [], types: types ?? [:],
        read: read ?? ReadSettings(), sheet: sheet, personalAllowed: allowed ?? [], unit: unit ?? .child)
    }
    return nil
  }
}

/// What a training run was: data, settings and results, for the model card and for reproducing it.
public struct TrainingRecord: Codable, Equatable, Sendable {
  public var uptakeVersion: String
  /// When training finished, ISO 8601 (UTC).
  public var trainedAt: String
  /// FNV-1a 64 of the training frame (ids, labels and every feature value): equal data give equal fingerprints.
  public var dataFingerprint: String
  public var dataDescription: String
  public var rows: Int
  public var rowsLeftOut: Int
  public var leftOutReason: String?
  public var events: Int
  /// The range of as-of dates of the rows (linked records), ISO dates.
  public var asOfRange: [String]?
  /// The end of the data and where it came from (linked records): outcomes whose window ran past it were left out.
  public var dataUntil: String? = nil
  /// Features that are protected attributes (declared `protected:` in uptake.yaml); nil in older bundles.
  public var protectedFeatures: [String]? = nil
  public var seed: UInt64
  public var threads: Int
  public var fitSeconds: Double
  public var trainingRows: Int
  public var validationRows: Int
  /// True when whole families (the group column) were held out, false when single rows were.
  public var validationByFamily: Bool
  /// Cross-fitted: the number of folds, every row's validation prediction from a model fitted on the other folds;
  /// nil when one share of families was held out (and in older bundles).
  public var validationFolds: Int? = nil
  public var validation: ValidationMetrics
  public var warnings: [String]
  /// How the validation figures were measured, in words ("out of fold on all 3414 rows (5 seeded folds of whole
  /// families…)"), for the train summary, the model card and the transparency record.
  public var validationDescription: String {
    let unit = validationByFamily ? "whole families" : "single rows"
    if let folds = validationFolds {
      return "out of fold on all \(validationRows) rows (\(folds) seeded folds of \(unit), each predicted by a model "
        + "fitted on the other folds)"
    }
    return "on \(validationRows) held-out rows (\(unit), seeded), the model fitted on the other \(trainingRows)"
  }

  /// Whether the saved model was fitted again on every row after validation, and why not; nil in older bundles.
  public var refit: Refit? = nil

  /// Logistic regression with `--C` not given: each penalty strength tried on the folds, with its out-of-fold
  /// figures; the least log loss was kept. nil when `C` was given, above the cross-fitting limit, and in older bundles.
  public var penaltySearch: [PenaltyTrial]? = nil

  public struct PenaltyTrial: Codable, Equatable, Sendable {
    /// scikit-learn's `C`: the inverse penalty strength.
    public var C: Double
    public var logLoss: Double
    public var auc: Double
  }

  /// The penalty search in words ("C 0.1 chosen by the out-of-fold log loss of C 0.01: 0.5123, C 0.1: 0.5101, C 1:
  /// 0.5101 (…)"), nil without one.
  public var penaltySearchSentence: String? {
    guard let trials = penaltySearch, let best = chosenTrial else { return nil }
    func c(_ x: Double) -> String { String(format: "%g", x) }
    let stopped = trials.last.map { $0.C != best.C } ?? false
    let edge = best.C == ModelTrainer.penaltyGrid.first
    return "C \(c(best.C)) chosen by the out-of-fold log loss (lower is better) of "
      + trials.map { "C \(c($0.C)): \(String(format: "%.5f", $0.logLoss))" }.joined(separator: ", ")
      + (stopped
        ? " (the next weaker penalty did not lower it by \(String(format: "%g", ModelTrainer.penaltyTolerance * 100))% "
          + "or more, so the search stopped there)" : "")
      + (edge ? "; the strongest penalty tried: a stronger one might do better (give --C)" : "")
      + "; the validation figures are that C's on the same folds, so slightly optimistic"
  }

  /// The penalty the search kept: the last trial (weaker trials stopped the search without improving enough).
  public var chosenTrial: PenaltyTrial? {
    guard let trials = penaltySearch, !trials.isEmpty else { return nil }
    return trials.count >= 2
      && trials[trials.count - 1].logLoss
        >= trials[trials.count - 2].logLoss * (1 - ModelTrainer.penaltyTolerance)
      ? trials[trials.count - 2] : trials[trials.count - 1]
  }

  /// What `train` did after validation: the validation figures are always of the model fitted without the held-out
  /// rows; the model saved is that one, or one fitted again on every row with the same settings.
  public struct Refit: Codable, Equatable, Sendable {
    public enum Outcome: String, Codable, Sendable {
      /// Fitted again on every row, after cross-fitting.
      case refitted
      /// Kept: more rows than `ModelTrainer.refitRowLimit`, where the held-out share costs no measurable accuracy.
      case keptLargeData = "kept_large_data"
    }
    public var outcome: Outcome
    /// Stumps, refitted: the rounds cross-validation chose, and the rows each fold's model was boosted on (mean
    /// over the folds; within a fold, a bag's share).
    public var validatedRounds: Int? = nil
    public var boostedRows: Int? = nil
    /// Whether the rounds were chosen on the out-of-fold loss curve (nil in bundles from before it, whose rounds were
    /// kept by each fold's early stopping and averaged).
    public var roundsFromCurve: Bool? = nil
    /// Stumps with interactions, refitted: the pair stage's rounds cross-validation chose (nil without pairs).
    public var validatedPairRounds: Int? = nil

    /// In words, for the train summary, the model card and the transparency record. `rounds` are the saved stumps';
    /// with `bags` above 1, each was boosted on `bagShare` of the rows.
    public func sentence(rows: Int, rounds: Int?, bags: Int = 1, bagShare: Double = 1) -> String {
      func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
      switch outcome {
      case .keptLargeData:
        return "the model saved is the one validated (more than \(ModelTrainer.refitRowLimit) rows: it is not fitted "
          + "again on every row)"
      case .refitted:
        let refitRows = Double(rows) * (bags > 1 ? bagShare : 1)
        var text =
          bags > 1
          ? "the model saved is the average of \(bags) models, each fitted on its own "
            + "\(Int((bagShare * 100).rounded()))% of all \(rows) rows after validation, with the same settings"
          : "the model saved was fitted on all \(rows) rows after validation, with the same settings"
        if let validatedRounds, let boostedRows, let rounds {
          let scaled = Int((Double(validatedRounds) * refitRows / Double(max(1, boostedRows))).rounded())
          if roundsFromCurve == true && validatedRounds == 0 {
            return text + " (cross-validation found no round that lowered the out-of-fold loss, so it has no split)"
          }
          text +=
            (roundsFromCurve == true
              ? " (cross-validation chose \(plural(validatedRounds, "round")) for models boosted on \(boostedRows) rows, "
              : " (early stopping kept \(plural(validatedRounds, "round")) on \(boostedRows) rows on average over the "
                + "folds, ")
            + "scaled to \(Int(refitRows.rounded())) rows: "
            + (scaled > rounds ? "\(scaled), held to the \(rounds) that --rounds allows" : "\(rounds)") + ")"
        }
        if let validatedPairRounds {
          text +=
            validatedPairRounds == 0
            ? "; no round of pairwise interactions lowered the out-of-fold loss, so it has none"
            : "; pairwise interactions: cross-validation chose \(plural(validatedPairRounds, "round")), scaled the same "
              + "way"
        }
        return text
      }
    }
  }
}

public struct ValidationMetrics: Codable, Equatable, Sendable {
  /// Share of validation rows with the event.
  public var baseRate: Double
  public var auc: Double
  public var logLoss: Double
  /// Expected calibration error of the raw probabilities, and after calibration (fitted on these same rows).
  public var calibrationError: Double
  public var calibratedCalibrationError: Double?
}

/// A model file that cannot be used, with what to do about it.
public struct ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var message: String
  public var description: String { "model \(file) \(message)" }
}

extension ModelBundle {
  private struct Envelope: Codable {
    var format: String
    var schemaVersion: Int
    var checksum: String
    var model: ModelBundle
  }

  /// The bundle's canonical bytes: compact JSON with sorted keys, the input of the checksum.
  private func canonicalJSON() throws -> Data {
    try JSONCoding.encoder(pretty: false).encode(self)
  }

  public var checksum: String {
    get throws { "fnv1a64:" + Fingerprint.fnv1a64(try canonicalJSON()) }
  }

  /// Writes the bundle atomically (a temporary file renamed into place).
  public func save(to path: String) throws {
    try Trace.stage("write model") { try write(to: path) }
  }

  private func write(to path: String) throws {
    let encoder = JSONCoding.encoder(pretty: true)
    let envelope = Envelope(format: Self.format, schemaVersion: Self.schemaVersion, checksum: try checksum, model: self)
    var data = try encoder.encode(envelope)
    data.append(0x0A)
    try AtomicFile.write(data, to: path)
  }

  /// Reads and checks a bundle.
  /// - Throws: `ModelFileError` saying whether the file is missing, not a model, from another schema version,
  ///   damaged, or changed since it was written, and what to do.
  public static func load(path: String) throws -> ModelBundle {
    if let problem = InputFiles.problem(with: path) {
      throw ModelFileError(file: path, message: problem + "; give the path of a model file from `uptake train`")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ModelFileError(file: path, message: "cannot be read; check the path (train one with `uptake train`)")
    }
    InputFiles.register(path)
    return try load(data: data, path: path)
  }

  /// Checks and decodes a bundle's bytes; `path` names it in errors.
  public static func load(data: Data, path: String) throws -> ModelBundle {
    guard let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw ModelFileError(file: path, message: "is not valid JSON (damaged or truncated?); retrain or restore it")
    }
    guard header["format"] as? String == format else {
      throw ModelFileError(file: path, message: "is not an uptake model (no \"format\": \"\(format)\")")
    }
    guard let version = header["schemaVersion"] as? Int else {
      throw ModelFileError(file: path, message: "has no schemaVersion; retrain it with this uptake")
    }
    guard version == schemaVersion else {
      throw ModelFileError(
        file: path,
        message: "has schema version \(version), but this uptake reads version \(schemaVersion); "
          + (version > schemaVersion ? "use a newer uptake" : "retrain it with this uptake"))
    }
    let decoder = JSONCoding.decoder()
    let envelope: Envelope
    do {
      envelope = try decoder.decode(Envelope.self, from: data)
    } catch {
      throw ModelFileError(file: path, message: "is damaged (\(Self.describe(error))); retrain or restore it")
    }
    guard try envelope.model.checksum == envelope.checksum else {
      throw ModelFileError(
        file: path, message: "fails its checksum: it was changed after it was written; retrain or restore it")
    }
    do {
      try envelope.model.validate()
    } catch let invalid as Invalid {
      throw ModelFileError(file: path, message: "is not a valid model (\(invalid.detail)); retrain or restore it")
    }
    return envelope.model
  }

  private static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "missing \(path(context.codingPath + [key]))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "unexpected value at \(path(context.codingPath))"
    case DecodingError.dataCorrupted(let context):
      return "bad value at \(path(context.codingPath))"
    default:
      return "\(error)"
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
  }
}
