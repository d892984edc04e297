import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Streams one worksheet part (`xl/worksheets/sheetN.xml`) into RFC 4180 CSV bytes, row by row.
///
/// The first non-empty row is the header and fixes the width; every later row is padded to it, fully empty rows are
/// left out, and cells are placed by their reference (`r="C7"`) or, without one, in the next column. Cell values are
/// written as the CSV reader expects them: shared, inline and formula strings as text, booleans as `TRUE`/`FALSE`,
/// error values as their text (`#DIV/0!`), numbers as the shortest text that reads back as the same double, and
/// numbers in a date format as ISO `YYYY-MM-DD`.
final class SheetPartReader: ExcelPartReader {
  let sheet: String
  let sharedStrings: [[UInt8]]
  let dateStyles: [Bool]
  let date1904: Bool
  /// The CSV written so far.
  var csv: [UInt8] = []

  /// The header's width, once the header row is written.
  private var width: Int?
  private var headerRow = 0
  private var row = 0
  private var column = -1
  /// The current row's non-empty cells.
  private var cells: [(column: Int, value: [UInt8])] = []
  private var cellType = ""
  private var cellStyle = 0
  private var inCell = false
  private var inInlineString = false
  private var phonetic = 0

  init(file: String, sheet: String, part: String, sharedStrings: [[UInt8]], dateStyles: [Bool], date1904: Bool) {
    self.sheet = sheet
    self.sharedStrings = sharedStrings
    self.dateStyles = dateStyles
    self.date1904 = date1904
    super.init()
    self.file = file
    self.part = part
  }

  override func start(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
    switch name {
    case "c":
      inCell = true
      text = ""
      cellType = attributes["t"] ?? ""
      cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
      if let reference = attributes["r"] {
        guard let (cellColumn, cellRow) = ExcelCell.position(reference) else {
          return fail(
            .damaged(file: file, part: part, problem: "has a cell reference \"\(reference)\" that is not valid"), parser
          )
        }
        column = cellColumn
        row = cellRow
      } else {
        column += 1
      }
    case "v":
      if inCell {
        text = ""
        collecting = true
      }
    case "is":
      inInlineString = true
      text = ""
    case "t":
      if inInlineString && phonetic == 0 { collecting = true }
    case "rPh":
      phonetic += 1
    case "row":
      row = attributes["r"].flatMap { Int($0) } ?? row + 1
      column = -1
      cells.removeAll(keepingCapacity: true)
    default:
      break
    }
  }

  override func end(_ name: Substring, _ parser: XMLParser) {
    switch name {
    case "v", "t":
      collecting = false
    case "rPh":
      phonetic -= 1
    case "is":
      inInlineString = false
    case "c":
      inCell = false
      let value = cellValue(parser)
      if !value.isEmpty { cells.append((column, value)) }
    case "row":
      writeRow(parser)
    default:
      break
    }
  }

  /// The current cell's value as CSV field bytes (not yet quoted); empty for an empty cell.
  private func cellValue(_ parser: XMLParser) -> [UInt8] {
    switch cellType {
    case "s":
      guard let index = Int(text), sharedStrings.indices.contains(index) else {
        fail(
          .damaged(
            file: file, part: part,
            problem:
              "has cell \(ExcelCell.name(column, row)) referring to shared string \"\(text)\", which does not exist"),
          parser)
        return []
      }
      return sharedStrings[index]
    case "inlineStr", "str":
      return Array(decodingExcelEscapes(text).utf8)
    case "e":
      return Array(text.utf8)
    case "b":
      switch text {
      case "1": return Array("TRUE".utf8)
      case "0": return Array("FALSE".utf8)
      default: return Array(text.utf8)
      }
    case "d":
      // An ISO 8601 date cell (strict OOXML): keep the date, drop any time.
      return Array((text.split(separator: "T", maxSplits: 1).first ?? "").utf8)
    default:
      guard !text.isEmpty else { return [] }
      guard let value = Double(text), value.isFinite else { return Array(text.utf8) }
      if dateStyles.indices.contains(cellStyle) && dateStyles[cellStyle],
        let day = ExcelDates.day(serial: value, date1904: date1904)
      {
        var bytes: [UInt8] = []
        day.appendISO(to: &bytes)
        return bytes
      }
      return ExcelCell.numberText(value)
    }
  }

  /// Writes the current row, unless it is empty; the first one written is the header and fixes the width.
  private func writeRow(_ parser: XMLParser) {
    guard !cells.isEmpty else { return }
    if !zip(cells, cells.dropFirst()).allSatisfy({ $0.column <= $1.column }) {
      // Out-of-order references: sort by column, keeping file order among cells of one column (the last one wins).
      cells = cells.enumerated().sorted { ($0.element.column, $0.offset) < ($1.element.column, $1.offset) }
        .map(\.element)
    }
    let last = cells[cells.count - 1].column
    let width: Int
    if let known = self.width {
      width = known
      if last >= width, let stray = cells.first(where: { $0.column >= width }) {
        return fail(
          .cellBeyondHeader(
            file: file, sheet: sheet, cell: ExcelCell.name(stray.column, row), headerRow: headerRow,
            lastColumn: ExcelCell.letters(width - 1)),
          parser)
      }
    } else {
      width = last + 1
      self.width = width
      headerRow = row
    }
    var written = 0
    for (k, cell) in cells.enumerated() {
      if k + 1 < cells.count && cells[k + 1].column == cell.column { continue }
      while written < cell.column {
        if written > 0 { csv.append(UInt8(ascii: ",")) }
        written += 1
      }
      if written > 0 { csv.append(UInt8(ascii: ",")) }
      appendField(cell.value)
      written += 1
    }
    while written < width {
      if written > 0 { csv.append(UInt8(ascii: ",")) }
      written += 1
    }
    csv.append(UInt8(ascii: "\n"))
  }

  /// Appends one field, quoted when it holds a comma, a quote, CR or LF (inner quotes doubled).
  private func appendField(_ value: [UInt8]) {
    let needsQuotes = value.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
    guard needsQuotes else { return csv.append(contentsOf: value) }
    csv.append(UInt8(ascii: "\""))
    for byte in value {
      if byte == UInt8(ascii: "\"") { csv.append(byte) }
      csv.append(byte)
    }
    csv.append(UInt8(ascii: "\""))
  }
}

/// Cell references and values in the text forms a sheet and the CSV reader use.
enum ExcelCell {
  /// The shortest text that reads back as `value`: integers without `.0` (`42`, not `42.0`), others as Swift's
  /// shortest round-trip form (`0.1`, `1e-05`).
  static func numberText(_ value: Double) -> [UInt8] {
    guard value == value.rounded(), abs(value) < 9_007_199_254_740_992 else { return Array(value.description.utf8) }
    var integer = Int64(value)
    if integer == 0 { return [UInt8(ascii: "0")] }
    var digits: [UInt8] = []
    let negative = integer < 0
    while integer != 0 {
      digits.append(UInt8(48 + abs(integer % 10)))
      integer /= 10
    }
    if negative { digits.append(UInt8(ascii: "-")) }
    return digits.reversed()
  }

  /// The 0-based column and 1-based row of a cell reference like `C7` (or `$C$7`), or nil when it is not one within
  /// Excel's limits (XFD1048576).
  static func position(_ reference: String) -> (column: Int, row: Int)? {
    var column = 0
    var row = 0
    var letters = 0
    var digits = 0
    for byte in reference.utf8 {
      switch byte {
      case UInt8(ascii: "$"):
        continue
      case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0,
        UInt8(ascii: "a")...UInt8(ascii: "z") where digits == 0:
        column = column * 26 + Int((byte & 0xDF) - 64)
        letters += 1
        if letters > 3 { return nil }
      case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
        row = row * 10 + Int(byte - 48)
        digits += 1
        if digits > 7 { return nil }
      default:
        return nil
      }
    }
    guard letters > 0, digits > 0, column <= 16_384, (1...1_048_576).contains(row) else { return nil }
    return (column - 1, row)
  }

  /// Excel's letters for a 0-based column: 0 is `A`, 25 `Z`, 26 `AA`.
  static func letters(_ column: Int) -> String {
    var n = column + 1
    var letters: [UInt8] = []
    while n > 0 {
      letters.append(UInt8(65 + (n - 1) % 26))
      n = (n - 1) / 26
    }
    return String(decoding: letters.reversed(), as: UTF8.self)
  }

  /// A cell's name, like `C7`.
  static func name(_ column: Int, _ row: Int) -> String { "\(letters(column))\(row)" }
}
