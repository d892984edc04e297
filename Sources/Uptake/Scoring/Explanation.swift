import Foundation
import Learn
import Records

/// One unit's score taken apart: the baseline, and every feature's value and exact contribution.
///
/// The model is additive in log-odds, so `baseline + Σ contributions = margin` holds exactly (up to rounding).
/// Probabilities are not additive, so each feature's `probabilityShare` is its part of the gap between this unit's
/// probability and the baseline probability, in proportion to its log-odds contribution: the shares add up exactly
/// to that gap, and a feature worth twice the log-odds of another gets twice its share.
public struct Explanation: Codable, Equatable, Sendable {
  public struct Item: Codable, Equatable, Sendable {
    public var feature: String
    public var value: String
    /// Contribution to the log-odds.
    public var logOdds: Double
    /// `(σ(margin) − σ(baseline)) · logOdds / (margin − baseline)`: the shares add up to the probability gap.
    public var probabilityShare: Double
    public var reason: String
  }

  public var id: String
  public var familyId: String?
  public var learner: LearnerKind
  /// `σ(margin)`: the learner's own probability, which the contributions explain.
  public var probability: Double
  /// The calibrated probability shown on contact lists, when the model is calibrated.
  public var calibratedProbability: Double?
  /// A bagged model's range for `probability` (the learner's own, before any calibration), and how many bags give it.
  public var probabilityRange: ClosedRange<Double>?
  public var bags: Int?
  public var margin: Double
  public var baseline: Double
  public var baselineProbability: Double
  /// Largest absolute contribution first.
  public var items: [Item]

  public init(_ scored: ScoredData, row: Int) {
    let frame = scored.data.frame
    let phi = scored.scores.contributions
    let margin = scored.scores.margins[row]
    let text = ReasonText(frame: frame, schema: scored.bundle.schema, pairs: scored.scores.pairs)
    let p = LogisticMath.sigmoid(margin)
    let baseline = scored.scores.baseline
    let gap = p - LogisticMath.sigmoid(baseline), logOddsGap = margin - baseline
    calibratedProbability = scored.bundle.calibration.map { $0.probability(margin: margin) }
    // On the learner's own scale, as `probability` (the one the shares add up to); lists show the calibrated one.
    probabilityRange = scored.scores.marginSpread.map { spread in
      let width = ScoredData.rangeWidth * spread[row]
      return LogisticMath.sigmoid(margin - width)...LogisticMath.sigmoid(margin + width)
    }
    if case .stumps(let model) = scored.bundle.learner, model.bags != nil { bags = model.configuration.bags }
    // Each feature, then each pair of features the model has an interaction for, as one joint item.
    let names = scored.scores.termNames(scored.bundle.schema.names)
    items = names.indices.map { j in
      let c = phi.storage[j * phi.rows + row]
      let value = text.value(term: j, row: row)
      return Item(
        feature: names[j], value: value.isEmpty ? "missing" : value, logOdds: c,
        probabilityShare: abs(logOddsGap) < 1e-12 ? 0 : gap * c / logOddsGap,
        reason: text.render(term: j, row: row, raises: c > 0))
    }
    .sorted { abs($0.logOdds) != abs($1.logOdds) ? abs($0.logOdds) > abs($1.logOdds) : $0.feature < $1.feature }
    id = frame.ids[row]
    familyId = frame.groups?[row]
    learner = scored.bundle.learner.kind
    probability = p
    self.margin = margin
    self.baseline = baseline
    baselineProbability = LogisticMath.sigmoid(baseline)
  }

  /// A readable table.
  public var text: String {
    func signed(_ x: Double, _ decimals: Int) -> String { String(format: "%+.\(decimals)f", x) }
    let nameWidth = max(7, items.map(\.feature.count).max() ?? 0)
    let valueWidth = min(24, max(5, items.map(\.value.count).max() ?? 0))
    func pad(_ s: String, _ w: Int) -> String {
      let cut = s.count > w ? String(s.prefix(w - 1)) + "…" : s
      return cut + String(repeating: " ", count: max(0, w - cut.count))
    }
    var lines = [
      "\(id)" + (familyId.map { " (family \($0))" } ?? "")
        + String(format: ": probability %.3f of not taking up (%@ model)", probability, learner.rawValue)
        + (calibratedProbability.map { String(format: "; %.3f after calibration", $0) } ?? "")
        + (probabilityRange.map {
          String(
            format: "; range %.3f to %.3f (two standard deviations either side across the %d bagged models: how much "
              + "it moves with the training sample, not every source of error)", $0.lowerBound, $0.upperBound, bags ?? 0
          )
        } ?? ""),
      String(
        format: "baseline %.3f (log-odds %+.3f); this unit's log-odds %+.3f", baselineProbability, baseline, margin),
      "",
      pad("feature", nameWidth) + "  " + pad("value", valueWidth) + "  log-odds  share of gap  reason",
    ]
    for item in items {
      lines.append(
        pad(item.feature, nameWidth) + "  " + pad(item.value, valueWidth) + "  "
          + pad(signed(item.logOdds, 3), 8) + "  " + pad(signed(item.probabilityShare, 3), 12) + "  " + item.reason)
    }
    let total = items.reduce(0) { $0 + $1.logOdds }
    let shares = items.reduce(0) { $0 + $1.probabilityShare }
    lines.append("")
    lines.append(
      String(format: "log-odds: baseline %+.3f + contributions %+.3f = %+.3f", baseline, total, baseline + total))
    lines.append(
      String(
        format: "probability: baseline %.3f + shares %+.3f = %.3f (each share is the feature's part of the gap, in "
          + "proportion to its log-odds)", baselineProbability, shares, baselineProbability + shares))
    return lines.joined(separator: "\n")
  }

  /// Pretty JSON.
  /// - Throws: the encoder's error, never an empty answer.
  public func json() throws -> String {
    String(decoding: try JSONCoding.encoder(pretty: true).encode(self), as: UTF8.self)
  }
}
