import Learn
import Linalg
import Testing

/// The README's logistic-regression example, verbatim, so the documentation cannot rot.
@Test("README example runs and its promises hold")
func readmeExample() throws {
  let x = Matrix([[0.5, 1.0], [1.5, -0.5], [-1.0, 0.0], [2.0, 1.0], [0.0, -1.0], [-0.5, 0.5]])
  let missedReview = [false, true, false, true, true, false]
  let model = try LogisticRegression.Configuration(penalty: .l2(.C(1.0)))
    .fit(x, labels: missedReview, featureNames: ["distance_km", "moves_12m"])
  let probabilities = model.probabilities(x)  // P(event) per row
  let reasons = model.contributions(x.row(0))  // exact log-odds reasons; baseline + Σ = margin
  let rows = try model.inference().rows  // estimate, standard error, z, p, 95% interval

  #expect(probabilities.allSatisfy { $0 > 0 && $0 < 1 })
  #expect(abs(model.baseline + reasons.reduce(0, +) - model.margins(x)[0]) <= 1e-12)
  #expect(rows.map(\.name) == ["(intercept)", "distance_km", "moves_12m"])
}
