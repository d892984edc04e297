import Learn
import Records

/// The simple rule a council might use instead of a model: rank families by one feature (e.g. most deprived IMD
/// decile first). Chosen on the training data as the numeric or yes/no feature whose ranking alone has the highest
/// AUC, in whichever direction; every evaluation reports it beside the model.
public struct BaselineRule: Codable, Equatable, Sendable {
  public var feature: String
  /// True: highest values first.
  public var highestFirst: Bool

  public init(feature: String, highestFirst: Bool) {
    self.feature = feature
    self.highestFirst = highestFirst
  }

  public var description: String { "\(highestFirst ? "highest" : "lowest") \(feature) first" }

  /// Parses `FEATURE=highest` or `FEATURE=lowest` (as given on the command line).
  public init?(parsing text: String) {
    let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, ["highest", "lowest"].contains(parts[1]), !parts[0].isEmpty else { return nil }
    self.init(feature: parts[0], highestFirst: parts[1] == "highest")
  }

  /// The best single-feature rule for `columns` and `labels`, or nil when no feature is numeric.
  public static func best(columns: [FeatureColumn], labels: [Bool]) -> BaselineRule? {
    var best: (rule: BaselineRule, auc: Double)? = nil
    for column in columns {
      guard case .numeric(let name, let values) = column else { continue }
      let scores = values.map { $0.isNaN ? -Double.greatestFiniteMagnitude : $0 }
      let auc = Metrics.auc(scores: scores, labels: labels)
      guard !auc.isNaN else { continue }
      let rule = BaselineRule(feature: name, highestFirst: auc >= 0.5)
      let strength = max(auc, 1 - auc)
      if best.map({ strength > $0.auc }) ?? true { best = (rule, strength) }
    }
    return best?.rule
  }

  /// Priority scores: higher means contacted first; missing values come last.
  public func scores(_ columns: [FeatureColumn]) -> [Double]? {
    guard let column = columns.first(where: { $0.name == feature }), case .numeric(_, let values) = column else {
      return nil
    }
    return values.map { $0.isNaN ? -Double.greatestFiniteMagnitude : (highestFirst ? $0 : -$0) }
  }
}
