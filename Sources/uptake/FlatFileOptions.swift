import ArgumentParser
import Records

/// How a single CSV or workbook names its outcome and its special columns, and how it is written: shared by train,
/// benchmark, features and check.
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
  @Option(
    name: .long, parsing: .upToNextOption,
    help: "Flat file: columns to use as features although they look like identifiers (a value per row, or *_id).")
  var keep: [String] = []
  @Option(
    name: .customLong("type"), parsing: .upToNextOption,
    help: "Flat file: declared column types, COL=integer|number|date|boolean|categorical.")
  var types: [String] = []
  @Option(name: .long, help: "Flat file: the sheet of an .xlsx workbook (default: the first).")
  var sheet: String?
  @Option(
    name: .long, parsing: .upToNextOption,
    help: "Flat file: columns that look like personal data (by name or values) but are not, allowed as features.")
  var allowPersonal: [String] = []
  @Option(
    name: .long,
    help:
      "Flat file: what a row is, named in summaries, reports and lists: child (default), family, or singular/plural.")
  var unit: String?

  @OptionGroup var read: ReadOptions

  func validate() throws {
    if (target == nil) != (event == nil) {
      throw ValidationError("--target and --event go together: name the outcome column and its event value")
    }
    _ = try declaredTypes()
    if unit != nil && target == nil {
      throw ValidationError("--unit names a flat file's rows and goes with --target and --event")
    }
    if let unit, UnitName(parsing: unit) == nil {
      throw ValidationError(
        "--unit \"\(unit)\" is not a name for a row; " + UnitName.rule)
    }
  }

  func declaredTypes() throws -> [String: ColumnType] {
    var out: [String: ColumnType] = [:]
    for item in types {
      let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, let type = ColumnType(rawValue: parts[1]) else {
        throw ValidationError(
          "--type \"\(item)\": expected COL=KIND with KIND one of "
            + ColumnType.allCases.map(\.rawValue).joined(separator: ", "))
      }
      out[parts[0]] = type
    }
    return out
  }

  /// The flat-file description, when an outcome was named.
  var flatFile: FlatFile? {
    target.map {
      FlatFile(
        target: $0, event: event!, id: id, group: group, exclude: exclude, keep: keep,
        types: (try? declaredTypes()) ?? [:], read: read.settings, sheet: sheet, personalAllowed: allowPersonal,
        unit: unit.flatMap(UnitName.init(parsing:)) ?? .child)
    }
  }
}

/// How an export is written, for a file read without a config (a config says it under `read:`).
struct ReadOptions: ParsableArguments {
  @Option(name: .long, help: "Dates: YYYY-MM-DD (default), DD/MM/YYYY, MM/DD/YYYY, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YY.")
  var dateFormat: ReadSettings.DateFormat = .iso
  @Option(
    name: .long, parsing: .upToNextOption,
    help: "Values read as missing, besides empty, NA, N/A, n/a, NULL, null, -, #N/A and NaN.")
  var missing: [String] = []
  @Option(
    name: .long,
    help: "auto (default: UTF-8, UTF-16 by its BOM, else Windows-1252), utf-8, utf-16, windows-1252, latin-1.")
  var encoding: ReadSettings.Encoding = .auto
  @Option(name: .long, help: "auto (default: sniffed), \",\", \";\", tab or \"|\".")
  var delimiter: ReadSettings.Delimiter = .auto
  @Option(name: .long, help: "strict (default: plain numbers only) or lenient (also 1,234, £1,234.50 and 12%).")
  var numbers: ReadSettings.NumberStyle = .strict
  @Option(name: .customLong("case"), help: "fold (default: codes differing only in letter case are one) or keep.")
  var letterCase: ReadSettings.LetterCase = .fold

  var settings: ReadSettings {
    var s = ReadSettings()
    s.dateFormat = dateFormat
    s.missing = ReadSettings.defaultMissing + missing
    s.encoding = encoding
    s.delimiter = delimiter
    s.numbers = numbers
    s.letterCase = letterCase
    return s
  }
}

extension ReadSettings.DateFormat: ExpressibleByArgument {}
extension ReadSettings.Encoding: ExpressibleByArgument {}
extension ReadSettings.NumberStyle: ExpressibleByArgument {}
extension ReadSettings.LetterCase: ExpressibleByArgument {}
extension ReadSettings.Delimiter: ExpressibleByArgument {
  public init?(argument: String) { self.init(text: argument) }
}
