import Foundation
import ZIPFoundation

/// Writes a table as a minimal `.xlsx` workbook (one sheet, inline strings, numbers as numbers): what a council's
/// system hands over when asked for "an Excel file", for synthetic exports and tests of the reader.
public enum ExcelWriter {
  /// - Parameters: `rows[0]` is the header; a cell that reads as a finite number is written as a number.
  /// Built in memory, then written as every output is: atomically, mode 0600.
  public static func write(rows: [[String]], sheet: String = "Sheet1", to path: String) throws {
    let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
    for (name, text) in parts(rows: rows, sheet: sheet) {
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

  static func parts(rows: [[String]], sheet: String) -> [(String, String)] {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    var body = ""
    for (r, row) in rows.enumerated() {
      body += "<row r=\"\(r + 1)\">"
      for (c, cell) in row.enumerated() where !cell.isEmpty {
        let ref = column(c) + String(r + 1)
        if r > 0, let value = Double(cell), value.isFinite, !cell.hasPrefix("0") || cell == "0" || cell.hasPrefix("0.")
        {
          body += "<c r=\"\(ref)\"><v>\(cell)</v></c>"
        } else {
          body += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(cell))</t></is></c>"
        }
      }
      body += "</row>"
    }
    return [
      (
        "[Content_Types].xml",
        xml + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          + "<Override PartName=\"/xl/workbook.xml\" "
          + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
          + "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
          + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>"
      ),
      (
        "_rels/.rels",
        xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
      ),
      (
        "xl/workbook.xml",
        xml + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
          + "<sheet name=\"\(escaped(sheet))\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
      ),
      (
        "xl/_rels/workbook.xml.rels",
        xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
      ),
      ("xl/worksheets/sheet1.xml", xml + "<worksheet xmlns=\"\(main)\"><sheetData>\(body)</sheetData></worksheet>"),
    ]
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

  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
