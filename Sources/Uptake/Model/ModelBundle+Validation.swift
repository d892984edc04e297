import Learn
import Records

/// Checks a loaded bundle's structure, beyond its checksum (which anyone editing the file can recompute): every
/// table matches its binning, every index is in range, every number is finite, calibration is monotone. Whatever a
/// bundle that passes holds, scoring can neither trap nor produce NaN.
extension ModelBundle {
  /// - Throws: the first inconsistency found, as a sentence.
  func validate() throws {
    let features = schema.features
    guard !features.isEmpty else { throw Invalid("the schema lists no feature") }
    guard Set(features.map(\.name)).count == features.count else { throw Invalid("two features share a name") }
    switch learner {
    case .stumps(let model): try validate(model)
    case .logistic(let model, let design): try validate(model, design: design)
    }
    if let calibration { try validate(calibration) }
    try validateSummaries()
    // Printed in reports and lists: only a name `--unit` itself would take.
    if let unit = source.flatFile?.unit, UnitName(parsing: unit.singular + "/" + unit.plural) != unit {
      throw Invalid("the unit name is not a plain word")
    }
  }

  /// The parts reports read (the training profile for drift, the simple rule, the stumps' history and importance):
  /// a report must never index past them or print a NaN taken from a file.
  private func validateSummaries() throws {
    let names = Set(schema.names)
    // Reports index the profile by feature position and by bin: it must describe the schema's features, in order,
    // each with exactly one share per bin (numeric: edges + 1 bins; categorical: levels + other; then missing).
    guard profile.features.map(\.name) == schema.names else {
      throw Invalid("the profile does not describe the model's features")
    }
    for feature in profile.features {
      let bins = feature.categorical ? feature.levels.count + 2 : feature.edges.count + 2
      guard feature.shares.count == bins, feature.edges.allSatisfy(\.isFinite),
        zip(feature.edges, feature.edges.dropFirst()).allSatisfy({ $0 < $1 }),
        feature.shares.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 })
      else { throw Invalid("the profile of \(feature.name) is not a set of shares") }
    }
    guard profile.scoreEdges.allSatisfy(\.isFinite),
      profile.scoreShares.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 })
    else { throw Invalid("the score profile is not a set of shares") }
    if let refit = training.refit {
      // Read by the summary, card and record: rounds and rows that a refit could have had.
      let rounds = refit.validatedRounds, rows = refit.boostedRows
      guard (rounds == nil) == (rows == nil), (rounds ?? 0) >= 0, (rows ?? 1) >= 1, (rows ?? 0) <= training.rows,
        rounds == nil || refit.outcome == .refitted
      else { throw Invalid("the record of the refit on every row does not fit the training record") }
    }
    if let trials = training.penaltySearch {
      // Printed by the summary, card and record: a search `train` could have run, ending at the model's C, whose
      // out-of-fold loss is the validation's.
      let tolerance = ModelTrainer.penaltyTolerance
      let losses = trials.map(\.logLoss)
      guard !trials.isEmpty, trials.map(\.C) == Array(ModelTrainer.penaltyGrid.prefix(trials.count)),
        trials.allSatisfy({ $0.logLoss >= 0 && $0.logLoss.isFinite && (0...1).contains($0.auc) }),
        losses.indices.dropFirst().dropLast().allSatisfy({ losses[$0] < losses[$0 - 1] * (1 - tolerance) }),
        let chosen = training.chosenTrial, case .logistic(let model, _) = learner,
        case .C(let c) = model.configuration.penalty.strength, c == chosen.C,
        abs(chosen.logLoss - training.validation.logLoss) <= 1e-9 * max(1, chosen.logLoss)
      else { throw Invalid("the record of the penalty search does not fit the model") }
    }
    if let folds = training.validationFolds, folds < 2 || folds > training.rows {
      throw Invalid("the training record's number of validation folds is not possible")
    }
    if let rule = baselineRule, !names.contains(rule.feature) {
      throw Invalid("the simple rule names an unknown feature")
    }
    if case .stumps(let model) = learner {
      let history = model.history
      guard history.features.allSatisfy({ $0 >= 0 && $0 < schema.features.count }),
        history.roundsKept >= 0, history.roundsKept <= history.features.count,
        history.gains.allSatisfy(\.isFinite), history.validationLoss.allSatisfy({ !$0.isInfinite }),
        model.importance.count == schema.features.count, model.importance.allSatisfy(\.isFinite)
      else { throw Invalid("the stumps' training history or importance does not fit the model") }
    }
  }

  struct Invalid: Error {
    var detail: String
    init(_ detail: String) { self.detail = detail }
  }

  private func validate(_ model: StumpBoost) throws {
    let features = schema.features
    guard model.binnings.count == features.count, model.tables.count == features.count else {
      throw Invalid("the stumps have \(model.tables.count) tables for \(features.count) features")
    }
    guard model.intercept.isFinite else { throw Invalid("the intercept is not a finite number") }
    // No fitted model comes near this; a tampered one beyond it would score every unit 0 or 1 with no range.
    let limit = 1e6
    // (A table's NaN is named as such below.)
    guard abs(model.intercept) <= limit, model.tables.allSatisfy({ $0.allSatisfy { !(abs($0) > limit) } }) else {
      throw Invalid("the stumps' intercept or a table value is beyond ±1e6 log-odds, which no fitted model reaches")
    }
    let bagCount = model.configuration.bags
    guard (1...StumpBoost.Configuration.maxBags).contains(bagCount), (model.bags?.count ?? 1) == bagCount,
      bagCount == 1 || model.bags != nil
    else {
      throw Invalid(
        "the model's bags (\(model.bags?.count ?? 0)) do not match its configuration (\(bagCount) bags, at most "
          + "\(StumpBoost.Configuration.maxBags))")
    }
    if let bags = model.bags {
      let mean = bags.reduce(0) { $0 + $1.intercept } / Double(bags.count)
      guard bags.allSatisfy({ abs($0.intercept) <= limit }), abs(mean - model.intercept) <= 1e-9 * (1 + abs(mean))
      else { throw Invalid("the stumps' intercept is not the average of the bags' intercepts") }
    }
    for (j, binning) in model.binnings.enumerated() {
      let feature = features[j]
      guard binning.name == feature.name else {
        throw Invalid("table \(j + 1) is for \(binning.name), not \(feature.name)")
      }
      // Bins are bytes: at most 256, the last for missing values.
      guard binning.binCount <= 256 else {
        throw Invalid("feature \(feature.name) has \(binning.binCount) bins (at most 256)")
      }
      guard model.tables[j].count == binning.binCount else {
        throw Invalid(
          "feature \(feature.name)'s table has \(model.tables[j].count) entries for \(binning.binCount) bins")
      }
      guard model.tables[j].allSatisfy(\.isFinite) else {
        throw Invalid("feature \(feature.name)'s table holds a non-finite number")
      }
      // The bags' tables are averaged into this one and read for ranges and bands: the same shape, finite, and
      // their average this table.
      if let bags = model.bags {
        for bag in bags {
          guard bag.tables.count == features.count, bag.tables[j].count == binning.binCount,
            bag.tables[j].allSatisfy({ abs($0) <= limit })
          else { throw Invalid("a bag's table for feature \(feature.name) does not fit the model") }
        }
        for b in 0..<binning.binCount {
          let mean = bags.reduce(0) { $0 + $1.tables[j][b] } / Double(bags.count)
          guard abs(mean - model.tables[j][b]) <= 1e-9 * (1 + abs(mean)) else {
            throw Invalid("feature \(feature.name)'s table is not the average of the bags' tables")
          }
        }
      }
      switch binning.kind {
      case .numeric(let edges):
        guard feature.kind != .categorical else {
          throw Invalid("feature \(feature.name) is binned as a number but is categorical")
        }
        guard edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
          throw Invalid("feature \(feature.name)'s bin edges are not finite and increasing")
        }
      case .categorical:
        guard feature.kind == .categorical else {
          throw Invalid("feature \(feature.name) is binned as categories but is a number")
        }
      }
    }
    try validatePairs(model, limit: limit)
  }

  /// A pair's features exist and differ, its coarse bins map every bin of each feature into a table of the right
  /// size, and its values are finite and within `limit`; only a model with interactions has pairs, and no more than
  /// it asked for.
  private func validatePairs(_ model: StumpBoost, limit: Double) throws {
    let asked = model.configuration.interactions
    guard (0...StumpBoost.Configuration.maxInteractions).contains(asked), (model.pairs?.count ?? 0) <= asked,
      asked == 0 || model.configuration.bags == 1, model.configuration.interactionRounds.map({ $0 >= 0 }) ?? true
    else {
      throw Invalid("the model's pairwise interactions (\(model.pairs?.count ?? 0)) do not fit its configuration")
    }
    var seen: Set<[Int]> = []
    for pair in model.pairs ?? [] {
      let p = model.featureCount
      guard pair.features.count == 2, pair.coarseBins.count == 2, pair.features[0] >= 0,
        pair.features[0] < pair.features[1], pair.features[1] < p, seen.insert(pair.features).inserted
      else {
        throw Invalid(
          "a pairwise interaction is not two different features of the model, the lower index first, each pair once")
      }
      let names = pair.features.map { model.featureNames[$0] }.joined(separator: " & ")
      for (k, j) in pair.features.enumerated() {
        // Every bin maps into coarse bins 0, 1, … with none skipped; a number's value bins keep their order.
        let map = pair.coarseBins[k].map(Int.init), binning = model.binnings[j]
        let values = map.prefix(binning.valueBinCount)
        guard map.count == binning.binCount, map.allSatisfy({ $0 < StumpBoost.Configuration.maxInteractionBins }),
          Set(map) == Set(0...(map.max() ?? 0)),
          binning.isCategorical || zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw Invalid("the pairwise interaction \(names) does not fit its features' bins") }
      }
      guard pair.table.count == pair.height * pair.width, pair.table.allSatisfy({ abs($0) <= limit }),
        pair.importance.isFinite, pair.strength.isFinite
      else { throw Invalid("the pairwise interaction \(names)'s table does not fit or holds a value beyond ±1e6") }
      guard pair.rounds >= 1 else { throw Invalid("the pairwise interaction \(names) records no boosting round") }
    }
    let rounds = (model.pairs ?? []).reduce(0) { $0 + $1.rounds }
    guard rounds <= model.configuration.pairRoundLimit else {
      throw Invalid(
        "the pairwise interactions record \(rounds) rounds, more than the \(model.configuration.pairRoundLimit) allowed"
      )
    }
  }

  private func validate(_ model: LogisticRegression, design: LogisticDesign) throws {
    let features = schema.features
    let width = design.columnNames.count
    guard model.coefficients.count == width, model.featureMeans.count == width, design.owner.count == width else {
      throw Invalid("the logistic design has \(width) columns but \(model.coefficients.count) coefficients")
    }
    guard design.encodings.count == features.count else {
      throw Invalid("the logistic design encodes \(design.encodings.count) features for \(features.count)")
    }
    guard design.owner.allSatisfy({ (0..<features.count).contains($0) }),
      zip(design.owner, design.owner.dropFirst()).allSatisfy({ $0 <= $1 })
    else { throw Invalid("a design column belongs to no feature") }
    guard model.intercept.isFinite, model.coefficients.allSatisfy(\.isFinite), model.featureMeans.allSatisfy(\.isFinite)
    else { throw Invalid("a coefficient or mean is not a finite number") }
    for (j, encoding) in design.encodings.enumerated() {
      switch encoding {
      case .numeric(let mean, let scale, _):
        guard features[j].kind != .categorical else {
          throw Invalid("feature \(features[j].name) is encoded as a number but is categorical")
        }
        guard mean.isFinite, scale.isFinite, scale > 0 else {
          throw Invalid("feature \(features[j].name) has a bad scale")
        }
      case .categorical:
        guard features[j].kind == .categorical else {
          throw Invalid("feature \(features[j].name) is encoded as categories but is a number")
        }
      }
    }
  }

  private func validate(_ calibration: Calibrator) throws {
    switch calibration {
    case .platt(let a, let b):
      guard a.isFinite, b.isFinite else { throw Invalid("the Platt calibration is not finite") }
    case .isotonic(let margins, let probabilities):
      guard !margins.isEmpty, margins.count == probabilities.count, margins.allSatisfy(\.isFinite),
        zip(margins, margins.dropFirst()).allSatisfy({ $0 <= $1 }),
        probabilities.allSatisfy({ $0 >= 0 && $0 <= 1 }),
        zip(probabilities, probabilities.dropFirst()).allSatisfy({ $0 <= $1 })
      else { throw Invalid("the isotonic calibration is not a monotone map onto probabilities") }
    }
  }
}
