import CSQLite
import Foundation
import Testing

@testable import Records

/// Writes tables into a SQLite file (in name order).
func writeSQLite(_ tables: [String: Table], to path: String) throws {
  try SQLiteWriter.write(tables.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: path)
}

@Suite("SQLite input")
struct SQLiteTests {
  @Test("the same records from SQLite give the same features and labels as from CSV")
  func sameAsCSV() throws {
    let csv = try TinyRecords.engine()
    let folder = NSTemporaryDirectory() + "uptake-sqlite-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try writeSQLite(csv.tables, to: folder + "/records.sqlite")
    var config = "database: records.sqlite\n" + TinyRecords.config
    for name in ["kids", "visits", "sessions", "homes"] {
      config = config.replacingOccurrences(of: "file: \(name).csv", with: "table: \(name)")
    }
    try config.write(toFile: folder + "/uptake.yaml", atomically: true, encoding: .utf8)
    let sqlite = try FeatureEngine.load(configPath: folder + "/uptake.yaml")
    for (name, table) in csv.tables {
      #expect(sqlite.tables[name]!.columns.map(\.type) == table.columns.map(\.type), "\(name) types")
    }
    let a = try csv.frame(), b = try sqlite.frame()
    #expect(a.ids == b.ids && a.asOf == b.asOf && a.labels == b.labels)
    for (x, y) in zip(a.features, b.features) {
      #expect(x.texts(Array(0..<a.rowCount)) == y.texts(Array(0..<b.rowCount)), "\(x.name)")
    }
  }

  @Test("a missing SQLite table is a clear error naming the database and table")
  func missingTable() throws {
    let path = NSTemporaryDirectory() + "uptake-empty-\(UUID().uuidString).sqlite"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try writeSQLite([:], to: path)
    #expect {
      try SQLiteReader.read(database: path, table: "children")
    } throws: { "\($0)".contains("table children") && "\($0)".contains("no such table") }
  }

  @Test("a missing config says what to do, without a meaningless line number")
  func missingConfig() {
    #expect {
      try ProjectConfig.load(path: "/nonexistent/uptake.yaml")
    } throws: { "\($0)".hasPrefix("/nonexistent/uptake.yaml: cannot read the config") && "\($0)".contains("--config") }
  }

  @Test("a config naming a SQLite table without a database says so, with the line")
  func noDatabase() {
    let text = "version: 1\ntables:\n  kids: { table: kids }\n"
    #expect {
      try ProjectConfig.parse(text, file: "uptake.yaml") { _ in ["kid"] }
    } throws: { "\($0)".contains("line 3") && "\($0)".contains("no database") }
  }

  @Test(
    "a database in WAL mode is read without leaving -shm or -wal beside it; one with changes still in -wal is refused")
  func walMode() throws {
    let folder = NSTemporaryDirectory() + "uptake-sqlite-wal-\(UUID().uuidString) with space"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/records.sqlite"
    var db: OpaquePointer?
    #expect(sqlite3_open(path, &db) == SQLITE_OK)
    for sql in [
      "PRAGMA journal_mode=WAL", "CREATE TABLE kids (kid TEXT, n INTEGER)", "INSERT INTO kids VALUES ('K1', 3)",
    ] {
      #expect(sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK)
    }
    // Open, with the change still in records.sqlite-wal: refused, not read out of date.
    #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(throws: CSVError.self) { _ = try SQLiteReader.read(database: path, table: "kids") }
    sqlite3_close(db)  // the last connection checkpoints and removes -wal and -shm
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    let table = try SQLiteReader.read(database: path, table: "kids")
    #expect(table.rowCount == 1 && table.columnNames == ["kid", "n"])
    #expect(try SQLiteReader.header(database: path, table: "kids") == ["kid", "n"])
    let left = try FileManager.default.contentsOfDirectory(atPath: folder)
    #expect(left == ["records.sqlite"], "\(left)")
  }
}
