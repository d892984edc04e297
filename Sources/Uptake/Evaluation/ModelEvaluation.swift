import Foundation
import Learn
import Records

/// How to evaluate: the contact capacity, the groups to break results down by, and the bootstrap.
public struct EvaluationOptions: Sendable {
  /// Families the team can contact (K); nil takes a tenth of the rows.
  public var capacity: Int?
  /// Extra columns (e.g. ward, imd_decile) to report subgroups for, beside the protected attributes.
  public var by: [String]
  public var bootstrap: Bootstrap
  /// The probability threshold for precision and recall "at a threshold".
  public var threshold: Double
  /// Told (done, total) bootstrap replicates as they finish, for a progress bar with an estimate of the time left.
  public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil

  public init(capacity: Int? = nil, by: [String] = [], bootstrap: Bootstrap = .init(), threshold: Double = 0.5) {
    self.capacity = capacity
    self.by = by
    self.bootstrap = bootstrap
    self.threshold = threshold
  }
}

/// The headline metrics of one set of predictions, with bootstrap intervals (whole families resampled).
public struct MetricSummary: Codable, Equatable, Sendable {
  public var rows: Int
  public var events: Int
  public var baseRate: Double
  public var auc: Double
  public var aucInterval: ConfidenceInterval
  public var averagePrecision: Double
  public var logLoss: Double
  public var brier: Double
  public var calibrationError: Double
  public var capacity: Int
  public var atCapacity: CapacityResult
  public var precisionInterval: ConfidenceInterval
  public var recallInterval: ConfidenceInterval
  public var threshold: Double
  public var atThreshold: CapacityResult

  public init(probabilities: [Double], labels: [Bool], groups: [Int]?, capacity: Int, options: EvaluationOptions) {
    rows = labels.count
    events = labels.filter { $0 }.count
    baseRate = Double(events) / Double(max(1, rows))
    auc = Metrics.auc(scores: probabilities, labels: labels)
    averagePrecision = Metrics.averagePrecision(scores: probabilities, labels: labels)
    logLoss = Metrics.logLoss(probabilities: probabilities, labels: labels)
    brier = Metrics.brier(probabilities: probabilities, labels: labels)
    calibrationError = ReliabilityTable(probabilities: probabilities, labels: labels).expectedCalibrationError
    self.capacity = capacity
    atCapacity = Metrics.atCapacity(scores: probabilities, labels: labels, k: capacity)
    threshold = options.threshold
    atThreshold = Metrics.atThreshold(probabilities: probabilities, labels: labels, threshold: options.threshold)
    let share = Double(capacity) / Double(max(1, rows))
    func resampled(_ rows: [Int]) -> (p: [Double], y: [Bool]) {
      (rows.map { probabilities[$0] }, rows.map { labels[$0] })
    }
    aucInterval = options.bootstrap.interval(rows: rows, groups: groups) { sample in
      let (p, y) = resampled(sample)
      return Metrics.auc(scores: p, labels: y)
    }
    // Capacity scales with the resample, so each replicate contacts the same share of its rows.
    precisionInterval = options.bootstrap.interval(rows: rows, groups: groups) { sample in
      let (p, y) = resampled(sample)
      return Metrics.atCapacity(scores: p, labels: y, k: max(1, Int((share * Double(sample.count)).rounded())))
        .precision
    }
    recallInterval = options.bootstrap.interval(rows: rows, groups: groups) { sample in
      let (p, y) = resampled(sample)
      return Metrics.atCapacity(scores: p, labels: y, k: max(1, Int((share * Double(sample.count)).rounded()))).recall
    }
  }
}

/// One group's share of the outcome, of the contact list, and how well the list serves it.
public struct SubgroupRow: Codable, Equatable, Sendable {
  public var value: String
  public var rows: Int
  public var events: Int
  public var baseRate: Double
  public var contacted: Int
  /// Share of the contact list that is this group.
  public var shareOfList: Double
  /// Of this group's contacted families, the share who would otherwise have missed out.
  public var precision: Double
  public var precisionInterval: ConfidenceInterval
  /// Of this group's families who would miss out, the share on the list.
  public var recall: Double
  public var recallInterval: ConfidenceInterval
  public var meanPredicted: Double
}

public struct SubgroupTable: Codable, Equatable, Sendable {
  public var attribute: String
  public var rows: [SubgroupRow]
  /// The largest gap in recall at capacity between groups of at least 30 families, in words.
  public var gap: String
}

/// How far a distribution moved from training, by its population stability index (the usual rule of thumb).
public enum DriftLevel: String, Codable, Sendable, CustomStringConvertible {
  case stable
  case moderateShift = "moderate shift"
  case majorShift = "major shift"

  /// The PSI from which a distribution counts as shifted: every report, summary and record flags from here.
  public static let moderatePSI = 0.1
  /// The PSI from which a shift is major.
  public static let majorPSI = 0.25

  public init(psi: Double) {
    self = psi >= Self.majorPSI ? .majorShift : psi >= Self.moderatePSI ? .moderateShift : .stable
  }

  public var description: String { rawValue }
}

public struct DriftRow: Codable, Equatable, Sendable {
  public var name: String
  public var psi: Double
  public var level: DriftLevel

  public init(name: String, psi: Double) {
    self.name = name
    self.psi = psi
    level = DriftLevel(psi: psi)
  }

  /// Moved at least moderately: flagged in the summary, the report and the transparency record.
  public var isShifted: Bool { level != .stable }
}

/// What a model is compared with: a random list of the same length, or the simple rule the model was trained with.
public enum BaselineKind: Sendable, Equatable {
  case randomList
  case rule
}

public struct BaselineResult: Encodable, Equatable, Sendable {
  public var kind: BaselineKind
  public var name: String
  public var auc: Double
  public var averagePrecision: Double
  public var atCapacity: CapacityResult

  /// The kind is in the name already ("rule: …"); evaluation.json keeps its four fields.
  enum CodingKeys: String, CodingKey { case name, auc, averagePrecision, atCapacity }
}

/// A trained model checked on labelled data: metrics with intervals, calibration, baselines, subgroups, drift,
/// and the curves and shapes the report draws.
public struct ModelEvaluation: Sendable {
  public var dataDescription: String
  /// What a row is ("child"), for every count in the reports.
  public var unit: UnitName
  /// Whether the bootstrap resampled whole families (the data have a family column) or single rows.
  public var resampledByFamily: Bool
  public var learner: LearnerKind
  public var bootstrap: Bootstrap
  public var summary: MetricSummary
  /// The learner's own probabilities, when the shown ones are calibrated.
  public var uncalibratedSummary: MetricSummary?
  public var reliability: ReliabilityTable
  public var uncalibratedReliability: ReliabilityTable?
  public var baselines: [BaselineResult]
  public var subgroups: [SubgroupTable]
  public var drift: [DriftRow]
  public var scoreDrift: DriftRow
  public var roc: [(x: Double, y: Double)]
  public var precisionRecall: [(x: Double, y: Double)]
  /// (share of rows contacted, lift) from 1% to 100%.
  public var liftCurve: [(x: Double, y: Double)]
  /// Per feature: each profile bin's label and the mean contribution (log-odds) of the rows in it.
  /// Per feature and value range: the mean contribution, the rows, and (a bagged model) the mean standard deviation
  /// of those rows' contributions across the bags.
  public var shapes: [(feature: String, bins: [(label: String, logOdds: Double, rows: Int, spread: Double?)])]
  /// Bags behind `spread` (nil for one model).
  public var bags: Int?
  /// The model's pairwise interactions: each pair's mean absolute contribution over these data (empty without pairs).
  public var pairs: [PairSummary] = []
  /// What should make a reader doubt these figures, in words: evaluated on the training data, too few units or
  /// events for narrow intervals, the simple rule doing better at capacity. Shown first in every summary.
  public var cautions: [String] = []

  /// Scores labelled `data` with `bundle` and measures everything.
  /// - Throws: `ModelDataError` when the data have no outcome or do not fit the model.
  public init(bundle: ModelBundle, data: LoadedData, options: EvaluationOptions, threads: Int? = nil) throws {
    guard let labels = data.frame.labels else {
      throw ModelDataError("the data have no outcome, so there is nothing to evaluate against; pass labelled data")
    }
    let scored = try ScoredData(bundle: bundle, data: data, threads: threads)
    let p = scored.probabilities
    let options = Self.countingReplicates(options, bundle: bundle, frame: data.frame)
    let groups = GroupSplit.keys(data.frame.groups ?? data.frame.ids)
    let k = min(labels.count, options.capacity ?? max(1, labels.count / 10))
    dataDescription = data.description
    unit = data.frame.unit
    resampledByFamily = data.frame.groups != nil
    learner = bundle.learner.kind
    bootstrap = options.bootstrap
    summary = MetricSummary(probabilities: p, labels: labels, groups: groups, capacity: k, options: options)
    reliability = ReliabilityTable(probabilities: p, labels: labels)
    if bundle.calibration != nil {
      let raw = scored.scores.probabilities
      uncalibratedSummary = MetricSummary(
        probabilities: raw, labels: labels, groups: groups, capacity: k, options: options)
      uncalibratedReliability = ReliabilityTable(probabilities: raw, labels: labels)
    }
    roc = Self.thin(Metrics.rocCurve(scores: p, labels: labels))
    precisionRecall = Self.thin(Metrics.precisionRecallCurve(scores: p, labels: labels))
    let order = Metrics.ranking(p)
    liftCurve = Self.liftCurve(order: order, labels: labels, baseRate: summary.baseRate)
    baselines = Self.baselines(bundle: bundle, scored: scored, labels: labels, capacity: k, summary: summary)

    cautions = Self.cautions(
      bundle: bundle, data: data, summary: summary, uncalibrated: uncalibratedSummary, baselines: baselines)

    let contacted = Set(order.prefix(k))
    var attributes = data.frame.protected.map { ($0.name + " (protected)", $0) }
    attributes += data.frame.extras.map { ($0.name, $0) }
    subgroups = attributes.map { name, column in
      Self.subgroups(
        name, column: column, labels: labels, probabilities: p, contacted: contacted, groups: groups, options: options)
    }

    let stability = bundle.profile.stability(columns: scored.columns, margins: scored.scores.margins)
    drift = stability.features.map { DriftRow(name: $0.name, psi: $0.psi) }
    scoreDrift = DriftRow(name: "score", psi: stability.score)

    // A bagged model's spread of each row's contribution: its bin's standard deviation across the bags.
    var bagged: (model: StumpBoost, bins: BinnedMatrix)? = nil
    if case .stumps(let model) = bundle.learner, model.bags != nil {
      bagged = (model, try BinnedMatrix(scored.columns, binnings: model.binnings, threads: threads))
      bags = model.configuration.bags
    }
    pairs = Self.pairSummaries(scored.scores, features: bundle.schema.names)
    shapes = Self.shapes(bundle: bundle, scored: scored, bagged: bagged)
  }

  /// `options` with a counter on every bootstrap replicate to come (counted first, so progress can be told as a share
  /// of the whole), when progress is asked for.
  static func countingReplicates(
    _ options: EvaluationOptions, bundle: ModelBundle, frame: FeatureFrame
  ) -> EvaluationOptions {
    guard let report = options.progress else { return options }
    var options = options
    let attributes = frame.protected + frame.extras
    let groups = attributes.reduce(0) { $0 + Set($1.texts(Array(0..<frame.rowCount))).count }
    let intervals = 3 * (bundle.calibration == nil ? 1 : 2) + 2 * groups
    let counter = ReplicateCounter(total: intervals * options.bootstrap.replicates, report: report)
    options.bootstrap.onReplicate = { counter.tick() }
    return options
  }

  /// Lift at each whole percent of the ranked list: the share of events found against the base rate.
  static func liftCurve(order: [Int], labels: [Bool], baseRate: Double) -> [(Double, Double)] {
    var hits = 0
    var lift: [(Double, Double)] = []
    var nextPercent = 1
    for (i, row) in order.enumerated() {
      if labels[row] { hits += 1 }
      if (i + 1) * 100 >= nextPercent * labels.count {
        lift.append((Double(i + 1) / Double(labels.count), Double(hits) / Double(i + 1) / baseRate))
        nextPercent += 1
      }
    }
    return lift
  }

  /// A random list of the same length, and the model's simple rule when it has one and the data hold its feature.
  static func baselines(
    bundle: ModelBundle, scored: ScoredData, labels: [Bool], capacity k: Int, summary: MetricSummary
  ) -> [BaselineResult] {
    let base = summary.baseRate
    var baselines = [
      BaselineResult(
        kind: .randomList, name: "random list (base rate)", auc: 0.5, averagePrecision: base,
        atCapacity: CapacityResult(
          hits: Int((base * Double(k)).rounded()), contacted: k, events: summary.events, rows: labels.count))
    ]
    if let rule = bundle.baselineRule, let scores = rule.scores(scored.columns) {
      baselines.append(
        BaselineResult(
          kind: .rule, name: "rule: " + rule.description, auc: Metrics.auc(scores: scores, labels: labels),
          averagePrecision: Metrics.averagePrecision(scores: scores, labels: labels),
          atCapacity: Metrics.atCapacity(scores: scores, labels: labels, k: k)))
    }
    return baselines
  }

  /// Each pairwise interaction's mean absolute contribution over these rows.
  static func pairSummaries(_ scores: AdditiveScores, features: [String]) -> [PairSummary] {
    let terms = scores.termNames(features)
    let phi = scores.contributions
    return (features.count..<terms.count).map { t in
      let total = (0..<phi.rows).reduce(0.0) { $0 + abs(phi[$1, t]) }
      return PairSummary(pair: terms[t], meanAbsoluteLogOdds: phi.rows > 0 ? total / Double(phi.rows) : 0)
    }
  }

  /// Each feature's mean contribution per profile bin over these rows (with a bagged model's mean spread).
  static func shapes(
    bundle: ModelBundle, scored: ScoredData, bagged: (model: StumpBoost, bins: BinnedMatrix)?
  ) -> [(feature: String, bins: [(label: String, logOdds: Double, rows: Int, spread: Double?)])] {
    zip(bundle.profile.features, scored.columns).enumerated().map { j, pair in
      let (feature, column) = pair
      let bins = feature.bins(column)
      var sums = [Double](repeating: 0, count: feature.shares.count)
      var spreads = [Double](repeating: 0, count: feature.shares.count)
      var counts = [Int](repeating: 0, count: feature.shares.count)
      let phi = scored.scores.contributions
      let spread = bagged.flatMap { $0.model.spread(ofFeature: j) }
      for i in 0..<bins.count {
        sums[bins[i]] += phi.storage[j * phi.rows + i]
        if let spread, let binned = bagged?.bins { spreads[bins[i]] += spread[Int(binned.bins[j * binned.rows + i])] }
        counts[bins[i]] += 1
      }
      let labels = feature.binLabels(boolean: bundle.schema.features[j].kind == .boolean)
      return (
        feature.name,
        labels.indices.compactMap { b in
          let n = Double(counts[b])
          return counts[b] > 0 ? (labels[b], sums[b] / n, counts[b], spread.map { _ in spreads[b] / n }) : nil
        }
      )
    }
  }

  static func subgroups(
    _ name: String, column: Column, labels: [Bool], probabilities p: [Double], contacted: Set<Int>, groups: [Int],
    options: EvaluationOptions
  ) -> SubgroupTable {
    let values = column.texts(Array(0..<labels.count)).map { $0.isEmpty ? "(missing)" : $0 }
    let members = Dictionary(grouping: labels.indices, by: { values[$0] })
    let listSize = max(1, contacted.count)
    var rows: [SubgroupRow] = members.keys.sorted().map { value in
      let rows = members[value]!
      let events = rows.filter { labels[$0] }.count
      let onList = rows.filter { contacted.contains($0) }
      let hits = onList.filter { labels[$0] }.count
      func statistic(_ f: @escaping (_ hits: Int, _ contacted: Int, _ events: Int) -> Double) -> ConfidenceInterval {
        options.bootstrap.interval(rows: rows.count, groups: rows.map { groups[$0] }) { sample in
          var h = 0, c = 0, e = 0
          for s in sample {
            let i = rows[s]
            if labels[i] { e += 1 }
            if contacted.contains(i) {
              c += 1
              if labels[i] { h += 1 }
            }
          }
          return f(h, c, e)
        }
      }
      return SubgroupRow(
        value: value, rows: rows.count, events: events, baseRate: Double(events) / Double(rows.count),
        contacted: onList.count, shareOfList: Double(onList.count) / Double(listSize),
        precision: onList.isEmpty ? .nan : Double(hits) / Double(onList.count),
        precisionInterval: statistic { h, c, _ in c > 0 ? Double(h) / Double(c) : .nan },
        recall: events > 0 ? Double(hits) / Double(events) : .nan,
        recallInterval: statistic { h, _, e in e > 0 ? Double(h) / Double(e) : .nan },
        meanPredicted: rows.reduce(0) { $0 + p[$1] } / Double(rows.count))
    }
    // Numbered groups (IMD deciles 1–10) in their own order, missing last; named groups largest first.
    let numbers = rows.map { Double($0.value) }
    if rows.allSatisfy({ Double($0.value) != nil || $0.value == "(missing)" }) && numbers.contains(where: { $0 != nil })
    {
      rows.sort { (Double($0.value) ?? .infinity) < (Double($1.value) ?? .infinity) }
    } else {
      rows.sort { $0.rows > $1.rows }
    }
    let sizeable = rows.filter { $0.rows >= 30 && !$0.recall.isNaN }
    var gap = "no two groups of at least 30 to compare"
    if let low = sizeable.min(by: { $0.recall < $1.recall }), let high = sizeable.max(by: { $0.recall < $1.recall }),
      sizeable.count >= 2
    {
      gap = String(
        format: "recall at capacity ranges from %.0f%% (%@) to %.0f%% (%@): a gap of %.0f percentage point%@",
        100 * low.recall, low.value, 100 * high.recall, high.value, 100 * (high.recall - low.recall),
        (100 * (high.recall - low.recall)).rounded() == 1 ? "" : "s")
    }
    return SubgroupTable(attribute: name, rows: rows, gap: gap)
  }

  /// At most ~200 points, keeping the first and last, for figures.
  static func thin(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
    guard points.count > 200 else { return points }
    let step = Double(points.count - 1) / 199
    return (0..<200).map { points[Int((Double($0) * step).rounded())] }
  }
}

extension ModelEvaluation {
  /// Fewer units or events than this make intervals too wide to compare models by.
  static let smallUnits = 200
  static let smallEvents = 30

  static func cautions(
    bundle: ModelBundle, data: LoadedData, summary s: MetricSummary, uncalibrated: MetricSummary?,
    baselines: [BaselineResult]
  ) -> [String] {
    var out: [String] = []
    if let raw = uncalibrated, s.calibrationError > raw.calibrationError + 0.002 {
      out.append(
        String(
          format: "the model's calibration makes its probabilities less accurate on these data (calibration error "
            + "%.3f without it, %.3f with it); retrain with --calibration none", raw.calibrationError,
          s.calibrationError))
    }
    if Fingerprint.of(data.frame) == bundle.training.dataFingerprint {
      out.append(
        "these are the data the model was trained on (the same fingerprint), so every figure is optimistic; "
          + "evaluate on later data, or use uptake benchmark")
    }
    if s.rows < smallUnits || s.events < smallEvents {
      out.append(
        "only \(s.rows) units and \(s.events) events: the intervals are wide and small differences mean nothing "
          + "(at least \(smallUnits) units and \(smallEvents) events are needed to compare models)")
    }
    for b in baselines where b.kind == .rule && b.atCapacity.hits > s.atCapacity.hits {
      out.append(
        "the simple \(b.name) finds more at capacity (\(b.atCapacity.hits)) than the model "
          + "(\(s.atCapacity.hits)): the model adds nothing here over that rule")
    }
    return out
  }
}

/// Counts bootstrap replicates across every interval of an evaluation and reports them.
final class ReplicateCounter: @unchecked Sendable {
  private let total: Int
  private let report: @Sendable (Int, Int) -> Void
  private var done = 0
  private let lock = NSLock()

  init(total: Int, report: @escaping @Sendable (Int, Int) -> Void) {
    self.total = max(1, total)
    self.report = report
  }

  func tick() {
    lock.lock()
    done += 1
    let now = min(done, total)
    lock.unlock()
    report(now, total)
  }
}

/// A pairwise interaction in an evaluation: its name ("a & b") and how much it moves scores here.
public struct PairSummary: Codable, Equatable, Sendable {
  public var pair: String
  public var meanAbsoluteLogOdds: Double
}
