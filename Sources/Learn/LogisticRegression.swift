import Linalg

/// A fitted logistic regression: `logit p(x) = b + Σⱼ βⱼ xⱼ`.
///
/// Made by `LogisticRegression.Configuration.fit(...)`; a fitted value is immutable, so a model cannot be used
/// before it is fitted. The model is additive in log-odds, so each row's margin splits exactly into
/// per-feature contributions `φⱼ = βⱼ (xⱼ − x̄ⱼ)` around the training mean margin (see `contributions`).
public struct LogisticRegression: Codable, Equatable, Sendable {
  /// What was asked for.
  public let configuration: Configuration
  /// One name per column of the design.
  public let featureNames: [String]
  /// `b`.
  public let intercept: Double
  /// `β`, one per feature; zero for a constant feature.
  public let coefficients: [Double]
  /// Training means of the features (weighted by the sample weights), the centre of the contributions.
  public let featureMeans: [Double]
  /// How the solver ended.
  public let convergence: Convergence
  /// What the user should know about this fit (non-convergence, separation, constant features).
  public let warnings: [FitWarning]
  /// Standard errors of `(b, β…)`, or nil with `inferenceUnavailableReason` set.
  let standardErrors: [Double?]?
  let inferenceKind: InferenceKind?
  let inferenceUnavailableReason: String?

  public var featureCount: Int { coefficients.count }

  /// The mean training margin `b + Σ βⱼ x̄ⱼ`: the baseline that contributions are measured from.
  public var baseline: Double {
    var s = intercept
    for j in 0..<coefficients.count { s += coefficients[j] * featureMeans[j] }
    return s
  }

  /// `b + xᵀβ` for each row of `x`.
  /// - Complexity: O(n · p), one BLAS `dgemv`.
  public func margins(_ x: Matrix) -> [Double] {
    precondition(x.columns == featureCount, "margins: expected \(featureCount) columns, got \(x.columns)")
    var eta = [Double](repeating: intercept, count: x.rows)
    BLAS.gemv(.none, x, coefficients, beta: 1, &eta)
    return eta
  }

  /// `P(event | x)` for each row of `x`.
  public func probabilities(_ x: Matrix) -> [Double] {
    margins(x).map(LogisticMath.sigmoid)
  }

  /// The margin of one row.
  public func margin(_ row: [Double]) -> Double {
    precondition(row.count == featureCount, "margin: expected \(featureCount) values, got \(row.count)")
    return intercept + BLAS.dot(coefficients, row)
  }

  /// Exact per-feature contributions `φⱼ = βⱼ (xⱼ − x̄ⱼ)` in log-odds; `baseline + Σ φⱼ` is the row's margin.
  ///
  /// For a linear model these are the interventional SHAP values with the training data as background.
  public func contributions(_ row: [Double]) -> [Double] {
    precondition(row.count == featureCount, "contributions: expected \(featureCount) values, got \(row.count)")
    return (0..<featureCount).map { coefficients[$0] * (row[$0] - featureMeans[$0]) }
  }
}

extension LogisticRegression {
  /// Which algorithm minimises the objective.
  public enum Solver: String, Codable, Equatable, Hashable, Sendable, CaseIterable {
    /// Picks Newton–Cholesky for smooth problems with `p + 1 ≤ n` and `p ≤ 2000`, L-BFGS for other smooth
    /// ones, proximal Newton for L1 and elastic net.
    case auto
    /// Newton's method, Hessian `XᵀWX` by `dsyrk`, solved by Cholesky, with an Armijo line search.
    case newtonCholesky
    /// Limited-memory BFGS (Nocedal 1980) with backtracking: for wide or very many features.
    case lbfgs
    /// Proximal Newton (Lee, Sun & Saunders 2014) with a coordinate-descent inner solver as in glmnet
    /// (Friedman, Hastie & Tibshirani 2010): for L1 and elastic net.
    case proximalNewton
  }

  /// What a fit is asked to do. Fit with `fit(_:labels:sampleWeights:featureNames:threads:)`.
  public struct Configuration: Codable, Equatable, Hashable, Sendable {
    public var penalty: Penalty
    public var classWeight: ClassWeight
    public var solver: Solver
    /// Stop when the largest entry of the (sub)gradient of the objective divided by the total weight is at most
    /// this. Newton-type solvers converge quadratically, so a tight value costs about one more iteration.
    public var tolerance: Double
    /// Iteration cap; nil picks the solver's default (100 Newton steps, 10,000 L-BFGS steps).
    public var maxIterations: Int?

    public init(
      penalty: Penalty = .none, classWeight: ClassWeight = .none, solver: Solver = .auto,
      tolerance: Double = 1e-8, maxIterations: Int? = nil
    ) {
      self.penalty = penalty
      self.classWeight = classWeight
      self.solver = solver
      self.tolerance = tolerance
      self.maxIterations = maxIterations
    }
  }

  /// How the solver ended.
  public struct Convergence: Codable, Equatable, Sendable {
    /// The solver that ran (never `.auto`).
    public let solver: Solver
    public let iterations: Int
    /// Final largest (sub)gradient entry divided by the total weight.
    public let optimality: Double
    public let converged: Bool
    /// Final objective divided by the total weight: mean weighted log-loss plus penalty.
    public let objective: Double
  }

  /// Something about a fit that its user should hear.
  public enum FitWarning: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    case notConverged(iterations: Int, optimality: Double)
    /// Without a penalty the classes are perfectly separated: coefficients grow without bound.
    case perfectSeparation
    /// The feature never varies; its coefficient is fixed at zero.
    case constantFeature(name: String)
    /// Cholesky failed and the symmetric-indefinite solve was used (a nearly singular Hessian).
    case indefiniteFallback

    public var description: String {
      switch self {
      case .notConverged(let iterations, let optimality):
        return "the solver did not converge in \(iterations) iterations (optimality \(optimality)); raise "
          + "max iterations, add a penalty, or check for separable classes"
      case .perfectSeparation:
        return "the classes are perfectly separated, so unpenalised coefficients diverge; "
          + "add a penalty (l2) or remove the feature that separates them"
      case .constantFeature(let name):
        return "feature \(name) is constant in the training data; its coefficient is fixed at 0"
      case .indefiniteFallback:
        return "the Hessian was nearly singular; a symmetric-indefinite solve was used. "
          + "Collinear columns are likely: consider removing one or adding a small l2 penalty"
      }
    }
  }

  /// How standard errors were obtained.
  public enum InferenceKind: String, Codable, Equatable, Sendable {
    /// Inverse observed information `(XᵀWX)⁻¹`; sample weights are treated as frequency weights.
    case likelihood
    /// Approximate sandwich `H⁻¹(XᵀWX)H⁻¹` with the penalised Hessian `H` (le Cessie & van Houwelingen 1992),
    /// for ridge fits; coefficients are shrunk, so intervals are approximate and biased towards zero.
    case approximateSandwich
  }
}
