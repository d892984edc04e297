import Linalg

/// The encoder between features and a logistic regression (as `FeatureBinning` is for stumps): numeric columns
/// standardised (missing values at the mean, with a
/// missing indicator when training had any), categorical columns one-hot against their most frequent level.
///
/// Standardising makes one penalty strength fair to every feature; contributions are unchanged by it. Each design
/// column belongs to one feature (`owner`), so a row's contributions add up per feature exactly.
public struct LogisticDesign: Codable, Equatable, Sendable {
  public enum Encoding: Codable, Equatable, Sendable {
    /// `(x − mean) / scale`; missing → 0, and 1 in the next column when `missingIndicator`.
    case numeric(mean: Double, scale: Double, missingIndicator: Bool)
    /// One column per level in `levels` (the reference level has none), then "other" for rare and unseen levels
    /// when `other`, then "missing" when `missing`.
    case categorical(reference: String, levels: [String], other: Bool, missing: Bool)
  }

  public let encodings: [Encoding]
  /// One name per design column, e.g. `imd_decile`, `first_language=Polish`, `km_to_nearest_hub (missing)`.
  public let columnNames: [String]
  /// The feature each design column belongs to.
  public let owner: [Int]

  /// Levels seen fewer times than this share one "other" column.
  public static let minLevelCount = 10

  /// Learns the encoding from training columns.
  public init(fitting columns: [FeatureColumn]) {
    var encodings: [Encoding] = []
    var names: [String] = []
    var owner: [Int] = []
    for (j, column) in columns.enumerated() {
      switch column {
      case .numeric(let name, let values):
        let present = values.filter { !$0.isNaN }
        let mean = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
        let variance =
          present.isEmpty ? 0 : present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count)
        let scale = variance > 0 ? variance.squareRoot() : 1
        let indicator = present.count < values.count
        encodings.append(.numeric(mean: mean, scale: scale, missingIndicator: indicator))
        names.append(name)
        owner.append(j)
        if indicator {
          names.append("\(name) (missing)")
          owner.append(j)
        }
      case .categorical(let name, let codes, let levels):
        var counts = [Int](repeating: 0, count: levels.count)
        var missing = false
        for c in codes { if c >= 0 { counts[Int(c)] += 1 } else { missing = true } }
        let order = levels.indices.sorted {
          counts[$0] != counts[$1] ? counts[$0] > counts[$1] : levels[$0] < levels[$1]
        }
        let frequent = order.filter { counts[$0] >= Self.minLevelCount }
        let rare = order.contains { counts[$0] > 0 && counts[$0] < Self.minLevelCount }
        let reference = frequent.first.map { levels[$0] } ?? ""
        let kept = frequent.dropFirst().map { levels[$0] }
        encodings.append(.categorical(reference: reference, levels: kept, other: rare, missing: missing))
        for level in kept { names.append("\(name)=\(level)") }
        if rare { names.append("\(name)=other") }
        if missing { names.append("\(name) (missing)") }
        owner += Array(repeating: j, count: kept.count + (rare ? 1 : 0) + (missing ? 1 : 0))
      }
    }
    self.encodings = encodings
    columnNames = names
    self.owner = owner
  }

  /// The design matrix of `columns` (the same features, in training order): `n × columnNames.count`.
  public func matrix(_ columns: [FeatureColumn]) -> Matrix {
    let n = columns.first?.count ?? 0
    var x = Matrix(rows: n, columns: columnNames.count)
    var k = 0
    x.storage.withUnsafeMutableBufferPointer { out in
      for (column, encoding) in zip(columns, encodings) {
        switch (column, encoding) {
        case (.numeric(_, let values), .numeric(let mean, let scale, let indicator)):
          for i in 0..<n {
            let v = values[i]
            out[k * n + i] = v.isNaN ? 0 : (v - mean) / scale
            if indicator && v.isNaN { out[(k + 1) * n + i] = 1 }
          }
          k += indicator ? 2 : 1
        case (.categorical(_, let codes, let levels), .categorical(let reference, let kept, let other, let missing)):
          let position = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
          // Design column of each of this column's codes: a kept level, "other", or none (the reference).
          let target = levels.map { level -> Int? in
            if let p = position[level] { return k + p }
            return other && level != reference ? k + kept.count : nil
          }
          let missingColumn = missing ? k + kept.count + (other ? 1 : 0) : nil
          for i in 0..<n {
            let c = codes[i]
            if c < 0 {
              if let m = missingColumn { out[m * n + i] = 1 }
            } else if let t = target[Int(c)] {
              out[t * n + i] = 1
            }
          }
          k += kept.count + (other ? 1 : 0) + (missing ? 1 : 0)
        default:
          preconditionFailure("feature \(column.name) changed kind; FeatureSchema checks this first")
        }
      }
    }
    return x
  }
}
