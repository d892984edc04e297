import Linalg

/// Proximal Newton for L1 and elastic-net logistic regression (Lee, Sun & Saunders 2014).
///
/// Each outer step minimises the quadratic model `gᵀΔ + ½ΔᵀHΔ + μα‖β + Δ‖₁` by cyclic coordinate descent
/// (Friedman, Hastie & Tibshirani 2010) — soft-thresholding each coordinate, keeping `v = [1 X]Δ` up to date —
/// to an accuracy that tightens with the outer optimality, then backtracks on the true objective.
enum ProximalNewton {
  static func minimise(_ problem: LogisticProblem, tolerance: Double, maxIterations: Int) -> SolverResult {
    let n = problem.rowCount
    let p = problem.featureCount
    let k = problem.parameterCount
    var theta = problem.initialTheta()
    var eta = problem.margins(theta)
    var f = problem.dataLoss(margins: eta) + problem.smoothPenalty(theta) + problem.l1Penalty(theta)
    var iterations = 0
    var optimality = Double.infinity
    let lasso = problem.lasso
    let ridge = problem.ridge

    while true {
      var g = problem.gradient(margins: eta)
      problem.addSmoothPenaltyGradient(theta, to: &g)
      optimality = problem.optimality(theta, smoothGradient: g)
      if optimality <= tolerance || iterations >= maxIterations { break }

      // Curvature weights Dᵢ = wᵢ pᵢ (1 − pᵢ) and the diagonal of the model Hessian.
      let curvature = (0..<n).map { i -> Double in
        let prob = LogisticMath.sigmoid(eta[i])
        return problem.w[i] * prob * (1 - prob)
      }
      var diagonal = [Double](repeating: 0, count: k)
      diagonal[0] = curvature.reduce(0, +)
      problem.x.withUnsafePointer { xp in
        for j in 0..<p {
          let col = xp.column(j)
          var s = 0.0
          for i in 0..<n { s += curvature[i] * col[i] * col[i] }
          diagonal[j + 1] = s + ridge
        }
      }

      // Coordinate descent on the model, to a forcing tolerance tied to the outer optimality.
      var delta = [Double](repeating: 0, count: k)
      var v = [Double](repeating: 0, count: n)
      let innerTolerance = max(0.05 * optimality, 0.1 * tolerance) * problem.totalWeight
      problem.x.withUnsafePointer { xp in
        v.withUnsafeMutableBufferPointer { vp in
          curvature.withUnsafeBufferPointer { cp in
            for _ in 0..<10_000 {
              var largest = 0.0
              if diagonal[0] > 0 {
                var s = 0.0
                for i in 0..<n { s += cp[i] * vp[i] }
                let step = -(g[0] + s) / diagonal[0]
                if step != 0 {
                  delta[0] += step
                  for i in 0..<n { vp[i] += step }
                  largest = max(largest, abs(step) * diagonal[0])
                }
              }
              for j in 0..<p where diagonal[j + 1] > 0 {
                let col = xp.column(j)
                var s = 0.0
                for i in 0..<n { s += cp[i] * col[i] * vp[i] }
                let a = diagonal[j + 1]
                let current = theta[j + 1] + delta[j + 1]
                let gradient = g[j + 1] + s + ridge * delta[j + 1]
                let target = softThreshold(current - gradient / a, lasso / a)
                let step = target - current
                if step != 0 {
                  delta[j + 1] += step
                  for i in 0..<n { vp[i] += step * col[i] }
                  largest = max(largest, abs(step) * a)
                }
              }
              if largest <= innerTolerance { break }
            }
          }
        }
      }

      // Armijo on F = L + smooth + L1 with the proximal decrease measure.
      // Summed per coordinate: the difference of two whole-vector norms loses the sign to rounding near the optimum.
      var decrease = g[0] * delta[0]
      for j in 1..<k { decrease += g[j] * delta[j] + lasso * (abs(theta[j] + delta[j]) - abs(theta[j])) }
      if !(decrease < 0) { break }
      var t = 1.0
      var accepted = false
      let slack = 1e-13 * abs(f)
      for _ in 0..<60 {
        var trial = theta
        BLAS.axpy(t, delta, &trial)
        let fNew =
          problem.dataLoss(margins: eta, direction: v, step: t) + problem.smoothPenalty(trial)
          + problem.l1Penalty(trial)
        if fNew <= f + 1e-4 * t * decrease + slack {
          theta = trial
          BLAS.axpy(t, v, &eta)
          f = fNew
          accepted = true
          break
        }
        t *= 0.5
      }
      iterations += 1
      if !accepted { break }
    }
    return SolverResult(
      theta: theta, iterations: iterations, optimality: optimality,
      converged: optimality <= tolerance, objective: f, margins: eta)
  }

  @inline(__always)
  static func softThreshold(_ z: Double, _ gamma: Double) -> Double {
    z > gamma ? z - gamma : (z < -gamma ? z + gamma : 0)
  }
}
