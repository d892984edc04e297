/// Sample weights checked, and combined with class weights, the same way for every learner.
enum TrainingWeights {
  /// The sample weights for `n` rows (all 1 when none are given), each finite and non-negative.
  /// - Throws: `LearnError.noRows`, `.shapeMismatch` or `.invalidWeight` (1-based row).
  static func validated(_ given: [Double]?, rows n: Int) throws -> [Double] {
    if n == 0 { throw LearnError.noRows }
    let weights = given ?? [Double](repeating: 1, count: n)
    guard weights.count == n else {
      throw LearnError.shapeMismatch("there are \(n) rows but \(weights.count) sample weights")
    }
    for (i, v) in weights.enumerated() where !(v >= 0 && v.isFinite) {
      throw LearnError.invalidWeight(row: i + 1, value: v)
    }
    return weights
  }

  /// The (negative, positive) class weights, after checking that both classes carry weight.
  /// - Throws: `LearnError.noRows` when every weight is zero, `.oneClassOnly` when a class is absent.
  static func classWeights(
    labels: [Bool], sampleWeights: [Double], classWeight: ClassWeight
  ) throws -> (negative: Double, positive: Double) {
    var positiveTotal = 0.0, negativeTotal = 0.0
    for i in 0..<labels.count {
      if labels[i] { positiveTotal += sampleWeights[i] } else { negativeTotal += sampleWeights[i] }
    }
    if positiveTotal + negativeTotal == 0 { throw LearnError.noRows }
    if positiveTotal == 0 || negativeTotal == 0 { throw LearnError.oneClassOnly(positive: positiveTotal > 0) }
    return classWeight.weights(negativeTotal: negativeTotal, positiveTotal: positiveTotal)
  }

  /// Sample weight × class weight per row.
  static func effective(
    labels: [Bool], sampleWeights: [Double], classWeights: (negative: Double, positive: Double)
  ) -> [Double] {
    (0..<labels.count).map { sampleWeights[$0] * (labels[$0] ? classWeights.positive : classWeights.negative) }
  }
}
