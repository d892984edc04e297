import Records
import Uptake

/// A small frame of a bundle's own shape, with the values that stress scoring: missing, zero, huge, tiny, negative,
/// a level the model never saw.
enum FuzzFrame {
  static let numbers: [Double] = [.nan, 0, 1, -1, 1e300, -1e300, 5e-324, 3.5, 1e15, -7]

  static func matching(_ schema: FeatureSchema) -> FeatureFrame {
    let rows = numbers.count
    let columns = schema.features.map { feature -> Column in
      switch feature.kind {
      case .numeric:
        return Column(name: feature.name, values: .number(numbers))
      case .boolean:
        return Column(name: feature.name, values: .boolean((0..<rows).map { $0 % 3 == 0 ? nil : $0 % 3 == 1 }))
      case .categorical:
        let levels = feature.levels + ["never seen in training"]
        return Column(
          name: feature.name,
          values: .categorical(codes: (0..<rows).map { Int32($0 % (levels.count + 1)) - 1 }, levels: levels))
      }
    }
    return FeatureFrame(
      ids: (0..<rows).map { "U\($0)" }, groups: nil,
      asOf: Array(repeating: Day(year: 2024, month: 9, day: 1)!, count: rows),
      features: columns, reasons: [:], protected: [], labels: nil)
  }
}
