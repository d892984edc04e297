/// `uptake.yaml`: what the tables are, how they link, who is predicted, when, for what outcome, and which features.
///
/// Read with `ProjectConfig.load(path:)`; every name is checked against the tables so a mistake is reported with its
/// line in the file and the nearest valid name.
public struct ProjectConfig: Sendable, Equatable {
  public var tables: [TableSpec]
  /// A SQLite file holding the tables that name `table:` instead of `file:`.
  public var database: String?
  public var links: [Link]
  public var population: Population
  public var id: String
  public var group: String?
  public var asOf: AsOf
  public var outcome: Outcome?
  public var protected: [String]
  /// Columns of the population (or a table it links to) written on every contact list (`list_columns:`).
  public var listColumns: [String] = []

  /// Features that are protected attributes: named as one, or taking a protected column's value. Allowed (a user
  /// may decide a language need belongs in the model) but said aloud by `train`, the model card and the record.
  public var protectedFeatures: [String] {
    let protectedSet = Set(protected)
    return features.filter { feature in
      protectedSet.contains(feature.name)
        || (feature.takenColumn.map { protectedSet.contains($0.column) } ?? false)
    }.map(\.name)
  }
  public var features: [Feature]
  /// `orphan_keys: error`: a link key with no match in the linked table stops the run (default: a warning).
  public var orphanKeysAreErrors = false
  /// Columns named like personal data that are not (`personal: { allow: [...] }`).
  public var personalAllowed: Set<String> = []
  /// The day up to which the records are complete (`data_until:`); nil: the latest event date, or today if earlier.
  public var dataUntil: Day? = nil
  /// What a row of the population is (`unit: child`), named in summaries, reports and lists.
  public var unit: UnitName = .child
  /// Each table's column names as its header gave them (read while checking the config).
  public var headers: [String: [String]] = [:]
  /// The file the config was read from, named by every `ConfigError` found later (while building features).
  public var path = "uptake.yaml"

  /// The config file's own name (`uptake.yaml`, or what `--config` named), for sentences telling what to set in it.
  public var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }

  /// A problem with this config found after it was read, naming its file and `line` (0: no one line).
  public func error(line: Int = 0, _ message: String) -> ConfigError {
    ConfigError(file: path, line: line, message: message)
  }

  public func table(_ name: String) -> TableSpec? { tables.first { $0.name == name } }

  /// A column named `name` (or `table.column`) of the population table or of a table the population links to
  /// directly, for extra output columns such as the group a contact list is split by. Nil when there is none.
  public func reachableColumn(_ name: String) -> ColumnRef? {
    let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
    let candidates =
      [population.table] + links.filter { $0.from.table == population.table }.map(\.to.table)
    for table in candidates where headers[table]?.contains(parts.last!) == true {
      if parts.count == 2 && parts[0] != table { continue }
      return ColumnRef(table: table, column: parts.last!)
    }
    return nil
  }

  /// Columns of `table` that hold keys or ids: their letter case is kept, since `AB1` and `ab1` may be two families.
  public func keyColumns(of table: String) -> Set<String> {
    var keys = Set<String>()
    if let key = self.table(table)?.key { keys.insert(key) }
    for link in links {
      if link.from.table == table { keys.insert(link.from.column) }
      if link.to.table == table { keys.insert(link.to.column) }
    }
    if population.table == table {
      keys.insert(id)
      if let group { keys.insert(group) }
    }
    return keys
  }

  /// Every column of `table` the config refers to: only these need reading.
  public func usedColumns(of table: String) -> Set<String> {
    var used = Set<String>()
    if let spec = self.table(table) {
      for c in [spec.key, spec.eventTime, spec.recordedTime].compactMap({ $0 }) { used.insert(c) }
    }
    for link in links {
      if link.from.table == table { used.insert(link.from.column) }
      if link.to.table == table { used.insert(link.to.column) }
    }
    for feature in features {
      switch feature.source {
      case .column(let ref), .ageInMonths(let ref):
        if ref.table == table { used.insert(ref.column) }
      case .aggregate(let aggregate):
        if aggregate.table == table {
          used.formUnion(aggregate.filter.keys)
          if let of = aggregate.of { used.insert(of) }
        }
      }
    }
    if population.table == table {
      used.insert(id)
      if let group { used.insert(group) }
      if let r = population.requirePresent { used.insert(r) }
      if case .column(let c, _) = asOf { used.insert(c) }
      used.formUnion(protected)
      if let outcome { used.insert(outcome.anchor) }
    }
    return used
  }

  public struct TableSpec: Sendable, Equatable {
    public var name: String
    /// The CSV file, or nil when the table is read from the SQLite `database`.
    public var file: String?
    /// The table's name inside the SQLite `database`.
    public var sqliteTable: String?
    public var key: String?
    /// The column dating each row (an event table); rows dated on or after the as-of date are not used.
    public var eventTime: String?
    /// When the row reached the records; rows recorded on or after the as-of date are not used either.
    public var recordedTime: String?
    public var types: [String: ColumnType]
    /// How the table's file is written (the config's `read:`, with the table's own `read:` over it).
    public var read = ReadSettings()
    /// The sheet of a workbook (nil: the first).
    public var sheet: String? = nil
  }

  /// `table.column`.
  public struct ColumnRef: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var table: String
    public var column: String
    public init(table: String, column: String) {
      self.table = table
      self.column = column
    }
    public var description: String { "\(table).\(column)" }
  }

  /// `from` holds values of `to` (a foreign key): `children.family_id → families.family_id`.
  public struct Link: Sendable, Equatable {
    public var from: ColumnRef
    public var to: ColumnRef
  }

  public struct Population: Sendable, Equatable {
    public var table: String
    /// Keep rows where this column is present (`<column> is present`), if set.
    public var requirePresent: String?
  }

  public enum AsOf: Sendable, Equatable {
    /// A date column of the population table plus an offset in days.
    case column(String, offsetDays: Int)
    /// One date for everyone (usually given on the command line).
    case fixed(Day)
  }

  /// A time window relative to the as-of date: the last `days` days before it, or all time when nil.
  public struct Window: Sendable, Equatable {
    public var lastDays: Int?
  }

  /// The `aggregation:` that makes an age from a date column (`Source.ageInMonths`), not an aggregation of rows.
  public static let ageInMonths = "age_in_months"

  /// How an event table's rows become one number per unit (a feature's or the outcome's).
  public enum Aggregation: String, Sendable, Equatable, CaseIterable {
    case count, exists, sum, mean, min, max
    case distinctCount = "distinct_count"
    case daysSinceFirst = "days_since_first"
    case daysSinceLast = "days_since_last"
    case share
  }

  public struct Feature: Sendable, Equatable {
    public var name: String
    /// Where the feature's value comes from.
    public var source: Source
    /// The reason sentence, with `{value}` standing for the family's own value.
    public var reason: String
    /// The reason when the value is missing (e.g. "no family-hub session on record" for days since the last one).
    public var reasonWhenMissing: String? = nil
    /// `reason_style: need`: the reason is the template as written, a service need ("may want information in another
    /// language"), never the unit's own value; for a protected attribute kept as a feature.
    public var reasonIsNeed = false
    /// `modifiable: true` with `action:`: something outreach can change, and what it would do ("invite to a
    /// stay-and-play session"); lists suggest it where the feature raises a unit's risk most.
    public var action: String? = nil
    public var line: Int

    /// The column taken as it is (`column:`), whose value the feature shows; nil for ages and aggregations.
    public var takenColumn: ColumnRef? {
      if case .column(let ref) = source { return ref }
      return nil
    }
  }

  /// Where a feature's value comes from: exactly one of these, as the config's keys say.
  public enum Source: Sendable, Equatable {
    /// `column: table.column`: a column of the population table or of a table linked to it, taken as it is.
    case column(ColumnRef)
    /// `aggregation: age_in_months` of a date column: whole months from it to the as-of date.
    case ageInMonths(ColumnRef)
    /// `table:` with `aggregation:`: the table's rows linked to the unit and visible before its as-of date.
    case aggregate(Aggregate)
  }

  /// An aggregation over an event table linked to the population (directly or through a shared key).
  public struct Aggregate: Sendable, Equatable {
    public var table: String
    public var aggregation: Aggregation
    /// For sum/mean/min/max/distinct_count: the column aggregated.
    public var of: String?
    /// Rows kept: each column must hold one of the listed values.
    public var filter: [String: [String]] = [:]
    public var window = Window(lastDays: nil)
  }

  /// The outcome: an aggregation over a window anchored at a population date column, compared with a number.
  public struct Outcome: Sendable, Equatable {
    public var name: String
    public var table: String
    public var aggregation: Aggregation
    public var anchor: String
    public var fromDays: Int
    public var toDays: Int
    /// The event happens when the aggregate equals this value.
    public var eventWhenEquals: Double
  }
}

/// A problem in `uptake.yaml`, with its line and what to do.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var message: String

  /// `file, line N: message`, or `file: message` when the problem has no line (an unreadable file).
  public var description: String { line > 0 ? "\(file), line \(line): \(message)" : "\(file): \(message)" }
}

/// The closest name by edit distance, for "did you mean" suggestions.
public func nearest(_ name: String, in candidates: [String]) -> String? {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for (i, ca) in a.enumerated() {
      var current = [i + 1]
      for (j, cb) in b.enumerated() {
        current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
  let scored = candidates.map { ($0, distance(Array(name.lowercased()), Array($0.lowercased()))) }
  guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= Swift.max(2, name.count / 2) else { return nil }
  return best.0
}
