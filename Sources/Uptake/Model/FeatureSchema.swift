import Learn
import Records

/// The features a model was trained on: each one's name, kind, training levels and reason template.
///
/// New data are checked against it before scoring, so a missing column or a column of another kind is a clear
/// error rather than a silently wrong score.
public struct FeatureSchema: Codable, Equatable, Sendable {
  public enum Kind: String, Codable, Sendable {
    /// Integers and numbers; missing is NaN.
    case numeric
    /// Yes/no values, encoded 1/0.
    case boolean
    /// Text values, dictionary-encoded.
    case categorical
  }

  public struct Feature: Codable, Equatable, Sendable {
    public var name: String
    public var kind: Kind
    /// Categorical: the levels seen in training.
    public var levels: [String]
    /// The reason sentence; `{value}` stands for the unit's own value.
    public var reason: String
    /// The reason when the value is missing; nil reads "<feature>: not recorded".
    public var reasonWhenMissing: String?
    /// True when `reason` is a service need printed as written, never with the value (`reason_style: need`); nil in
    /// bundles written before it existed.
    public var reasonIsNeed: Bool? = nil
    /// A modifiable feature's action (`modifiable: true`, `action:` in uptake.yaml), and the feature's most common
    /// training value as text, which a list's `what_if` sets it to; nil for other features.
    public var action: String? = nil
    public var commonValue: String? = nil
  }

  public var features: [Feature]
  public var names: [String] { features.map(\.name) }

  /// How contact-list reasons word the protected attributes `protected` used as features, for the model card, the
  /// transparency record and `train`'s warning: with their value, or as a service need (`reason_style: need`).
  public static func reasonWording(of protected: [String], needs: Set<String>) -> String {
    let worded = protected.filter(needs.contains), named = protected.filter { !needs.contains($0) }
    var parts: [String] = []
    if !named.isEmpty { parts.append("reasons can name \(named.joined(separator: ", ")) with the value") }
    if !worded.isEmpty {
      parts.append(
        "reasons word \(worded.joined(separator: ", ")) as a service need (reason_style: need), never with the value")
    }
    return parts.joined(separator: "; ")
  }

  /// What `train` and `check` say when a protected attribute is a feature: allowed, but never silently.
  public static func protectedFeaturesWarning(_ names: [String], needs: Set<String>, unit: UnitName) -> String {
    let it = names.count == 1 ? "it" : "them"
    let allNeeds = names.allSatisfy(needs.contains)
    return
      "\(names.joined(separator: ", ")) \(names.count == 1 ? "is a protected attribute" : "are protected attributes") "
      + "(protected: in uptake.yaml) used as \(names.count == 1 ? "a feature" : "features"): \(unit.plural) are scored "
      + "partly by \(it); " + FeatureSchema.reasonWording(of: names, needs: needs) + "; the transparency record "
      + "(evaluate --report) and the model card say so. If that is not intended, remove \(it) from features: a need "
      + "can be a service fact instead (e.g. interpreter_needed rather than first_language)"
      + (allNeeds ? "" : ", or reason_style: need can word \(it) as one")
  }

  /// The features whose reasons are service needs (`reason_style: need`).
  public var needReasons: Set<String> { Set(features.filter { $0.reasonIsNeed == true }.map(\.name)) }

  /// The schema of a training frame.
  /// - Throws: `ModelDataError` for a date-valued feature (a date is no model input, and could be a date of birth).
  public init(frame: FeatureFrame) throws {
    features = try frame.features.map { column in
      if PersonalData.isSensitive(column: column.name) && !frame.personalAllowed.contains(column.name) {
        throw ModelDataError(
          "column \(column.name) looks like personal data (a name, date of birth, contact detail or free text) and "
            + "would be printed in reasons and explanations; leave it out (--exclude \(column.name)), or rename it if it is not"
        )
      }
      if !frame.personalAllowed.contains(column.name), let problem = PersonalValues.problem(with: column) {
        throw ModelDataError(
          "column \(column.name) \(problem), which would be printed in reasons and explanations; leave it out, or, "
            + "if they are not personal data, allow it (personal: { allow: [\(column.name)] } in uptake.yaml, or "
            + "--allow-personal \(column.name) for a flat file)")
      }
      let kind: Kind
      var levels: [String] = []
      switch column.values {
      case .integer, .number: kind = .numeric
      case .boolean: kind = .boolean
      case .categorical(_, let l):
        kind = .categorical
        levels = l
      case .date:
        throw ModelDataError(
          "feature \(column.name) holds dates, which are not model inputs; exclude it, or define an age or "
            + "days-since feature from it in uptake.yaml")
      }
      return Feature(
        name: column.name, kind: kind, levels: levels,
        reason: frame.reasons[column.name] ?? "\(ReasonText.humanised(column.name)): {value}",
        reasonWhenMissing: frame.reasonsWhenMissing[column.name],
        reasonIsNeed: frame.needReasons.contains(column.name) ? true : nil, action: frame.actions[column.name],
        commonValue: frame.actions[column.name] == nil ? nil : Self.mostCommonValue(column))
    }
  }

  /// The most frequent non-missing value of `column` as text (ties: the first in order of value), or nil when every
  /// value is missing.
  static func mostCommonValue(_ column: Column) -> String? {
    var counts: [String: Int] = [:]
    for row in 0..<column.values.count where !column.isMissing(row) {
      counts[ReasonText.format(column, row: row), default: 0] += 1
    }
    return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
  }

  /// The learners' inputs for `frame`, in schema order, with notes on values the model has not seen.
  /// - Throws: `ModelDataError` naming a missing feature or one whose kind differs from training.
  public func columns(of frame: FeatureFrame) throws -> (columns: [FeatureColumn], notes: [String]) {
    var notes: [String] = []
    let columns = try features.map { feature -> FeatureColumn in
      guard let column = frame.feature(feature.name) else {
        throw ModelDataError(
          "the data have no feature \(feature.name), which the model was trained on; score data of the same shape "
            + "as the training data, or retrain")
      }
      switch (feature.kind, column.values) {
      case (.numeric, .integer(let v)), (.numeric, .number(let v)):
        return .numeric(name: feature.name, values: v)
      case (.boolean, .boolean(let v)):
        return .numeric(name: feature.name, values: v.map { $0.map { $0 ? 1 : 0 } ?? .nan })
      case (.categorical, .categorical(let codes, let levels)):
        let known = Set(feature.levels)
        let unseen = levels.indices.filter { !known.contains(levels[$0]) }
        if !unseen.isEmpty {
          let unseenCode = Set(unseen.map(Int32.init))
          let rows = codes.reduce(0) { $0 + (unseenCode.contains($1) ? 1 : 0) }
          if rows > 0 {
            notes.append(
              "feature \(feature.name): \(rows) rows hold values not seen in training (e.g. "
                + "\(PersonalData.shown(levels[unseen[0]], column: feature.name))); they are scored as rare values are — "
                + "retrain to learn them")
          }
        }
        return .categorical(name: feature.name, codes: codes, levels: levels)
      case (.numeric, .boolean(let v)):
        // A 0/1 column can read as yes/no in a small file; the values are the same.
        return .numeric(name: feature.name, values: v.map { $0.map { $0 ? 1 : 0 } ?? .nan })
      case (.boolean, .integer(let v)) where v.allSatisfy({ $0.isNaN || $0 == 0 || $0 == 1 }):
        return .numeric(name: feature.name, values: v)
      default:
        let example = Self.firstValue(of: column)
        throw ModelDataError(
          "feature \(feature.name) was \(feature.kind.rawValue) in training but is \(column.type.rawValue) here"
            + (example.map { " (e.g. \(PersonalData.shown($0, column: feature.name)))" } ?? "")
            + "; fix the column's values or retrain")
      }
    }
    return (columns, notes)
  }

  private static func firstValue(of column: Column) -> String? {
    let rows = Array(0..<min(column.values.count, 10_000))
    return column.texts(rows).first { !$0.isEmpty }
  }
}

/// The data do not fit the model, or the training data cannot make one; the message says what to do.
public struct ModelDataError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
