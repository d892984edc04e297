/// A CSV file that cannot be read as a table, with where and what to do.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Whether the file would read with `numbers: lenient` (money written £1,234, shares written 12%): `uptake init`
  /// drafts the config so when this is the only problem.
  public var isCuredByLenientNumbers: Bool {
    switch self {
    case .badValue(_, _, _, _, let problem): return problem == ValueChecks.lenientNumbersProblem
    case .mostlyTyped(_, _, let kind, _, _): return kind == "numbers"
    default: return false
    }
  }

  case unreadable(file: String, reason: String)
  case empty(file: String)
  /// A row whose field count differs from the header's. `line` is the 1-based physical line where the row starts.
  case raggedRow(file: String, line: Int, expected: Int, found: Int)
  case unterminatedQuote(file: String, line: Int)
  /// A quote in the middle of an unquoted field, or text after a closing quote.
  case strayQuote(file: String, line: Int, column: String)
  case duplicateColumn(file: String, name: String)
  case emptyColumnName(file: String, position: Int)
  /// A value the reader could only take as text although it is meant as a number or date. `row` counts data rows
  /// from 1 (the line is row + 1 unless a field spans lines). The value is withheld for personal-data columns.
  case badValue(file: String, row: Int, column: String, value: String, problem: String)
  /// The data would need more memory than is available (estimated before reading).
  case tooLarge(file: String, neededMB: Int, availableMB: Int)
  /// A field longer than any real value (`limit` bytes), starting on `line`.
  case fieldTooLong(file: String, line: Int, limit: Int)
  /// Bytes that are not UTF-8 in a file read as UTF-8 (`row` 0 is the header).
  case notUTF8(file: String, row: Int, column: String)
  /// Values that do not fit the type a config or flag declared for the column.
  case notOfType(file: String, column: String, type: ColumnType, count: Int, examples: [Cell])
  /// A column of numbers (or dates) but for a few values: never silently made categorical.
  case mostlyTyped(file: String, column: String, kind: String, count: Int, examples: [Cell])
  /// A file given as a table that is not one: `what` says what it is and what to save it as.
  case notATable(file: String, what: String)
  /// A spreadsheet formula's error (`#VALUE!`, `#DIV/0!`, `#REF!` …) exported as if it were data.
  case spreadsheetError(file: String, line: Int, column: String, value: String)

  /// A value and the line it is on, for an error that lists examples.
  public struct Cell: Sendable, Equatable {
    public var line: Int
    public var value: String
    public init(line: Int, value: String) {
      self.line = line
      self.value = value
    }
  }

  /// The same error with its line moved by `offset` (a chunk parsed from line 0 reports its true line).
  func shiftingLine(by offset: Int) -> CSVError {
    switch self {
    case .raggedRow(let file, let line, let expected, let found):
      return .raggedRow(file: file, line: line + offset, expected: expected, found: found)
    case .unterminatedQuote(let file, let line): return .unterminatedQuote(file: file, line: line + offset)
    case .fieldTooLong(let file, let line, let limit):
      return .fieldTooLong(file: file, line: line + offset, limit: limit)
    case .strayQuote(let file, let line, let column):
      return .strayQuote(file: file, line: line + offset, column: column)
    default: return self
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return "cannot read \(file): \(reason)"
    case .empty(let file):
      return "\(Self.named(file)) is empty; it needs a header row naming its columns"
    case .raggedRow(let file, let line, let expected, let found):
      return "\(Self.named(file)), line \(line): \(found) fields, but the header has \(expected); "
        + "check for an unquoted comma or a missing field on that line"
    case .unterminatedQuote(let file, let line):
      return
        "\(Self.named(file)), line \(line): a quoted field is never closed; add the closing \" or remove the opening one"
    case .strayQuote(let file, let line, let column):
      return
        "\(Self.named(file)), line \(line), column \(column): a \" inside an unquoted field or after a closing quote; "
        + "quote the whole field and double inner quotes (\"\")"
    case .duplicateColumn(let file, let name):
      return "\(Self.named(file)): column \(name) appears twice in the header; rename one of them"
    case .emptyColumnName(let file, let position):
      return "\(Self.named(file)): column \(position) has no name in the header; give every column a name"
    case .tooLarge(let file, let needed, let available):
      return "reading \(file) would need about \(needed) MB of memory, but \(available) MB is available; read fewer "
        + "columns or rows, or use a machine with more memory"
    case .fieldTooLong(let file, let line, let limit):
      return
        "\(Self.named(file)), line \(line): a field longer than \(limit >> 20) MB; a quote is probably missing, or the file "
        + "is not a CSV export"
    case .badValue(let file, let row, let column, let value, let problem):
      return
        "\(Self.named(file)), line \(row + 1), column \(column): \(PersonalData.shown(value, column: column)) \(problem)"
    case .notUTF8(let file, let row, let column):
      return
        "\(Self.named(file)), \(row == 0 ? "header" : "line \(row + 1)"), column \(column): holds bytes that are not UTF-8; "
        + "set encoding: windows-1252 (or latin-1, utf-16) under read: in uptake.yaml or --encoding, or save the file "
        + "as UTF-8 (in Excel: \"CSV UTF-8\")"
    case .notOfType(let file, let column, let type, let count, let examples):
      return
        "\(Self.named(file)), column \(column): \(count) value\(count == 1 ? " does" : "s do") not read as \(type.rawValue) "
        + "(\(Self.list(examples, column: column))); fix the values, add them to the missing markers (read: missing: "
        + "in uptake.yaml, or --missing), or change the column's type"
        + (type == .date ? " (or declare its format: read: {date_format: DD/MM/YYYY}, or --date-format)" : "")
    case .mostlyTyped(let file, let column, let kind, let count, let examples):
      return "\(Self.named(file)), column \(column) holds \(kind) but for \(count) value\(count == 1 ? "" : "s") "
        + "(\(Self.list(examples, column: column))); add \(count == 1 ? "it" : "them") to the missing markers (read: "
        + "missing: in uptake.yaml, or --missing)"
        + (kind == "numbers" ? ", set numbers: lenient (--numbers lenient) for 1,234 or £12 or 12%" : "")
        + (kind == "dates"
          ? ", declare the date format (read: date_format:, or --date-format); a number may be an Excel serial day, "
            + "read when the column is declared a date (types: {\(column): date}, or --type \(column)=date)" : "")
        + ", or declare the column categorical (types: in uptake.yaml, or --type \(column)=categorical)"
    case .notATable(let file, let what):
      return "\(Self.named(file)) \(what)"
    case .spreadsheetError(let file, let line, let column, let value):
      return
        "\(Self.named(file)), line \(line), column \(column): \(value) is a spreadsheet formula error, not data; fix "
        + "the formula in the spreadsheet and export again (or add \(value) to the missing markers: read: missing:)"
    }
  }

  /// "file PATH", or "standard input" for CSV piped in.
  static func named(_ file: String) -> String { file == StandardInput.name ? file : "file " + file }

  /// Up to five `line N "value"` items (values withheld for personal-data columns).
  static func list(_ cells: [Cell], column: String) -> String {
    cells.prefix(5).map { "line \($0.line) \(PersonalData.shown($0.value, column: column))" }.joined(separator: ", ")
  }
}
