import Learn
import Linalg

/// A trained learner of either kind, as a model bundle stores it. Both are additive in log-odds (`AdditiveModel`), so
/// each row's margin splits exactly into one contribution per feature around a baseline: that is what scoring,
/// reasons and explanations use.
public enum FittedLearner: Codable, Equatable, Sendable {
  case stumps(StumpBoost)
  case logistic(LogisticRegression, design: LogisticDesign)

  public var kind: LearnerKind {
    switch self {
    case .stumps: return .stumps
    case .logistic: return .logistic
    }
  }

  /// The fitted model, whichever learner made it.
  public var model: any AdditiveModel {
    switch self {
    case .stumps(let model): return model
    case .logistic(let regression, let design): return LogisticModel(regression: regression, design: design)
    }
  }

  /// Margins only (log-odds per row), for training's profile and validation: without the `n × p` contributions.
  public func margins(_ columns: [FeatureColumn], threads: Int? = nil) throws -> [Double] {
    try model.margins(columns, threads: threads)
  }

  /// Margins, the baseline and per-feature contributions (`n × p`, column-major, in schema order) of `columns`;
  /// `baseline + Σⱼ contributions[i, j] = margins[i]` for every row.
  public func score(_ columns: [FeatureColumn], threads: Int? = nil) throws -> Scores {
    try model.scores(columns, threads: threads)
  }
}

public enum LearnerKind: String, Codable, Sendable, CaseIterable {
  case stumps, logistic
}

/// What a learner says about a set of rows.
public typealias Scores = AdditiveScores
