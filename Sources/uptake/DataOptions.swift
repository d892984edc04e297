import ArgumentParser
import Foundation
import Records
import Uptake

/// Where the data are and which units and dates to use: shared by train, score and explain.
struct DataOptions: ParsableArguments {
  @Option(name: .long, help: "A CSV file, a folder with uptake.yaml, or a SQLite file.")
  var data: String

  @Option(name: .long, help: "The project config (default: uptake.yaml in the data folder or beside the SQLite file).")
  var config: String?

  @Option(name: .long, help: "One as-of date for everyone, YYYY-MM-DD (default: the config's rule).")
  var asOf: String?

  @OptionGroup var cohort: CohortOptions

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The day the records are complete to, YYYY-MM-DD (default: data_until in uptake.yaml, else the latest event "
        + "date); a unit whose outcome window ends later has an unknown outcome."))
  var dataUntil: String?

  func validate() throws {
    try checkDate(asOf, "--as-of")
    try checkDate(dataUntil, "--data-until")
  }

  func request(flat: FlatFile? = nil, extras: [String] = []) -> DataRequest {
    DataRequest(
      path: data, config: config, flat: flat, asOf: asOf.flatMap { Day(iso: Substring($0)) },
      asOfFrom: cohort.from, asOfBefore: cohort.before, extras: extras,
      dataUntil: dataUntil.flatMap { Day(iso: Substring($0)) })
  }
}

/// Which units by their as-of date (a cohort): shared by every command that reads data, and by changes for both drops.
struct CohortOptions: ParsableArguments {
  @Option(name: .long, help: "Only units whose as-of date is on or after this day, YYYY-MM-DD (a cohort).")
  var asOfFrom: String?

  @Option(name: .long, help: "Only units whose as-of date is before this day, YYYY-MM-DD.")
  var asOfBefore: String?

  func validate() throws {
    try checkDate(asOfFrom, "--as-of-from")
    try checkDate(asOfBefore, "--as-of-before")
  }

  var from: Day? { asOfFrom.flatMap { Day(iso: Substring($0)) } }
  var before: Day? { asOfBefore.flatMap { Day(iso: Substring($0)) } }
}

/// Threads for the work that runs in parallel: shared by train, score and changes.
struct ThreadOptions: ParsableArguments {
  @Option(name: .long, parsing: .unconditional, help: "Threads (default: every core).")
  var threads: Int?

  func validate() throws {
    try Limits.check(threads, "--threads", Limits.threads)
  }
}

/// Refuses a date option that is not YYYY-MM-DD, naming the flag.
func checkDate(_ value: String?, _ flag: String) throws {
  if let value, Day(iso: Substring(value)) == nil {
    throw ValidationError("\(flag) \"\(value)\" is not a date; expected YYYY-MM-DD, e.g. 2024-09-01")
  }
}

/// The lines every summary gives about what was read: the end of the data (linked records) and the rows left out,
/// each with its reason.
func dataSummary(_ loaded: LoadedData, indent: String = "  ") -> [String] {
  var lines: [String] = []
  if let end = loaded.frame.dataUntil { lines.append("\(indent)data until: \(end.description)") }
  if let reason = loaded.leftOutReason {
    // One reason starts with its own count; several are counted in total first.
    lines.append("\(indent)left out:   " + (loaded.leftOutParts.count > 1 ? "\(loaded.leftOut): \(reason)" : reason))
  }
  return lines
}

/// Where a command's summary goes: standard output, or standard error when the data themselves stream to standard
/// output (`--out -`), so that a pipe receives only the CSV.
func summaryPrinter(for out: String) -> (String) -> Void {
  guard out == CSVWriter.standardOutput else { return { print($0) } }
  return { StandardStreams.writeError(($0 + "\n")) }
}

/// Checks an output path before any work, so that a refused destination (a link, a device, a folder that does not
/// exist) stops the run at once rather than after training; the check is made again when the file is written.
func checkOutput(_ out: String) throws {
  if out != CSVWriter.standardOutput { try AtomicFile.checkDestination(out) }
}
