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
        effect on the probability, largest first. The contributions add up exactly to the unit's log-odds.

        Examples:
          uptake explain --model model.json --data next-term --id C10000123
          uptake explain --model benefits.json --data Benefits.csv --id 17 --format json
          uptake explain --model model.json --data next-term --id C10000123 --format csv --out c10000123.csv
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @Option(name: .long, help: "The model bundle from `uptake train`.")
    var model: String
    @OptionGroup var data: DataOptions
    @Option(name: .long, help: "The unit's id (for a flat file without an id column, its 1-based data-row number).")
    var id: String
    @Option(name: .long, help: "text, json, or csv (one row per feature, the baseline first).")
    var format: Format = .text
    @Option(name: .long, help: "Where to write the explanation (default -: standard output).")
    var out: String = CSVWriter.standardOutput

    func run() throws {
      do {
        try checkOutput(out)
        let bundle = try ModelBundle.load(path: model)
        let loaded = try DataLoader.forScoring(data.request(), source: bundle.source)
        guard let row = loaded.frame.ids.firstIndex(of: id) else {
          fail(
            "no unit with \(loaded.idName) \(id) in \(data.data); check the id (ids are the \(loaded.idName) column"
              + (loaded.idName == "id" ? ", here 1-based data-row numbers" : "") + ")")
        }
        let scored = try ScoredData(bundle: bundle, data: loaded.selectingRows([row]))
        for note in scored.notes { warn(note) }
        let explanation = Explanation(scored, row: 0)
        switch format {
        case .csv: try write(csv: explanation)
        case .json, .text:
          let text = (format == .json ? explanation.json : explanation.text) + "\n"
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

extension UptakeCommand.Explain {
  /// One row per feature, largest contribution first, after a `baseline` row: the log-odds column adds up to the
  /// unit's log-odds. Text cells are neutralised against spreadsheet formulas by the writer.
  func write(csv explanation: Explanation) throws {
    let writer = try CSVWriter(
      path: out, header: ["id", "probability", "feature", "value", "log_odds", "probability_effect", "reason"])
    func row(_ feature: String, _ value: String, _ logOdds: Double, _ effect: Double?, _ reason: String) {
      writer.field(explanation.id)
      writer.field(explanation.calibratedProbability ?? explanation.probability, decimals: 4)
      writer.field(feature)
      writer.field(value)
      writer.field(logOdds, decimals: 4)
      if let effect { writer.field(effect, decimals: 4) } else { writer.missing() }
      writer.field(reason)
      writer.endRow()
    }
    row("baseline", "", explanation.baseline, nil, "")
    for item in explanation.items {
      row(item.feature, item.value, item.logOdds, item.probabilityEffect, item.reason)
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
