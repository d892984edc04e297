import Foundation
import Learn
import Records

/// How rows are split for a benchmark.
public enum ValidationScheme: Sendable, Equatable, CustomStringConvertible {
  /// Train on the units with earlier as-of dates, test on the latest ones (about `testShare` of the rows): how a
  /// model is used, trained on past cohorts and applied to the next. The default for linked records.
  case temporal(testShare: Double)
  /// k folds of whole families (hashed family ids), each tested once on a model trained on the others.
  case groupedKFold(k: Int)

  public var description: String {
    switch self {
    case .temporal(let share):
      return String(format: "temporal split (latest %.0f%% of as-of dates tested)", 100 * share)
    case .groupedKFold(let k): return "\(k)-fold cross-validation"
    }
  }

  /// (train rows, test rows) per fold.
  func folds(_ frame: FeatureFrame, seed: UInt64) -> [(train: [Int], test: [Int])] {
    switch self {
    case .temporal(let share):
      let days = frame.asOf.sorted()
      guard !days.isEmpty else { return [] }
      let cut = days[min(days.count - 1, Int(Double(days.count) * (1 - share)))]
      let test = frame.asOf.indices.filter { frame.asOf[$0] >= cut }
      let train = frame.asOf.indices.filter { frame.asOf[$0] < cut }
      return [(train, test)]
    case .groupedKFold(let k):
      // A seed of its own: each fold's training cross-fits with `seed`, and the same folds there would leave one empty.
      let fold = GroupSplit.folds(
        rows: frame.rowCount, groups: GroupSplit.keys(frame.groups ?? frame.ids), count: k,
        seed: seed ^ 0xBE4C_11A5_F01D_5EED)
      return (0..<k).map { f in (fold.indices.filter { fold[$0] != f }, fold.indices.filter { fold[$0] == f }) }
    }
  }
}

/// One line of a leaderboard: out-of-fold predictions of one learner (or rule) measured like an evaluation.
public struct LeaderboardRow: Codable, Equatable, Sendable {
  public var name: String
  public var auc: Double
  public var aucInterval: ConfidenceInterval
  public var averagePrecision: Double
  /// NaN for a rule, which gives an order rather than probabilities.
  public var logLoss: Double
  public var brier: Double
  public var calibrationError: Double
  public var atCapacity: CapacityResult
  public var precisionInterval: ConfidenceInterval
  public var fitSeconds: Double
  public var scoreSeconds: Double
}

/// Every learner trained and tested with the same scheme on the same data: the benchmarking run a data scientist
/// does each term.
public struct Benchmark: Sendable {
  public var dataDescription: String
  /// What a row is ("child").
  public var unit: UnitName
  /// Whether intervals resampled whole families (the data have a family column) or single rows.
  public var resampledByFamily: Bool
  public var scheme: ValidationScheme
  /// The scheme in words, saying whether folds kept families whole.
  public var schemeDescription: String
  public var rowsTested: Int
  public var eventsTested: Int
  public var capacity: Int
  public var rows: [LeaderboardRow]
  /// Per learner, out-of-fold (probability or rule score, label) for the curves.
  public var curves: [(name: String, roc: [(x: Double, y: Double)], pr: [(x: Double, y: Double)])]

  public init(
    data: LoadedData, scheme: ValidationScheme, capacity: Int?, seed: UInt64 = 1, bootstrap: Bootstrap = .init(),
    rule fixedRule: BaselineRule? = nil, interactions: Int = 0, threads: Int? = nil
  ) throws {
    guard let labels = data.frame.labels else { throw ModelDataError("the data have no outcome to benchmark on") }
    let folds = scheme.folds(data.frame, seed: seed).filter { !$0.train.isEmpty && !$0.test.isEmpty }
    guard !folds.isEmpty else {
      throw ModelDataError(
        "the \(scheme) leaves no rows to train or to test on; use --scheme kfold or data with more as-of dates")
    }
    let schema = try FeatureSchema(frame: data.frame)
    let columns = try schema.columns(of: data.frame).columns
    let tested = folds.flatMap(\.test)
    let testedLabels = tested.map { labels[$0] }
    let groups = GroupSplit.keys((data.frame.groups ?? data.frame.ids))
    let testedGroups = tested.map { groups[$0] }
    let k = min(tested.count, capacity ?? max(1, tested.count / 10))
    dataDescription = data.description
    unit = data.frame.unit
    resampledByFamily = data.frame.groups != nil
    self.scheme = scheme
    if case .groupedKFold = scheme {
      schemeDescription = scheme.description + (data.frame.groups != nil ? " by family" : " by row (no family column)")
    } else {
      schemeDescription = scheme.description
    }
    rowsTested = tested.count
    eventsTested = testedLabels.filter { $0 }.count
    self.capacity = k

    var rows: [LeaderboardRow] = []
    var curves: [(String, [(x: Double, y: Double)], [(x: Double, y: Double)])] = []
    func add(_ name: String, scores: [Double], probabilistic: Bool, fit: Double, score: Double) {
      // The ranking metrics and their intervals hold for a rule's scores too; the probability metrics do not.
      // Three bootstrap intervals (AUC, precision and recall at K): most of a benchmark's time, so a bar and a stage.
      var counted = bootstrap
      let counter = ReplicateCounter(total: 3 * bootstrap.replicates) { done, total in
        WorkProgress.tell("bootstrap (\(name))", done, of: total)
      }
      counted.onReplicate = { counter.tick() }
      let summary = Trace.stage("bootstrap (\(name))") {
        MetricSummary(
          probabilities: scores, labels: testedLabels, groups: testedGroups, capacity: k,
          options: EvaluationOptions(capacity: k, bootstrap: counted))
      }
      rows.append(
        LeaderboardRow(
          name: name, auc: summary.auc, aucInterval: summary.aucInterval, averagePrecision: summary.averagePrecision,
          logLoss: probabilistic ? summary.logLoss : .nan, brier: probabilistic ? summary.brier : .nan,
          calibrationError: probabilistic ? summary.calibrationError : .nan, atCapacity: summary.atCapacity,
          precisionInterval: summary.precisionInterval, fitSeconds: fit, scoreSeconds: score))
      curves.append(
        (
          name, ModelEvaluation.thin(Metrics.rocCurve(scores: scores, labels: testedLabels)),
          ModelEvaluation.thin(Metrics.precisionRecallCurve(scores: scores, labels: testedLabels))
        ))
    }

    let clock = ContinuousClock()
    // Every learner with its defaults, and boosted stumps with pairwise interactions when asked for.
    var contenders = LearnerKind.allCases.map { (name: $0.rawValue, options: TrainingOptions(learner: $0)) }
    if interactions > 0 {
      var options = TrainingOptions(learner: .stumps)
      options.stumps.interactions = interactions
      contenders.append(("stumps + \(interactions) pair\(interactions == 1 ? "" : "s")", options))
    }
    for (l, contender) in contenders.enumerated() {
      let fitted = l * folds.count
      var scores = [Double](repeating: .nan, count: labels.count)
      var fit = 0.0, score = 0.0
      for (f, fold) in folds.enumerated() {
        var train = data
        train.frame = data.frame.selecting(fold.train)
        var test = data
        test.frame = data.frame.selecting(fold.test)
        // Each fold's own stages are not traced (a line per stage per fold would bury the breakdown): the fits and
        // scores of a learner are one stage below.
        let t0 = clock.now
        var options = contender.options
        options.seed = seed
        options.threads = threads
        let bundle = try Trace.listening(nil) { try ModelTrainer.train(train, options: options) }
        let t1 = clock.now
        let scored = try Trace.listening(nil) { try ScoredData(bundle: bundle, data: test, threads: threads) }
        let t2 = clock.now
        fit += (t1 - t0).seconds
        score += (t2 - t1).seconds
        for (i, row) in fold.test.enumerated() { scores[row] = scored.probabilities[i] }
        WorkProgress.tell("benchmarking (folds)", fitted + f + 1, of: contenders.count * folds.count)
      }
      Trace.report?("\(contender.name): \(folds.count) fits and scores", fit + score)
      add(contender.name, scores: tested.map { scores[$0] }, probabilistic: true, fit: fit, score: score)
    }
    // The given rule, or the best single-feature rule chosen on each fold's training rows.
    if let fixedRule, fixedRule.scores(columns) == nil {
      throw ModelDataError("--rule names \(fixedRule.feature), which is not a numeric or yes/no feature of these data")
    }
    var ruleScores = [Double](repeating: .nan, count: labels.count)
    var ruleNames = Set<String>()
    for fold in folds {
      let train = columns.map { $0.selecting(fold.train) }
      guard
        let rule = fixedRule
          ?? BaselineRule.best(columns: train, labels: fold.train.map { labels[$0] }, threads: threads),
        let scores = rule.scores(columns.map { $0.selecting(fold.test) })
      else { continue }
      ruleNames.insert(rule.description)
      for (i, row) in fold.test.enumerated() { ruleScores[row] = scores[i] }
    }
    if !ruleNames.isEmpty {
      add(
        "rule: " + ruleNames.sorted().joined(separator: " / "), scores: tested.map { ruleScores[$0] },
        probabilistic: false,
        fit: 0, score: 0)
    }
    // The base rate: everyone gets the training share of events.
    var baseScores = [Double](repeating: .nan, count: labels.count)
    for fold in folds {
      let rate = Double(fold.train.filter { labels[$0] }.count) / Double(fold.train.count)
      for row in fold.test { baseScores[row] = rate }
    }
    // A random list's expected results are exact: AUC 0.5, precision at K equal to the base rate. Only the log
    // loss, Brier score and calibration error of predicting the training base rate are measured.
    let baseProbabilities = tested.map { baseScores[$0] }
    let baseSummary = MetricSummary(
      probabilities: baseProbabilities, labels: testedLabels, groups: nil, capacity: k,
      options: EvaluationOptions(capacity: k, bootstrap: Bootstrap(replicates: 1)))
    let rate = Double(eventsTested) / Double(max(1, tested.count))
    let none = ConfidenceInterval(lower: .nan, upper: .nan, level: bootstrap.level)
    rows.append(
      LeaderboardRow(
        name: "random list (base rate)", auc: 0.5, aucInterval: none, averagePrecision: rate,
        logLoss: baseSummary.logLoss, brier: baseSummary.brier, calibrationError: baseSummary.calibrationError,
        atCapacity: CapacityResult(
          hits: Int((rate * Double(k)).rounded()), contacted: k, events: eventsTested, rows: tested.count),
        precisionInterval: none, fitSeconds: 0, scoreSeconds: 0))
    curves.append(("random list (base rate)", [(0, 0), (1, 1)], [(0, rate), (1, rate)]))
    self.rows = rows
    self.curves = curves
  }
}
