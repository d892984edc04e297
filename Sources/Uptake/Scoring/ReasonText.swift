import Records

/// Renders a feature's reason template with one unit's own value, in words an outreach worker can read.
///
/// `{value}` stands for the value: numbers without needless decimals, yes/no for booleans, the level for text.
/// A missing value gives the feature's `reason_when_missing`, or "<feature>: not recorded" (a template such as
/// "{value} km from the hub" would not read). A yes/no feature whose template has no `{value}` (e.g. "12-month
/// review not completed") describes the "yes" case, so for "no" it reads "<template>: no". A need-style reason
/// (`reason_style: need`, for a protected attribute kept as a feature) is printed as written, whatever the value.
///
/// Templates are split and columns unpacked once, so rendering a million rows' reasons costs string joins only.
public struct ReasonText: Sendable {
  private struct Prepared: Sendable {
    var template: String
    /// The template around `{value}`, or nil without one.
    var parts: (prefix: String, suffix: String)?
    var missingText: String
    /// Numbers (integers, numbers, and booleans as 1/0); NaN is missing.
    var numbers: [Double]?
    var isBoolean: Bool
    /// Categorical codes (−1 missing) and their levels.
    var codes: [Int32]?
    var levels: [String]
    /// Every value is 0, 1 or missing (e.g. an `exists` aggregation).
    var yesNo: Bool
    /// Printed as written, never with the value (`reason_style: need`).
    var isNeed = false
  }

  private let features: [Prepared]
  /// The two features of each pair term, whose terms follow the features' (as the model's contributions do).
  private let pairs: [[Int]]

  /// Prepares the reasons of `frame`'s features, in `schema` order, and of the model's `pairs` after them (the order
  /// of the model's contributions).
  public init(frame: FeatureFrame, schema: FeatureSchema, pairs: [[Int]] = []) {
    self.pairs = pairs
    features = schema.features.map { feature in
      let column = frame.feature(feature.name)!
      var prepared = Prepared(
        template: feature.reason, parts: nil,
        missingText: feature.reasonWhenMissing ?? "\(Self.humanised(feature.name)): not recorded", numbers: nil,
        isBoolean: false, codes: nil, levels: [], yesNo: false)
      prepared.isNeed = feature.reasonIsNeed == true
      if let range = feature.reason.range(of: "{value}") {
        prepared.parts = (String(feature.reason[..<range.lowerBound]), String(feature.reason[range.upperBound...]))
      }
      switch column.values {
      case .integer(let v), .number(let v): prepared.numbers = v
      case .boolean(let v):
        prepared.numbers = v.map { $0.map { $0 ? 1 : 0 } ?? .nan }
        prepared.isBoolean = true
      case .categorical(let codes, let levels):
        prepared.codes = codes
        prepared.levels = levels
      case .date(let v):
        prepared.codes = v.indices.map { v[$0] == ColumnValues.missingDay ? -1 : Int32($0) }
        prepared.levels = v.map { $0 == ColumnValues.missingDay ? "" : Day(number: Int($0)).description }
      }
      prepared.yesNo = prepared.isBoolean || (prepared.numbers?.allSatisfy { $0.isNaN || $0 == 0 || $0 == 1 } ?? false)
      return prepared
    }
  }

  /// The reason of feature `j` for `row`; `raises` says whether the feature raises this row's chance (a need-style
  /// reason is only said when it does: "may want information in another language" for a value that lowers the
  /// chance would say the opposite of the records).
  public func render(feature j: Int, row: Int, raises: Bool = true) -> String {
    let f = features[j]
    guard let text = text(f, row: row) else { return f.missingText }
    if f.isNeed { return raises ? f.template : "no need shown (it lowers the chance)" }
    if let parts = f.parts { return parts.prefix + text + parts.suffix }
    if f.yesNo, f.numbers![row] == 0 { return f.template + ": no" }
    return f.template
  }

  /// The reason of term `t` (a feature, or a pair after the features) for `row`: a pair's is its two features'
  /// reasons joined, one joint reason ("English as an additional language and no family-hub contact").
  public func render(term t: Int, row: Int, raises: Bool = true) -> String {
    guard t >= features.count else { return render(feature: t, row: row, raises: raises) }
    let pair = pairs[t - features.count]
    return render(feature: pair[0], row: row, raises: raises) + " and "
      + render(feature: pair[1], row: row, raises: raises)
  }

  /// The value of term `t` for `row` as text: a pair's is its two features' values ("missing" for one not recorded).
  public func value(term t: Int, row: Int) -> String {
    guard t >= features.count else { return value(feature: t, row: row) }
    let values = pairs[t - features.count].map { value(feature: $0, row: row) }.map { $0.isEmpty ? "missing" : $0 }
    return values.joined(separator: ", ")
  }

  /// The value of feature `j` for `row` as text ("" when missing); a yes/no feature described by a template
  /// without `{value}` reads "yes" or "no".
  public func value(feature j: Int, row: Int) -> String {
    let f = features[j]
    guard let text = text(f, row: row) else { return "" }
    if f.yesNo && f.parts == nil { return f.numbers![row] == 1 ? "yes" : "no" }
    return text
  }

  private func text(_ f: Prepared, row: Int) -> String? {
    if let numbers = f.numbers {
      let v = numbers[row]
      if v.isNaN { return nil }
      return f.isBoolean ? (v == 1 ? "yes" : "no") : Self.number(v)
    }
    let code = f.codes![row]
    return code < 0 ? nil : f.levels[Int(code)]
  }

  /// One column value as text: "3", "0.45", "yes", "English"; missing is "".
  public static func format(_ column: Column, row: Int) -> String {
    if column.isMissing(row) { return "" }
    switch column.values {
    case .integer(let v), .number(let v): return number(v[row])
    case .boolean(let v): return v[row]! ? "yes" : "no"
    case .categorical(let codes, let levels): return levels[Int(codes[row])]
    case .date(let v): return Day(number: Int(v[row])).description
    }
  }

  /// Rounded to two decimals, without trailing zeros: "3", "4.5", "0.46".
  public static func number(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    let rounded = (x * 100).rounded() / 100
    if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return String(rounded)
  }

  /// `km_to_nearest_hub` → "km to nearest hub".
  public static func humanised(_ name: String) -> String {
    String(name.map { $0 == "_" ? " " : $0 })
  }
}
