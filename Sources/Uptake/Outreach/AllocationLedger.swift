import Foundation
import Records

/// The append-only record of who was allocated to which arm of a hold-back, list by list: what `uptake impact` reads
/// to measure outreach. A CSV file, or a SQLite file (table `allocations`), chosen by the file's extension. Each unit
/// is allocated once; a later list keeps its arm (a reallocation adds a row, and the latest row counts).
public struct AllocationLedger: Sendable {
  public struct Entry: Equatable, Sendable {
    public var listId: String
    public var date: Day
    /// The checksum of the model that scored the list.
    public var model: String
    public var seed: UInt64
    public var unit: String
    public var family: String?
    public var stratum: String
    public var arm: Arm
    /// The probability the list gave the unit (calibrated when the model is).
    public var probability: Double

    public init(
      listId: String, date: Day, model: String, seed: UInt64, unit: String, family: String?, stratum: String, arm: Arm,
      probability: Double
    ) {
      self.listId = listId
      self.date = date
      self.model = model
      self.seed = seed
      self.unit = unit
      self.family = family
      self.stratum = stratum
      self.arm = arm
      self.probability = probability
    }
  }

  public private(set) var entries: [Entry]

  public static let columns = [
    "list_id", "allocated_on", "model_checksum", "seed", "unit_id", "family_id", "stratum", "arm", "probability",
  ]
  /// The table of a SQLite ledger.
  public static let table = "allocations"

  public init(entries: [Entry] = []) { self.entries = entries }

  /// Each unit's latest allocation.
  public var latest: [String: Entry] {
    Dictionary(entries.map { ($0.unit, $0) }, uniquingKeysWith: { _, later in later })
  }

  /// The lists recorded, in order.
  public var listIds: [String] {
    var seen = Set<String>()
    return entries.map(\.listId).filter { seen.insert($0).inserted }
  }

  enum Kind { case csv, sqlite }

  static func kind(_ path: String) throws -> Kind {
    let name = path.lowercased()
    if name.hasSuffix(".csv") { return .csv }
    if [".sqlite", ".sqlite3", ".db"].contains(where: name.hasSuffix) { return .sqlite }
    throw DataError("ledger \(path): name it .csv, or .sqlite (or .db) for a SQLite file")
  }

  /// Whether two paths name one file (the same text, or the same device and inode).
  public static func samePath(_ a: String, _ b: String) -> Bool {
    if URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path {
      return true
    }
    var (sa, sb) = (stat(), stat())
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
  }

  /// Reads a ledger; a file that does not exist yet is an empty ledger.
  /// - Parameter forAppending: the ledger is read to be written again with new rows, so it is not kept as one of the
  ///   run's inputs (which no output may replace); read only, it stays one.
  /// - Throws: `DataError` naming the file, the line and what is wrong, for anything that is not a ledger row.
  public static func read(_ path: String, forAppending: Bool = false) throws -> AllocationLedger {
    let kind = try kind(path)
    guard FileManager.default.fileExists(atPath: path) else { return AllocationLedger() }
    // The ledger is read to be replaced with itself and the new rows; a file also read as data stays protected.
    let alsoData = InputFiles.isRegistered(path)
    defer { if forAppending && !alsoData { InputFiles.release(path) } }
    let table: Table
    switch kind {
    case .csv:
      let header = try TableReader.header(path: path)
      guard header == columns else {
        throw DataError(
          "ledger \(path) does not have the ledger's columns (\(columns.joined(separator: ", "))); give a ledger "
            + "written by uptake score --ledger, or a new file name")
      }
      table = try TableReader.read(
        path: path, types: Dictionary(uniqueKeysWithValues: columns.map { ($0, ColumnType.categorical) }))
    case .sqlite:
      table = try SQLiteReader.read(
        database: path, table: Self.table,
        types: Dictionary(uniqueKeysWithValues: columns.map { ($0, ColumnType.categorical) }))
    }
    var text: [String: [String]] = [:]
    for name in columns {
      guard let column = table[name] else { throw DataError("ledger \(path) has no column \(name)") }
      text[name] = column.texts(Array(0..<table.rowCount))
    }
    let entries = try (0..<table.rowCount).map { row -> Entry in
      func value(_ name: String) -> String { text[name]![row] }
      let line = row + 2
      func bad(_ what: String) -> DataError {
        DataError("ledger \(path), \(kind == .csv ? "line" : "row") \(line): \(what); the ledger must not be edited")
      }
      guard let date = Day(iso: Substring(value("allocated_on"))) else { throw bad("allocated_on is not a date") }
      guard let seed = UInt64(value("seed")) else { throw bad("seed is not a whole number") }
      guard let arm = Arm(rawValue: value("arm")) else { throw bad("arm is neither contact nor hold_back") }
      guard let p = Double(value("probability")), (0...1).contains(p) else {
        throw bad("probability is not a number from 0 to 1")
      }
      guard !value("unit_id").isEmpty, !value("list_id").isEmpty else { throw bad("a unit or list id is empty") }
      return Entry(
        listId: value("list_id"), date: date, model: value("model_checksum"), seed: seed, unit: value("unit_id"),
        family: value("family_id").isEmpty ? nil : value("family_id"), stratum: value("stratum"), arm: arm,
        probability: p)
    }
    let ledger = AllocationLedger(entries: entries)
    // One row per unit per list: a unit twice in one list is no allocation any list made.
    var seen = Set<[String]>()
    for entry in entries where !seen.insert([entry.listId, entry.unit]).inserted {
      throw DataError("ledger \(path): a unit appears twice in list \(entry.listId); the ledger must not be edited")
    }
    return ledger
  }

  /// Writes the ledger with `new` entries after the existing ones, atomically: the file is replaced only when the whole
  /// ledger is written, so an interrupted run leaves the previous ledger intact.
  public func appending(_ new: [Entry], to path: String) throws -> AllocationLedger {
    let all = AllocationLedger(entries: entries + new)
    switch try Self.kind(path) {
    case .csv:
      let writer = try CSVWriter(path: path, header: Self.columns)
      for e in all.entries {
        for field in all.fields(e) { writer.field(field) }
        writer.endRow()
      }
      try writer.finish()
    case .sqlite:
      try AtomicFile.checkDestination(path)
      let partial = AtomicFile.partialPath(for: path)
      try? FileManager.default.removeItem(atPath: partial)
      let n = all.entries.count
      let columns = Self.columns.enumerated().map { k, name -> Column in
        let values = all.entries.map { all.fields($0)[k] }
        if name == "probability" { return Column(name: name, values: .number(values.map { Double($0)! })) }
        var levels: [String] = [], codes: [Int32] = []
        var index: [String: Int32] = [:]
        for v in values {
          if index[v] == nil {
            index[v] = Int32(levels.count)
            levels.append(v)
          }
          codes.append(index[v]!)
        }
        return Column(name: name, values: .categorical(codes: codes, levels: levels))
      }
      do {
        try SQLiteWriter.write([(Self.table, Table(source: path, rowCount: n, columns: columns))], to: partial)
        // Like every output: readable by its owner only (it holds pseudonymous ids).
        guard chmod(partial, 0o600) == 0, rename(partial, path) == 0 else {
          throw DataError("cannot replace ledger \(path) (\(String(cString: strerror(errno))))")
        }
      } catch {
        try? FileManager.default.removeItem(atPath: partial)
        throw error
      }
    }
    return all
  }

  func fields(_ e: Entry) -> [String] {
    [
      e.listId, e.date.description, e.model, String(e.seed), e.unit, e.family ?? "", e.stratum, e.arm.rawValue,
      String(format: "%.6f", e.probability),
    ]
  }
}
