import Foundation
import Learn
import Records

/// Writes an evaluation as a Markdown report with SVG figures, a transparency record, and the numbers as JSON.
public struct EvaluationReport: ReportNumbers {
  public var evaluation: ModelEvaluation
  public var bundle: ModelBundle
  /// Who runs the model, for the transparency record ("not stated" when nil).
  public var owner: String?

  public init(evaluation: ModelEvaluation, bundle: ModelBundle, owner: String? = nil) {
    self.evaluation = evaluation
    self.bundle = bundle
    self.owner = owner
  }

  /// One sentence per metric, shown in every report (and in the README), counting in `unit`s.
  public static func definitions(_ unit: UnitName) -> [(String, String)] {
    [
      (
        "AUC",
        "the chance that a \(unit.singular) who did not take up scores above one who did (0.5 is a coin toss, 1 is perfect)."
      ),
      ("average precision", "the mean precision over every length of list, weighted by the recall each step adds."),
      ("log loss", "the mean of −log(probability given to what happened); lower is better."),
      ("Brier score", "the mean squared gap between the probability and what happened (0 or 1); lower is better."),
      (
        "calibration error (ECE)",
        "over ten equal-width probability bins, the row-weighted mean gap between the predicted and the observed rate."
      ),
      ("precision at K", "of the K \(unit.plural) on the list, the share who would otherwise have missed out."),
      ("recall at K", "of all \(unit.plural) who would miss out, the share on the list of K."),
      ("lift at K", "precision at K divided by the base rate: how many times better than a random list."),
      (
        "PSI",
        "population stability index, Σ (new share − training share) · ln(new / training) over fixed bins; above \(DriftLevel.moderatePSI) is a moderate shift, above \(DriftLevel.majorPSI) a major one."
      ),
    ]
  }

  /// Writes `report.md`, `report.html` (one self-contained page), `transparency.md`, `evaluation.json` and
  /// `figures/*.svg` into `folder`, each atomically.
  /// - Returns: the paths written.
  @discardableResult
  public func write(to folder: String) throws -> [String] {
    let figures = charts().map { ("figures/" + $0.0, $0.1) }
    let markdown = self.markdown
    let page = HTMLPage(
      title: "Evaluation: \(evaluation.learner.rawValue) model", markdown: markdown,
      figures: Dictionary(figures, uniquingKeysWith: { a, _ in a }))
    let top = [
      ("report.md", markdown),
      ("report.html", page.html),
      ("transparency.md", TransparencyRecord(evaluation: evaluation, bundle: bundle, owner: owner).markdown),
      ("evaluation.json", try json()),
    ]
    return try Self.writeFiles(top: top, figures: figures, to: folder)
  }

  /// Writes a report's files into `folder` and its `figures/`, each atomically, after checking every destination
  /// before any file (or the figures folder) is made; returns the paths written. Shared by the impact report.
  static func writeFiles(top: [(String, String)], figures: [(String, String)], to folder: String) throws -> [String] {
    try OutputFolder.make(folder)
    try OutputFolder.checkDestinations(top.map { folder + "/" + $0.0 })
    try OutputFolder.make(folder + "/figures")
    try OutputFolder.checkDestinations(figures.map { folder + "/" + $0.0 })
    for (name, text) in figures + top { try AtomicFile.write(Array(text.utf8), to: folder + "/" + name) }
    return (figures + top).map { folder + "/" + $0.0 }
  }

  func charts() -> [(String, String)] {
    let e = evaluation
    var out: [(String, String)] = []
    out.append(
      (
        "roc.svg",
        LineChart(
          title: "ROC curve", xLabel: "false positive rate", yLabel: "true positive rate",
          series: [.init(name: String(format: "%@ (AUC %.3f)", e.learner.rawValue, e.summary.auc), points: e.roc)],
          diagonal: true
        ).svg
      ))
    out.append(
      (
        "precision-recall.svg",
        LineChart(
          title: "Precision–recall curve", xLabel: "recall", yLabel: "precision",
          series: [
            .init(
              name: String(format: "%@ (AP %.3f)", e.learner.rawValue, e.summary.averagePrecision),
              points: e.precisionRecall)
          ], horizontalLine: e.summary.baseRate
        ).svg
      ))
    var reliability: [LineChart.Series] = [
      .init(
        name: bundle.calibration == nil ? "model" : "calibrated",
        points: e.reliability.bins.map { ($0.predicted, $0.observed) }, markers: true)
    ]
    if let raw = e.uncalibratedReliability {
      reliability.append(
        .init(
          name: "before calibration", points: raw.bins.map { ($0.predicted, $0.observed) }, dashed: true, markers: true)
      )
    }
    out.append(
      (
        "reliability.svg",
        LineChart(
          title: "Reliability", xLabel: "mean predicted probability", yLabel: "observed rate", series: reliability,
          diagonal: true
        ).svg
      ))
    let maxLift = max(1.5, (e.liftCurve.map(\.y).max() ?? 1) * 1.1)
    out.append(
      (
        "lift.svg",
        LineChart(
          title: "Lift by share of \(e.unit.plural) contacted", xLabel: "share of \(e.unit.plural) contacted",
          yLabel: "lift",
          yRange: 0...maxLift, series: [.init(name: e.learner.rawValue, points: e.liftCurve)], horizontalLine: 1,
          verticalLine: (
            Double(e.summary.capacity) / Double(max(1, e.summary.rows)), "capacity \(e.summary.capacity)"
          )
        ).svg
      ))
    for table in e.subgroups {
      out.append(
        (
          "subgroup-\(Self.slug(table.attribute)).svg",
          BarChart(
            title: "Recall at capacity by \(table.attribute)", valueLabel: "recall at K (95% interval)",
            bars: table.rows.prefix(25).map {
              .init(
                label: "\($0.value) (n=\($0.rows))", value: $0.recall,
                interval: ($0.recallInterval.lower, $0.recallInterval.upper))
            },
            referenceLines: [(e.summary.atCapacity.recall, "all")]
          ).svg
        ))
    }
    out.append(
      (
        "drift.svg",
        BarChart(
          title: "Drift from the training data (PSI)", valueLabel: "population stability index",
          bars: (e.drift + [e.scoreDrift]).map { .init(label: $0.name, value: $0.psi) },
          referenceLines: [DriftLevel.moderatePSI, DriftLevel.majorPSI].map { ($0, "\($0)") }
        ).svg
      ))
    // One log-odds scale for every feature, so a feature worth ±0.006 looks as small as it is beside one worth ±0.6.
    let width = ScoredData.rangeWidth
    var contributions: [Double] = [0]
    for bin in e.shapes.flatMap(\.bins) {
      let reach = width * (bin.spread ?? 0)
      contributions += [bin.logOdds - reach, bin.logOdds + reach].filter(\.isFinite)
    }
    let pad = max(0.05, ((contributions.max() ?? 0) - (contributions.min() ?? 0)) * 0.05)
    let shared = ((contributions.min() ?? 0) - pad)...((contributions.max() ?? 0) + pad)
    for shape in e.shapes {
      out.append(
        (
          "shape-\(Self.slug(shape.feature)).svg",
          BarChart(
            title: "\(shape.feature): mean contribution by value", valueLabel: "log-odds of not taking up",
            bars: shape.bins.map { bin in
              .init(
                label: "\(bin.label) (n=\(bin.rows))", value: bin.logOdds,
                interval: bin.spread.map { (bin.logOdds - width * $0, bin.logOdds + width * $0) })
            }, range: shared
          ).svg
        ))
    }
    return out
  }

  static func slug(_ text: String) -> String {
    String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
  }

  /// The report in Markdown, section by section (`HTMLPage` renders it for report.html).
  var markdown: String {
    let sections = [header, inShort, metrics, alternatives, calibration, groups, drift, shapes, limits]
    return sections.flatMap { $0 }.joined(separator: "\n") + "\n"
  }

  /// The title, the data and the model, and the cautions.
  private var header: [String] {
    let e = evaluation, s = e.summary
    var lines: [String] = []
    lines.append("# Evaluation: \(e.learner.rawValue) model")
    lines.append("")
    lines.append(
      "Data: \(e.dataDescription). \(e.unit.counted(s.rows)), \(s.events) of whom did not take up (base rate \(pct(s.baseRate)))."
    )
    lines.append(
      "Model: trained \(bundle.training.trainedAt) on \(bundle.training.rows) rows (\(bundle.training.dataDescription))"
        + (bundle.calibration.map { " and calibrated (\(Self.name(of: $0)))" } ?? "") + ".")
    lines.append("")
    for caution in e.cautions { lines.append("> **Caution:** \(caution).") }
    if !e.cautions.isEmpty { lines.append("") }
    return lines
  }

  /// What the list finds at capacity against a random list and the simple rule; drift and group gaps.
  private var inShort: [String] {
    let e = evaluation, s = e.summary
    var lines: [String] = []
    lines.append("## In short")
    lines.append("")
    let random = Double(s.capacity) * s.baseRate
    var short =
      "Of the **\(s.capacity)** \(e.unit.plural) the team can contact, the model's list holds **\(s.atCapacity.hits)** who "
      + "would otherwise have missed out: precision \(pct(s.atCapacity.precision)) (95% interval \(ci(s.precisionInterval, percent: true))), "
      + "\(pct(s.atCapacity.recall)) of everyone who missed out (\(ci(s.recallInterval, percent: true))). "
      + String(format: "A random list of %d would hold about %.0f", s.capacity, random)
    if let rule = e.baselines.first(where: { $0.kind == .rule }) {
      short += "; the simple \(rule.name) would hold \(rule.atCapacity.hits)"
    }
    short += "."
    lines.append(short)
    let flagged = (e.drift + [e.scoreDrift]).filter(\.isShifted)
    lines.append("")
    lines.append(
      flagged.isEmpty
        ? "The data look like the training data (no feature or score shifted by PSI ≥ \(DriftLevel.moderatePSI))."
        : "Drift: "
          + flagged.map {
            "\($0.name) (\($0.level), PSI \(f($0.psi)))"
          }
          .joined(separator: ", ") + " — check these before relying on the scores.")
    for table in e.subgroups { lines.append(""); lines.append("By \(table.attribute): \(table.gap).") }
    lines.append("")
    return lines
  }

  /// The headline metrics with their intervals, and what each means.
  private var metrics: [String] {
    let e = evaluation, s = e.summary
    var lines: [String] = []
    lines.append("## Metrics")
    lines.append("")
    lines.append("| metric | value | 95% interval |")
    lines.append("|---|---|---|")
    lines.append("| AUC | \(f(s.auc)) | \(ci(s.aucInterval)) |")
    lines.append("| average precision | \(f(s.averagePrecision)) | |")
    lines.append("| log loss | \(f(s.logLoss)) | |")
    lines.append("| Brier score | \(f(s.brier)) | |")
    lines.append("| calibration error (ECE) | \(f(s.calibrationError)) | |")
    lines.append(
      "| precision at K = \(s.capacity) | \(pct(s.atCapacity.precision)) | \(ci(s.precisionInterval, percent: true)) |")
    lines.append(
      "| recall at K = \(s.capacity) | \(pct(s.atCapacity.recall)) | \(ci(s.recallInterval, percent: true)) |")
    lines.append("| lift at K = \(s.capacity) | \(f(s.atCapacity.lift, 2)) | |")
    lines.append(
      "| precision / recall at probability ≥ \(f(s.threshold, 2)) (\(e.unit.counted(s.atThreshold.contacted))) | "
        + "\(pct(s.atThreshold.precision)) / \(pct(s.atThreshold.recall)) | |")
    lines.append("")
    lines.append(
      "Intervals: \(e.bootstrap.replicates) bootstrap resamples of \(e.resampledByFamily ? "whole families" : "rows") (seed \(e.bootstrap.seed)), percentile method."
    )
    lines.append("")
    for (name, definition) in Self.definitions(e.unit) { lines.append("- **\(name)**: \(definition)") }
    lines.append("")
    return lines
  }

  /// The model against a random list and the simple rule, with the ROC, precision-recall and lift figures.
  private var alternatives: [String] {
    let e = evaluation, s = e.summary
    var lines: [String] = []
    lines.append("## Against simple alternatives")
    lines.append("")
    lines.append("| list | AUC | average precision | found at K = \(s.capacity) | precision at K | recall at K |")
    lines.append("|---|---|---|---|---|---|")
    lines.append(
      "| **\(e.learner.rawValue) model** | \(f(s.auc)) | \(f(s.averagePrecision)) | \(s.atCapacity.hits) | "
        + "\(pct(s.atCapacity.precision)) | \(pct(s.atCapacity.recall)) |")
    for b in e.baselines {
      lines.append(
        "| \(b.name) | \(f(b.auc)) | \(f(b.averagePrecision)) | \(b.atCapacity.hits) | \(pct(b.atCapacity.precision)) | "
          + "\(pct(b.atCapacity.recall)) |")
    }
    lines.append("")
    lines.append("![ROC curve](figures/roc.svg) ![Precision–recall curve](figures/precision-recall.svg)")
    lines.append("")
    lines.append("![Lift](figures/lift.svg)")
    lines.append("")
    return lines
  }

  /// Reliability tables (before and after calibration, when calibrated).
  private var calibration: [String] {
    let e = evaluation, s = e.summary
    var lines: [String] = []
    lines.append("## Calibration")
    lines.append("")
    lines.append(
      "Do the probabilities mean what they say? Each row is a probability bin: the mean predicted probability against the share who did not take up."
    )
    lines.append("")
    if let raw = e.uncalibratedReliability, let rawSummary = e.uncalibratedSummary {
      lines.append(
        "Before calibration: ECE \(f(rawSummary.calibrationError)), Brier \(f(rawSummary.brier)); after: ECE "
          + "\(f(s.calibrationError)), Brier \(f(s.brier)).")
      lines.append("")
      lines.append(Self.reliabilityTable(raw, title: "before calibration", unit: e.unit))
      lines.append("")
    }
    lines.append(
      Self.reliabilityTable(
        e.reliability, title: bundle.calibration == nil ? "model" : "after calibration", unit: e.unit))
    lines.append("")
    lines.append("![Reliability](figures/reliability.svg)")
    lines.append("")
    return lines
  }

  /// Each protected attribute and --by column: the list's precision and recall per group.
  private var groups: [String] {
    let e = evaluation, s = e.summary
    var lines: [String] = []
    lines.append("## Groups of \(e.unit.plural)")
    lines.append("")
    lines.append(
      "For each group: its size, its rate of not taking up, its share of the contact list of \(s.capacity), and how well "
        + "the list serves it (precision and recall at K, with 95% intervals), and the mean predicted probability "
        + "against the observed rate (calibration within the group).")
    for table in e.subgroups {
      lines.append("")
      lines.append("### \(table.attribute)")
      lines.append("")
      lines.append("**\(table.gap.prefix(1).uppercased() + table.gap.dropFirst()).**")
      lines.append("")
      lines.append(
        "| group | \(e.unit.plural) | base rate | on list | share of list | precision at K | recall at K | predicted | observed |"
      )
      lines.append("|---|---|---|---|---|---|---|---|---|")
      for r in table.rows.prefix(40) {
        lines.append(
          "| \(r.value) | \(r.rows) | \(pct(r.baseRate)) | \(r.contacted) | \(pct(r.shareOfList)) | \(pct(r.precision)) "
            + "(\(ci(r.precisionInterval, percent: true))) | \(pct(r.recall)) (\(ci(r.recallInterval, percent: true))) | "
            + "\(pct(r.meanPredicted)) | \(pct(r.baseRate)) |")
      }
      if table.rows.count > 40 {
        lines.append("| … \(table.rows.count - 40) more groups in evaluation.json | | | | | | | | |")
      }
      lines.append("")
      lines.append("![Recall by \(table.attribute)](figures/subgroup-\(Self.slug(table.attribute)).svg)")
    }
    if e.subgroups.isEmpty { lines.append("No protected attributes or --by columns were given.") }
    lines.append("")
    return lines
  }

  /// PSI per feature and for the score.
  private var drift: [String] {
    let e = evaluation
    var lines: [String] = []
    lines.append("## Drift from the training data")
    lines.append("")
    lines.append("| | PSI | |")
    lines.append("|---|---|---|")
    for d in e.drift + [e.scoreDrift] { lines.append("| \(d.name) | \(f(d.psi)) | \(d.level) |") }
    lines.append("")
    lines.append("![Drift](figures/drift.svg)")
    lines.append("")
    return lines
  }

  /// The shape figures and the pairwise interactions.
  private var shapes: [String] {
    let e = evaluation
    var lines: [String] = []
    lines.append("## What each feature does")
    lines.append("")
    lines.append(
      (e.pairs.isEmpty
        ? "The model is a sum of one shape per feature."
        : "The model is a sum of one shape per feature and \(e.pairs.count) pairwise interaction"
          + (e.pairs.count == 1 ? "" : "s") + " (below the figures).")
        + " Each figure shows, for the \(e.unit.plural) in these data, the mean "
        + "contribution (log-odds of not taking up) of each range or value of the feature."
        + (e.bags.map {
          " The whiskers reach two standard deviations either side, across the \($0) bagged models: how much "
            + "that part of the shape moves with the sample the model was trained on."
        } ?? ""))
    lines.append("")
    for shape in e.shapes { lines.append("![\(shape.feature)](figures/shape-\(Self.slug(shape.feature)).svg)") }
    lines.append("")
    if !e.pairs.isEmpty {
      lines.append(
        "Pairwise interactions: each is one more term of every score, a table over the two features' values together, "
          + "given on lists and in explanations as one joint reason. Mean absolute contribution (log-odds) here:")
      lines.append("")
      lines.append("| pair | mean \\|contribution\\| |")
      lines.append("|---|---|")
      for pair in e.pairs { lines.append("| \(pair.pair) | \(f(pair.meanAbsoluteLogOdds)) |") }
      lines.append("")
    }
    return lines
  }

  /// What the figures cannot say, and where the transparency record is.
  private var limits: [String] {
    let e = evaluation
    var lines: [String] = []
    lines.append("## Limits")
    lines.append("")
    lines.append("- These figures hold for these data; a later term can differ (see the drift section).")
    lines.append("- A group's interval is wide when the group is small; gaps between small groups may be noise.")
    lines.append(
      "- The list ranks \(e.unit.plural) for an offer of help; it must not be used to withhold a service or to decide anything about a \(e.unit.singular) or a family."
    )
    lines.append("")
    lines.append("The transparency record for this model is in [transparency.md](transparency.md).")
    return lines
  }

  static func reliabilityTable(_ table: ReliabilityTable, title: String, unit: UnitName) -> String {
    var lines = ["| probability bin (\(title)) | \(unit.plural) | mean predicted | observed |", "|---|---|---|---|"]
    for b in table.bins {
      lines.append(
        String(format: "| %.1f–%.1f | %d | %.3f | %.3f |", b.lower, b.upper, b.count, b.predicted, b.observed))
    }
    lines.append(String(format: "\nExpected calibration error: %.3f.", table.expectedCalibrationError))
    return lines.joined(separator: "\n")
  }

  static func name(of calibrator: Calibrator) -> String {
    switch calibrator {
    case .platt: return "Platt scaling"
    case .isotonic: return "isotonic regression"
    }
  }

  func json() throws -> String {
    struct Document: Encodable {
      var data: String
      var learner: String
      var cautions: [String]
      var summary: MetricSummary
      var uncalibratedSummary: MetricSummary?
      var reliability: ReliabilityTable
      var baselines: [BaselineResult]
      var subgroups: [SubgroupTable]
      var drift: [DriftRow]
      var pairs: [PairSummary]?
    }
    let e = evaluation
    let encoder = JSONCoding.encoder(pretty: true)
    let document = Document(
      data: e.dataDescription, learner: e.learner.rawValue, cautions: e.cautions, summary: e.summary,
      uncalibratedSummary: e.uncalibratedSummary,
      reliability: e.reliability, baselines: e.baselines, subgroups: e.subgroups, drift: e.drift + [e.scoreDrift],
      pairs: e.pairs.isEmpty ? nil : e.pairs)
    return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
  }
}
