import Foundation
import Learn
import Records

/// How to train: which learner, its settings, the validation share and the seed.
public struct TrainingOptions: Sendable {
  public var learner: LearnerKind
  public var stumps: StumpBoost.Configuration
  public var logistic: LogisticRegression.Configuration
  /// Share of families (or rows, without a group column) held out to measure the model.
  public var validationFraction: Double
  public var seed: UInt64
  /// nil uses every core.
  public var threads: Int?
  /// Calibrate the probabilities on the held-out families (nil: leave them as the learner gives them).
  public var calibration: Calibrator.Method?
  /// Data of up to this many labelled rows are cross-fitted and the saved model fitted on every row; larger data hold
  /// one share out (`ModelTrainer.refitRowLimit` unless a test needs the other path on small data).
  public var crossFitRowLimit = ModelTrainer.refitRowLimit
  /// Logistic regression: penalty strengths (`C`) to choose from by the out-of-fold log loss when cross-fitting
  /// (nil: `logistic.penalty` as given; above the cross-fitting limit, the penalty as given too).
  public var penaltyGrid: [Double]? = ModelTrainer.penaltyGrid
  /// Told after each boosting round (stumps), for a progress bar.
  public var progress: (@Sendable (Int, Int) -> Void)?

  public init(
    learner: LearnerKind = .stumps,
    stumps: StumpBoost.Configuration = .init(rounds: ModelTrainer.defaultRounds, earlyStopping: .init()),
    logistic: LogisticRegression.Configuration = .init(penalty: .l2(.C(1))),
    validationFraction: Double = 0.2, seed: UInt64 = 1, threads: Int? = nil,
    calibration: Calibrator.Method? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) {
    self.calibration = calibration
    self.learner = learner
    self.stumps = stumps
    self.logistic = logistic
    self.validationFraction = validationFraction
    self.seed = seed
    self.threads = threads
    self.progress = progress
  }
}

/// Trains a model bundle from labelled data.
public enum ModelTrainer {
  /// Fits the model and measures it on families it did not see. Up to `refitRowLimit` rows, by cross-fitting: the
  /// families are cut into `round(1 / validationFraction)` seeded folds, each predicted by a model fitted on the others
  /// (stumps stopping early on a further share of those families), so every row has an out-of-fold prediction for the
  /// validation figures and the calibrator; the model saved is then fitted on every row, stumps for the folds' rounds
  /// scaled to the rows. Above it, one seeded share of families is held out and the model fitted on the rest is saved.
  /// - Throws: `ModelDataError` when the data cannot make a model (no outcome, one class only, too few rows);
  ///   `LearnError` from the learner.
  public static func train(_ data: LoadedData, options: TrainingOptions) throws -> ModelBundle {
    let started = Date()
    let frame = data.frame
    guard let labels = frame.labels else { throw ModelDataError("the data have no outcome to learn from") }
    let events = labels.filter { $0 }.count
    guard events > 0 && events < labels.count else {
      throw ModelDataError(
        "every one of the \(labels.count) rows has the same outcome (\(events) events); a model needs both")
    }
    guard labels.count >= 50 else {
      throw ModelDataError("only \(labels.count) rows with an outcome; at least 50 are needed to train and validate")
    }
    let (schema, columns) = try Trace.stage("checks and encoding") {
      let schema = try FeatureSchema(frame: frame)
      guard !schema.features.isEmpty else { throw ModelDataError("the data have no feature columns") }
      return (schema, try schema.columns(of: frame).columns)
    }
    let groups = GroupSplit.keys(frame.groups ?? frame.ids)
    var validated =
      labels.count <= options.crossFitRowLimit
      ? try crossFitted(options, columns, labels, groups: groups)
      : try heldOut(options, columns, labels, groups: groups)
    let learner = validated.learner
    let margins = try Trace.stage("score rows") { try learner.margins(columns, threads: options.threads) }
    // Held out: the saved model is the one validated, so its margins of every row hold the held-out ones.
    let validMargins = validated.heldOutRows.map { rows in rows.map { margins[$0] } } ?? validated.margins
    let validLabels = validated.labels
    let calibrator = options.calibration.map { Calibrator.fit($0, margins: validMargins, labels: validLabels) }
    let metrics = Trace.stage("validation metrics") {
      ValidationMetrics(
        baseRate: Double(validLabels.filter { $0 }.count) / Double(validLabels.count),
        auc: Metrics.auc(scores: validMargins, labels: validLabels),
        logLoss: Metrics.logLoss(margins: validMargins, labels: validLabels),
        calibrationError: ReliabilityTable(probabilities: validMargins.map(LogisticMath.sigmoid), labels: validLabels)
          .expectedCalibrationError,
        calibratedCalibrationError: calibrator.map { c in
          ReliabilityTable(probabilities: validMargins.map { c.probability(margin: $0) }, labels: validLabels)
            .expectedCalibrationError
        })
    }
    if let calibrated = metrics.calibratedCalibrationError, calibrated > metrics.calibrationError {
      validated.warnings.append(
        String(
          format: "calibration: it made the calibration error worse on the rows it was fitted on (%.3f → %.3f); "
            + "train with --calibration none", metrics.calibrationError, calibrated))
    }
    // Said of the model saved, not of a fold's.
    if case .stumps(let model) = learner, model.history.roundsKept == 0 {
      validated.warnings.append(
        "stumps: the model saved has no split (none lowered the out-of-fold loss, or none gained), so every unit "
          + "gets the same probability and the list has no order; "
          + "train on more rows, or check that the features carry information")
    }
    if options.learner == .stumps && options.stumps.bags > 1 && frame.groups != nil {
      // Bags leave out whole families: one that holds a large share makes the bags that leave it out small.
      let largest = Dictionary(grouping: groups, by: { $0 }).values.map(\.count).max() ?? 0
      let share = Double(largest) / Double(groups.count)
      if share >= 0.2 {
        validated.warnings.append(
          String(
            format: "bags: one family holds %.0f%% of the rows, so the bags that leave it out (about 1 in 5) train on "
              + "the rest only and the ranges lean on them; check the family column (--group)", share * 100))
      }
    }
    if validLabels.allSatisfy({ $0 == validLabels[0] }) {
      validated.warnings.append(
        "validation: the \(validLabels.count) held-out rows all have the same outcome, so the AUC cannot be measured; "
          + "train on more rows or hold out a larger share (--validation)")
    }
    let asOfRange = frame.asOf.isEmpty ? nil : [frame.asOf.min()!.description, frame.asOf.max()!.description]
    var record = TrainingRecord(
      uptakeVersion: UptakeVersion.current, trainedAt: ISO8601DateFormatter().string(from: Date()),
      dataFingerprint: Trace.stage("fingerprint") { Fingerprint.of(frame, threads: options.threads) },
      dataDescription: data.description,
      rows: labels.count,
      rowsLeftOut: data.leftOut, leftOutReason: data.leftOutReason, events: events, asOfRange: asOfRange,
      seed: options.seed, threads: max(1, options.threads ?? Parallel.availableCores),
      fitSeconds: Date().timeIntervalSince(started), trainingRows: validated.trainingRows,
      validationRows: validLabels.count, validationByFamily: frame.groups != nil,
      validation: metrics, warnings: validated.warnings)
    record.dataUntil = frame.dataUntil?.description
    record.refit = validated.refit
    record.validationFolds = validated.folds
    record.penaltySearch = validated.penaltySearch
    if !frame.protectedFeatures.isEmpty { record.protectedFeatures = frame.protectedFeatures }
    let profile = Trace.stage("profile") { DataProfile(columns: columns, margins: margins, threads: options.threads) }
    let rule = Trace.stage("simple rule") {
      BaselineRule.best(columns: columns, labels: labels, threads: options.threads)
    }
    return ModelBundle(
      source: data.source, schema: schema, learner: learner, training: record, calibration: calibrator,
      profile: profile, baselineRule: rule)
  }

  /// Logistic regression's penalty strengths (`C`) tried by cross-fitting when `--C` is not given: strong to weak.
  public static let penaltyGrid = [0.01, 0.1, 1, 10, 100]
  /// The relative drop in out-of-fold log loss a weaker penalty must give to be kept (and the search to go on).
  public static let penaltyTolerance = 1e-3

  /// Stumps' most rounds unless told: the out-of-fold loss chooses fewer where more do not help (1,000 against 300:
  /// guImmun test AUC 0.6405 against 0.6338, benefits 0.6770 against 0.6761, wa_churn unchanged).
  public static let defaultRounds = 1000

  /// Up to this many labelled rows, training cross-fits and saves a model fitted on every row. Above it, one held-out
  /// share costs no measurable accuracy (1M × 50 race: test AUC equal to LightGBM's fitted on every row), while the
  /// folds and a refit would multiply the time `train` takes.
  public static let refitRowLimit = 200_000

  /// The model to save, and the margins and labels it is measured (and calibrated) on.
  struct Validated {
    var learner: FittedLearner
    /// Cross-fitting: every row's out-of-fold margin. Held out: empty, and `heldOutRows` says which of the saved
    /// model's margins are the validation ones.
    var margins: [Double]
    var heldOutRows: [Int]?
    /// The validation rows' labels.
    var labels: [Bool]
    /// Rows the saved model was fitted on.
    var trainingRows: Int
    var folds: Int?
    var refit: TrainingRecord.Refit
    var penaltySearch: [TrainingRecord.PenaltyTrial]? = nil
    var warnings: [String]
  }

  /// One seeded share of families held out; the model fitted on the rest is measured on them and saved.
  static func heldOut(
    _ options: TrainingOptions, _ columns: [FeatureColumn], _ labels: [Bool], groups: [Int]
  ) throws -> Validated {
    let (trainRows, validRows) = Trace.stage("split") {
      GroupSplit.split(rows: labels.count, groups: groups, fraction: options.validationFraction, seed: options.seed)
    }
    guard !validRows.isEmpty && !trainRows.isEmpty else {
      throw ModelDataError("too few families to hold any out for validation; add rows or raise the fraction")
    }
    let (learner, notes) = try Trace.stage("fit") {
      try fit(
        options, columns.map { $0.selecting(trainRows) }, trainRows.map { labels[$0] },
        groups: trainRows.map { groups[$0] })
    }
    var warnings = notes
    if case .stumps(let model) = learner { warnings.insert("stumps: \(model.history.stopReason)", at: 0) }
    if options.learner == .logistic, options.penaltyGrid != nil, case .C(let c) = options.logistic.penalty.strength {
      warnings.append(
        "logistic: C \(String(format: "%g", c)) (the default): the penalty is chosen by cross-validation only up to "
          + "\(refitRowLimit) rows, where it can matter; give --C to choose it yourself")
    }
    return Validated(
      learner: learner, margins: [], heldOutRows: validRows, labels: validRows.map { labels[$0] },
      trainingRows: trainRows.count,
      folds: nil, refit: .init(outcome: .keptLargeData), warnings: warnings)
  }

  /// Seeded folds of whole families, each predicted by a model fitted on the others; then the model fitted on every
  /// row, stumps for the folds' kept rounds scaled by how many more rows they now see (at most the configured
  /// rounds; scaling measured better than not on all three shared data sets and three seeds).
  static func crossFitted(
    _ options: TrainingOptions, _ columns: [FeatureColumn], _ labels: [Bool], groups: [Int]
  ) throws -> Validated {
    let k = max(2, Int((1 / options.validationFraction).rounded()))
    let fold = GroupSplit.folds(rows: labels.count, groups: groups, count: k, seed: options.seed)
    let trainRows = (0..<k).map { f in fold.indices.filter { fold[$0] != f } }
    let testRows = (0..<k).map { f in fold.indices.filter { fold[$0] == f } }
    for f in 0..<k {
      guard !testRows[f].isEmpty && !trainRows[f].isEmpty else {
        throw ModelDataError(
          "too few families to cut into \(k) folds for validation; add rows or raise the share (--validation)")
      }
      let foldEvents = trainRows[f].reduce(0) { $0 + (labels[$1] ? 1 : 0) }
      guard foldEvents > 0 && foldEvents < trainRows[f].count else {
        let events = labels.filter { $0 }.count
        throw ModelDataError(
          "fold \(f + 1) of \(k) has only one outcome among the rows it trains on (\(min(events, labels.count - events)) "
            + "of the \(labels.count) rows have the rarer one); add rows, or make fewer folds with a larger share "
            + "(--validation 0.5 makes 2)")
      }
    }
    var outOfFold = [Double](repeating: .nan, count: labels.count)
    var warnings: [String] = []
    var everyRow = options
    var refit = TrainingRecord.Refit(outcome: .refitted)
    var penaltySearch: [TrainingRecord.PenaltyTrial]? = nil
    switch options.learner {
    case .stumps:
      var configuration = options.stumps
      configuration.seed = options.seed
      try checkMemory(models: k * configuration.bags, rowsEach: trainRows[0].count, features: columns.count)
      let cv = try Trace.stage("cross-validate rounds (\(k) folds)") {
        try configuration.crossValidate(
          columns, labels: labels, folds: fold, groups: groups, threads: options.threads, progress: options.progress)
      }
      outOfFold = cv.margins
      // The model saved sees every row, not a fold's share: the chosen rounds scaled by how many more rows it has
      // (measured better than not on all three shared data sets).
      let share = configuration.bags > 1 ? 1 - StumpBoost.Configuration.bagHoldOut : 1
      let scaled = Double(cv.bestRounds) * share * Double(labels.count) / Double(max(1, cv.boostedRows))
      everyRow.stumps.rounds = min(options.stumps.rounds, Int(scaled.rounded()))
      everyRow.stumps.earlyStopping = nil
      refit.validatedRounds = cv.bestRounds
      refit.boostedRows = cv.boostedRows
      refit.roundsFromCurve = true
      if cv.bestRounds == options.stumps.rounds {
        warnings.append(
          "stumps: the out-of-fold loss was still falling at the last round; train with more --rounds")
      }
      if configuration.interactions > 0 {
        // The pair stage's rounds scaled the same way; none when pairs did not lower the out-of-fold loss.
        let pairRounds = Double(cv.bestPairRounds) * Double(labels.count) / Double(max(1, cv.boostedRows))
        everyRow.stumps.interactionRounds = min(configuration.pairRoundLimit, Int(pairRounds.rounded()))
        refit.validatedPairRounds = cv.bestPairRounds
        let pairable = columns.filter { configuration.monotone[$0.name] == nil && !$0.isConstant }.count
        if !configuration.monotone.isEmpty {
          warnings.append(
            "interactions: features under --monotone are never paired (a pair's term could bend their shape): "
              + configuration.monotone.keys.sorted().joined(separator: ", "))
        }
        if pairable < 2 {
          warnings.append(
            "interactions: no pair of features can be formed (\(pairable) feature\(pairable == 1 ? "" : "s") that "
              + "vary and are not under --monotone), so the model has none")
        } else if cv.bestPairRounds == 0 {
          warnings.append(
            "stumps: no pairwise interaction lowered the out-of-fold loss, so the model has none "
              + "(\(configuration.interactions) asked for)")
        } else if cv.bestPairRounds == configuration.pairRoundLimit {
          warnings.append(
            "stumps: the out-of-fold loss was still falling at the pair stage's last round; train with more --rounds")
        }
      }
    case .logistic:
      let strengths: [Double?] =
        options.logistic.penalty.strength == nil ? [nil] : options.penaltyGrid?.map { $0 } ?? [nil]
      var best: (penalty: Penalty, margins: [Double], loss: Double, notes: [String])? = nil
      var trials: [TrainingRecord.PenaltyTrial] = []
      for strength in strengths {
        var tried = options
        if let strength { tried.logistic.penalty = options.logistic.penalty.with(.C(strength)) }
        var margins = [Double](repeating: .nan, count: labels.count)
        var notes: [String] = []
        for f in 0..<k {
          let (learner, foldNotes) = try Trace.stage("fit (fold \(f + 1) of \(k))") {
            try fit(
              tried, columns.map { $0.selecting(trainRows[f]) }, trainRows[f].map { labels[$0] },
              groups: trainRows[f].map { groups[$0] })
          }
          notes += foldNotes.filter { !notes.contains($0) }
          let fold = try learner.margins(columns.map { $0.selecting(testRows[f]) }, threads: options.threads)
          for (i, row) in testRows[f].enumerated() { margins[row] = fold[i] }
        }
        let loss = Metrics.logLoss(margins: margins, labels: labels)
        if let strength {
          trials.append(.init(C: strength, logLoss: loss, auc: Metrics.auc(scores: margins, labels: labels)))
        }
        // The grid runs from strong to weak: a weaker penalty is kept only if it lowers the loss by more than
        // `penaltyTolerance`, and the search stops at the first that does not (a weak L1 penalty on collinear one-hot
        // columns took minutes to fit for no gain: wa_churn elastic net, C 100, 241 s).
        guard let current = best else {
          best = (tried.logistic.penalty, margins, loss, notes)
          continue
        }
        guard loss < current.loss * (1 - Self.penaltyTolerance) else { break }
        best = (tried.logistic.penalty, margins, loss, notes)
      }
      guard let best else { throw ModelDataError("no penalty strength to try; give --C") }
      outOfFold = best.margins
      warnings += best.notes
      everyRow.logistic.penalty = best.penalty
      if !trials.isEmpty { penaltySearch = trials }
    }
    let (learner, notes) = try Trace.stage("refit on every row") {
      // Groups: bags leave out whole families.
      try fit(everyRow, columns, labels, groups: groups)
    }
    // A refit's notes (constant features, convergence) may repeat the folds'.
    warnings += notes.filter { !warnings.contains($0) }
    return Validated(
      learner: learner, margins: outOfFold, heldOutRows: nil, labels: labels, trainingRows: labels.count, folds: k,
      refit: refit, penaltySearch: penaltySearch, warnings: warnings)
  }

  /// Refuses, before any boosting, stumps that would not fit in memory: each model (a fold's or a bag's) keeps its
  /// rows' bins (a byte per feature) and about 40 bytes of gradients, margins, labels and weights per row, so many
  /// bags on many rows can need more than the machine has, which would end in an out-of-memory kill half-way.
  static func checkMemory(models: Int, rowsEach: Int, features: Int) throws {
    guard let available = MemoryBudget.available() else { return }
    let needed = models * rowsEach * (features + 40)
    if needed > available {
      throw ModelDataError(
        "training \(models) models on \(rowsEach) rows each needs about \(needed >> 20) MB of memory, but "
          + "\(available >> 20) MB is available; use fewer bags (--bags), or fewer rows")
    }
  }

  /// The learner fitted on the training rows, and what it noted on the way.
  static func fit(
    _ options: TrainingOptions, _ train: [FeatureColumn], _ trainLabels: [Bool], groups: [Int]?
  ) throws -> (FittedLearner, [String]) {
    switch options.learner {
    case .stumps:
      var configuration = options.stumps
      configuration.seed = options.seed
      if configuration.bags > 1 {
        try checkMemory(models: configuration.bags, rowsEach: trainLabels.count, features: train.count)
      }
      let model = try configuration.fit(
        train, labels: trainLabels, weights: nil, groups: groups, threads: options.threads,
        progress: options.progress)
      var warnings: [String] = []
      for name in train.filter(\.isConstant).map(\.name) {
        warnings.append("stumps: feature \(name) is constant in the training data (or all missing); it adds nothing")
      }
      return (.stumps(model), warnings)
    case .logistic:
      // Standardising squares each value: beyond 1e150 that overflows, and the design would be silently wrong.
      for case .numeric(let name, let values) in train where values.contains(where: { abs($0) > 1e150 }) {
        throw ModelDataError(
          "feature \(name) has values beyond ±1e150, too large for logistic regression to standardise; rescale the "
            + "column (or leave it out with --exclude), or train --learner stumps, which uses only the values' order")
      }
      let model = try options.logistic.fit(
        train, labels: trainLabels, weights: nil, groups: groups, threads: options.threads, progress: nil)
      return (
        .logistic(model.regression, design: model.design), model.regression.warnings.map { "logistic: \($0)" }
      )
    }
  }
}

public enum UptakeVersion {
  public static let current = "0.1.0"
}
