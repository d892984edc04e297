import Foundation
import Learn
import Records

/// `uptake demo`: the whole chain on a synthetic council, as a new user would run it.
///
/// Synthesise the council; build every eligible child's features at their as-of date; split the children into
/// cohorts by as-of date (train on the earliest, compare the learners on the next, score the latest as if it were
/// the coming term); score that cohort into a contact list with a capacity per ward; explain the top family.
public struct DemoRun: Sendable {
  public var out: String
  public var children: Int
  public var seed: UInt64
  /// Families to contact per ward.
  public var capacityPerWard: Int
  /// Where the trained models and their cards go (default: `out/models`).
  public var modelsDirectory: String?
  public var threads: Int?

  public init(
    out: String, children: Int = 60_000, seed: UInt64 = 7, capacityPerWard: Int = 5, modelsDirectory: String? = nil,
    threads: Int? = nil
  ) {
    self.out = out
    self.children = children
    self.seed = seed
    self.capacityPerWard = capacityPerWard
    self.modelsDirectory = modelsDirectory
    self.threads = threads
  }

  /// One learner's results on the comparison cohort.
  public struct Comparison: Sendable {
    public var learner: LearnerKind
    public var auc: Double
    public var logLoss: Double
    /// Of the top `contacted` children by probability, the share who did not take up a place.
    public var precisionAtCapacity: Double
    public var fitSeconds: Double
    public var modelPath: String
  }

  public struct Result: Sendable {
    public var councilFolder: String
    public var cohorts: (train: [Day], compare: [Day], next: [Day])
    public var cohortSizes: (train: Int, compare: Int, next: Int)
    public var baseRate: Double
    public var contacted: Int
    public var comparisons: [Comparison]
    public var chosen: LearnerKind
    public var contactListPath: String
    public var contactListRows: Int
    public var explanation: Explanation?
    public var explanationPath: String?
    public var reportPath: String
  }

  /// Runs the demo, telling `log` each step as it goes.
  public func run(log: (String) -> Void) throws -> Result {
    try OutputFolder.make(out)
    let councilFolder = out + "/council"
    let models = modelsDirectory ?? out + "/models"
    try OutputFolder.make(models)

    let clock = ContinuousClock()
    var began = clock.now
    func seconds() -> String {
      let elapsed = clock.now - began
      began = clock.now
      return String(format: "%.1f s", elapsed.seconds)
    }

    let summary = try SyntheticCouncil(children: children, seed: seed).write(to: councilFolder)
    log(
      "1. synthesised a council of \(children) children (\(summary.eligibleChildren) eligible two-year-olds) in "
        + "\(councilFolder)/ (\(seconds()))")

    // Every eligible child; those whose outcome window is not over at the extract date are the ones to score.
    let all = try DataLoader.forInspection(DataRequest(path: councilFolder, extras: ["ward"]))
    let known = all.frame.asOf.indices.filter { !all.frame.isCensored($0) }
    let open = all.frame.asOf.indices.filter { all.frame.isCensored($0) }
    var cohorts = Self.cohorts(known.map { all.frame.asOf[$0] })
    if let first = open.map({ all.frame.asOf[$0] }).min() {
      // The next term is the first cohort whose outcome is open; every known cohort after training is compared on.
      cohorts.compare += cohorts.next
      cohorts.next = [first]
    }
    func part(_ days: [Day]) -> LoadedData {
      let wanted = Set(days)
      var data = all
      data.frame = all.frame.selecting(all.frame.asOf.indices.filter { wanted.contains(all.frame.asOf[$0]) })
      data.leaveOut(all.frame.rowCount - data.frame.rowCount, "in the demo's other cohorts")
      return data
    }
    let train = part(cohorts.train), compare = part(cohorts.compare), next = part(cohorts.next)
    log(
      "2. built \(all.frame.features.count) point-in-time features for \(all.frame.rowCount) children; cohorts by "
        + "as-of date: train \(train.frame.rowCount) (\(Self.span(cohorts.train))), compare "
        + "\(compare.frame.rowCount) (\(Self.span(cohorts.compare))), next term \(next.frame.rowCount) "
        + "(\(Self.span(cohorts.next))" + (open.isEmpty ? "" : ", outcome not known by the extract date")
        + ") (\(seconds()))")

    // Train both learners on the training cohort; compare them on the next cohort, at the demo's capacity.
    let compareLabels = compare.frame.labels!
    let baseRate = Double(compareLabels.filter { $0 }.count) / Double(max(1, compareLabels.count))
    let wards = Set(compare.frame.extras[0].texts(Array(0..<compare.frame.rowCount))).count
    let contacted = min(compare.frame.rowCount, capacityPerWard * wards)
    var comparisons: [Comparison] = []
    var bundles: [LearnerKind: ModelBundle] = [:]
    for learner in LearnerKind.allCases {
      let bundle = try ModelTrainer.train(
        train, options: TrainingOptions(learner: learner, seed: seed, threads: threads))
      let scored = try ScoredData(bundle: bundle, data: compare, threads: threads)
      let path = models + "/\(learner.rawValue).json"
      try bundle.save(to: path)
      try AtomicFile.write(
        Array(ModelCard(bundle: bundle, name: learner.rawValue).markdown.utf8), to: models + "/\(learner.rawValue).md")
      bundles[learner] = bundle
      comparisons.append(
        Comparison(
          learner: learner, auc: Metrics.auc(scores: scored.scores.margins, labels: compareLabels),
          logLoss: Metrics.logLoss(margins: scored.scores.margins, labels: compareLabels),
          precisionAtCapacity: Metrics.atCapacity(scores: scored.probabilities, labels: compareLabels, k: contacted)
            .precision,
          fitSeconds: bundle.training.fitSeconds, modelPath: path))
    }
    log("3. trained both learners on the training cohort and compared them on the next one (\(seconds())):")
    log(
      "   learner    AUC     log loss  precision@\(contacted)  fit")
    for c in comparisons {
      log(
        "   " + c.learner.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
          + String(
            format: "  %.3f   %.3f     %.3f           %.2f s", c.auc, c.logLoss, c.precisionAtCapacity, c.fitSeconds))
    }
    log(
      String(
        format: "   (base rate %.3f: a random list of %d would find %.0f)", baseRate, contacted,
        baseRate * Double(contacted)))
    let chosen = comparisons.max { $0.auc < $1.auc }!.learner

    // The chosen model's full evaluation on the comparison cohort: report, figures, transparency record.
    let reportFolder = out + "/report"
    var withoutWards = compare
    withoutWards.frame.extras = []
    let evaluation = try ModelEvaluation(
      bundle: bundles[chosen]!, data: withoutWards, options: EvaluationOptions(capacity: contacted), threads: threads)
    try EvaluationReport(evaluation: evaluation, bundle: bundles[chosen]!).write(to: reportFolder)
    log(
      "   evaluation of the \(chosen.rawValue) model on that cohort (calibration, groups, drift, baselines): "
        + "\(reportFolder)/report.md (\(seconds()))")

    // Score the latest cohort into a contact list.
    let scored = try ScoredData(bundle: bundles[chosen]!, data: next, threads: threads)
    let options = ContactListOptions(capacity: capacityPerWard, by: "ward", onePerFamily: true, reasons: 3)
    let list = try ContactList(scored, options: options)
    let listPath = out + "/contact-list.csv"
    try list.write(to: listPath)
    log(
      "4. scored the next cohort with the \(chosen.rawValue) model (higher AUC): \(list.rows.count) families, "
        + "up to \(capacityPerWard) per ward, one child per family, 3 reasons each → \(listPath) (\(seconds()))")

    var explanation: Explanation? = nil
    var explanationPath: String? = nil
    if let top = list.rows.first {
      let e = Explanation(scored, row: top)
      explanation = e
      explanationPath = out + "/top-family-explanation.txt"
      try AtomicFile.write(Array((e.text + "\n").utf8), to: explanationPath!)
      log("5. the top family's explanation (also in \(explanationPath!)):")
      log("")
      log(e.text)
    }
    return Result(
      councilFolder: councilFolder, cohorts: cohorts,
      cohortSizes: (train.frame.rowCount, compare.frame.rowCount, next.frame.rowCount), baseRate: baseRate,
      contacted: contacted, comparisons: comparisons, chosen: chosen, contactListPath: listPath,
      contactListRows: list.rows.count, explanation: explanation, explanationPath: explanationPath,
      reportPath: reportFolder + "/report.md")
  }

  /// Splits the distinct as-of dates in time order: about half of the units to train on, the dates up to
  /// about 70% to compare the learners on, and the following date alone as the coming term to score.
  static func cohorts(_ asOf: [Day]) -> (train: [Day], compare: [Day], next: [Day]) {
    var counts: [Day: Int] = [:]
    for d in asOf { counts[d, default: 0] += 1 }
    let days = counts.keys.sorted()
    var train: [Day] = [], compare: [Day] = [], next: [Day] = []
    var seen = 0
    for d in days {
      let share = Double(seen) / Double(max(1, asOf.count))
      if share < 0.45 || train.isEmpty {
        train.append(d)
      } else if share < 0.7 || compare.isEmpty {
        compare.append(d)
      } else if next.isEmpty {
        next.append(d)
      }
      seen += counts[d]!
    }
    if next.isEmpty, compare.count > 1 { next.append(compare.removeLast()) }
    return (train, compare, next)
  }

  static func span(_ days: [Day]) -> String {
    guard let first = days.first, let last = days.last else { return "none" }
    return first == last ? "as of \(first)" : "as of \(first) to \(last)"
  }
}
