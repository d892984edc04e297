import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the feature matrix a model sees, to inspect it.",
      discussion: """
        PATH is a folder of linked records with uptake.yaml (features at each row's as-of date, nothing dated or
        recorded on or after it), a SQLite file with a config, or one CSV or .xlsx with a row per unit (--target and
        --event name the outcome). A unit whose outcome window is not over by the end of the data is written with an
        empty outcome.

        Examples:
          uptake features --data demo-data --out features.csv
          uptake features --data demo-data --as-of 2024-01-01 --out features.csv
          uptake features --data Benefits.csv --target ui --event no --out features.csv
          uptake features --data export.csv --target took_up --event no --date-format DD/MM/YYYY --out features.csv
        """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var progress: ProgressOptions

    @OptionGroup var flat: FlatFileOptions

    @Option(name: .long, help: "Where to write the CSV (- streams it to standard output).")
    var out: String

    func run() throws {
      progress.showing { _ in
        do {
          try checkOutput(out)
          let loaded = try DataLoader.forInspection(data.request(flat: flat.flatFile))
          for note in loaded.frame.notes { warn(note) }
          let labelName: String
          switch loaded.source {
          case .flatFile: labelName = loaded.source.flatFile!.target
          case .linkedRecords: labelName = loaded.frame.labels == nil ? "label" : loaded.outcomeName ?? "label"
          }
          try Trace.stage("write features") { try loaded.frame.write(to: out, labelName: labelName) }
          let say = summaryPrinter(for: out)
          let target = out == CSVWriter.standardOutput ? "standard output" : out
          say("wrote \(target): \(loaded.frame.rowCount) rows, \(loaded.frame.features.count) features")
          for line in dataSummary(loaded) { say(line) }
          if loaded.frame.censoredCount > 0 {
            say("  outcome:    empty for \(loaded.frame.censoredCount) whose outcome window is not over yet")
          }
        } catch {
          fail("\(error)")
        }
      }
    }
  }
}
