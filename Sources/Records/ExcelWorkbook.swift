import Foundation
import ZIPFoundation

/// Reads an Excel workbook (`.xlsx`) as CSV, so that a council's workbook sent where a CSV is expected goes through
/// the one CSV reader: type inference, missing markers and every check stay in one place.
///
/// An `.xlsx` is a zip of XML parts. The sheet is found through `xl/workbook.xml` and its relationships, its cells are
/// streamed with a SAX parser (a 100,000-row sheet never becomes a tree), and strings, styles and the date system
/// come from the shared strings, styles and workbook parts. A damaged workbook is an `ExcelError`, never a crash.
public enum ExcelWorkbook {
  /// The chosen sheet of the workbook at `path` as RFC 4180 CSV: comma-delimited UTF-8 with `\n` line ends, the
  /// first non-empty row as the header, fully empty rows left out, dates as ISO `YYYY-MM-DD`.
  /// - Parameter sheet: the sheet's name as shown on its tab; nil takes the first worksheet in workbook order.
  /// - Throws: `ExcelError` naming the file (and the sheet and cell) and what to do.
  public static func csvBytes(path: String, sheet: String? = nil) throws -> [UInt8] {
    let workbook = try WorkbookArchive(path: path)
    let workbookPart = try workbook.officeDocument()
    let workbookReader = WorkbookPartReader()
    try workbookReader.read(try workbook.required(workbookPart), part: workbookPart, file: path)
    let relationships = try workbook.relationships(of: workbookPart, required: true)

    guard !workbookReader.sheets.isEmpty else { throw ExcelError.noSheets(file: path) }
    let chosen: WorkbookPartReader.Sheet
    if let sheet {
      guard let named = workbookReader.sheets.first(where: { $0.name == sheet }) else {
        throw ExcelError.unknownSheet(file: path, name: sheet, sheets: workbookReader.sheets.map(\.name))
      }
      chosen = named
    } else {
      guard let first = workbookReader.sheets.first(where: { relationships[$0.relationship]?.kind == "worksheet" })
      else { throw ExcelError.noSheets(file: path) }
      chosen = first
    }
    guard let relationship = relationships[chosen.relationship] else {
      throw ExcelError.damaged(
        file: path, part: WorkbookArchive.relationshipsPart(of: workbookPart),
        problem: "does not say where sheet \"\(chosen.name)\" is (relationship \(chosen.relationship) is missing)")
    }
    guard relationship.kind == "worksheet" else { throw ExcelError.chartSheet(file: path, sheet: chosen.name) }
    let sheetPart = WorkbookArchive.resolve(relationship.target, from: workbookPart)

    let strings = SharedStringsPartReader()
    if let part = workbook.related(
      "sharedStrings", in: relationships, from: workbookPart, fallback: "xl/sharedStrings.xml")
    {
      try strings.read(try workbook.required(part), part: part, file: path)
    }
    let styles = StylesPartReader()
    if let part = workbook.related("styles", in: relationships, from: workbookPart, fallback: "xl/styles.xml") {
      try styles.read(try workbook.required(part), part: part, file: path)
    }

    let sheetData = try workbook.required(sheetPart)
    let reader = SheetPartReader(
      file: path, sheet: chosen.name, part: sheetPart, sharedStrings: strings.strings, dateStyles: styles.dateStyles,
      date1904: workbookReader.date1904)
    reader.csv.reserveCapacity(sheetData.count / 3)
    try reader.read(sheetData, part: sheetPart, file: path)
    return reader.csv
  }
}
