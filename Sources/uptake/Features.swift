import ArgumentParser
import Foundation
import Records

extension UptakeCommand {
  struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the feature matrix a model sees, to inspect it.",
      discussion: """
        PATH is a folder of linked records with uptake.yaml (features at each row's as-of date, nothing dated or
        recorded on or after it), or one CSV with a row per unit (--target and --event name the outcome).

        Examples:
          uptake features --data demo-data --out features.csv
          uptake features --data demo-data --as-of 2024-01-01 --out features.csv
          uptake features --data Benefits.csv --target ui --event no --out features.csv
        """
    )

    @Option(name: .long, help: "A folder with uptake.yaml, or one CSV file.")
    var data: String

    @Option(name: .long, help: "The project config (default: PATH/uptake.yaml).")
    var config: String?

    @Option(name: .long, help: "One as-of date for everyone, YYYY-MM-DD (default: the config's rule).")
    var asOf: String?

    @OptionGroup var flat: FlatFileOptions

    @Option(name: .long, help: "Where to write the CSV.")
    var out: String

    func validate() throws {
      if let asOf, Day(iso: Substring(asOf)) == nil {
        throw ValidationError("--as-of \"\(asOf)\" is not a date; expected YYYY-MM-DD")
      }
      if data.hasSuffix(".csv") && flat.flatFile == nil {
        throw ValidationError("a single CSV needs --target COL and --event VALUE to name the outcome")
      }
    }

    func run() throws {
      do {
        if data.hasSuffix(".csv"), let file = flat.flatFile {
          let (frame, leftOut) = try file.frame(path: data)
          try frame.write(to: out, labelName: file.target)
          print(
            "wrote \(out): \(frame.rowCount) rows, \(frame.features.count) features"
              + (leftOut > 0 ? "; \(leftOut) rows left out because \(file.target) is missing" : ""))
        } else {
          let engine = try FeatureEngine.load(configPath: config ?? data + "/uptake.yaml")
          try engine.checkOrphans()
          let frame = try engine.frameWithQualityNotes(asOf: asOf.flatMap { Day(iso: Substring($0)) }, today: .today)
          for note in frame.notes { warn(note) }
          try frame.write(to: out, labelName: engine.config.outcome?.name ?? "label")
          print("wrote \(out): \(frame.rowCount) rows, \(frame.features.count) features")
        }
      } catch {
        fail("\(error)")
      }
    }
  }
}
