import ArgumentParser
import Records

/// How a single CSV names its outcome and its special columns: shared by train, benchmark and features.
struct FlatFileOptions: ParsableArguments {
  @Option(name: .long, help: "Flat file: the outcome column.")
  var target: String?
  @Option(name: .long, help: "Flat file: the outcome value that counts as the event (the thing predicted).")
  var event: String?
  @Option(name: .long, help: "Flat file: the id column (default: the 1-based data-row number).")
  var id: String?
  @Option(name: .long, help: "Flat file: the family (group) column; families are kept whole when splitting.")
  var group: String?
  @Option(name: .long, parsing: .upToNextOption, help: "Flat file: columns that are not features.")
  var exclude: [String] = []

  func validate() throws {
    if (target == nil) != (event == nil) {
      throw ValidationError("--target and --event go together: name the outcome column and its event value")
    }
  }

  /// The flat-file description, when an outcome was named.
  var flatFile: FlatFile? {
    target.map { FlatFile(target: $0, event: event!, id: id, group: group, exclude: exclude) }
  }
}
