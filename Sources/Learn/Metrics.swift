/// Classification metrics, each defined exactly so every reported figure can be reproduced.
public enum Metrics {
  /// Area under the ROC curve: the probability that a random event row scores above a random non-event row,
  /// ties counting one half (Mann–Whitney U / (n₁ n₀)). Optional sample weights weight each pair by `wᵢ wⱼ`.
  /// - Complexity: O(n log n).
  public static func auc(scores: [Double], labels: [Bool], weights: [Double]? = nil) -> Double {
    precondition(scores.count == labels.count, "auc: \(scores.count) scores for \(labels.count) labels")
    var negativeBelow = 0.0, area = 0.0, positives = 0.0, negatives = 0.0
    // Each run of tied scores, lowest first: positives in it beat the negatives below and tie with those in it.
    forEachTiedRun(scores, highestFirst: false) { run in
      var tiePositive = 0.0, tieNegative = 0.0
      for idx in run {
        let w = weights?[idx] ?? 1
        if labels[idx] { tiePositive += w } else { tieNegative += w }
      }
      area += tiePositive * (negativeBelow + 0.5 * tieNegative)
      negativeBelow += tieNegative
      positives += tiePositive
      negatives += tieNegative
    }
    return positives > 0 && negatives > 0 ? area / (positives * negatives) : .nan
  }

  /// Calls `body` with each run of equal scores, as row indices sorted by score (ties in row order): every metric
  /// over score thresholds walks these, so that tied scores enter together. A visitor, not an array of runs: AUC runs
  /// once per bootstrap replicate.
  static func forEachTiedRun(
    _ scores: [Double], highestFirst: Bool, _ body: (ArraySlice<Int>) -> Void
  ) {
    let order =
      highestFirst
      ? scores.indices.sorted { scores[$0] > scores[$1] } : scores.indices.sorted { scores[$0] < scores[$1] }
    var k = 0
    while k < order.count {
      var end = k
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[k]] { end += 1 }
      body(order[k...end])
      k = end + 1
    }
  }

  /// Mean (weighted) log-loss of margins `η`: `Σ wᵢ [log(1 + e^ηᵢ) − yᵢ ηᵢ] / Σ wᵢ`.
  public static func logLoss(margins: [Double], labels: [Bool], weights: [Double]? = nil) -> Double {
    var loss = 0.0, total = 0.0
    for i in 0..<margins.count {
      let w = weights?[i] ?? 1
      loss += w * LogisticMath.logLoss(margins[i], labels[i] ? 1 : 0)
      total += w
    }
    return loss / total
  }
}
