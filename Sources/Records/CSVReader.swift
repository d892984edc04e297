#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A byte-level RFC 4180 CSV reader into typed columns.
///
/// Handles quoted fields, doubled quotes, embedded newlines, LF or CRLF line ends and a UTF-8 byte-order mark; other
/// encodings and delimiters as `ReadSettings` say. A row with the wrong number of fields or an unclosed quote is an
/// error naming the file and line — never a silently short row. One pass over the bytes, in row chunks on both cores,
/// infers each column's type (integer, number, date in the declared format, boolean, categorical) while building its
/// values, parsing numbers and dates straight from the bytes; a column whose type changed late is read again. Fields
/// are trimmed of surrounding spaces; the settings' markers are missing. `TableFinishing` then checks the text
/// columns and folds letter case.
public enum CSVReader {
  /// Reads a file.
  /// - Parameters:
  ///   - types: per-column type overrides (e.g. a numeric-looking code as `.categorical`).
  ///   - columns: read only these columns (others are skipped, not parsed); nil reads all.
  ///   - settings: how the export is written (date format, missing markers, encoding, delimiter, case, numbers).
  ///   - exactCase: columns whose letter case is kept whatever `settings` says (keys and ids).
  /// - Throws: `CSVError` naming the file, line and column.
  public static func read(
    path: String, types: [String: ColumnType] = [:], columns: Set<String>? = nil, settings: ReadSettings = .init(),
    exactCase: Set<String> = []
  ) throws -> Table {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    InputFiles.register(path)
    let size = Int(status.st_size)
    if size == 0 { throw CSVError.empty(file: path) }
    // Map the file rather than copy it: both parsing threads read the page cache directly.
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
      throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    defer { munmap(mapped, size) }
    let bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
    return try table(bytes, source: path, types: types, columns: columns, settings: settings, exactCase: exactCase)
  }

  /// Parses CSV text held in memory; `source` names it in errors.
  public static func parse(
    _ bytes: [UInt8], source: String, types: [String: ColumnType] = [:], columns: Set<String>? = nil,
    settings: ReadSettings = .init(), exactCase: Set<String> = []
  ) throws -> Table {
    try bytes.withUnsafeBufferPointer { buffer in
      try table(buffer, source: source, types: types, columns: columns, settings: settings, exactCase: exactCase)
    }
  }

  /// Decodes the bytes as `settings.encoding` says, then parses them. Under `auto`, UTF-16 is found by its
  /// byte-order mark; text that is not valid UTF-8 is read again as Windows-1252, with a note naming the file.
  static func table(
    _ bytes: UnsafeBufferPointer<UInt8>, source: String, types: [String: ColumnType], columns: Set<String>?,
    settings: ReadSettings, exactCase: Set<String>
  ) throws -> Table {
    func parse(_ utf8: UnsafeBufferPointer<UInt8>, _ used: ReadSettings.Encoding) throws -> Table {
      var parser = Parser(bytes: utf8, source: source, settings: settings)
      var table = try parser.table(types: types, columns: columns, exactCase: exactCase)
      table.detected.encoding = used
      return table
    }
    func transcoded(_ encoding: ReadSettings.Encoding) throws -> Table {
      let converted: [UInt8]
      switch encoding {
      case .utf16:
        let mark = TextDecoding.utf16ByteOrderMark(bytes)
        converted = TextDecoding.utf16ToUTF8(bytes, bigEndian: mark?.bigEndian ?? false, skip: mark?.length ?? 0)
      case .latin1: converted = TextDecoding.singleByteToUTF8(bytes, latin1: true)
      default: converted = TextDecoding.singleByteToUTF8(bytes, latin1: false)
      }
      return try converted.withUnsafeBufferPointer { try parse($0, encoding) }
    }
    switch settings.encoding {
    case .utf8: return try parse(bytes, .utf8)
    case .utf16, .windows1252, .latin1: return try transcoded(settings.encoding)
    case .auto:
      if TextDecoding.utf16ByteOrderMark(bytes) != nil { return try transcoded(.utf16) }
      do {
        return try parse(bytes, .utf8)
      } catch CSVError.notUTF8 where !TextDecoding.isValidUTF8(bytes) {
        var table = try transcoded(.windows1252)
        table.notes.append(
          "\(source) is not UTF-8; read as Windows-1252 (Excel's \"CSV (Comma delimited)\"); if it is another "
            + "encoding, set encoding: under read: (e.g. latin-1), or --encoding")
        return table
      }
    }
  }
}
