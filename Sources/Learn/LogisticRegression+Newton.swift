import Linalg

/// Damped Newton for smooth (unpenalised or ridge) logistic regression.
///
/// Each iteration solves `HΔ = −g` with `H = XᵀWX + μI` by Cholesky (`dpotrf`/`dpotrs`), falling back to LDLᵀ
/// (`dsytrf`) when rounding makes `H` look indefinite. The trial point `θ + Δ` is evaluated — loss, gradient and
/// the next Hessian — in one blocked pass over `X` (`LogisticProblem.evaluate`). If the Armijo condition fails
/// there, the step is halved along the stored margins `XΔ` (O(n) per trial) and the accepted point is evaluated
/// once more. So an iteration usually costs one pass over `X`.
enum NewtonCholesky {
  /// Minimises the penalised loss by Newton's method.
  /// - Parameters:
  ///   - problem: the data, weights and penalty.
  ///   - start: a warm start (e.g. the fit on a subsample); nil starts from the intercept-only optimum.
  ///   - approximateHessian: `XᵀWX` estimated elsewhere (the subsample's, scaled). Steps use it while it keeps
  ///     convergence fast, so those passes skip the `dsyrk` work; the pass predicted to be the last computes the
  ///     exact Hessian, which the standard errors need at the optimum. Slow progress switches to exact Newton.
  ///   - tolerance: the optimality (largest subgradient entry per unit of weight) at which to stop.
  ///   - maxIterations: the most Newton steps.
  /// - Returns: the optimum, its margins and the data Hessian there, with any warnings.
  /// - Throws: `LearnError.singularDesign` when neither Cholesky nor LDLᵀ solves the Newton system.
  static func minimise(
    _ problem: LogisticProblem, start: [Double]? = nil, approximateHessian: Matrix? = nil, tolerance: Double,
    maxIterations: Int
  ) throws -> SolverResult {
    var theta = start ?? problem.initialTheta()
    var eta: [Double]
    var trialEta: [Double] = []
    var v: [Double] = []
    var current: Evaluation
    let exactFromStart = approximateHessian == nil
    if let start {
      // The warm start's margins come out of the same pass as its loss, gradient and Hessian.
      let zero = [Double](repeating: 0, count: problem.rowCount)
      eta = []
      current = problem.evaluate(
        margins: zero, step: start, wantHessian: exactFromStart, newMargins: &eta, directionMargins: &v)
    } else {
      eta = [Double](repeating: theta[0], count: problem.rowCount)  // β = 0: no pass over X needed
      current = problem.evaluate(margins: eta, wantHessian: true)
    }
    // Without an approximation the first evaluation formed the exact Hessian.
    guard var curvature = current.hessian ?? approximateHessian else {
      preconditionFailure("Newton: neither an exact nor an approximate Hessian")
    }
    var f = current.loss + problem.smoothPenalty(theta)
    var warnings: [LogisticRegression.FitWarning] = []
    var iterations = 0
    var previousOptimality = Double.infinity
    let unpenalised = problem.penaltyMultiplier == 0

    func result(converged: Bool, optimality: Double) -> SolverResult {
      SolverResult(
        theta: theta, iterations: iterations, optimality: optimality, converged: converged,
        objective: f, warnings: warnings, dataHessian: current.hessian, margins: eta)
    }

    while true {
      var g = current.gradient
      problem.addSmoothPenaltyGradient(theta, to: &g)
      let optimality = problem.optimality(theta, smoothGradient: g)
      if optimality <= tolerance {
        if current.hessian == nil { current = problem.evaluate(margins: eta, wantHessian: true) }
        return result(converged: true, optimality: optimality)
      }
      if iterations >= maxIterations { return result(converged: false, optimality: optimality) }

      var hessian = curvature
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

      // With approximate curvature progress is linear: predict the next optimality from the last ratio, and
      // compute the exact Hessian in the pass expected to converge, or as soon as progress slows.
      let rate = previousOptimality.isFinite ? optimality / previousOptimality : 0.05
      let wantHessian = current.hessian != nil || optimality * rate <= tolerance || rate > 0.2
      previousOptimality = optimality

      // Speculative full step: evaluate θ + Δ (and the Hessian there, if wanted) in one pass.
      var trialTheta = theta
      BLAS.axpy(1, delta, &trialTheta)
      let trial = problem.evaluate(
        margins: eta, step: delta, wantHessian: wantHessian, newMargins: &trialEta, directionMargins: &v)
      let fTrial = trial.loss + problem.smoothPenalty(trialTheta)
      if fTrial <= f + 1e-4 * slope + armijoSlack(f) {
        theta = trialTheta
        swap(&eta, &trialEta)
        current = trial
        f = fTrial
      } else {
        guard
          let step = backtrack(
            problem, theta: theta, eta: eta, f: f, delta: delta, v: v, slope: slope, firstStep: 0.5)
        else { return result(converged: false, optimality: optimality) }  // no decrease at machine precision
        BLAS.axpy(step.t, delta, &theta)
        BLAS.axpy(step.t, v, &eta)
        current = problem.evaluate(margins: eta, wantHessian: true)
        f = current.loss + problem.smoothPenalty(theta)
      }
      if let exact = current.hessian { curvature = exact }
      iterations += 1
      if unpenalised && problem.isSeparated(margins: eta) {
        warnings.append(.perfectSeparation)
        return result(converged: false, optimality: optimality)
      }
    }
  }

  /// Minimises from a warm start: the same problem on a tenth of the rows, solved loosely, when `n` is large.
  ///
  /// Newton converges quadratically once close, so starting from the subsample's optimum (error ~ n^-½) saves
  /// about half of the full passes over `X`; the result is the full-data optimum to the same tolerance.
  /// Measured on 1M × 50, 2 cores: 7 full passes → 4, fit 0.77 s → 0.62 s (see benchmarks/README.md).
  static func minimiseWithWarmStart(
    _ problem: LogisticProblem, tolerance: Double, maxIterations: Int
  ) throws -> SolverResult {
    let stride = 10
    let subsampleRows = problem.rowCount / stride
    guard subsampleRows >= max(20_000, 20 * problem.parameterCount) else {
      return try minimise(problem, tolerance: tolerance, maxIterations: maxIterations)
    }
    let sub = problem.subsample(everyNth: stride)
    if let warm = try? minimise(sub, tolerance: max(tolerance, 1e-6), maxIterations: 50),
      warm.converged, warm.warnings.isEmpty, var curvature = warm.dataHessian
    {
      BLAS.scal(problem.totalWeight / sub.totalWeight, &curvature.storage)
      return try minimise(
        problem, start: warm.theta, approximateHessian: curvature, tolerance: tolerance,
        maxIterations: maxIterations)
    }
    return try minimise(problem, tolerance: tolerance, maxIterations: maxIterations)
  }

  /// Rounding-level slack in the Armijo test, so a step that changes `f` only in its last bits is not refused.
  static func armijoSlack(_ f: Double) -> Double { 1e-13 * abs(f) }

  /// Halves `t` from `firstStep` until `f(θ + tΔ) ≤ f(θ) + 10⁻⁴ t gᵀΔ` (plus rounding slack).
  /// Each trial costs O(n): the margins move along the stored `v = [1 X]Δ`.
  static func backtrack(
    _ problem: LogisticProblem, theta: [Double], eta: [Double], f: Double, delta: [Double], v: [Double],
    slope: Double, firstStep: Double = 1
  ) -> (t: Double, f: Double)? {
    var t = firstStep
    for _ in 0..<60 {
      var trial = theta
      BLAS.axpy(t, delta, &trial)
      let fNew = problem.dataLoss(margins: eta, direction: v, step: t) + problem.smoothPenalty(trial)
      if fNew <= f + 1e-4 * t * slope + armijoSlack(f) { return (t, fNew) }
      t *= 0.5
    }
    return nil
  }
}
