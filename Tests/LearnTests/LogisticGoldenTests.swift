import Learn
import Linalg
import TestSupport
import Testing

@Suite("Logistic regression matches statsmodels and scikit-learn")
struct LogisticGoldenTests {
  static let golden = GoldenFile.shared

  @Test("coefficients within 1e-6 relative", arguments: golden.cases)
  func coefficients(_ c: GoldenFile.Case) throws {
    let (x, labels, names) = Self.golden.design(for: c)
    let model = try Self.golden.configuration(for: c).fit(
      x, labels: labels, sampleWeights: c.sampleWeights,
      featureNames: names)
    #expect(model.convergence.converged, "\(c.name): \(model.convergence)")
    #expect(
      close(model.intercept, c.expected.intercept, rtol: 1e-6),
      "\(c.name) intercept \(model.intercept) vs \(c.expected.intercept)")
    for (j, expected) in c.expected.coefficients.enumerated() {
      #expect(
        close(model.coefficients[j], expected, rtol: 1e-6),
        "\(c.name) \(names[j]): \(model.coefficients[j]) vs \(expected)")
    }
    // Exact zeros of the lasso must be exact zeros here too.
    if c.penalty == "l1" || c.penalty == "elasticnet" {
      for (j, expected) in c.expected.coefficients.enumerated() where expected == 0 {
        #expect(model.coefficients[j] == 0, "\(c.name) \(names[j]) should be exactly zero")
      }
    }
  }

  @Test("standard errors within 1e-5 relative", arguments: golden.cases.filter { $0.expected.standardErrors != nil })
  func standardErrors(_ c: GoldenFile.Case) throws {
    let (x, labels, names) = Self.golden.design(for: c)
    let model = try Self.golden.configuration(for: c).fit(
      x, labels: labels, sampleWeights: c.sampleWeights,
      featureNames: names)
    let table = try model.inference()
    #expect(table.kind.rawValue == c.expected.standardErrorKind)
    for (j, expected) in c.expected.standardErrors!.enumerated() {
      let se = try #require(table.rows[j].standardError)
      #expect(close(se, expected, rtol: 1e-5), "\(c.name) \(table.rows[j].name): se \(se) vs \(expected)")
    }
  }

  @Test("lasso refuses standard errors with a reason")
  func lassoRefusesInference() throws {
    let c = try #require(Self.golden.cases.first { $0.penalty == "l1" })
    let (x, labels, names) = Self.golden.design(for: c)
    let model = try Self.golden.configuration(for: c).fit(x, labels: labels, featureNames: names)
    #expect {
      try model.inference()
    } throws: { error in
      guard case LearnError.inferenceUnavailable(let why) = error else { return false }
      return why.contains("L1")
    }
  }
}
