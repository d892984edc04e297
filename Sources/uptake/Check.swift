import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read the data as train would, without training, and report what was found.",
      discussion: """
        Reports each table's rows, key uniqueness, and per column its kind, missing share and examples (never of
        personal-data columns); date ranges; link coverage; the population and its outcomes by as-of month with the
        units whose outcome window is not over yet; personal-data columns; and every warning. Exit status 0 when
        train would run, 1 when it would not; --strict makes warnings fatal too.

        Examples:
          uptake check --data council-export
          uptake check --data council-export --strict --format json
          uptake check --data export.csv --target took_up --event no --date-format DD/MM/YYYY
        """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var progress: ProgressOptions

    @OptionGroup var flat: FlatFileOptions

    @Flag(name: .long, help: "Exit 1 on any warning, not only on errors.")
    var strict = false

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
      case text, json
    }

    func run() throws {
      progress.showing { _ in
        let check = DataCheck(data.request(flat: flat.flatFile))
        do {
          print(format == .json ? try check.json() : check.text)
        } catch {
          fail("\(error)")
        }
        if !check.canTrain || (strict && !check.warnings.isEmpty) {
          if strict && check.canTrain {
            StandardStreams.writeError("uptake: --strict: warnings are fatal\n")
          }
          Foundation.exit(1)
        }
      }
    }
  }
}
