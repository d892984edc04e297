import Learn
import Linalg

/// A trained learner of either kind. Both are additive in log-odds, so each row's margin splits exactly into one
/// contribution per feature around a baseline: that is what scoring, reasons and explanations use.
public enum FittedLearner: Codable, Equatable, Sendable {
  case stumps(StumpBoost)
  case logistic(LogisticRegression, design: LogisticDesign)

  public var kind: LearnerKind {
    switch self {
    case .stumps: return .stumps
    case .logistic: return .logistic
    }
  }

  /// Margins only (log-odds per row), for training's profile and validation: without the `n × p` contributions.
  public func margins(_ columns: [FeatureColumn], threads: Int? = nil) throws -> [Double] {
    switch self {
    case .stumps(let model): return model.margins(try BinnedMatrix(columns, binnings: model.binnings, threads: threads))
    case .logistic(let model, let design): return model.margins(design.matrix(columns))
    }
  }

  /// Margins, the baseline and per-feature contributions (`n × p`, column-major, in schema order) of `columns`;
  /// `baseline + Σⱼ contributions[i, j] = margins[i]` for every row.
  public func score(_ columns: [FeatureColumn], threads: Int? = nil) throws -> Scores {
    switch self {
    case .stumps(let model):
      let binned = try BinnedMatrix(columns, binnings: model.binnings, threads: threads)
      return Scores(
        margins: model.margins(binned), baseline: model.intercept, contributions: model.contributions(binned),
        marginSpread: model.marginSpread(binned))
    case .logistic(let model, let design):
      let x = design.matrix(columns)
      let n = x.rows
      var phi = Matrix(rows: n, columns: columns.count)
      for (k, j) in design.owner.enumerated() {
        let beta = model.coefficients[k]
        let mean = model.featureMeans[k]
        if beta == 0 { continue }
        for i in 0..<n { phi.storage[j * n + i] += beta * (x.storage[k * n + i] - mean) }
      }
      return Scores(margins: model.margins(x), baseline: model.baseline, contributions: phi)
    }
  }
}

public enum LearnerKind: String, Codable, Sendable, CaseIterable {
  case stumps, logistic
}

/// What a learner says about a set of rows.
public struct Scores: Sendable {
  /// Log-odds of the event per row.
  public var margins: [Double]
  /// The margin of a typical training row; contributions are measured from it.
  public var baseline: Double
  /// `n × p`: each feature's exact contribution to each row's margin.
  public var contributions: Matrix
  /// A bagged model's standard deviation of each row's margin across its bags (nil for one model).
  public var marginSpread: [Double]? = nil

  public var probabilities: [Double] { margins.map(LogisticMath.sigmoid) }
  public var rowCount: Int { margins.count }
}

extension StumpBoost {
  /// The rounds in words, for the model card and the transparency record: "280 rounds", "12 rounds (of at most 300:
  /// no later split gained)", "the average of 8 models, each of 280 rounds on its own 80% of the families".
  public var roundsDescription: String {
    let c = configuration
    if let bags {
      let kept = bags.map(\.history.roundsKept)
      let each = kept.min() == kept.max() ? "\(kept[0])" : "\(kept.min()!)–\(kept.max()!)"
      let share = Int(((1 - Configuration.bagHoldOut) * 100).rounded())
      return
        "the average of \(bags.count) models, each of \(each) rounds on its own \(share)% of the families (or rows)"
    }
    let kept = history.roundsKept
    return kept < c.rounds
      ? "\(kept) rounds (of at most \(c.rounds): \(history.stopReason))" : "\(kept) round\(kept == 1 ? "" : "s")"
  }
}
