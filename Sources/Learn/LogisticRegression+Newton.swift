import Linalg

/// Damped Newton for smooth (unpenalised or ridge) logistic regression.
///
/// Each iteration forms `H = XᵀWX + μI` (one blocked `dsyrk` pass), solves `HΔ = −g` by Cholesky
/// (`dpotrf`/`dpotrs`), falling back to LDLᵀ (`dsytrf`) when rounding makes `H` look indefinite, and
/// backtracks along `Δ` until the Armijo condition holds. Margins along `Δ` are computed once, so the line
/// search costs O(n), not a pass over `X`.
enum NewtonCholesky {
  static func minimise(_ problem: LogisticProblem, tolerance: Double, maxIterations: Int) throws -> SolverResult {
    var theta = problem.initialTheta()
    var eta = problem.margins(theta)
    var f = problem.dataLoss(margins: eta) + problem.smoothPenalty(theta)
    var warnings: [LogisticRegression.FitWarning] = []
    var iterations = 0
    var optimality = Double.infinity
    let unpenalised = problem.penaltyMultiplier == 0

    while true {
      var (g, h) = problem.gradientAndHessian(margins: eta, wantHessian: true)
      problem.addSmoothPenaltyGradient(theta, to: &g)
      optimality = problem.optimality(theta, smoothGradient: g)
      if optimality <= tolerance {
        return SolverResult(theta: theta, iterations: iterations, optimality: optimality, converged: true,
                            objective: f, warnings: warnings)
      }
      if iterations >= maxIterations { break }
      var hessian = h!
      problem.addSmoothPenaltyHessian(to: &hessian)
      let negativeGradient = g.map { -$0 }
      var delta: [Double]
      do {
        delta = try Cholesky(factoring: hessian).solve(negativeGradient)
      } catch {
        do {
          delta = try SymmetricIndefinite(factoring: hessian).solve(negativeGradient)
          if !warnings.contains(.indefiniteFallback) { warnings.append(.indefiniteFallback) }
        } catch {
          throw LearnError.singularDesign("the Newton system could not be solved at iteration \(iterations + 1)")
        }
      }
      var slope = BLAS.dot(g, delta)
      if !(slope < 0) {
        // An indefinite solve can point uphill; a scaled gradient step is always downhill.
        delta = negativeGradient.map { $0 / problem.totalWeight }
        slope = BLAS.dot(g, delta)
      }
      let v = problem.directionMargins(delta)
      guard let step = armijo(problem, theta: theta, eta: eta, f: f, delta: delta, v: v, slope: slope) else {
        break  // no decrease possible at machine precision
      }
      iterations += 1
      BLAS.axpy(step.t, delta, &theta)
      BLAS.axpy(step.t, v, &eta)
      f = step.f
      if unpenalised && problem.isSeparated(margins: eta) {
        warnings.append(.perfectSeparation)
        return SolverResult(theta: theta, iterations: iterations, optimality: optimality, converged: false,
                            objective: f, warnings: warnings)
      }
    }
    return SolverResult(theta: theta, iterations: iterations, optimality: optimality, converged: false,
                        objective: f, warnings: warnings)
  }

  /// Backtracking (halving) until `f(θ + tΔ) ≤ f(θ) + 10⁻⁴ t gᵀΔ`, allowing rounding-level slack.
  static func armijo(
    _ problem: LogisticProblem, theta: [Double], eta: [Double], f: Double, delta: [Double], v: [Double],
    slope: Double
  ) -> (t: Double, f: Double)? {
    var t = 1.0
    let slack = 1e-13 * abs(f)
    for _ in 0..<60 {
      var trial = theta
      BLAS.axpy(t, delta, &trial)
      let fNew = problem.dataLoss(margins: eta, direction: v, step: t) + problem.smoothPenalty(trial)
      if fNew <= f + 1e-4 * t * slope + slack { return (t, fNew) }
      t *= 0.5
    }
    return nil
  }
}
