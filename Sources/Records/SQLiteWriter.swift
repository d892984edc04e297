import CSQLite

/// Writes tables into a new SQLite file with SQLite's own storage classes (INTEGER, REAL, TEXT, NULL), in one
/// transaction: for handing linked records to tools that read SQLite, and for testing SQLite input.
public enum SQLiteWriter {
  /// - Throws: `RecordsError.cannotWrite` naming the file and SQLite's message.
  public static func write(_ tables: [(name: String, table: Table)], to path: String) throws {
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK, let db else {
      defer { sqlite3_close(db) }
      throw RecordsError.cannotWrite(
        path: path, reason: db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open")
    }
    defer { sqlite3_close(db) }
    func run(_ sql: String) throws {
      guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
        throw RecordsError.cannotWrite(path: path, reason: String(cString: sqlite3_errmsg(db)))
      }
    }
    try run("BEGIN")
    for (name, table) in tables {
      let columns = table.columns.map { "\"\($0.name.replacingQuotes())\"" }.joined(separator: ", ")
      try run("CREATE TABLE \"\(name.replacingQuotes())\" (\(columns))")
      var statement: OpaquePointer?
      let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
      guard
        sqlite3_prepare_v2(db, "INSERT INTO \"\(name.replacingQuotes())\" VALUES (\(marks))", -1, &statement, nil)
          == SQLITE_OK, let statement
      else {
        throw RecordsError.cannotWrite(path: path, reason: String(cString: sqlite3_errmsg(db)))
      }
      defer { sqlite3_finalize(statement) }
      let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
      for row in 0..<table.rowCount {
        sqlite3_reset(statement)
        for (j, column) in table.columns.enumerated() {
          let k = Int32(j + 1)
          if column.isMissing(row) {
            sqlite3_bind_null(statement, k)
            continue
          }
          switch column.values {
          case .integer(let v): sqlite3_bind_int64(statement, k, Int64(v[row]))
          case .number(let v): sqlite3_bind_double(statement, k, v[row])
          default: sqlite3_bind_text(statement, k, column.texts([row])[0], -1, transient)
          }
        }
        guard sqlite3_step(statement) == SQLITE_DONE else {
          throw RecordsError.cannotWrite(path: path, reason: String(cString: sqlite3_errmsg(db)))
        }
      }
    }
    try run("COMMIT")
  }
}
