import Learn
import Records

/// For each listed unit, the action of the modifiable feature that raises its risk most — the one whose most common
/// training value would lower the unit's log-odds most — and its probability with that feature at that value: what the model associates with the feature, not an estimated effect of
/// acting (families who already use a service differ from those who do not in ways the records do not show).
struct SuggestedActions: Sendable {
  struct Suggestion: Sendable {
    var action: String
    var feature: String
    /// The probability (calibrated when the model is) with the feature at its most common training value.
    var whatIf: Double
  }

  /// Parallel to the listed rows; nil where no modifiable feature at its common value would lower the unit's risk.
  let suggestions: [Suggestion?]

  /// The schema's modifiable features (those with an action); none: every suggestion nil.
  init(_ scored: ScoredData, rows: [Int]) throws {
    let schema = scored.bundle.schema
    let modifiable = schema.features.indices.filter { schema.features[$0].action != nil }
    guard !modifiable.isEmpty, !rows.isEmpty else {
      suggestions = [Suggestion?](repeating: nil, count: rows.count)
      return
    }
    let listed = scored.columns.map { $0.selecting(rows) }
    // Each listed row's margin with one modifiable feature set to its common value.
    var whatIfMargins: [(j: Int, margins: [Double])] = []
    for j in modifiable {
      guard let text = schema.features[j].commonValue,
        let column = Self.replacing(listed[j], with: text, kind: schema.features[j].kind)
      else { continue }
      var changed = listed
      changed[j] = column
      whatIfMargins.append((j, try scored.bundle.learner.margins(changed)))
    }
    let margins = scored.scores.margins
    suggestions = rows.enumerated().map { k, row in
      // The feature whose common value would lower this unit's log-odds most: the one that raises its risk most.
      var best: (j: Int, margin: Double)? = nil
      for (j, changed) in whatIfMargins where changed[k] < margins[row] - 1e-9 {
        if changed[k] < best?.margin ?? .infinity { best = (j, changed[k]) }
      }
      guard let best else { return nil }
      return Suggestion(
        action: schema.features[best.j].action!, feature: schema.features[best.j].name,
        whatIf: scored.bundle.probability(margin: best.margin))
    }
  }

  /// `column` with every value set to `text` (a number, yes/no, or a level), or nil when the text is none of its
  /// values.
  static func replacing(_ column: FeatureColumn, with text: String, kind: FeatureSchema.Kind) -> FeatureColumn? {
    switch column {
    case .numeric(let name, let values):
      let value: Double? = kind == .boolean ? (text == "yes" ? 1 : text == "no" ? 0 : nil) : Double(text)
      return value.map { .numeric(name: name, values: [Double](repeating: $0, count: values.count)) }
    case .categorical(let name, let codes, let levels):
      return levels.firstIndex(of: text).map {
        .categorical(name: name, codes: [Int32](repeating: Int32($0), count: codes.count), levels: levels)
      }
    }
  }
}
