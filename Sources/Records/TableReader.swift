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
    try Trace.stage("read " + (path.split(separator: "/").last.map(String.init) ?? path)) {
      try readAnyKind(
        path: path, types: types, columns: columns, settings: settings, exactCase: exactCase, sheet: sheet)
    }
  }

  private static func readAnyKind(
    path: String, types: [String: ColumnType], columns: Set<String>?, settings: ReadSettings,
    exactCase: Set<String>, sheet: String?
  ) throws -> Table {
    if path == StandardInput.path {
      try refuseSheet(sheet)
      return try CSVReader.parse(
        try StandardInput.bytes(), source: StandardInput.name, types: types, columns: columns, settings: settings,
        exactCase: exactCase)
    }
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
    if path == StandardInput.path {
      try refuseSheet(sheet)
      let bytes = Array(try StandardInput.bytes().prefix(Parser.maxFieldBytes + 1))
      return try csvHeader(bytes: bytes, source: StandardInput.name, settings: settings)
    }
    if let bytes = try workbookBytes(path: path, sheet: sheet, encoding: settings.encoding) {
      let firstLine = Array(bytes.prefix { $0 != 10 }) + [10]
      return try CSVReader.parse(firstLine, source: path, settings: settings.forWorkbookText).columnNames
    }
    return try csvHeader(path: path, settings: settings)
  }

  /// The first line of a CSV file, decoded as `settings` say: read in 1 MB pieces until a line end (at most the
  /// longest field allowed), then cut after the first line end outside quotes.
  static func csvHeader(path: String, settings: ReadSettings) throws -> [String] {
    guard let file = fopen(path, "rb") else {
      throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    // Read until the first line end (a header may be longer than one read), up to the longest field allowed.
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while bytes.count <= Parser.maxFieldBytes {
      let count = fread(&chunk, 1, chunk.count, file)
      if count == 0 { break }
      bytes.append(contentsOf: chunk[..<count])
      if chunk[..<count].contains(10) { break }
    }
    return try csvHeader(bytes: bytes, source: path, settings: settings)
  }

  /// The header from the first bytes of a CSV (at least its first line, or all of it): decoded as `settings` say,
  /// then cut after the first line end outside quotes. The same for a file and for standard input.
  static func csvHeader(bytes: [UInt8], source path: String, settings: ReadSettings) throws -> [String] {
    if bytes.isEmpty { throw CSVError.empty(file: path) }
    if !bytes.contains(10) && bytes.count > Parser.maxFieldBytes {
      throw CSVError.fieldTooLong(file: path, line: 1, limit: Parser.maxFieldBytes)
    }
    var utf8Settings = settings
    let mark = bytes.withUnsafeBufferPointer { TextDecoding.utf16ByteOrderMark($0) }
    let decoded: [UInt8] = bytes.withUnsafeBufferPointer { buffer in
      switch settings.encoding {
      case .utf16:
        return TextDecoding.utf16ToUTF8(buffer, bigEndian: mark?.bigEndian ?? false, skip: mark?.length ?? 0)
      case .windows1252, .latin1:
        return TextDecoding.singleByteToUTF8(buffer, latin1: settings.encoding == .latin1)
      case .auto where mark != nil:
        return TextDecoding.utf16ToUTF8(buffer, bigEndian: mark!.bigEndian, skip: mark!.length)
      default:
        return bytes
      }
    }
    // Transcoded text is UTF-8 now; UTF-8 or auto text is read as it is (auto falls back to Windows-1252 itself).
    if settings.encoding != .auto && settings.encoding != .utf8 || mark != nil { utf8Settings.encoding = .utf8 }
    // Cut after the first line end outside quotes.
    var inQuotes = false
    var cut = decoded.count
    for (i, b) in decoded.enumerated() {
      if b == 34 { inQuotes.toggle() }
      if b == 10 && !inQuotes {
        cut = i + 1
        break
      }
    }
    let line = Array(decoded[..<cut]) + (cut == decoded.count ? [10] : [])
    return try CSVReader.parse(line, source: path, settings: utf8Settings).columnNames
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
    guard signature == .xlsx else {
      if let sheet {
        throw CSVError.notATable(
          file: path, what: "is a CSV, not a workbook, but a sheet (\(sheet)) is named for it; remove the sheet")
      }
      return nil
    }
    InputFiles.register(path)  // CSV files register themselves in CSVReader.read
    return try ExcelWorkbook.csvBytes(path: path, sheet: sheet)
  }
}

extension TableReader {
  /// Standard input carries CSV only, so it has no sheets.
  static func refuseSheet(_ sheet: String?) throws {
    if let sheet {
      throw CSVError.notATable(
        file: StandardInput.name, what: "is read as CSV, but a sheet (\(sheet)) is named for it; remove the sheet")
    }
  }

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
