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

  /// The best single-feature rule for `columns` and `labels`, or nil when no feature is numeric. Each feature's AUC
  /// is computed side by side from counts per bin (`rankingAUC`).
  public static func best(columns: [FeatureColumn], labels: [Bool], threads: Int? = nil) -> BaselineRule? {
    let numeric = columns.compactMap { column -> (String, [Double])? in
      guard case .numeric(let name, let values) = column else { return nil }
      return (name, values)
    }
    let aucs = Parallel.map(numeric.count, threads: threads) { rankingAUC(numeric[$0].1, labels: labels) }
    var best: (rule: BaselineRule, auc: Double)? = nil
    for ((name, _), auc) in zip(numeric, aucs) where !auc.isNaN {
      let strength = max(auc, 1 - auc)
      if best.map({ strength > $0.auc }) ?? true {
        best = (BaselineRule(feature: name, highestFirst: auc >= 0.5), strength)
      }
    }
    return best?.rule
  }

  /// Values sampled to place the bins, the most bins used, and the most rows counted (an even sample beyond: an
  /// AUC from 200,000 rows has a standard error under 0.002, far below the gaps that decide the rule).
  static let sampleSize = 16_384, maxBins = 256, maxRows = 200_000

  /// The AUC of ranking by `values` (higher first, missing lowest) in O(rows log bins): labels are counted per bin and
  /// ties inside a bin count a half. A feature with at most `maxBins` distinct values (a decile, a count, yes/no) gets
  /// a bin per value, so its AUC is exact; a continuous one gets quantile bins, within about 1/`maxBins` of the exact
  /// AUC — enough to choose the rule, whose AUC every evaluation then computes exactly.
  static func rankingAUC(_ values: [Double], labels: [Bool]) -> Double {
    let sample = EdgeSearch.sortedSample(values, atMost: sampleSize)
    var edges: [Double] = []
    for v in sample where edges.last != v { edges.append(v) }
    if edges.count > maxBins { edges = EdgeSearch.quantileEdges(sample, count: maxBins, divisions: maxBins) }
    // Bin 0 is missing (ranked last); bin k + 1 holds values up to edges[k]; the last bin values above every edge.
    // counts[2b] are others in bin b, counts[2b + 1] events, indexed without a branch on the label.
    var counts = [Int](repeating: 0, count: 2 * (edges.count + 2))
    let rowStep = max(1, values.count / maxRows)
    edges.withUnsafeBufferPointer { e in
      counts.withUnsafeMutableBufferPointer { c in
        for i in stride(from: 0, to: values.count, by: rowStep) {
          let v = values[i]
          let bin = v.isNaN ? 0 : EdgeSearch.bin(v, e) &+ 1
          c[2 &* bin &+ Int(unsafeBitCast(labels[i], to: UInt8.self))] &+= 1
        }
      }
    }
    let events = stride(from: 1, to: counts.count, by: 2).map { counts[$0] }
    let others = stride(from: 0, to: counts.count, by: 2).map { counts[$0] }
    let positives = events.reduce(0, +), negatives = others.reduce(0, +)
    guard positives > 0 && negatives > 0 else { return .nan }
    var below = 0.0, pairs = 0.0
    for b in events.indices {
      pairs += Double(events[b]) * (below + 0.5 * Double(others[b]))
      below += Double(others[b])
    }
    return pairs / (Double(positives) * Double(negatives))
  }

  /// Priority scores: higher means contacted first; missing values come last.
  public func scores(_ columns: [FeatureColumn]) -> [Double]? {
    guard let column = columns.first(where: { $0.name == feature }), case .numeric(_, let values) = column else {
      return nil
    }
    return values.map { $0.isNaN ? -Double.greatestFiniteMagnitude : (highestFirst ? $0 : -$0) }
  }
}
