#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a table from a file of any kind a council exports: CSV (any delimiter and encoding the settings allow) or
/// an Excel workbook (`.xlsx`, its first sheet or the one named). A file of another kind given as a table (`.xls`,
/// an encrypted workbook, gzip, zip, binary data) is refused with what it is and what to save it as.
public enum TableReader {
  /// - Parameters: as `CSVReader.read`; `sheet` picks a workbook's sheet by name (nil: the first).
  /// - Throws: `CSVError`, `ExcelError`, or `CSVError.notATable` saying what the file is when it is no table.
  public static func read(
    path: String, types: [String: ColumnType] = [:], columns: Set<String>? = nil, settings: ReadSettings = .init(),
    exactCase: Set<String> = [], sheet: String? = nil
  ) throws -> Table {
    if let bytes = try workbookBytes(path: path, sheet: sheet, encoding: settings.encoding) {
      var table = try CSVReader.parse(
        bytes, source: path, types: types, columns: columns, settings: settings.forWorkbookText,
        exactCase: exactCase)
      table.detected.encoding = .auto
      table.detected.delimiter = .auto
      table.detected.isWorkbook = true
      return table
    }
    return try CSVReader.read(path: path, types: types, columns: columns, settings: settings, exactCase: exactCase)
  }

  /// The column names of a table file, without reading its rows (a workbook's sheet is converted whole).
  public static func header(path: String, settings: ReadSettings = .init(), sheet: String? = nil) throws -> [String] {
    if let bytes = try workbookBytes(path: path, sheet: sheet, encoding: settings.encoding) {
      let firstLine = Array(bytes.prefix { $0 != 10 }) + [10]
      return try CSVReader.parse(firstLine, source: path, settings: settings.forWorkbookText).columnNames
    }
    return try CSVHeader.csvHeader(path: path, settings: settings)
  }

  /// A workbook's sheet as CSV bytes; nil for a text file; an error for a file that is neither, or for a sheet named
  /// for a CSV.
  static func workbookBytes(path: String, sheet: String?, encoding: ReadSettings.Encoding = .auto) throws -> [UInt8]? {
    try checkRegularFile(path)
    let signature = try FileSignature.of(path: path)
    // UTF-16 without a byte-order mark is full of NUL bytes, yet text when declared so.
    if let refusal = signature.refusal, !(signature == .binary && encoding == .utf16) {
      throw CSVError.notATable(file: path, what: refusal)
    }
    InputFiles.register(path)
    guard signature == .xlsx else {
      if let sheet {
        throw CSVError.notATable(
          file: path, what: "is a CSV, not a workbook, but a sheet (\(sheet)) is named for it; remove the sheet")
      }
      return nil
    }
    return try ExcelWorkbook.csvBytes(path: path, sheet: sheet)
  }
}

extension TableReader {
  /// A folder, a pipe or a device given as a table is refused before it is opened: opening a FIFO would wait forever.
  static func checkRegularFile(_ path: String) throws {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFDIR: throw CSVError.notATable(file: path, what: "is a folder, not a table; name a CSV or .xlsx file in it")
    default:
      throw CSVError.notATable(
        file: path, what: "is not a regular file (a pipe, socket or device); copy the export to a file first")
    }
  }
}

extension ReadSettings {
  /// A workbook's cells arrive as UTF-8 CSV with commas; every other setting (dates written as text, missing
  /// markers, case, numbers) still applies.
  var forWorkbookText: ReadSettings {
    var s = self
    s.encoding = .utf8
    s.delimiter = .comma
    return s
  }
}
