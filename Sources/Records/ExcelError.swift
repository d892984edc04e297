/// An Excel workbook (`.xlsx`) that cannot be turned into a table, with where and what to do.
///
/// Every message names the file (and the sheet and cell when there is one) and ends with the fix a council's analyst
/// can make in Excel, because the person who reads it is usually not the one who wrote the export.
public enum ExcelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file cannot be opened as a zip archive at all.
  case unreadable(file: String, reason: String)
  /// The workbook lists no worksheets.
  case noSheets(file: String)
  /// No sheet has the requested name; `sheets` lists those that exist, in workbook order.
  case unknownSheet(file: String, name: String, sheets: [String])
  /// The chosen sheet holds a chart, not cells.
  case chartSheet(file: String, sheet: String)
  /// A part the workbook needs is missing or is not well-formed XML.
  case damaged(file: String, part: String, problem: String)
  /// A non-empty cell to the right of the header's last named column.
  case cellBeyondHeader(file: String, sheet: String, cell: String, headerRow: Int, lastColumn: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return "cannot read workbook \(file): \(reason); check that it is an .xlsx workbook, or export it as CSV UTF-8"
    case .noSheets(let file):
      return "workbook \(file) has no worksheets; open it in Excel, check that it holds the table, and save it "
        + "again as .xlsx or as CSV UTF-8"
    case .unknownSheet(let file, let name, let sheets):
      let hint = nearest(name, in: sheets).map { "did you mean \"\($0)\"?" } ?? "give one of these names"
      return "workbook \(file) has no sheet named \"\(name)\"; its sheets are "
        + sheets.map { "\"\($0)\"" }.joined(separator: ", ") + "; \(hint)"
    case .chartSheet(let file, let sheet):
      return "workbook \(file), sheet \"\(sheet)\" is a chart, not a table; name the sheet that holds the data"
    case .damaged(let file, let part, let problem):
      return "workbook \(file) is damaged: its part \(part) \(problem); open it in Excel (which may repair it) and "
        + "save it again as .xlsx or as CSV UTF-8"
    case .cellBeyondHeader(let file, let sheet, let cell, let headerRow, let lastColumn):
      return "workbook \(file), sheet \"\(sheet)\", cell \(cell): a value to the right of the last named column "
        + "(\(lastColumn) in header row \(headerRow)); give its column a name in row \(headerRow), or delete the "
        + "stray value (if row \(headerRow) is a title above the table, delete that row instead)"
    }
  }
}
