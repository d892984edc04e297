import Linalg

/// One input column for learners that bin their features (`StumpBoost`).
///
/// Numeric columns mark missing values with NaN; categorical columns are dictionary-encoded, with code −1 for
/// missing, as the `Records` readers produce them.
public enum FeatureColumn: Sendable, Equatable {
  case numeric(name: String, values: [Double])
  case categorical(name: String, codes: [Int32], levels: [String])

  public var name: String {
    switch self {
    case .numeric(let name, _), .categorical(let name, _, _): return name
    }
  }

  public var count: Int {
    switch self {
    case .numeric(_, let values): return values.count
    case .categorical(_, let codes, _): return codes.count
    }
  }

  /// True when every value is the same, missing counted as a value (no split can separate any rows).
  public var isConstant: Bool {
    switch self {
    case .numeric(_, let values):
      guard let first = values.first else { return true }
      return values.allSatisfy { $0 == first || ($0.isNaN && first.isNaN) }
    case .categorical(_, let codes, _):
      guard let first = codes.first else { return true }
      return codes.allSatisfy { $0 == first }
    }
  }

  /// Every column of a design as numeric (NaN = missing), named `x1…xp` unless names are given.
  public static func columns(of x: Matrix, names: [String]? = nil) -> [FeatureColumn] {
    (0..<x.columns).map { .numeric(name: names?[$0] ?? "x\($0 + 1)", values: x.column($0)) }
  }
}
