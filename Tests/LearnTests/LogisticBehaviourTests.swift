import Foundation
import Learn
import Linalg
import PropertyBased
import TestSupport
import Testing

@Suite("Logistic regression behaviour")
struct LogisticBehaviourTests {
  static let data = TestData(rows: 2000, columns: 4, seed: 5)

  @Test("contributions sum to the margin for every row (property)")
  func contributionsAreExact() async throws {
    let model = try LogisticRegression.Configuration(penalty: .l2(.C(0.3))).fit(Self.data.x, labels: Self.data.labels)
    let margins = model.margins(Self.data.x)
    await propertyCheck(count: 200, input: Gen.int(in: 0...(Self.data.x.rows - 1))) { i in
      let phi = model.contributions(Self.data.x.row(i))
      #expect(abs(model.baseline + phi.reduce(0, +) - margins[i]) <= 1e-12)
    }
    // Centred on the training data: the mean contribution of every feature is zero.
    for j in 0..<model.featureCount {
      let meanPhi =
        (0..<Self.data.x.rows).map { model.contributions(Self.data.x.row($0))[j] }.reduce(0, +)
        / Double(Self.data.x.rows)
      #expect(abs(meanPhi) <= 1e-12)
    }
  }

  @Test("C and lambda describe the same problem when lambda = 1 / (C · W)")
  func strengthConventions() throws {
    let c = 0.25
    let byC = try LogisticRegression.Configuration(penalty: .l2(.C(c)), tolerance: 1e-11)
      .fit(Self.data.x, labels: Self.data.labels)
    let byLambda = try LogisticRegression.Configuration(
      penalty: .l2(.lambda(1 / (c * Double(Self.data.x.rows)))), tolerance: 1e-11
    )
    .fit(Self.data.x, labels: Self.data.labels)
    for j in 0..<4 { #expect(close(byC.coefficients[j], byLambda.coefficients[j], rtol: 1e-8)) }
  }

  @Test("the three solvers agree on a ridge problem")
  func solversAgree() throws {
    let fits = try [LogisticRegression.Solver.newtonCholesky, .lbfgs, .proximalNewton].map {
      try LogisticRegression.Configuration(penalty: .l2(.C(0.5)), solver: $0, tolerance: 1e-11)
        .fit(Self.data.x, labels: Self.data.labels)
    }
    for fit in fits.dropFirst() {
      #expect(fit.convergence.converged)
      #expect(close(fit.intercept, fits[0].intercept, rtol: 1e-7))
      for j in 0..<4 { #expect(close(fit.coefficients[j], fits[0].coefficients[j], rtol: 1e-7)) }
    }
  }

  @Test("integer sample weights equal duplicated rows")
  func weightsAreFrequencies() throws {
    let n = 400
    var rng = SplitMix64(seed: 3)
    let weights = (0..<n).map { _ in Double(1 + Int(rng.next() % 3)) }
    let x = Matrix((0..<n).map { Self.data.x.row($0) })
    let labels = Array(Self.data.labels.prefix(n))
    var rows: [[Double]] = [], duplicated: [Bool] = []
    for i in 0..<n { for _ in 0..<Int(weights[i]) { rows.append(x.row(i)); duplicated.append(labels[i]) } }
    let config = LogisticRegression.Configuration(tolerance: 1e-12)
    let weighted = try config.fit(x, labels: labels, sampleWeights: weights)
    let expanded = try config.fit(Matrix(rows), labels: duplicated)
    for j in 0..<4 { #expect(close(weighted.coefficients[j], expanded.coefficients[j], rtol: 1e-8)) }
    let a = try weighted.inference(), b = try expanded.inference()
    for j in 0..<5 { #expect(close(a.rows[j].standardError!, b.rows[j].standardError!, rtol: 1e-8)) }
  }

  @Test("perfect separation without a penalty is reported, and standard errors are refused")
  func separation() throws {
    let x = Matrix((0..<40).map { [Double($0) - 19.5, Double($0 % 3)] })
    let labels = (0..<40).map { $0 >= 20 }
    let model = try LogisticRegression.Configuration().fit(x, labels: labels)
    #expect(model.warnings.contains(.perfectSeparation))
    #expect(!model.convergence.converged)
    #expect(throws: LearnError.self) { try model.inference() }
    // With a penalty the same data have a finite, converged optimum.
    let ridge = try LogisticRegression.Configuration(penalty: .l2(.C(1))).fit(x, labels: labels)
    #expect(ridge.convergence.converged && ridge.warnings.isEmpty)
  }

  @Test("a constant feature gets coefficient 0, a warning, and no standard error")
  func constantFeature() throws {
    var x = Self.data.x
    for i in 0..<x.rows { x[i, 1] = 2 }
    let model = try LogisticRegression.Configuration().fit(x, labels: Self.data.labels)
    #expect(model.coefficients[1] == 0)
    #expect(model.warnings == [.constantFeature(name: "x2")])
    let table = try model.inference()
    #expect(table.rows[2].name == "x2" && table.rows[2].standardError == nil)
    #expect(table.rows[1].standardError != nil)
  }

  @Test("an iteration cap that is too small gives a not-converged warning, not silence")
  func notConverged() throws {
    let model = try LogisticRegression.Configuration(maxIterations: 1).fit(Self.data.x, labels: Self.data.labels)
    #expect(!model.convergence.converged)
    #expect(model.warnings.contains { if case .notConverged = $0 { return true } else { return false } })
  }

  @Test("exactly collinear columns: a clear singular-design error, or a ridge fit that works")
  func collinear() throws {
    var rows: [[Double]] = []
    for i in 0..<Self.data.x.rows { let r = Self.data.x.row(i); rows.append([r[0], r[1], 2 * r[0] - r[1]]) }
    let x = Matrix(rows)
    do {
      let model = try LogisticRegression.Configuration().fit(x, labels: Self.data.labels)
      // If LDLᵀ got through, the margins must still be the optimum's (they are identified even if β is not).
      #expect(model.warnings.contains(.indefiniteFallback) || model.convergence.converged)
    } catch let error as LearnError {
      guard case .singularDesign = error else { Issue.record("unexpected \(error)"); return }
      #expect("\(error)".contains("collinear"))
    }
    let ridge = try LogisticRegression.Configuration(penalty: .l2(.C(1))).fit(x, labels: Self.data.labels)
    #expect(ridge.convergence.converged)
  }

  @Test("bad configurations are refused before fitting")
  func invalidConfiguration() {
    let bad: [LogisticRegression.Configuration] = [
      .init(penalty: .l2(.C(0))), .init(penalty: .l2(.C(-1))), .init(penalty: .l1(.lambda(.nan))),
      .init(penalty: .elasticNet(.C(1), l1Ratio: 1.5)), .init(penalty: .l1(.C(1)), solver: .newtonCholesky),
      .init(tolerance: 0), .init(maxIterations: 0), .init(classWeight: .custom(negative: 0, positive: 1)),
    ]
    for config in bad {
      #expect(throws: LearnError.self) { try config.fit(Self.data.x, labels: Self.data.labels) }
    }
  }

  @Test("mismatched inputs are refused with what does not match")
  func shapes() {
    let x = Self.data.x
    #expect(throws: LearnError.self) { try LogisticRegression.Configuration().fit(x, labels: [true, false]) }
    #expect(throws: LearnError.self) {
      try LogisticRegression.Configuration().fit(x, labels: Self.data.labels, sampleWeights: [1])
    }
    #expect(throws: LearnError.self) {
      try LogisticRegression.Configuration().fit(x, labels: Self.data.labels, featureNames: ["a"])
    }
    var weights = [Double](repeating: 1, count: x.rows)
    weights[9] = -1
    #expect(throws: LearnError.invalidWeight(row: 10, value: -1)) {
      try LogisticRegression.Configuration().fit(x, labels: Self.data.labels, sampleWeights: weights)
    }
    #expect(throws: LearnError.noRows) {
      try LogisticRegression.Configuration().fit(Matrix(rows: 0, columns: 2), labels: [])
    }
  }

  @Test("the warm start on large data reaches the same optimum as a cold solver")
  func warmStart() throws {
    let big = TestData(rows: 250_000, columns: 3, seed: 21)
    let config = LogisticRegression.Configuration(penalty: .l2(.C(1)), tolerance: 1e-10)
    let newton = try config.fit(big.x, labels: big.labels)
    var cold = config
    cold.solver = .lbfgs
    let lbfgs = try cold.fit(big.x, labels: big.labels)
    #expect(newton.convergence.solver == .newtonCholesky && newton.convergence.converged)
    #expect(close(newton.intercept, lbfgs.intercept, rtol: 1e-6))
    for j in 0..<3 { #expect(close(newton.coefficients[j], lbfgs.coefficients[j], rtol: 1e-6)) }
  }

  @Test("p-values and intervals follow from the standard errors")
  func inferenceArithmetic() throws {
    let model = try LogisticRegression.Configuration().fit(Self.data.x, labels: Self.data.labels)
    let table = try model.inference()
    #expect(table.kind == .likelihood)
    for row in table.rows {
      let se = try #require(row.standardError)
      #expect(abs(row.z! - row.estimate / se) <= 1e-12 * abs(row.z!))
      #expect(abs(row.upper95! - row.lower95! - 2 * 1.959963984540054 * se) <= 1e-12)
      #expect(row.pValue! >= 0 && row.pValue! <= 1)
    }
    // z = 1.96 ↔ p = 0.05.
    #expect(table.rows.allSatisfy { ($0.pValue! < 0.05) == (abs($0.z!) > 1.959963984540054) })
  }
}
