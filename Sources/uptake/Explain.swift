import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Explain one child's or family's score: every feature's value and exact contribution.",
      discussion: """
        Shows the probability, the baseline, and each feature's value, its contribution to the log-odds and its
        share of the probability gap, largest first. The contributions add up exactly to the unit's log-odds; the
        shares add up to the gap between its probability and the baseline probability. --all writes every unit's
        contributions as one CSV row each.

        Examples:
          uptake explain --model model.json --data next-term --id C10000123
          uptake explain --model benefits.json --data Benefits.csv --id 17 --format json
          uptake explain --model model.json --data next-term --id C10000123 --format csv --out c10000123.csv
          uptake explain --model model.json --data next-term --all --out contributions.csv
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @Option(name: .long, help: "The model bundle from `uptake train`.")
    var model: String
    @OptionGroup var data: DataOptions
    @OptionGroup var progress: ProgressOptions
    @Option(name: .long, help: "The unit's id (for a flat file without an id column, its 1-based data-row number).")
    var id: String?
    @Flag(
      name: .long,
      help: "Every unit, one CSV row each: probability, log-odds, baseline and each feature's contribution.")
    var all = false
    @Option(name: .long, help: "text (default), json, or csv (one row per feature, the baseline first).")
    var format: Format?
    @Option(name: .long, help: "Where to write the explanation (default -: standard output).")
    var out: String = CSVWriter.standardOutput

    func validate() throws {
      guard (id == nil) != !all else { throw ValidationError("give either --id ID (one unit) or --all (every unit)") }
      if all && (format ?? .csv) != .csv {
        throw ValidationError("--all writes CSV; leave out --format or use --format csv")
      }
    }

    func run() throws {
      progress.showing { _ in
        do {
          try checkOutput(out)
          let bundle = try ModelBundle.load(path: model)
          let loaded = try DataLoader.forScoring(data.request(), source: bundle.source)
          if all {
            let scored = try Trace.stage("score") { try ScoredData(bundle: bundle, data: loaded) }
            for note in scored.notes { warn(note) }
            try Trace.stage("write contributions") { try writeAll(scored) }
            summaryPrinter(for: out)(
              "wrote \(out == CSVWriter.standardOutput ? "standard output" : out): \(loaded.frame.unit.counted(loaded.frame.rowCount)), "
                + "\(bundle.schema.features.count) contributions each"
                + (bundle.pairCount > 0 ? " and \(bundle.pairCount) for pairs of features" : ""))
            return
          }
          let id = self.id!
          guard let row = loaded.frame.ids.firstIndex(of: id) else {
            fail(
              "no unit with \(loaded.idName) \(id) in \(data.data); check the id (ids are the \(loaded.idName) column"
                + (loaded.idName == "id" ? ", here 1-based data-row numbers" : "") + ")")
          }
          let scored = try ScoredData(bundle: bundle, data: loaded.selectingRows([row]))
          for note in scored.notes { warn(note) }
          let explanation = Explanation(scored, row: 0)
          let format = self.format ?? .text
          switch format {
          case .csv: try write(csv: explanation)
          case .json, .text:
            let text = (format == .json ? try explanation.json() : explanation.text) + "\n"
            if out == CSVWriter.standardOutput {
              print(text, terminator: "")
            } else {
              try AtomicFile.write(Array(text.utf8), to: out)
            }
          }
        } catch {
          fail("\(error)")
        }
      }
    }
  }
}

extension UptakeCommand.Explain {
  /// One row per feature, largest contribution first, after a `baseline` row: the log-odds column adds up to the
  /// unit's log-odds. Text cells are neutralised against spreadsheet formulas by the writer.
  func write(csv explanation: Explanation) throws {
    let range = explanation.probabilityRange
    let writer = try CSVWriter(
      path: out,
      header: ["id", "probability"] + (range == nil ? [] : ["probability_low", "probability_high"]) + [
        "feature", "value", "log_odds", "probability_share", "reason",
      ])
    func row(_ feature: String, _ value: String, _ logOdds: Double, _ effect: Double?, _ reason: String) {
      writer.field(explanation.id)
      // The learner's own probability: the one the shares add up to (before any calibration).
      writer.field(explanation.probability, decimals: 4)
      // A bagged model's range, on the same scale as `probability`.
      if let range {
        writer.field(range.lowerBound, decimals: 4)
        writer.field(range.upperBound, decimals: 4)
      }
      writer.field(feature)
      writer.field(value)
      writer.field(logOdds, decimals: 4)
      if let effect { writer.field(effect, decimals: 4) } else { writer.missing() }
      writer.field(reason)
      writer.endRow()
    }
    row("baseline", "", explanation.baseline, nil, "")
    for item in explanation.items {
      row(item.feature, item.value, item.logOdds, item.probabilityShare, item.reason)
    }
    try writer.finish()
  }
}

extension UptakeCommand.Explain {
  /// Every unit's contributions, like LightGBM's `pred_contrib`: `baseline + Σ features = log_odds` on each row;
  /// `probability` is the calibrated one a contact list shows.
  func writeAll(_ scored: ScoredData) throws {
    let frame = scored.data.frame
    let names = scored.bundle.schema.names
    let writer = try CSVWriter(
      path: out,
      header: [scored.data.idName] + (frame.groups == nil ? [] : [scored.data.groupName ?? "family_id"])
        + ["probability"] + (scored.probabilityRanges == nil ? [] : ["probability_low", "probability_high"])
        + ["log_odds", "baseline"] + scored.scores.termNames(names))
    let phi = scored.scores.contributions
    for row in 0..<frame.rowCount {
      writer.field(frame.ids[row])
      if let groups = frame.groups { writer.field(groups[row]) }
      writer.field(scored.probabilities[row], decimals: 6)
      if let range = scored.probabilityRanges?[row] {
        writer.field(range.lowerBound, decimals: 6)
        writer.field(range.upperBound, decimals: 6)
      }
      writer.field(scored.scores.margins[row], decimals: 6)
      writer.field(scored.scores.baseline, decimals: 6)
      for j in 0..<phi.columns { writer.field(phi.storage[j * phi.rows + row], decimals: 6) }
      writer.endRow()
    }
    try writer.finish()
  }
}

extension LoadedData {
  /// The rows `rows` only.
  func selectingRows(_ rows: [Int]) -> LoadedData {
    var copy = self
    copy.frame = frame.selecting(rows)
    return copy
  }
}
