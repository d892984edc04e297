import Foundation
import Learn

/// What the training data looked like, kept in the model bundle so new data can be checked for drift: each
/// feature's distribution over fixed bins (deciles of numbers, the most common levels of categories, and missing)
/// and the score's distribution over its training deciles.
public struct DataProfile: Codable, Equatable, Sendable {
  public struct Feature: Codable, Equatable, Sendable {
    public var name: String
    public var categorical: Bool
    /// Numeric: upper edges of the bins (value ≤ edge); the last bin is open. Empty for categorical.
    public var edges: [Double]
    /// Categorical: the levels with their own bin; the rest share "other".
    public var levels: [String]
    /// Share of training rows per bin: numeric bins (or levels then "other"), then missing.
    public var shares: [Double]
    /// Numeric: every training value was a whole number (a count, a decile), so bins hold whole values; nil in older
    /// bundles, where it is judged from the edges.
    public var wholeNumbers: Bool? = nil
  }

  public var features: [Feature]
  public var scoreEdges: [Double]
  public var scoreShares: [Double]

  /// Levels beyond this many share one "other" bin.
  static let maxLevels = 20

  /// Deciles are taken from at most this many values: all of them up to it, else an even sample (every k-th value),
  /// whose deciles are within about 0.5% of the rows of the exact ones (a quantile of 20,000 draws has a standard error of at most 0.35%) — ample for drift bins.
  static let decileSample = 20_000
  /// Shares are counted over at most this many rows (an even sample beyond): a share from 200,000 rows is within
  /// 0.002 of the whole's, far below what moves a PSI past its 0.1 threshold.
  static let shareSample = 200_000

  /// Profiles every feature side by side, and the score.
  public init(columns: [FeatureColumn], margins: [Double], threads: Int? = nil) {
    features = Parallel.map(columns.count, threads: threads) { Self.feature(columns[$0]) }
    scoreEdges = Self.deciles(margins)
    scoreShares = Self.shares(margins, edges: scoreEdges)
  }

  static func feature(_ column: FeatureColumn) -> Feature {
    switch column {
    case .numeric(let name, let values):
      let edges = Self.deciles(values)
      let step = max(1, values.count / shareSample)
      let sample = step == 1 ? values : stride(from: 0, to: values.count, by: step).map { values[$0] }
      var feature = Feature(
        name: name, categorical: false, edges: edges, levels: [], shares: Self.shares(sample, edges: edges))
      feature.wholeNumbers = values.allSatisfy { $0.isNaN || ($0 == $0.rounded() && abs($0) < 1e15) }
      return feature
    case .categorical(let name, let codes, let levels):
      var counts = [Int](repeating: 0, count: levels.count)
      for c in codes where c >= 0 { counts[Int(c)] += 1 }
      let kept = levels.indices.filter { counts[$0] > 0 }.sorted { counts[$0] > counts[$1] }.prefix(Self.maxLevels)
        .map { levels[$0] }
      var feature = Feature(name: name, categorical: true, edges: [], levels: kept, shares: [])
      feature.shares = Self.shares(feature.bins(column), count: kept.count + 2)
      return feature
    }
  }

  /// Population stability index of each feature and of the score, new data against training.
  public func stability(
    columns: [FeatureColumn], margins: [Double]
  ) -> (features: [(name: String, psi: Double)], score: Double) {
    let perFeature = zip(features, columns).map { feature, column -> (String, Double) in
      let actual = Self.shares(feature.bins(column), count: feature.shares.count)
      return (feature.name, Self.psi(expected: feature.shares, actual: actual))
    }
    let score = Self.psi(expected: scoreShares, actual: Self.shares(margins, edges: scoreEdges))
    return (perFeature, score)
  }

  /// `Σ (a − e) ln(a / e)`, shares floored at 1e-4 so an empty bin does not give infinity.
  public static func psi(expected: [Double], actual: [Double]) -> Double {
    zip(expected, actual).reduce(0) { sum, pair in
      let e = max(pair.0, 1e-4), a = max(pair.1, 1e-4)
      return sum + (a - e) * log(a / e)
    }
  }

  /// Distinct decile cut points of the present values of `values` (up to 9), from `decileSample` of them at most.
  static func deciles(_ values: [Double]) -> [Double] {
    let sorted = EdgeSearch.sortedSample(values, atMost: decileSample)
    var edges = EdgeSearch.quantileEdges(sorted, count: 9, divisions: 10)
    if let last = sorted.last, edges.last == last { edges.removeLast() }
    return edges
  }

  /// Share of `values` in each bin of `edges` (numbered as `bins` does), counted without a bin array.
  static func shares(_ values: [Double], edges: [Double]) -> [Double] {
    var counts = [Int](repeating: 0, count: edges.count + 2)
    edges.withUnsafeBufferPointer { e in
      for v in values { counts[v.isNaN ? e.count + 1 : EdgeSearch.bin(v, e)] += 1 }
    }
    let total = Double(max(1, values.count))
    return counts.map { Double($0) / total }
  }

  /// Bin per value: the first edge it does not exceed, `edges.count` above them all, `edges.count + 1` if missing.
  static func bins(_ values: [Double], edges: [Double]) -> [Int] {
    edges.withUnsafeBufferPointer { e in values.map { $0.isNaN ? e.count + 1 : EdgeSearch.bin($0, e) } }
  }

  static func shares(_ bins: [Int], count: Int) -> [Double] {
    var counts = [Double](repeating: 0, count: count)
    for b in bins { counts[b] += 1 }
    let total = Double(max(1, bins.count))
    return counts.map { $0 / total }
  }
}

extension DataProfile.Feature {
  /// The bin of each row of `column` (same layout as `shares`).
  func bins(_ column: FeatureColumn) -> [Int] {
    switch column {
    case .numeric(_, let values): return DataProfile.bins(values, edges: edges)
    case .categorical(_, let codes, let columnLevels):
      let position = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
      let map = columnLevels.map { position[$0] ?? levels.count }
      return codes.map { $0 < 0 ? levels.count + 1 : map[Int($0)] }
    }
  }

  /// A readable label per bin, for reports. Bins of whole numbers are labelled by the values they hold ("3",
  /// "4–6"), not by their edges ("2–3" would read as holding 2); a yes/no feature's two bins read "no" and "yes".
  public func binLabels(boolean: Bool = false) -> [String] {
    if categorical { return levels + ["other", "missing"] }
    if boolean && edges == [0] { return ["no", "yes", "missing"] }
    let whole = wholeNumbers ?? edges.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
    var labels: [String] = []
    for (k, e) in edges.enumerated() {
      if k == 0 {
        labels.append("≤ \(ReasonText.number(e))")
      } else if whole {
        let first = edges[k - 1] + 1
        labels.append(first == e ? ReasonText.number(e) : "\(ReasonText.number(first))–\(ReasonText.number(e))")
      } else {
        labels.append("\(ReasonText.number(edges[k - 1]))–\(ReasonText.number(e))")
      }
    }
    labels.append(edges.last.map { whole ? "≥ \(ReasonText.number($0 + 1))" : "> \(ReasonText.number($0))" } ?? "any")
    labels.append("missing")
    return labels
  }
}
