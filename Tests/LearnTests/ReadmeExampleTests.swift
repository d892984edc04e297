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

/// The README's stump example, verbatim.
@Test("README stump example runs and its promises hold")
func readmeStumpExample() throws {
  let columns: [FeatureColumn] = [
    .numeric(name: "km_to_nearest_hub", values: [0.4, 3.2, .nan, 1.1, 5.0, 2.2, 0.9, 4.1]),  // NaN = missing
    // code -1 = missing
    .categorical(name: "first_language", codes: [0, 1, 0, -1, 1, 0, 0, 1], levels: ["English", "other"]),
  ]
  let noPlace = [false, true, true, false, true, false, false, true]
  let model = try StumpBoost.Configuration(rounds: 50, minRowsPerSide: 1, monotone: ["km_to_nearest_hub": .increasing])
    .fit(columns, labels: noPlace)
  let margins = try model.margins(columns)  // log-odds; one table lookup per feature
  let binned = try BinnedMatrix(columns, binnings: model.binnings)
  let reasons = model.contributions(binnedRow: binned.row(0))  // exact: intercept + Σ reasons = margin
  let shape = model.shape(ofFeature: 0)  // (bin label, log-odds) for reports

  #expect(abs(model.intercept + reasons.reduce(0, +) - margins[0]) <= 1e-12)
  #expect(shape.last?.bin == "missing")
  #expect(Metrics.auc(scores: margins, labels: noPlace) > 0.9)
}
