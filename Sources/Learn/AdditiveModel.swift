import Linalg

/// What an additive model says about a set of rows: each row's log-odds split exactly into a baseline and one
/// contribution per term (each feature, then each pair of features the model has interactions for),
/// `baseline + Σⱼ contributions[i, j] = margins[i]`. Scoring, reasons and explanations use nothing else.
public struct AdditiveScores: Sendable {
  /// Log-odds of the event per row.
  public var margins: [Double]
  /// The margin of a typical training row; contributions are measured from it.
  public var baseline: Double
  /// `n × (p + pairs)`, column-major: each feature's exact contribution to each row's margin, in feature order, then
  /// each pair's.
  public var contributions: Matrix
  /// The two features of each pair term, in the order of their columns after the features' (empty: no pairs).
  public var pairs: [[Int]]
  /// A bagged model's standard deviation of each row's margin across its bags (nil for one model).
  public var marginSpread: [Double]?

  public init(
    margins: [Double], baseline: Double, contributions: Matrix, pairs: [[Int]] = [], marginSpread: [Double]? = nil
  ) {
    self.pairs = pairs
    self.margins = margins
    self.baseline = baseline
    self.contributions = contributions
    self.marginSpread = marginSpread
  }

  public var probabilities: [Double] { margins.map(LogisticMath.sigmoid) }
  public var rowCount: Int { margins.count }
  /// The features' and then the pairs' names ("a & b"): one per column of `contributions`.
  public func termNames(_ featureNames: [String]) -> [String] {
    featureNames + pairs.map { featureNames[$0[0]] + " & " + featureNames[$0[1]] }
  }
}

/// A fitted model that is additive in log-odds over its features, whatever learned it.
public protocol AdditiveModel: Sendable {
  /// Log-odds per row only: no `n × p` contributions.
  func margins(_ columns: [FeatureColumn], threads: Int?) throws -> [Double]
  /// Margins, the baseline and every feature's contribution (and a bagged model's spread).
  func scores(_ columns: [FeatureColumn], threads: Int?) throws -> AdditiveScores
  /// What the model is and how it was fitted, in one or two sentences for a model card.
  var summary: String { get }
}

/// Something that fits an additive model from feature columns and outcomes.
public protocol Learner: Sendable {
  associatedtype Model: AdditiveModel
  /// Fits the learner to training columns.
  /// - Parameters:
  ///   - columns: the training features (numeric with NaN as missing, or categorical codes).
  ///   - labels: `true` is the event.
  ///   - weights: non-negative weight per row (nil: all 1).
  ///   - groups: a group per row (a family), so that any rows the learner holds out keep groups whole.
  ///   - threads: nil uses every core.
  ///   - progress: told (done, total) steps as they finish.
  /// - Returns: the fitted additive model.
  /// - Throws: `LearnError` for unusable data or settings.
  func fit(
    _ columns: [FeatureColumn], labels: [Bool], weights: [Double]?, groups: [Int]?, threads: Int?,
    progress: (@Sendable (Int, Int) -> Void)?
  ) throws -> Model
}

extension StumpBoost: AdditiveModel {
  public func scores(_ columns: [FeatureColumn], threads: Int?) throws -> AdditiveScores {
    let binned = try BinnedMatrix(columns, binnings: binnings, threads: threads)
    return AdditiveScores(
      margins: margins(binned), baseline: intercept, contributions: contributions(binned),
      pairs: (pairs ?? []).map(\.features), marginSpread: marginSpread(binned))
  }

  public var summary: String {
    let c = configuration
    return "Gradient-boosted stumps (one split per round, so the model is a sum of one shape per feature"
      + ((pairs ?? []).isEmpty ? "" : ", plus pairs") + "): "
      + "\(roundsDescription), \(c.boosting == .cyclic ? "cyclic, " : "")learning rate \(c.learningRate), up to "
      + "\(c.maxBins) bins"
      + (c.monotone.isEmpty ? "" : ", monotone in " + c.monotone.keys.sorted().joined(separator: ", "))
      + "." + pairsDescription
  }

  /// " Plus 2 pairwise interactions (a & b, c & d), 140 rounds, each a table over the two features' coarse bins."
  var pairsDescription: String {
    guard configuration.interactions > 0 else { return "" }
    let names = pairNames
    guard !names.isEmpty else {
      return " No pairwise interaction improved the model (\(configuration.interactions) asked for)."
    }
    let rounds = (pairs ?? []).reduce(0) { $0 + $1.rounds }
    return
      " Plus \(names.count) pairwise interaction\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", "))), "
      + "\(rounds) round\(rounds == 1 ? "" : "s"), each a table over the two features' coarse bins"
      + (names.count < configuration.interactions ? " (\(configuration.interactions) asked for)" : "") + "."
  }

  /// The rounds in words: "280 rounds", "12 rounds (of at most 300: …)", "the average of 8 models, each of 280
  /// rounds on its own 80% of the families".
  public var roundsDescription: String {
    let c = configuration
    func rounds(_ n: String, _ plural: Bool) -> String { "\(n) round\(plural ? "s" : "")" }
    if let bags {
      let kept = bags.map(\.history.roundsKept)
      let low = kept.min() ?? 0, high = kept.max() ?? 0
      let share = Int(((1 - Configuration.bagHoldOut) * 100).rounded())
      return "the average of \(bags.count) models, each of "
        + rounds(low == high ? "\(low)" : "\(low)–\(high)", high != 1)
        + " on its own \(share)% of the families (or rows)"
    }
    let kept = history.roundsKept
    return kept < c.rounds
      ? rounds("\(kept)", kept != 1) + " (of at most \(c.rounds): \(history.stopReason))" : rounds("\(kept)", kept != 1)
  }
}

extension StumpBoost.Configuration: Learner {
  public func fit(
    _ columns: [FeatureColumn], labels: [Bool], weights: [Double]?, groups: [Int]?, threads: Int?,
    progress: (@Sendable (Int, Int) -> Void)?
  ) throws -> StumpBoost {
    try fit(columns, labels: labels, sampleWeights: weights, groups: groups, threads: threads, progress: progress)
  }
}

/// A logistic regression with the encoder that turns features into its design columns: additive over features,
/// each feature's contribution the sum over its design columns of `β · (x − mean)`.
public struct LogisticModel: AdditiveModel, Equatable {
  public let regression: LogisticRegression
  public let design: LogisticDesign

  public init(regression: LogisticRegression, design: LogisticDesign) {
    self.regression = regression
    self.design = design
  }

  public func margins(_ columns: [FeatureColumn], threads: Int?) throws -> [Double] {
    regression.margins(design.matrix(columns))
  }

  public func scores(_ columns: [FeatureColumn], threads: Int?) throws -> AdditiveScores {
    let x = design.matrix(columns)
    let n = x.rows
    var phi = Matrix(rows: n, columns: columns.count)
    for (k, j) in design.owner.enumerated() {
      let beta = regression.coefficients[k]
      let mean = regression.featureMeans[k]
      if beta == 0 { continue }
      for i in 0..<n { phi.storage[j * n + i] += beta * (x.storage[k * n + i] - mean) }
    }
    return AdditiveScores(margins: regression.margins(x), baseline: regression.baseline, contributions: phi)
  }

  public var summary: String {
    let c = regression.convergence
    return "Logistic regression on \(design.columnNames.count) encoded columns (numbers standardised, categories "
      + "one-hot against their most frequent level), penalty \(regression.configuration.penalty.description); "
      + (c.converged ? "converged" : "did NOT converge") + " in \(c.iterations) iterations."
  }
}

extension LogisticRegression.Configuration: Learner {
  /// Encodes the columns (standardised numbers, one-hot categories), then fits. Groups are not used: nothing is
  /// held out.
  public func fit(
    _ columns: [FeatureColumn], labels: [Bool], weights: [Double]?, groups: [Int]?, threads: Int?,
    progress: (@Sendable (Int, Int) -> Void)?
  ) throws -> LogisticModel {
    let design = LogisticDesign(fitting: columns)
    let regression = try fit(
      design.matrix(columns), labels: labels, sampleWeights: weights, featureNames: design.columnNames,
      threads: threads)
    return LogisticModel(regression: regression, design: design)
  }
}

extension Penalty: CustomStringConvertible {
  /// "L2 (C = 1.0)", "elastic net (λ = 0.01, L1 ratio 0.5)", "none".
  public var description: String {
    func strength(_ s: Strength) -> String {
      switch s {
      case .C(let c): return "C = \(c)"
      case .lambda(let l): return "λ = \(l)"
      }
    }
    switch self {
    case .none: return "none"
    case .l2(let s): return "L2 (\(strength(s)))"
    case .l1(let s): return "L1 (\(strength(s)))"
    case .elasticNet(let s, let r): return "elastic net (\(strength(s)), L1 ratio \(r))"
    }
  }
}
