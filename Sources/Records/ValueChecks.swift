/// Checks on columns the reader inferred as text, for values that are almost certainly meant as numbers or dates but
/// are written in a way the read settings do not read: better a clear error than a silently categorical feature.
/// Only the distinct values are examined, and rows are counted only when a column is nearly all numbers or dates, so
/// the cost is independent of the row count for real text columns.
enum ValueChecks {
  /// A column with more distinct values than this that are not numbers is text, not numbers with exceptions.
  static let fewValues = 10

  /// Formula errors Excel writes into a cell's exported text.
  static let spreadsheetErrors: Set<String> = [
    "#VALUE!", "#DIV/0!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#N/A", "#SPILL!", "#CALC!", "#GETTING_DATA",
  ]

  /// - Parameter typed: columns whose type the config set (left alone: the user chose).
  /// - Throws: `CSVError` for the first offending column.
  static func check(_ table: Table, typed: Set<String>, settings: ReadSettings) throws {
    let reader = ValueReader(settings)
    for column in table.columns {
      guard case .categorical(let codes, let levels) = column.values, !levels.isEmpty else { continue }
      func line(_ level: Int) -> Int { (codes.firstIndex(of: Int32(level)) ?? 0) + 2 }
      if let bad = levels.firstIndex(where: Self.hasReplacementCharacter) {
        throw CSVError.notUTF8(file: table.source, row: line(bad) - 1, column: column.name)
      }
      if let bad = levels.firstIndex(where: { $0.utf8.first == UInt8(ascii: "#") && spreadsheetErrors.contains($0) }) {
        throw CSVError.spreadsheetError(file: table.source, line: line(bad), column: column.name, value: levels[bad])
      }
      if typed.contains(column.name) { continue }
      // Shapes, until more text than a few exceptions: an id or a real text column stops early.
      var shapes: [Shape] = []
      var textLevels = 0
      for level in levels {
        let shape = Shape(level, reader: reader)
        if shape == .text {
          textLevels += 1
          if textLevels > fewValues { break }
        }
        shapes.append(shape)
      }
      guard shapes.count == levels.count else { continue }
      func fail(_ level: Int, _ problem: String) -> CSVError {
        .badValue(file: table.source, row: line(level) - 1, column: column.name, value: levels[level], problem: problem)
      }
      if textLevels == 0 {
        try checkFormats(shapes, levels: levels, column: column.name, settings: settings, fail: fail)
      }
      if textLevels > 0 || (shapes.contains(where: \.isDate) && shapes.contains(where: \.isNumeric)) {
        try checkExceptions(column.name, codes: codes, levels: levels, shapes: shapes, source: table.source)
      }
    }
  }

  /// The problem of a number written `1,234`, `£12` or `12%`, which `numbers: lenient` reads.
  static let lenientNumbersProblem =
    "has a thousands separator, currency sign or %; set numbers: lenient under read: in uptake.yaml "
    + "(--numbers lenient) to read it, or declare the column categorical"

  /// A column whose every value looks like a number or a date, yet some are written in a way not read.
  static func checkFormats(
    _ shapes: [Shape], levels: [String], column: String, settings: ReadSettings, fail: (Int, String) -> CSVError
  ) throws {
    if shapes.allSatisfy(\.isNumeric) {
      if let bad = shapes.firstIndex(of: .overflow) {
        throw fail(bad, "is not a finite number (too large, or infinite); check the value")
      }
      if let bad = shapes.firstIndex(of: .decimalComma) {
        throw fail(bad, "has a decimal comma; write decimals with a point (1.5, not 1,5)")
      }
      if let bad = shapes.firstIndex(where: { $0 == .thousands || $0 == .lenient }) {
        throw fail(bad, Self.lenientNumbersProblem)
      }
    }
    if shapes.allSatisfy(\.isDate) {
      if let bad = shapes.firstIndex(of: .otherDate) {
        // The order the values show (never taken without being declared: the error names it).
        let others = levels.indices.filter { shapes[$0] == .otherDate }.map { levels[$0] }
        let guess = ReadSettings.DateFormat.guessed(from: others)
        let name = (guess?.format ?? .dayMonthYear).rawValue
        let why =
          PersonalData.isSensitive(column: column)
          ? ""
          : guess.map { $0.assumed ? " (every part is 12 or less: check day or month first)" : " (\($0.evidence))" }
            ?? ""
        throw fail(
          bad,
          settings.dateFormat == .iso
            ? "is a date not written YYYY-MM-DD (01/02/2024 could be 1 February or 2 January); declare the format: "
              + "read: {date_format: \(name)} in uptake.yaml (or --date-format \(name))\(why)"
            : "is not a date in the declared format \(settings.dateFormat.rawValue); check the value or the format"
              + (guess.map {
                $0.format != settings.dateFormat && !$0.assumed ? " (the values look \($0.format.rawValue))" : ""
              } ?? ""))
      }
      if let bad = shapes.firstIndex(of: .impossibleDate) {
        throw fail(bad, "is not a real date; check the day and month")
      }
    }
  }

  /// A column of numbers or dates but for a few other values (`unknown`, `?`, `tbc`): an error listing them, since
  /// reading it as categorical would make one level per number. Codes written with leading zeros (`01`, `07`) are
  /// taken as codes, not numbers, and left categorical.
  static func checkExceptions(
    _ column: String, codes: [Int32], levels: [String], shapes: [Shape], source: String
  ) throws {
    guard shapes.contains(where: { $0.isNumeric || $0.isDate }) else { return }
    var rowsOfLevel = [Int](repeating: 0, count: levels.count)
    var firstRow = [Int](repeating: -1, count: levels.count)
    for (row, code) in codes.enumerated() where code >= 0 {
      rowsOfLevel[Int(code)] += 1
      if firstRow[Int(code)] < 0 { firstRow[Int(code)] = row }
    }
    func rows(_ keep: (Shape) -> Bool) -> Int {
      levels.indices.filter { keep(shapes[$0]) }.reduce(0) { $0 + rowsOfLevel[$1] }
    }
    // The column's kind is the one most of its rows hold; a number in a date column is an exception too (it may be
    // an Excel serial day, read only when the column is declared a date).
    let dates = rows(\.isDate) >= rows(\.isNumeric)
    if !dates && levels.contains(where: Self.hasLeadingZero) { return }
    let isException = { (shape: Shape) in dates ? !shape.isDate : shape == .text }
    let exceptionRows = rows(isException)
    guard rowsOfLevel.reduce(0, +) - exceptionRows >= exceptionRows else { return }
    let examples = levels.indices.filter { isException(shapes[$0]) }.sorted { firstRow[$0] < firstRow[$1] }
      .prefix(5).map { CSVError.Cell(line: firstRow[$0] + 2, value: levels[$0]) }
    throw CSVError.mostlyTyped(
      file: source, column: column, kind: dates ? "dates" : "numbers", count: exceptionRows, examples: examples)
  }

  /// `01`, `007`: a code with a leading zero, not a number.
  static func hasLeadingZero(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.count >= 2 && bytes[0] == 48 && bytes[1] >= 48 && bytes[1] <= 57
  }

  /// U+FFFD (EF BF BD in UTF-8), which the reader put where the bytes were not UTF-8.
  static func hasReplacementCharacter(_ text: String) -> Bool {
    var state = 0
    for b in text.utf8 {
      switch (state, b) {
      case (_, 0xEF): state = 1
      case (1, 0xBF): state = 2
      case (2, 0xBD): return true
      default: state = 0
      }
    }
    return false
  }

  /// What a text value looks like.
  enum Shape: Equatable {
    /// A number these settings read (in a column that also holds other values).
    case number
    case thousands, decimalComma
    /// `£12`, `12%`: read under `numbers: lenient`.
    case lenient
    /// `1e999`, `inf`: not a finite number.
    case overflow
    /// A date these settings read.
    case date
    case impossibleDate, otherDate, text

    init(_ text: String, reader: ValueReader) {
      var copy = text
      let (isNumber, isDate, isLenient) = copy.withUTF8 { s in
        (reader.number(s) != nil, reader.day(s) != nil, ValueParsing.lenientNumber(s) != nil)
      }
      if isNumber {
        self = .number
        return
      }
      if isDate {
        self = .date
        return
      }
      let bytes = Array(text.utf8)
      func digits(_ slice: ArraySlice<UInt8>) -> Bool { !slice.isEmpty && slice.allSatisfy { $0 >= 48 && $0 <= 57 } }
      if let value = Double(text), !value.isFinite, !text.lowercased().contains("nan") {
        self = .overflow
        return
      }
      var body = bytes[...]
      if let first = body.first, first == 45 || first == 43 { body = body.dropFirst() }
      // 1,234 or 12,345,678.9
      let parts = body.split(separator: 44, omittingEmptySubsequences: false)
      if parts.count >= 2 {
        let last = parts.last!.split(separator: 46, omittingEmptySubsequences: false)
        let groupsOK = parts.dropFirst().dropLast().allSatisfy { $0.count == 3 && digits($0) }
        if digits(parts[0]) && parts[0].count <= 3 && groupsOK && last[0].count == 3 && digits(last[0])
          && (last.count == 1 || (last.count == 2 && digits(last[1])))
        {
          self = .thousands
          return
        }
        if parts.count == 2 && digits(parts[0]) && digits(parts[1]) {
          self = .decimalComma
          return
        }
      }
      if isLenient {
        self = .lenient
        return
      }
      // 2024-02-30 (ISO-shaped) and 01/02/2024 or 1.2.24 (other orders).
      if bytes.count >= 10, digits(bytes[0..<4]), bytes[4] == 45, digits(bytes[5..<7]), bytes[7] == 45,
        digits(bytes[8..<10])
      {
        self = .impossibleDate
        return
      }
      for separator: UInt8 in [47, 46, 45] {
        let datePart = bytes.split(separator: 32, maxSplits: 1).first ?? []
        let pieces = datePart.split(separator: separator, omittingEmptySubsequences: false)
        if pieces.count == 3, pieces.allSatisfy(digits), pieces[0].count <= 2, pieces[1].count <= 2,
          pieces[2].count == 2 || pieces[2].count == 4
        {
          self = .otherDate
          return
        }
      }
      self = .text
    }

    var isNumeric: Bool {
      self == .number || self == .thousands || self == .decimalComma || self == .lenient || self == .overflow
    }
    var isDate: Bool { self == .date || self == .impossibleDate || self == .otherDate }
  }
}
