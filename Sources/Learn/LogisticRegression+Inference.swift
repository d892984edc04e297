import Linalg

extension LogisticRegression {
  /// One row of a coefficient table.
  public struct CoefficientRow: Codable, Equatable, Sendable {
    public let name: String
    public let estimate: Double
    /// nil for a constant feature, whose coefficient is fixed rather than estimated.
    public let standardError: Double?
    public let z: Double?
    public let pValue: Double?
    public let lower95: Double?
    public let upper95: Double?
  }

  /// Coefficients with standard errors, Wald z, two-sided p-values and 95% intervals.
  public struct CoefficientTable: Codable, Equatable, Sendable {
    public let kind: InferenceKind
    /// The intercept first, then one row per feature.
    public let rows: [CoefficientRow]
  }

  /// The coefficient table, like statsmodels' `summary()`.
  ///
  /// Unpenalised fits use the inverse observed information; ridge fits an approximate sandwich; L1 and
  /// elastic-net fits are refused, because the lasso's sampling distribution has no such simple form.
  /// - Throws: `LearnError.inferenceUnavailable` with the reason.
  public func inference() throws -> CoefficientTable {
    guard let se = standardErrors, let kind = inferenceKind else {
      throw LearnError.inferenceUnavailable(inferenceUnavailableReason ?? "not computed for this fit")
    }
    let z975 = 1.959963984540054
    let names = ["(intercept)"] + featureNames
    let estimates = [intercept] + coefficients
    let rows = (0..<names.count).map { j -> CoefficientRow in
      guard let s = se[j] else {
        return CoefficientRow(
          name: names[j], estimate: estimates[j], standardError: nil, z: nil, pValue: nil,
          lower95: nil, upper95: nil)
      }
      let z = estimates[j] / s
      return CoefficientRow(
        name: names[j], estimate: estimates[j], standardError: s, z: z,
        pValue: LogisticMath.twoSidedNormalPValue(z),
        lower95: estimates[j] - z975 * s, upper95: estimates[j] + z975 * s)
    }
    return CoefficientTable(kind: kind, rows: rows)
  }
}

/// Standard errors computed once at the end of a fit, from the Hessian at the optimum.
enum Inference {
  /// Above this many parameters the covariance is not formed (O(p³) and O(p²) memory for a rarely used table).
  static let maximumParameters = 2001

  static func standardErrors(
    _ problem: LogisticProblem, result: SolverResult, penalty: Penalty, separated: Bool
  ) -> (standardErrors: [Double]?, kind: LogisticRegression.InferenceKind?, unavailableReason: String?) {
    if penalty.hasL1 {
      return (
        nil, nil,
        "the fit has an L1 penalty; lasso estimates have no simple sampling distribution. "
          + "Refit without L1 (none or l2) for standard errors, or bootstrap"
      )
    }
    if separated {
      return (nil, nil, "the classes are perfectly separated, so the coefficients are not finite")
    }
    if problem.parameterCount > maximumParameters {
      return (nil, nil, "more than \(maximumParameters - 1) features; the covariance matrix is not formed")
    }
    guard
      let information = result.dataHessian
        ?? problem.evaluate(margins: result.margins ?? problem.margins(result.theta), wantHessian: true).hessian
    else { preconditionFailure("an evaluation asked for its Hessian returned none") }
    let covariance: Matrix
    let kind: LogisticRegression.InferenceKind
    do {
      if problem.ridge == 0 {
        covariance = try Cholesky(factoring: information).inverse()
        kind = .likelihood
      } else {
        var penalised = information
        problem.addSmoothPenaltyHessian(to: &penalised)
        let inverse = try Cholesky(factoring: penalised).inverse()
        covariance = BLAS.gemm(inverse, BLAS.gemm(information, inverse))
        kind = .approximateSandwich
      }
    } catch {
      return (
        nil, nil,
        "the information matrix is singular (\(error)); collinear columns leave some "
          + "coefficients unidentified"
      )
    }
    let se = (0..<problem.parameterCount).map { covariance[$0, $0].squareRoot() }
    return (se, kind, nil)
  }
}
