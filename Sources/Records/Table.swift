/// A table read into memory, column by column: what the readers produce and feature engineering consumes.
public struct Table: Sendable {
  /// Where it came from, for error messages.
  public let source: String
  public let rowCount: Int
  public var columns: [Column]
  /// What the reader found worth saying (an encoding it fell back to, levels it merged by letter case).
  public var notes: [String] = []
  /// The encoding and delimiter the reader used (sniffed under `auto`), for `uptake init` and `uptake check`.
  public var detected = ReadSettings()

  public init(source: String, rowCount: Int, columns: [Column]) {
    self.source = source
    self.rowCount = rowCount
    self.columns = columns
  }

  public subscript(name: String) -> Column? { columns.first { $0.name == name } }
  public var columnNames: [String] { columns.map(\.name) }
}

/// One named, typed column. Missing values are NaN (numbers), `Day.missing` (dates), `nil` (booleans) and code −1
/// (categories).
public struct Column: Sendable {
  public let name: String
  public let values: ColumnValues

  public init(name: String, values: ColumnValues) {
    self.name = name
    self.values = values
  }

  public var type: ColumnType { values.type }

  public var missingCount: Int {
    switch values {
    case .integer(let v), .number(let v): return v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
    case .date(let v): return v.reduce(0) { $0 + ($1 == ColumnValues.missingDay ? 1 : 0) }
    case .boolean(let v): return v.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
    case .categorical(let codes, _): return codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
    }
  }
}

/// The inferred (or configured) type of a column.
public enum ColumnType: String, Sendable, Codable, CaseIterable {
  case integer, number, date, boolean, categorical
}

public enum ColumnValues: Sendable {
  /// Whole numbers, as doubles (exact up to 2⁵³); NaN = missing.
  case integer([Double])
  /// NaN = missing.
  case number([Double])
  /// Day numbers since 1970-01-01; `missingDay` = missing.
  case date([Int32])
  case boolean([Bool?])
  /// Codes into `levels` (in order of first appearance); −1 = missing.
  case categorical(codes: [Int32], levels: [String])

  public static let missingDay = Int32.min

  public var type: ColumnType {
    switch self {
    case .integer: return .integer
    case .number: return .number
    case .date: return .date
    case .boolean: return .boolean
    case .categorical: return .categorical
    }
  }
}
