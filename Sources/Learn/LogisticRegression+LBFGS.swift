import Linalg

/// Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) for smooth logistic objectives.
///
/// Needs only gradients (two `dgemv` per iteration), so it suits wide designs where forming `XᵀWX` is too
/// costly or singular. Backtracking Armijo line search; curvature pairs with `sᵀy ≤ 0` are skipped.
enum LBFGS {
  static let memory = 10

  static func minimise(_ problem: LogisticProblem, tolerance: Double, maxIterations: Int) -> SolverResult {
    var theta = problem.initialTheta()
    var eta = problem.margins(theta)
    var f = problem.dataLoss(margins: eta) + problem.smoothPenalty(theta)
    var g = problem.gradient(margins: eta)
    problem.addSmoothPenaltyGradient(theta, to: &g)
    var sHistory: [[Double]] = []
    var yHistory: [[Double]] = []
    var rhoHistory: [Double] = []
    var iterations = 0
    var optimality = problem.optimality(theta, smoothGradient: g)
    var warnings: [LogisticRegression.FitWarning] = []

    while optimality > tolerance && iterations < maxIterations {
      var d = twoLoopDirection(g, sHistory, yHistory, rhoHistory)
      var slope = BLAS.dot(g, d)
      if !(slope < 0) {
        sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
        d = g.map { -$0 / max(1, BLAS.nrm2(g)) }
        slope = BLAS.dot(g, d)
      }
      if sHistory.isEmpty && iterations == 0 {
        // First step: scale so the step is at most unit length.
        let scale = 1 / max(1, BLAS.nrm2(d))
        BLAS.scal(scale, &d)
        slope *= scale
      }
      let v = problem.margins(d)  // Δ₀ + XΔ_β: margins move along v
      guard let step = NewtonCholesky.backtrack(problem, theta: theta, eta: eta, f: f, delta: d, v: v, slope: slope)
      else { break }
      var s = d
      BLAS.scal(step.t, &s)
      BLAS.axpy(1, s, &theta)
      BLAS.axpy(step.t, v, &eta)
      f = step.f
      var gNew = problem.gradient(margins: eta)
      problem.addSmoothPenaltyGradient(theta, to: &gNew)
      var yv = gNew
      BLAS.axpy(-1, g, &yv)
      let sy = BLAS.dot(s, yv)
      if sy > 1e-12 * BLAS.nrm2(s) * BLAS.nrm2(yv) {
        if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
        sHistory.append(s); yHistory.append(yv); rhoHistory.append(1 / sy)
      }
      g = gNew
      iterations += 1
      optimality = problem.optimality(theta, smoothGradient: g)
      if problem.penaltyMultiplier == 0 && iterations % 50 == 0 && problem.isSeparated(margins: eta) {
        warnings.append(.perfectSeparation)
        break
      }
    }
    return SolverResult(
      theta: theta, iterations: iterations, optimality: optimality,
      converged: optimality <= tolerance, objective: f, warnings: warnings, margins: eta)
  }

  /// `−H_k g` by the two-loop recursion, with the initial Hessian scaled by `sᵀy / yᵀy`.
  static func twoLoopDirection(_ g: [Double], _ s: [[Double]], _ y: [[Double]], _ rho: [Double]) -> [Double] {
    var q = g
    var alpha = [Double](repeating: 0, count: s.count)
    for k in stride(from: s.count - 1, through: 0, by: -1) {
      alpha[k] = rho[k] * BLAS.dot(s[k], q)
      BLAS.axpy(-alpha[k], y[k], &q)
    }
    if let sLast = s.last, let yLast = y.last {
      BLAS.scal(BLAS.dot(sLast, yLast) / BLAS.dot(yLast, yLast), &q)
    }
    for k in 0..<s.count {
      let beta = rho[k] * BLAS.dot(y[k], q)
      BLAS.axpy(alpha[k] - beta, s[k], &q)
    }
    BLAS.scal(-1, &q)
    return q
  }
}
