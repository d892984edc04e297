import Foundation
import ZIPFoundation

/// Writes tables as a minimal `.xlsx` workbook (inline strings, numbers as numbers, one sheet per table): contact
/// lists for outreach teams who work in a spreadsheet, and synthetic exports for tests of the reader. Text is always
/// written as text (an inline string), so a value such as `=HYPERLINK(…)` is shown, never run as a formula.
public enum ExcelWriter {
  /// A cell: text (an inline string, shown as written) or a number (a decimal the spreadsheet can sort).
  public enum Cell: Sendable, Equatable {
    case text(String)
    case number(String)

    /// A number when `text` is a plain decimal (digits, sign, point, exponent) without a leading zero that would
    /// be lost; text otherwise — so `1E5` or `0x1A` as written in the data stay text.
    public static func inferred(_ text: String) -> Cell {
      let plain = !text.isEmpty && text.allSatisfy { "0123456789+-.eE".contains($0) }
      guard plain, let value = Double(text), value.isFinite,
        !text.hasPrefix("0") || text == "0" || text.hasPrefix("0.")
      else { return .text(text) }
      return .number(text)
    }
  }

  /// One sheet: its tab name and rows (`rows[0]` is the header, kept visible while scrolling).
  public struct Sheet: Sendable {
    public var name: String
    public var rows: [[Cell]]
    /// Column widths in characters (nil: the spreadsheet's default).
    public var widths: [Double]?
    public init(name: String, rows: [[Cell]], widths: [Double]? = nil) {
      self.name = name
      self.rows = rows
      self.widths = widths
    }
  }

  /// One sheet named `sheet`: the header as text, each later cell a number when it reads as a plain decimal.
  public static func write(rows: [[String]], sheet: String = "Sheet1", to path: String) throws {
    let cells = rows.enumerated().map { r, row in row.map { r == 0 ? Cell.text($0) : Cell.inferred($0) } }
    try write(sheets: [Sheet(name: sheet, rows: cells)], to: path)
  }

  /// Built in memory, then written as every output is: atomically, mode 0600.
  public static func write(sheets: [Sheet], to path: String) throws {
    let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
    for (name, text) in parts(sheets: sheets) {
      let data = Data(text.utf8)
      try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
        position, size in data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    guard let bytes = archive.data else {
      throw RecordsError.cannotWrite(path: path, reason: "the workbook was not built")
    }
    try AtomicFile.write(bytes, to: path)
  }

  /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not empty, and unique among `taken`
  /// (compared ignoring case, as Excel does).
  public static func sheetName(_ wanted: String, taken: Set<String>) -> String {
    var base = String(
      wanted.map { c in
        "[]:*?/\\".contains(c) || c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "-" : c
      }
    ).trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "'")))
    if base.isEmpty { base = "Sheet" }
    base = String(base.prefix(31))
    var name = base
    var n = 2
    while taken.contains(name.lowercased()) {
      let suffix = " (\(n))"
      name = String(base.prefix(31 - suffix.count)) + suffix
      n += 1
    }
    return name
  }

  static func parts(sheets: [Sheet]) -> [(String, String)] {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let indices = Array(sheets.indices)
    var parts: [(String, String)] = [
      (
        "[Content_Types].xml",
        xml + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          + "<Override PartName=\"/xl/workbook.xml\" "
          + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
          + indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" "
              + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
          }.joined() + "</Types>"
      ),
      (
        "_rels/.rels",
        xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
      ),
      (
        "xl/workbook.xml",
        xml + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
          + indices.map {
            "<sheet name=\"\(escaped(sheets[$0].name))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>"
          }.joined() + "</sheets></workbook>"
      ),
      (
        "xl/_rels/workbook.xml.rels",
        xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
          }.joined() + "</Relationships>"
      ),
    ]
    for i in indices {
      parts.append(("xl/worksheets/sheet\(i + 1).xml", xml + worksheet(sheets[i], namespace: main)))
    }
    return parts
  }

  static func worksheet(_ sheet: Sheet, namespace: String) -> String {
    var body = ""
    for (r, row) in sheet.rows.enumerated() {
      body += "<row r=\"\(r + 1)\">"
      for (c, cell) in row.enumerated() {
        let ref = column(c) + String(r + 1)
        switch cell {
        case .number(let value) where Cell.inferred(value) == .number(value):
          body += "<c r=\"\(ref)\"><v>\(value)</v></c>"
        case .number(let text), .text(let text):
          guard !text.isEmpty else { continue }
          body += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(text))</t></is></c>"
        }
      }
      body += "</row>"
    }
    // The header stays in view while scrolling.
    let view =
      "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
      + "state=\"frozen\"/></sheetView></sheetViews>"
    let columns =
      sheet.widths.map { widths in
        "<cols>"
          + widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1)\" customWidth=\"1\"/>" }
          .joined() + "</cols>"
      } ?? ""
    return "<worksheet xmlns=\"\(namespace)\">\(sheet.rows.count > 1 ? view : "")\(columns)"
      + "<sheetData>\(body)</sheetData></worksheet>"
  }

  /// A, B, …, Z, AA, AB, … for a 0-based column index.
  static func column(_ index: Int) -> String {
    var n = index + 1
    var letters = ""
    while n > 0 {
      let r = (n - 1) % 26
      letters = String(UnicodeScalar(UInt8(65 + r))) + letters
      n = (n - 1) / 26
    }
    return letters
  }

  /// Text as XML character data: markup characters escaped, and the control characters XML 1.0 cannot hold (all
  /// below U+0020 but tab, line feed and carriage return) replaced by `?`, so no cell can make the workbook invalid.
  static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "?"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
