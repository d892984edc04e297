/// What a model sees: one row per unit of the population, with its id, group, protected attributes, features and
/// (when known) outcome. Produced by `FeatureEngine` from linked records, consumed by both learners' encoders.
public struct FeatureFrame: Sendable {
  public var ids: [String]
  public var groups: [String]?
  public var asOf: [Day]
  /// Named feature columns, in config order.
  public var features: [Column]
  /// Reason templates by feature name.
  public var reasons: [String: String]
  public var protected: [Column]
  /// The outcome per row, when the config defines one.
  public var labels: [Bool]?

  public var rowCount: Int { ids.count }
  public func feature(_ name: String) -> Column? { features.first { $0.name == name } }
}
