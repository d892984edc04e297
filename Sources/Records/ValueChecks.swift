/// Checks on columns the reader inferred as text, for values that are almost certainly meant as numbers or dates but
/// are written in a way uptake does not read: better a clear error than a silently categorical feature. Only the
/// distinct values are examined, so the cost is independent of the row count.
enum ValueChecks {
  /// - Parameter typed: columns whose type the config set (left alone: the user chose text).
  /// - Throws: `CSVError.badValue` for the first offending value, with its row.
  static func check(_ table: Table, typed: Set<String>) throws {
    for column in table.columns where !typed.contains(column.name) {
      guard case .categorical(let codes, let levels) = column.values, !levels.isEmpty else { continue }
      func fail(_ level: Int, _ problem: String) -> CSVError {
        let row = (codes.firstIndex(of: Int32(level)) ?? 0) + 1
        return .badValue(file: table.source, row: row, column: column.name, value: levels[level], problem: problem)
      }
      if let bad = levels.firstIndex(where: Self.hasReplacementCharacter) {
        throw fail(bad, "holds bytes that are not UTF-8; save the file as UTF-8 (in Excel: \"CSV UTF-8\")")
      }
      // Shapes until the first plain text: one text value means the column is text (an id column stops at once).
      var shapes: [Shape] = []
      for level in levels {
        let shape = Shape(level)
        if shape == .text { break }
        shapes.append(shape)
      }
      guard shapes.count == levels.count else { continue }
      if shapes.allSatisfy(\.isNumeric), let bad = shapes.firstIndex(where: { $0 == .thousands || $0 == .decimalComma })
      {
        throw fail(
          bad,
          shapes[bad] == .thousands
            ? "has a thousands separator; write numbers without one (1234, not 1,234), or set the column's type to categorical"
            : "has a decimal comma; write decimals with a point (1.5, not 1,5)")
      }
      if shapes.allSatisfy(\.isDate) {
        if let bad = shapes.firstIndex(of: .otherDate) {
          throw fail(
            bad,
            "is a date not written YYYY-MM-DD (01/02/2024 could be 1 February or 2 January); write dates as YYYY-MM-DD")
        }
        if let bad = shapes.firstIndex(of: .impossibleDate) {
          throw fail(bad, "is not a real date; check the day and month (dates are YYYY-MM-DD)")
        }
      }
    }
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
    case number, thousands, decimalComma, isoDate, impossibleDate, otherDate, text

    init(_ text: String) {
      let bytes = Array(text.utf8)
      func digits(_ slice: ArraySlice<UInt8>) -> Bool { !slice.isEmpty && slice.allSatisfy { $0 >= 48 && $0 <= 57 } }
      var body = bytes[...]
      if let first = body.first, first == 45 || first == 43 { body = body.dropFirst() }
      if Double(text) != nil {
        self = .number
        return
      }
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
      // 2024-02-30 (ISO-shaped) and 01/02/2024 or 1.2.24 (other orders).
      if bytes.count == 10, digits(bytes[0..<4]), bytes[4] == 45, digits(bytes[5..<7]), bytes[7] == 45,
        digits(bytes[8..<10])
      {
        self = Day(iso: Substring(text)) == nil ? .impossibleDate : .isoDate
        return
      }
      for separator: UInt8 in [47, 46] {
        let pieces = bytes.split(separator: separator, omittingEmptySubsequences: false)
        if pieces.count == 3, pieces.allSatisfy(digits), pieces[0].count <= 2, pieces[1].count <= 2,
          pieces[2].count == 2 || pieces[2].count == 4
        {
          self = .otherDate
          return
        }
      }
      self = .text
    }

    var isNumeric: Bool { self == .number || self == .thousands || self == .decimalComma }
    var isDate: Bool { self == .isoDate || self == .impossibleDate || self == .otherDate }
  }
}
