import Foundation

extension Metrics {
  /// Average precision (area under the precision–recall curve as scikit-learn defines it):
  /// `Σₙ (Rₙ − Rₙ₋₁) Pₙ` over the distinct score thresholds, highest first; tied scores enter together.
  /// NaN without events.
  public static func averagePrecision(scores: [Double], labels: [Bool]) -> Double {
    let positives = labels.filter { $0 }.count
    guard positives > 0 else { return .nan }
    var truePositives = 0, seen = 0, previousRecall = 0.0, sum = 0.0
    forEachTiedRun(scores, highestFirst: true) { run in
      for idx in run where labels[idx] { truePositives += 1 }
      seen += run.count
      let recall = Double(truePositives) / Double(positives)
      sum += (recall - previousRecall) * Double(truePositives) / Double(seen)
      previousRecall = recall
    }
    return sum
  }

  /// Brier score: the mean squared difference between the probability and the outcome (0 or 1).
  public static func brier(probabilities: [Double], labels: [Bool]) -> Double {
    var sum = 0.0
    for (p, y) in zip(probabilities, labels) {
      let d = p - (y ? 1 : 0)
      sum += d * d
    }
    return sum / Double(max(1, labels.count))
  }

  /// Precision, recall and lift of contacting the `k` highest-scoring rows (ties broken by row order, as a list
  /// would be): precision = events among them / k; recall = events among them / all events; lift = precision /
  /// base rate.
  public static func atCapacity(scores: [Double], labels: [Bool], k: Int) -> CapacityResult {
    let order = ranking(scores)
    let kept = min(k, order.count)
    let hits = order.prefix(kept).reduce(0) { $0 + (labels[$1] ? 1 : 0) }
    return CapacityResult(hits: hits, contacted: kept, events: labels.filter { $0 }.count, rows: labels.count)
  }

  /// Precision, recall and lift of contacting every row whose probability is at least `threshold`.
  public static func atThreshold(probabilities: [Double], labels: [Bool], threshold: Double) -> CapacityResult {
    var hits = 0, contacted = 0
    for (p, y) in zip(probabilities, labels) where p >= threshold {
      contacted += 1
      if y { hits += 1 }
    }
    return CapacityResult(hits: hits, contacted: contacted, events: labels.filter { $0 }.count, rows: labels.count)
  }

  /// Row indices from the highest score to the lowest; ties keep row order.
  public static func ranking(_ scores: [Double]) -> [Int] {
    scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
  }

  /// ROC curve points (false positive rate, true positive rate) at each distinct threshold, from (0, 0) to (1, 1).
  public static func rocCurve(scores: [Double], labels: [Bool]) -> [(x: Double, y: Double)] {
    let positives = Double(labels.filter { $0 }.count), negatives = Double(labels.count) - positives
    guard positives > 0 && negatives > 0 else { return [] }
    return thresholdCounts(scores, labels).map { (Double($0.fp) / negatives, Double($0.tp) / positives) }
  }

  /// Precision–recall curve points (recall, precision) at each distinct threshold, highest threshold first.
  public static func precisionRecallCurve(scores: [Double], labels: [Bool]) -> [(x: Double, y: Double)] {
    let positives = Double(labels.filter { $0 }.count)
    guard positives > 0 else { return [] }
    return thresholdCounts(scores, labels).dropFirst().map {
      (Double($0.tp) / positives, Double($0.tp) / Double($0.tp + $0.fp))
    }
  }

  /// Cumulative true and false positives after each run of tied scores, highest first, starting at (0, 0).
  static func thresholdCounts(_ scores: [Double], _ labels: [Bool]) -> [(tp: Int, fp: Int)] {
    var out: [(tp: Int, fp: Int)] = [(0, 0)]
    var tp = 0, fp = 0
    forEachTiedRun(scores, highestFirst: true) { run in
      for idx in run { if labels[idx] { tp += 1 } else { fp += 1 } }
      out.append((tp, fp))
    }
    return out
  }
}

/// What contacting a set of rows achieves.
public struct CapacityResult: Codable, Equatable, Sendable {
  /// Events among the contacted rows.
  public var hits: Int
  public var contacted: Int
  /// Events among all rows.
  public var events: Int
  public var rows: Int

  public init(hits: Int, contacted: Int, events: Int, rows: Int) {
    self.hits = hits
    self.contacted = contacted
    self.events = events
    self.rows = rows
  }

  public var precision: Double { contacted > 0 ? Double(hits) / Double(contacted) : .nan }
  public var recall: Double { events > 0 ? Double(hits) / Double(events) : .nan }
  public var baseRate: Double { rows > 0 ? Double(events) / Double(rows) : .nan }
  public var lift: Double { precision / baseRate }
}

extension Metrics {
  /// Mean log-loss of probabilities, clipped to [1e-15, 1 − 1e-15] as scikit-learn does.
  public static func logLoss(probabilities: [Double], labels: [Bool]) -> Double {
    var sum = 0.0
    for (p, y) in zip(probabilities, labels) {
      let q = min(max(p, 1e-15), 1 - 1e-15)
      sum -= y ? log(q) : log(1 - q)
    }
    return sum / Double(max(1, labels.count))
  }
}
