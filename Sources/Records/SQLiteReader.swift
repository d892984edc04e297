import CSQLite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one table of a SQLite file into typed columns, inferring types exactly as the CSV reader does.
///
/// INTEGER and REAL values enter as numbers (not via text, which would round reals to 15 digits); TEXT as text; NULL
/// (and the text `NA` or empty) as missing.
public enum SQLiteReader {
  /// - Throws: `CSVError.unreadable` naming the database, the table and SQLite's message.
  public static func read(
    database path: String, table name: String, types: [String: ColumnType] = [:], settings: ReadSettings = .init(),
    exactCase: Set<String> = []
  ) throws -> Table {
    let reader = ValueReader(settings)
    InputFiles.register(path)
    let source = "\(path) table \(name)"
    let db = try open(path, source: source)
    defer { sqlite3_close(db) }
    let quoted = "\"" + name.replacingQuotes() + "\""
    func query() throws -> OpaquePointer {
      var statement: OpaquePointer?
      guard sqlite3_prepare_v2(db, "SELECT * FROM \(quoted)", -1, &statement, nil) == SQLITE_OK, let statement else {
        throw CSVError.unreadable(file: source, reason: String(cString: sqlite3_errmsg(db)))
      }
      return statement
    }

    let statement = try query()
    defer { sqlite3_finalize(statement) }
    let width = Int(sqlite3_column_count(statement))
    let header = (0..<width).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
    var accumulators = [ColumnAccumulator](repeating: ColumnAccumulator(), count: width)
    var rows = 0
    var buffer: [UInt8] = []
    while true {
      let status = sqlite3_step(statement)
      if status == SQLITE_DONE { break }
      guard status == SQLITE_ROW else {
        throw CSVError.unreadable(file: source, reason: String(cString: sqlite3_errmsg(db)))
      }
      for j in 0..<width {
        let c = Int32(j)
        switch sqlite3_column_type(statement, c) {
        case SQLITE_INTEGER where accumulators[j].isPlainNumeric:
          accumulators[j].addNumber(Double(sqlite3_column_int64(statement, c)), integral: true)
        case SQLITE_FLOAT where accumulators[j].isPlainNumeric:
          accumulators[j].addNumber(sqlite3_column_double(statement, c), integral: false)
        default:
          // Text, NULL (empty: missing), or a number in a column that is already text: through the text path.
          text(statement, c, into: &buffer)
          buffer.withUnsafeBufferPointer { b in
            accumulators[j].add(
              b, Parser.Field(start: 0, end: b.count, quoted: false, hasDoubledQuotes: false), row: rows, reader: reader
            )
          }
        }
      }
      rows += 1
    }

    var (values, rebuild, chosen) = ColumnAccumulator.finishAll(accumulators, header: header, types: types, rows: rows)
    if !rebuild.isEmpty {
      // Columns whose type changed late are read again, as text.
      let again = try query()
      defer { sqlite3_finalize(again) }
      var builders = rebuild.map { ColumnBuilder(type: chosen[$0], capacity: rows) }
      var row = 0
      while sqlite3_step(again) == SQLITE_ROW {
        row += 1
        for (k, j) in rebuild.enumerated() {
          text(again, Int32(j), into: &buffer)
          buffer.withUnsafeBufferPointer { b in
            builders[k].append(
              b, Parser.Field(start: 0, end: b.count, quoted: false, hasDoubledQuotes: false), reader: reader,
              line: row)
          }
        }
      }
      for (k, j) in rebuild.enumerated() {
        try builders[k].checkFit(file: source, column: header[j])
        values[j] = builders[k].finish()
      }
    }
    let table = Table(
      source: source, rowCount: rows, columns: (0..<width).map { Column(name: header[$0], values: values[$0]!) })
    return try TableFinishing.finish(table, settings: settings, typed: Set(types.keys), exactCase: exactCase)
  }

  /// Column names of a table, from a query that reads no rows (to check a config).
  static func header(database path: String, table name: String) throws -> [String] {
    let source = "\(path) table \(name)"
    let db = try open(path, source: source)
    defer { sqlite3_close(db) }
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    guard
      sqlite3_prepare_v2(db, "SELECT * FROM \"\(name.replacingQuotes())\" LIMIT 0", -1, &statement, nil) == SQLITE_OK
    else {
      throw CSVError.unreadable(file: source, reason: String(cString: sqlite3_errmsg(db)))
    }
    return (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) }
  }

  /// Opens the database read-only and `immutable`, so that SQLite writes nothing beside it (a database in WAL mode
  /// would otherwise get `-shm` and `-wal` files next to the council's export). Immutable would ignore changes still
  /// in a `-wal` file, so a database with one is refused rather than read out of date.
  static func open(_ path: String, source: String) throws -> OpaquePointer {
    var status = stat()
    if stat(path + "-wal", &status) == 0 && status.st_size > 0 {
      throw CSVError.unreadable(
        file: source,
        reason: "its changes are still in \(path)-wal, not yet written into the database (it is open in another "
          + "program, or was copied while open); close that program, or copy the database again when it is closed")
    }
    let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-~".utf8)
    let escaped = path.utf8.map {
      safe.contains($0)
        ? String(UnicodeScalar($0)) : ("%" + ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true))
    }
    let uri = "file:" + escaped.joined() + "?immutable=1"
    var db: OpaquePointer?
    guard sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK, let db else {
      defer { sqlite3_close(db) }
      throw CSVError.unreadable(file: source, reason: db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open")
    }
    return db
  }

  private static func text(_ statement: OpaquePointer, _ column: Int32, into buffer: inout [UInt8]) {
    buffer.removeAll(keepingCapacity: true)
    guard sqlite3_column_type(statement, column) != SQLITE_NULL, let p = sqlite3_column_text(statement, column) else {
      return
    }
    buffer.append(contentsOf: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, column))))
  }
}

extension String {
  /// Doubles `"` for an SQL identifier.
  func replacingQuotes() -> String {
    var out = ""
    for ch in self { out.append(ch == "\"" ? "\"\"" : String(ch)) }
    return out
  }
}
