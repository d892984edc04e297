import Foundation
import Records

/// Renders a feature's reason template with one unit's own value, in words an outreach worker can read.
///
/// `{value}` stands for the value: numbers without needless decimals, yes/no for booleans, the level for text.
/// A missing value gives "<feature>: not recorded" (a template such as "{value} km from the hub" would not read).
/// A yes/no feature whose template has no `{value}` (e.g. "12-month review not completed") describes the "yes"
/// case, so for "no" it reads "<template>: no".
public struct ReasonText: Sendable {
  private let templates: [String]
  private let missingTexts: [String?]
  private let columns: [Column]
  /// Per feature: a 0/1 column (e.g. an `exists` aggregation), which a template without `{value}` reads as yes/no.
  private let yesNo: [Bool]

  /// Prepares the reasons of `frame`'s features, in `schema` order (the order of the model's contributions).
  public init(frame: FeatureFrame, schema: FeatureSchema) {
    templates = schema.features.map(\.reason)
    missingTexts = schema.features.map(\.reasonWhenMissing)
    columns = schema.features.map { frame.feature($0.name)! }
    yesNo = columns.map(Self.isYesNo)
  }

  /// The reason of feature `j` for `row`.
  public func render(feature j: Int, row: Int) -> String {
    if columns[j].isMissing(row), let text = missingTexts[j] { return text }
    return Self.render(templates[j], column: columns[j], row: row, yesNo: yesNo[j])
  }

  /// The value of feature `j` for `row` as text ("" when missing).
  public func value(feature j: Int, row: Int) -> String {
    let text = Self.format(columns[j], row: row)
    if yesNo[j] && !templates[j].contains("{value}") && !text.isEmpty { return text == "1" ? "yes" : "no" }
    return text
  }

  static func render(_ template: String, column: Column, row: Int, yesNo: Bool) -> String {
    if column.isMissing(row) { return "\(humanised(column.name)): not recorded" }
    let text = format(column, row: row)
    if template.contains("{value}") {
      return template.replacingOccurrences(of: "{value}", with: text)
    }
    if case .boolean(let v) = column.values, v[row] == false { return "\(template): no" }
    if yesNo, case .number(let v) = column.values, v[row] == 0 { return "\(template): no" }
    return template
  }

  /// One value as text: "3", "0.45", "yes", "English". Missing is "".
  public static func format(_ column: Column, row: Int) -> String {
    if column.isMissing(row) { return "" }
    switch column.values {
    case .integer(let v): return String(Int64(v[row]))
    case .number(let v): return number(v[row])
    case .boolean(let v): return v[row]! ? "yes" : "no"
    case .categorical(let codes, let levels): return levels[Int(codes[row])]
    case .date(let v): return Day(number: Int(v[row])).description
    }
  }

  /// Up to two decimals, without trailing zeros.
  public static func number(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    var s = String(format: "%.2f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }

  /// `km_to_nearest_hub` → "km to nearest hub".
  public static func humanised(_ name: String) -> String {
    name.replacingOccurrences(of: "_", with: " ")
  }

  /// An `exists` feature computes to 0/1 numbers; it reads as yes/no when every value is 0, 1 or missing.
  private static func isYesNo(_ column: Column) -> Bool {
    guard case .number(let v) = column.values else { return false }
    return v.allSatisfy { $0.isNaN || $0 == 0 || $0 == 1 }
  }
}
