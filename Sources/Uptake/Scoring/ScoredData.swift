import Learn
import Records

/// A model's scores for a set of units, with the data they came from.
public struct ScoredData: Sendable {
  public let bundle: ModelBundle
  public let data: LoadedData
  public let scores: Scores
  /// The learner's inputs, in schema order.
  public let columns: [FeatureColumn]
  /// `P(event)` per unit, calibrated when the model is.
  public let probabilities: [Double]
  /// A bagged model's range for each probability: the margin two standard deviations across the bags either side,
  /// calibrated when the model is (nil for one model). It says how much the estimate moves with the sample the model
  /// was trained on, not every source of error.
  public let probabilityRanges: [ClosedRange<Double>]?
  /// What the user should know (e.g. values the model has not seen).
  public let notes: [String]

  /// Standard deviations either side of the margin in `probabilityRanges`.
  public static let rangeWidth = 2.0

  /// Scores `data` (read with `bundle.source`) with the bundle's learner.
  /// - Throws: `ModelDataError` when the data do not fit the model.
  public init(bundle: ModelBundle, data: LoadedData, threads: Int? = nil) throws {
    let (columns, notes) = try bundle.schema.columns(of: data.frame)
    self.columns = columns
    self.bundle = bundle
    self.data = data
    self.notes = notes
    scores = try bundle.learner.score(columns, threads: threads)
    probabilities = scores.margins.map(bundle.probability(margin:))
    let (margins, width) = (scores.margins, Self.rangeWidth)
    probabilityRanges = scores.marginSpread.map { spread in
      zip(margins, spread).map { margin, sd in
        // Sorted: a calibrator fitted with a falling slope would turn the ends round.
        let (a, b) = (bundle.probability(margin: margin - width * sd), bundle.probability(margin: margin + width * sd))
        return min(a, b)...max(a, b)
      }
    }
    // A probability that is not a number is never written or ranked.
    let bad = probabilities.indices.filter { !probabilities[$0].isFinite || !scores.margins[$0].isFinite }
    if let first = bad.first {
      let features = bundle.schema.names.indices.filter { !scores.contributions[first, $0].isFinite }
      let culprit =
        features.isEmpty
        ? "a feature value or the model gives no finite log-odds"
        : "feature " + features.map { bundle.schema.names[$0] }.joined(separator: ", ")
          + " gives it no finite log-odds (a value far outside the training data's range?)"
      throw DataError(
        "\(bad.count) units could not be scored (the first is unit \(first + 1) in reading order): \(culprit); check "
          + "the data and the model")
    }
  }
}
