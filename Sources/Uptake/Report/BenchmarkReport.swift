import Foundation
import Learn

/// The benchmark's leaderboard as a Markdown table, and its report folder: leaderboard.md, .html, .json and figures.
extension Benchmark: ReportNumbers {
  /// The leaderboard as a Markdown table.
  public var table: String {
    var lines = [
      "| | AUC (95% interval) | average precision | log loss | Brier | ECE | found at K = \(capacity) | precision at K (95% interval) | lift | fit | score |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows {
      lines.append(
        "| \(r.name) | \(f(r.auc))"
          + (r.aucInterval.lower.isNaN ? "" : " (\(f(r.aucInterval.lower))–\(f(r.aucInterval.upper)))")
          + " | \(f(r.averagePrecision)) | "
          + "\(f(r.logLoss)) | \(f(r.brier)) | \(f(r.calibrationError)) | \(r.atCapacity.hits) | "
          + "\(f(r.atCapacity.precision))"
          + (r.precisionInterval.lower.isNaN
            ? "" : " (\(f(r.precisionInterval.lower))–\(f(r.precisionInterval.upper)))") + " | "
          + "\(f(r.atCapacity.lift, 2)) | \(f(r.fitSeconds, 2)) s | \(f(r.scoreSeconds, 2)) s |")
    }
    return lines.joined(separator: "\n")
  }

  /// What the curves are drawn on, in the words of the validation scheme.
  var curveScope: String {
    if case .temporal = scheme { return "latest as-of dates, held out" }
    return "out of fold"
  }

  /// Writes `leaderboard.md`, `leaderboard.json` and ROC / precision–recall figures into `folder`.
  @discardableResult
  public func write(to folder: String) throws -> [String] {
    let figures = [
      (
        "figures/benchmark-roc.svg",
        LineChart(
          title: "ROC curves (\(curveScope))", xLabel: "false positive rate", yLabel: "true positive rate",
          series: curves.map { .init(name: $0.name, points: $0.roc) }, diagonal: true
        ).svg
      ),
      (
        "figures/benchmark-precision-recall.svg",
        LineChart(
          title: "Precision–recall curves (\(curveScope))", xLabel: "recall", yLabel: "precision",
          series: curves.map { .init(name: $0.name, points: $0.pr) }
        ).svg
      ),
    ]
    var lines = [
      "# Benchmark", "",
      "Data: \(dataDescription). Scheme: \(schemeDescription). \(unit.counted(rowsTested)) tested, \(eventsTested) of whom did not take up "
        + String(format: "(base rate %.1f%%).", 100 * Double(eventsTested) / Double(max(1, rowsTested))),
      "Every learner was trained and tested on the same rows; the rule was chosen on each training part; intervals "
        + "are bootstrap resamples of " + (resampledByFamily ? "whole families." : "rows."),
      "", table, "",
      "![ROC curves](figures/benchmark-roc.svg) ![Precision–recall curves](figures/benchmark-precision-recall.svg)", "",
    ]
    lines += EvaluationReport.definitions(unit).map { "- **\($0.0)**: \($0.1)" }
    let top = [
      ("leaderboard.md", lines.joined(separator: "\n") + "\n"),
      (
        "leaderboard.html",
        HTMLPage(
          title: "Benchmark", markdown: lines.joined(separator: "\n"),
          figures: Dictionary(figures, uniquingKeysWith: { a, _ in a })
        ).html
      ),
      ("leaderboard.json", String(decoding: try JSONCoding.encoder(pretty: true).encode(rows), as: UTF8.self) + "\n"),
    ]
    return try EvaluationReport.writeFiles(top: top, figures: figures, to: folder)
  }
}
