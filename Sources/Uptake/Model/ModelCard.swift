import Foundation
import Learn

/// A short model card in Markdown: what the model predicts, from which data, how well, and its limits.
public struct ModelCard: Sendable {
  public var bundle: ModelBundle
  public var name: String

  public init(bundle: ModelBundle, name: String) {
    self.bundle = bundle
    self.name = name
  }

  public var markdown: String {
    let t = bundle.training
    var lines: [String] = []
    lines.append("# Model card: \(name)")
    lines.append("")
    lines.append("_Written by uptake \(t.uptakeVersion) with the model file `\(name).json`; trained \(t.trainedAt)._")
    lines.append("")
    lines.append("## What it predicts")
    switch bundle.source {
    case .flatFile:
      let flat = bundle.source.flatFile!
      lines.append(
        "The probability that `\(flat.target)` is `\(flat.event)` for each row of a CSV file of the same shape.")
    case .linkedRecords:
      lines.append(
        "For each unit of the population in `uptake.yaml`, the probability of the outcome defined there (for the "
          + "demo council: no funded two-year-old place starting within 120 days of eligibility), from records "
          + "dated and recorded before each unit's as-of date.")
    }
    lines.append(
      "It ranks families for outreach; it does not decide anything about a family. Every score comes with "
        + "its reasons (`uptake explain`), so a worker can check them against what they know.")
    lines.append("")
    lines.append("## Data")
    lines.append("- Source: \(t.dataDescription)")
    lines.append(
      "- Rows: \(t.rows) with an outcome (\(t.events) events, \(percent(Double(t.events) / Double(max(1, t.rows)))))"
        + (t.rowsLeftOut > 0 ? "; \(t.rowsLeftOut) left out: \(t.leftOutReason ?? "as the request asked")" : ""))
    if let end = t.dataUntil { lines.append("- Data until: \(end)") }
    if let range = t.asOfRange { lines.append("- As-of dates: \(range[0]) to \(range[1])") }
    lines.append("- Data fingerprint (a 64-bit hash of ids, outcomes and features): `\(t.dataFingerprint)`")
    lines.append("")
    lines.append("## Model")
    lines.append(bundle.learner.model.summary)
    if let search = t.penaltySearchSentence { lines.append("The penalty: \(search).") }
    lines.append("Seed \(t.seed), \(t.threads) threads, fitted in \(String(format: "%.2f", t.fitSeconds)) s.")
    lines.append("")
    lines.append("## How well it does")
    lines.append(
      "Validated " + t.validationDescription + ": AUC \(String(format: "%.3f", t.validation.auc)), "
        + "log loss \(String(format: "%.3f", t.validation.logLoss)), base rate \(percent(t.validation.baseRate))"
        + (bundle.refitSentence.map { "; " + $0 } ?? "") + ".")
    lines.append("")
    lines.append("## Features and their reasons")
    lines.append("")
    lines.append("| feature | kind | reason template |")
    lines.append("|---|---|---|")
    for f in bundle.schema.features {
      lines.append("| \(f.name) | \(f.kind.rawValue) | \(f.reason.replacingOccurrences(of: "|", with: "\\|")) |")
    }
    lines.append("")
    if let protected = t.protectedFeatures, !protected.isEmpty {
      lines.append(
        "**Protected attributes used as features:** \(protected.joined(separator: ", ")). Families are scored partly "
          + "by them; " + FeatureSchema.reasonWording(of: protected, needs: bundle.schema.needReasons)
          + ". This was a choice made in `uptake.yaml`, and it should be justified in the transparency record.")
      lines.append("")
    }
    lines.append("## Limits")
    lines.append(
      "- Measured on held-out families from the same period; a new term's data can differ. Check it on new data "
        + "before relying on it.")
    lines.append(
      "- Calibration, results for groups of families and drift are not in this card: run `uptake evaluate` on the "
        + "latest labelled data (it writes a report and a transparency record) before relying on the list.")
    if case .linkedRecords = bundle.source {
      lines.append(
        "- The demo models are trained on synthetic records: they show how the tool works, not facts about any council."
      )
    }
    if !t.warnings.isEmpty {
      lines.append("- Training notes: " + t.warnings.joined(separator: "; "))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
}
