import Foundation
import Learn
import Records
import Testing

@testable import Uptake

@Suite("Evaluation layer: drift, folds, baselines")
struct EvaluationLayerTests {
  @Test("PSI is zero for the training data itself and flags a shifted copy")
  func drift() {
    var rng = SplitMix64(seed: 3)
    let values = (0..<5000).map { _ in rng.nextUnit() * 10 }
    let column = FeatureColumn.numeric(name: "x", values: values)
    let profile = DataProfile(columns: [column], margins: values)
    let same = profile.stability(columns: [column], margins: values)
    #expect(same.features[0].psi < 1e-12 && same.score < 1e-12)
    let shifted = values.map { $0 + 3 }
    let moved = profile.stability(columns: [.numeric(name: "x", values: shifted)], margins: shifted)
    #expect(moved.features[0].psi > 0.25 && DriftRow(name: "x", psi: moved.features[0].psi).level == .majorShift)
    // Missing values get their own bin: a column that goes missing drifts.
    let gone = profile.stability(columns: [.numeric(name: "x", values: values.map { _ in .nan })], margins: values)
    #expect(gone.features[0].psi > 0.25)
  }

  @Test("k-fold tests every row once and keeps families whole; the temporal split trains only on earlier dates")
  func folds() {
    let frame = sampleFrame(rows: 400)
    let folds = ValidationScheme.groupedKFold(k: 4).folds(frame, seed: 1)
    #expect(folds.flatMap(\.test).sorted() == Array(0..<400))
    for fold in folds {
      let trainFamilies = Set(fold.train.map { frame.groups![$0] })
      #expect(fold.test.allSatisfy { !trainFamilies.contains(frame.groups![$0]) })
    }
    var dated = frame
    dated.asOf = (0..<400).map { Day(number: 19000 + $0 / 40) }
    let temporal = ValidationScheme.temporal(testShare: 0.25).folds(dated, seed: 1)
    #expect(temporal.count == 1)
    let latestTrain = temporal[0].train.map { dated.asOf[$0] }.max()!
    #expect(temporal[0].test.allSatisfy { dated.asOf[$0] > latestTrain })
    #expect(abs(Double(temporal[0].test.count) / 400 - 0.25) <= 0.1)
  }

  @Test("the baseline rule picks the single most telling feature and its direction")
  func baselineRule() throws {
    let frame = sampleFrame()
    let columns = try FeatureSchema(frame: frame).columns(of: frame).columns
    let rule = try #require(BaselineRule.best(columns: columns, labels: frame.labels!))
    // In the sample, risk rises with the distance to the hub (0.25 per km): the strongest numeric driver.
    #expect(rule == BaselineRule(feature: "km_to_hub", highestFirst: true))
    let scores = try #require(rule.scores(columns))
    #expect(Metrics.auc(scores: scores, labels: frame.labels!) > 0.6)
  }

  @Test("the rule's binned AUC is exact for up to 256 distinct values and within 1/256 of exact for continuous ones")
  func binnedAUC() {
    var rng = SplitMix64(seed: 11)
    for n in [60, 1_000, 200_000] {
      let labels = (0..<n).map { _ in rng.nextUnit() < 0.3 }
      let decile = labels.map { $0 ? Double(Int(rng.nextUnit() * 7) + 3) : Double(Int(rng.nextUnit() * 10) + 1) }
      let withMissing = decile.enumerated().map { $0.offset % 13 == 0 ? Double.nan : $0.element }
      let continuous = labels.map { ($0 ? 0.4 : 0) + rng.nextUnit() }
      // The exact AUC, missing values ranked lowest as the rule ranks them.
      func exact(_ v: [Double]) -> Double {
        Metrics.auc(scores: v.map { $0.isNaN ? -Double.greatestFiniteMagnitude : $0 }, labels: labels)
      }
      #expect(abs(BaselineRule.rankingAUC(decile, labels: labels) - exact(decile)) < 1e-12)
      #expect(abs(BaselineRule.rankingAUC(withMissing, labels: labels) - exact(withMissing)) < 1e-12)
      #expect(abs(BaselineRule.rankingAUC(continuous, labels: labels) - exact(continuous)) < 1.0 / 256, "\(n)")
      #expect(BaselineRule.rankingAUC(decile, labels: labels.map { _ in true }).isNaN)
    }
  }

  @Test("profile deciles of a large column come from an even sample, within 1% of the rows of the exact ones")
  func sampledDeciles() {
    var rng = SplitMix64(seed: 5)
    let values = (0..<400_000).map { _ in rng.nextUnit() }
    let edges = DataProfile.deciles(values)
    #expect(edges.count == 9)
    for (q, e) in edges.enumerated() { #expect(abs(e - Double(q + 1) / 10) < 0.01, "\(q)") }
    let small = [3.0, 1, 2, .nan, 5, 4, 7, 6, 9, 8, 10]
    #expect(DataProfile.deciles(small) == [2, 3, 4, 5, 6, 7, 8, 9])  // the 10th value is the last bin's
  }

  @Test("a calibrated bundle's scores use the calibrated probabilities; contributions stay the learner's")
  func calibratedScores() throws {
    let frame = sampleFrame()
    let bundle = try ModelTrainer.train(sampleData(frame), options: .init(threads: 1, calibration: .platt))
    guard case .platt(let a, let b) = try #require(bundle.calibration) else { Issue.record("not Platt"); return }
    let scored = try ScoredData(bundle: bundle, data: sampleData(frame), threads: 1)
    for i in 0..<10 {
      #expect(abs(scored.probabilities[i] - LogisticMath.sigmoid(a * scored.scores.margins[i] + b)) < 1e-12)
    }
  }
}

@Suite("Choosing the rounds in training")
struct EarlyStoppingTests {
  @Test("train's stumps choose their rounds by the out-of-fold loss; the model saved has them scaled to every row")
  func stopsEarly() throws {
    let frame = sampleFrame()
    let bundle = try ModelTrainer.train(
      sampleData(frame), options: .init(stumps: .init(rounds: 400, learningRate: 0.9), threads: 1))
    guard case .stumps(let model) = bundle.learner else {
      Issue.record("stumps expected")
      return
    }
    let refit = try #require(bundle.training.refit)
    #expect(refit.outcome == .refitted && bundle.training.validationFolds == 5)
    let validated = try #require(refit.validatedRounds), boosted = try #require(refit.boostedRows)
    // At learning rate 0.9 the out-of-fold loss turns up long before 400 rounds.
    #expect(validated > 0 && validated < 100 && boosted < frame.rowCount)
    let scaled = Int((Double(validated) * Double(frame.rowCount) / Double(boosted)).rounded())
    #expect(model.configuration.rounds == scaled && model.history.roundsKept <= scaled)
    #expect(model.history.validationLoss.isEmpty, "the refit has no hold-out")
    #expect(bundle.refitSentence?.contains("chose \(validated) rounds") == true)
    #expect(!bundle.training.warnings.contains { $0.contains("still falling") })
  }

  @Test(
    "a bagged model's summary says it is an average, and the rounds it gives are the ones trained (found by a trial)")
  func baggedRefitSentence() throws {
    let frame = sampleFrame()
    let bundle = try ModelTrainer.train(
      sampleData(frame), options: .init(stumps: .init(rounds: 400, bags: 4), threads: 1))
    guard case .stumps(let model) = bundle.learner else { return }
    let sentence = try #require(bundle.refitSentence)
    #expect(sentence.contains("the average of 4 models, each fitted on its own 80% of all \(frame.rowCount) rows"))
    #expect(sentence.hasSuffix(": \(model.configuration.rounds))") && !sentence.contains("held to"), "\(sentence)")
  }

  @Test("bags with one family holding a large share of the rows are warned (found by a trial); spread families not")
  func dominantFamilyWarned() throws {
    let frame = sampleFrame()
    let options = TrainingOptions(stumps: .init(rounds: 100, bags: 3), threads: 1)
    let spread = try ModelTrainer.train(sampleData(frame), options: options)
    #expect(!spread.training.warnings.contains { $0.hasPrefix("bags:") })
    let dominated = FeatureFrame(
      ids: frame.ids, groups: frame.ids.indices.map { $0 < 300 ? "F0" : "F\($0)" }, asOf: [], features: frame.features,
      reasons: [:], protected: [], labels: frame.labels, extras: [])
    let warned = try ModelTrainer.train(sampleData(dominated), options: options)
    #expect(warned.training.warnings.contains { $0.hasPrefix("bags: one family holds 50% of the rows") })
  }

  @Test("cross-fitting: every row validated out of fold, the model that ships fitted on every row")
  func refitsOnEveryRow() throws {
    let frame = sampleFrame()
    let bundle = try ModelTrainer.train(sampleData(frame), options: .init(learner: .logistic, threads: 1))
    let refit = try #require(bundle.training.refit)
    #expect(refit.outcome == .refitted && refit.validatedRounds == nil)
    #expect(bundle.training.validationRows == frame.rowCount && bundle.training.trainingRows == frame.rowCount)
    // The shipped coefficients are a fit on every row.
    guard case .logistic(let model, _) = bundle.learner else {
      Issue.record("logistic expected")
      return
    }
    let rows = Array(0..<frame.rowCount)
    let columns = try FeatureSchema(frame: frame).columns(of: frame).columns
    let design = LogisticDesign(fitting: columns)
    // The penalty is the one of least out-of-fold log loss among those tried, and the validation figures are its.
    // The grid from strong to weak, stopping at the first penalty that lowers the loss by less than the tolerance.
    let trials = try #require(bundle.training.penaltySearch)
    #expect(trials.map(\.C) == Array(ModelTrainer.penaltyGrid.prefix(trials.count)))
    let best = try #require(bundle.training.chosenTrial)
    for (a, b) in zip(trials, trials.dropFirst()) where b.C <= best.C {
      #expect(b.logLoss < a.logLoss * (1 - ModelTrainer.penaltyTolerance))
    }
    if let next = trials.first(where: { $0.C > best.C }) {
      #expect(next.logLoss >= best.logLoss * (1 - ModelTrainer.penaltyTolerance))
    }
    #expect(model.configuration.penalty == .l2(.C(best.C)))
    #expect(abs(bundle.training.validation.logLoss - best.logLoss) < 1e-12)
    #expect(abs(bundle.training.validation.auc - best.auc) < 1e-12)
    #expect(bundle.training.penaltySearchSentence?.hasPrefix("C \(String(format: "%g", best.C)) chosen") == true)
    let everyRow = try LogisticRegression.Configuration(penalty: .l2(.C(best.C))).fit(
      design.matrix(columns), labels: rows.map { frame.labels![$0] }, featureNames: design.columnNames, threads: 1)
    for (a, b) in zip(model.coefficients, everyRow.coefficients) { #expect(abs(a - b) <= 1e-9) }
    // The validation AUC is the out-of-fold predictions', not the shipped model's on its own training rows.
    let inSample = Metrics.auc(scores: try bundle.learner.margins(columns, threads: 1), labels: frame.labels!)
    #expect(bundle.training.validation.auc < inSample)
  }

  @Test("logistic regression with its penalty given tries nothing; above the limit the penalty as given is said")
  func penaltyGiven() throws {
    let frame = sampleFrame()
    var options = TrainingOptions(
      learner: .logistic, logistic: .init(penalty: .l2(.C(0.5))), threads: 1)
    options.penaltyGrid = nil
    let given = try ModelTrainer.train(sampleData(frame), options: options)
    #expect(given.training.penaltySearch == nil)
    guard case .logistic(let model, _) = given.learner else { return }
    #expect(model.configuration.penalty == .l2(.C(0.5)))
    var large = TrainingOptions(learner: .logistic, threads: 1)
    large.crossFitRowLimit = 100
    let held = try ModelTrainer.train(sampleData(frame), options: large)
    #expect(held.training.penaltySearch == nil)
    #expect(held.training.warnings.contains { $0.contains("C 1 (the default)") })
  }

  @Test("above the cross-fitting limit, one share of families is held out and the model fitted on the rest is saved")
  func heldOutAboveTheLimit() throws {
    let frame = sampleFrame()
    var options = TrainingOptions(learner: .logistic, threads: 1)
    options.crossFitRowLimit = 100
    let bundle = try ModelTrainer.train(sampleData(frame), options: options)
    let t = bundle.training
    #expect(t.refit?.outcome == .keptLargeData && t.validationFolds == nil)
    #expect(t.trainingRows + t.validationRows == frame.rowCount && t.validationRows > 0)
    // The validation AUC is the saved model's on the held-out rows.
    let columns = try bundle.schema.columns(of: frame).columns
    let margins = try bundle.learner.margins(columns, threads: 1)
    let (_, validRows) = GroupSplit.split(
      rows: frame.rowCount, groups: GroupSplit.keys(frame.groups!), fraction: 0.2, seed: 1)
    let auc = Metrics.auc(scores: validRows.map { margins[$0] }, labels: validRows.map { frame.labels![$0] })
    #expect(abs(auc - t.validation.auc) <= 1e-12)
  }

  @Test("the calibrator is fitted on the out-of-fold scores, so the model fitted on every row can use it")
  func calibratedOutOfFold() throws {
    let frame = sampleFrame()
    for learner in LearnerKind.allCases {
      let bundle = try ModelTrainer.train(
        sampleData(frame), options: .init(learner: learner, threads: 1, calibration: .platt))
      #expect(bundle.training.refit?.outcome == .refitted && bundle.calibration != nil)
      // Platt scaling fitted on the out-of-fold margins corrects their calibration on those rows.
      let calibrated = try #require(bundle.training.validation.calibratedCalibrationError)
      #expect(calibrated <= bundle.training.validation.calibrationError + 0.01)
    }
  }

  @Test("a model with no split is warned; a fold that trains on one outcome is an error that says what to do")
  func silentFailuresAreSaid() throws {
    // Outcomes unrelated to the features, few rows and large leaves: no stump gains anything.
    var frame = sampleFrame(rows: 60)
    frame.labels = (0..<60).map { $0 % 2 == 0 }
    let flat = try ModelTrainer.train(
      sampleData(frame), options: .init(stumps: .init(minRowsPerSide: 40, earlyStopping: .init()), threads: 1))
    #expect(
      flat.training.warnings.contains { $0.contains("the model saved has no split") }, "\(flat.training.warnings)")
    // One event in 60 rows: some fold trains on rows of one outcome, which is said with what to do.
    frame.labels = (0..<60).map { $0 == 7 }
    #expect {
      try ModelTrainer.train(sampleData(frame), options: .init(learner: .logistic, threads: 1))
    } throws: { error in
      "\(error)".contains("has only one outcome among the rows it trains on (1 of the 60 rows have the rarer one)")
    }
  }
}
