import Linalg

extension LogisticRegression.Configuration {
  /// Fits the model by minimising `Σ wᵢ ℓᵢ(θ) + μ P(β)` (see `Strength` and `Penalty` for `μ` and `P`).
  ///
  /// - Parameters:
  ///   - x: the design, `n × p`, without an intercept column (the intercept is always fitted, never penalised).
  ///   - labels: the outcome per row; `true` is the event being predicted.
  ///   - sampleWeights: non-negative weight per row (treated as frequency weights for standard errors).
  ///   - featureNames: a name per column, used in errors and reports; defaults to `x1…xp`.
  ///   - threads: threads for the row-blocked passes; nil uses every core. Results are deterministic for a
  ///     given thread count.
  /// - Returns: the fitted model, with standard errors where they exist.
  /// - Throws: `LearnError` for unusable data or configuration, naming the column and row at fault.
  /// - Complexity: Newton–Cholesky: O(n · p²) per iteration, typically 5–10 iterations.
  public func fit(
    _ x: Matrix, labels: [Bool], sampleWeights: [Double]? = nil, featureNames: [String]? = nil,
    threads: Int? = nil
  ) throws -> LogisticRegression {
    try validate()
    let n = x.rows
    let p = x.columns
    let names = featureNames ?? (0..<p).map { "x\($0 + 1)" }
    guard labels.count == n else {
      throw LearnError.shapeMismatch("design has \(n) rows but there are \(labels.count) labels")
    }
    guard names.count == p else {
      throw LearnError.shapeMismatch("design has \(p) columns but \(names.count) feature names were given")
    }
    let sampleWeight = try TrainingWeights.validated(sampleWeights, rows: n)
    let threadCount = max(1, threads ?? Parallel.availableCores)
    let summary = ColumnSummary(x, weights: sampleWeight, threads: threadCount)
    if let bad = summary.firstNonFinite {
      throw LearnError.nonFinite(column: names[bad.column], row: bad.row + 1, value: bad.value)
    }

    let classWeights = try TrainingWeights.classWeights(
      labels: labels, sampleWeights: sampleWeight, classWeight: classWeight)
    let w = TrainingWeights.effective(labels: labels, sampleWeights: sampleWeight, classWeights: classWeights)
    let y = labels.map { $0 ? 1.0 : 0.0 }
    let totalWeight = w.reduce(0, +)

    // Constant columns cannot be told apart from the intercept: fix them at zero (the optimum under any penalty).
    let active = (0..<p).filter { !summary.isConstant[$0] }
    var warnings = (0..<p).filter { summary.isConstant[$0] }.map {
      LogisticRegression.FitWarning.constantFeature(name: names[$0])
    }
    let design = active.count == p ? x : Self.selectColumns(x, active)

    let problem = LogisticProblem(
      x: design, y: y, w: w, totalWeight: totalWeight,
      penaltyMultiplier: penalty.strength?.multiplier(totalWeight: totalWeight) ?? 0,
      l1Ratio: penalty.l1Ratio, threads: threadCount)

    let chosen = resolvedSolver(rows: n, features: active.count)
    var result: SolverResult
    switch chosen {
    case .newtonCholesky:
      result = try NewtonCholesky.minimiseWithWarmStart(
        problem, tolerance: tolerance, maxIterations: maxIterations ?? 100)
    case .lbfgs: result = LBFGS.minimise(problem, tolerance: tolerance, maxIterations: maxIterations ?? 10_000)
    case .proximalNewton, .auto:
      result = ProximalNewton.minimise(problem, tolerance: tolerance, maxIterations: maxIterations ?? 100)
    }
    // A vanishing gradient along a separating direction looks like convergence: check the fit itself.
    if problem.penaltyMultiplier == 0 && !result.warnings.contains(.perfectSeparation)
      && problem.isSeparated(margins: result.margins ?? problem.margins(result.theta))
    {
      result.warnings.append(.perfectSeparation)
      result.converged = false
    }
    warnings += result.warnings
    if !result.converged && !result.warnings.contains(.perfectSeparation) {
      warnings.append(.notConverged(iterations: result.iterations, optimality: result.optimality))
    }

    var coefficients = [Double](repeating: 0, count: p)
    for (k, j) in active.enumerated() { coefficients[j] = result.theta[k + 1] }
    let inference = Inference.standardErrors(
      problem, result: result, penalty: penalty, separated: warnings.contains(.perfectSeparation))
    var standardErrors: [Double?]? = nil
    if let se = inference.standardErrors {
      var full = [Double?](repeating: nil, count: p + 1)
      full[0] = se[0]
      for (k, j) in active.enumerated() { full[j + 1] = se[k + 1] }
      standardErrors = full
    }

    return LogisticRegression(
      configuration: self, featureNames: names, intercept: result.theta[0], coefficients: coefficients,
      featureMeans: summary.means,
      convergence: .init(
        solver: chosen, iterations: result.iterations, optimality: result.optimality,
        converged: result.converged, objective: result.objective / totalWeight),
      warnings: warnings, standardErrors: standardErrors, inferenceKind: inference.kind,
      inferenceUnavailableReason: inference.unavailableReason)
  }

  /// Rejects inconsistent settings before touching the data.
  func validate() throws {
    if let s = penalty.strength, !s.isValid {
      throw LearnError.invalidConfiguration("penalty strength \(s) must be positive and finite (C > 0, lambda ≥ 0)")
    }
    if case .elasticNet(_, let r) = penalty, !(r >= 0 && r <= 1) {
      throw LearnError.invalidConfiguration("l1Ratio \(r) must lie in [0, 1]")
    }
    if !(tolerance > 0 && tolerance.isFinite) {
      throw LearnError.invalidConfiguration("tolerance \(tolerance) must be positive")
    }
    if let m = maxIterations, m < 1 {
      throw LearnError.invalidConfiguration("maxIterations \(m) must be at least 1")
    }
    if case .custom(let a, let b) = classWeight, !(a > 0 && b > 0 && a.isFinite && b.isFinite) {
      throw LearnError.invalidConfiguration("class weights (\(a), \(b)) must be positive and finite")
    }
    if penalty.hasL1 && (solver == .newtonCholesky || solver == .lbfgs) {
      throw LearnError.invalidConfiguration(
        "solver \(solver.rawValue) needs a smooth objective; use proximalNewton (or auto) with an L1 or elastic-net penalty"
      )
    }
  }

  /// The solver `auto` stands for.
  func resolvedSolver(rows: Int, features: Int) -> LogisticRegression.Solver {
    if solver != .auto { return solver }
    if penalty.hasL1 { return .proximalNewton }
    return features + 1 <= rows && features <= 2000 ? .newtonCholesky : .lbfgs
  }

  static func selectColumns(_ x: Matrix, _ columns: [Int]) -> Matrix {
    var out = [Double]()
    out.reserveCapacity(x.rows * columns.count)
    for j in columns { out.append(contentsOf: x.storage[(j * x.rows)..<((j + 1) * x.rows)]) }
    return Matrix(rows: x.rows, columns: columns.count, columnMajor: out)
  }
}

/// What every solver returns.
struct SolverResult {
  var theta: [Double]
  var iterations: Int
  var optimality: Double
  var converged: Bool
  /// Objective (not divided by the total weight).
  var objective: Double
  var warnings: [LogisticRegression.FitWarning] = []
  /// `XᵀWX` at `theta` when the solver already has it (Newton), so inference needs no extra pass.
  var dataHessian: Matrix? = nil
  /// Margins at `theta`, when the solver has them.
  var margins: [Double]? = nil
}

extension LogisticProblem {
  /// The intercept-only optimum `logit(ȳ_w)`, a start from which every solver descends.
  func initialTheta() -> [Double] {
    var theta = [Double](repeating: 0, count: parameterCount)
    var positive = 0.0
    for i in 0..<rowCount { positive += w[i] * y[i] }
    let mean = positive / totalWeight
    theta[0] = LogisticMath.logarithm(mean / (1 - mean))
    return theta
  }

  /// True when the margins classify every weighted row strictly correctly. Then `tθ` lowers the loss for every
  /// `t > 1`, so no finite maximum-likelihood estimate exists (complete separation; Albert & Anderson 1984).
  func isSeparated(margins eta: [Double]) -> Bool {
    for i in 0..<rowCount where w[i] > 0 {
      if y[i] == 1 ? !(eta[i] > 0) : !(eta[i] < 0) { return false }
    }
    return true
  }
}
