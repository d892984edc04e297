import ArgumentParser
import Foundation
import Learn
import Records
import Uptake

extension UptakeCommand {
  struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a trained model on new labelled data: metrics, calibration, groups, drift, baselines.",
      discussion: """
        Reads PATH with the model's own outcome definition, scores it, and reports in the terms an outreach team
        lives by: of the K families it can contact, how many would otherwise have missed out, with bootstrap
        intervals; whether the probabilities mean what they say; results for each protected attribute and --by
        column; drift from the training data (PSI); and the same list drawn by a simple rule and at random.
        With --report DIR it writes report.md (with SVG figures), transparency.md and evaluation.json.

        Examples:
          uptake evaluate --model model.json --data next-term --capacity 300 --by ward --report report
          uptake evaluate --model benefits.json --data Benefits.csv --capacity 500
        """
    )

    @Option(name: .long, help: "The model bundle from `uptake train`.")
    var model: String
    @OptionGroup var data: DataOptions
    @OptionGroup var progress: ProgressOptions
    @OptionGroup var flags: EvaluationFlags
    @Option(name: .long, parsing: .upToNextOption, help: "Columns to report subgroups for (e.g. ward imd_decile).")
    var by: [String] = []
    @Option(name: .long, help: "Who runs the model, for the transparency record.")
    var owner: String?

    func run() throws {
      progress.showing { display in
        do {
          if let report = flags.report {
            try OutputFolder.checkBeforeWork(
              report, files: ["report.md", "report.html", "transparency.md", "evaluation.json"])
          }
          var bundle = try ModelBundle.load(path: model)
          if let rule = flags.rule {
            guard bundle.schema.names.contains(rule.feature) else {
              fail(
                "--rule names \(rule.feature), which is not a feature of the model; features: "
                  + bundle.schema.names.joined(separator: ", "))
            }
            bundle.baselineRule = rule
          }
          let loaded = try DataLoader.forEvaluation(data.request(extras: by), source: bundle.source)
          for note in loaded.frame.notes { warn(note) }
          var options = EvaluationOptions(
            capacity: flags.capacity, by: by, bootstrap: flags.resampling.bootstrap())
          if let display {
            options.progress = { done, total in display.update("evaluating (bootstrap)", done, of: total) }
          }
          let evaluation = try Trace.stage("evaluate (scores, metrics, bootstrap)") {
            try ModelEvaluation(bundle: bundle, data: loaded, options: options)
          }
          let s = evaluation.summary
          print("evaluated the \(bundle.learner.kind.rawValue) model on \(loaded.description)")
          for caution in evaluation.cautions { print("  caution: \(caution)") }
          print(
            String(
              format: "  %@: %d, did not take up: %d (base rate %.3f)", evaluation.unit.plural, s.rows, s.events,
              s.baseRate))
          for line in dataSummary(loaded) { print(line) }
          print(
            String(
              format:
                "  AUC %.3f (95%% %.3f–%.3f), average precision %.3f, log loss %.3f, Brier %.3f, calibration error %.3f",
              s.auc, s.aucInterval.lower, s.aucInterval.upper, s.averagePrecision, s.logLoss, s.brier,
              s.calibrationError)
          )
          print(
            String(
              format:
                "  at capacity %d: %d found, precision %.3f (95%% %.3f–%.3f), recall %.3f (95%% %.3f–%.3f), lift %.2f",
              s.capacity, s.atCapacity.hits, s.atCapacity.precision, s.precisionInterval.lower,
              s.precisionInterval.upper,
              s.atCapacity.recall, s.recallInterval.lower, s.recallInterval.upper, s.atCapacity.lift))
          for b in evaluation.baselines {
            print(String(format: "  baseline %@: AUC %.3f, %d found at capacity", b.name, b.auc, b.atCapacity.hits))
          }
          for table in evaluation.subgroups { print("  by \(table.attribute): \(table.gap)") }
          let shifted = (evaluation.drift + [evaluation.scoreDrift]).filter(\.isShifted)
          print(
            "  drift: "
              + (shifted.isEmpty
                ? "none (every PSI below \(DriftLevel.moderatePSI))"
                : shifted.map { String(format: "%@ %.3f (%@)", $0.name, $0.psi, $0.level.rawValue) }.joined(
                  separator: ", ")))
          if let report = flags.report {
            let written = try Trace.stage("write report") {
              try EvaluationReport(evaluation: evaluation, bundle: bundle, owner: owner).write(to: report)
            }
            print(
              "wrote \(report)/report.md, report.html, transparency.md, evaluation.json and \(written.count - 4) figures"
            )
          }
        } catch {
          fail("\(error)")
        }
      }
    }
  }
}
