import Dispatch

/// A data-quality finding that does not stop a run (unless the config says so): printed as a counted note by every
/// command that reads the records, and kept typed so a caller can act on one kind (`orphan_keys: error`).
public enum DataQualityIssue: Sendable, Equatable, CustomStringConvertible {
  /// What a reader noted while reading a table (an encoding fallback, letter-case merges), as it wrote it.
  case readerNote(String)
  /// `rows` of `total` rows of `link.from`'s table have a key with no match in `link.to`.
  case orphanKeys(link: ProjectConfig.Link, rows: Int, total: Int, configFile: String)
  /// `rows` of `total` rows of `table` have no `column` (its event time): never used.
  case undated(table: String, column: String, rows: Int, total: Int)
  /// `rows` rows of `table` have an event time but no `column` (its recorded time): never used.
  case unrecorded(table: String, column: String, rows: Int)
  /// `rows` rows of `table` are dated (`column`) after the end of the data.
  case afterDataEnd(table: String, column: String, rows: Int, end: String)
  /// The end of the data is `days` days after the latest event of any table (`latest`).
  case dataEndAfterLatestEvent(end: String, days: Int, latest: Day)

  public var description: String {
    switch self {
    case .readerNote(let note): return note
    case .orphanKeys(let link, let rows, let total, let configFile):
      return
        "\(link.from.table): \(rows) of \(total) rows have a \(link.from.column) with no match in \(link.to); they are "
        + "never used (set orphan_keys: error in \(configFile) to stop instead)"
    case .undated(let table, let column, let rows, let total):
      return "\(table): \(rows) of \(total) rows have no \(column); they are never used (no date, no time window)"
    case .unrecorded(let table, let column, let rows):
      return
        "\(table): \(rows) rows have no \(column); they are never used (when they reached the records is not known)"
    case .afterDataEnd(let table, let column, let rows, let end):
      return "\(table): \(rows) rows have \(column) after the end of the data, \(end); they count only for as-of dates "
        + "after them and for no outcome — check the dates, or set data_until:"
    case .dataEndAfterLatestEvent(let end, let days, let latest):
      return "the end of the data, \(end), is \(days) days after the latest event of any table (\(latest)); outcome "
        + "windows ending in between are counted as complete — set data_until to the day the extract was taken"
    }
  }
}

extension FeatureEngine {
  /// A unit whose as-of date falls after its outcome window opens has features that can see the outcome.
  func leakWarnings(_ o: ProjectConfig.Outcome, rows: [Int], asOf: [Day], unknown: [Bool]) -> [String] {
    guard case .date(let anchors) = tables[config.population.table]![o.anchor]!.values else { return [] }
    let late = rows.indices.filter { k in
      !unknown[k] && Day(number: Int(anchors[rows[k]])) + o.fromDays < asOf[k]
    }.count
    guard late > 0 else { return [] }
    return [
      "\(late) units have their as-of date after their outcome window opens (\(o.anchor) + \(o.fromDays) days): their "
        + "features can see the outcome; use an as-of date before it (as_of: offset_days below \(o.fromDays))"
    ]
  }

  /// Event and recorded times must be dates: a text column would silently switch the point-in-time rule off.
  func checkDateColumns() throws {
    for spec in config.tables {
      for (key, column) in [("event_time", spec.eventTime), ("recorded_time", spec.recordedTime)] {
        guard let column, let values = tables[spec.name]?[column]?.values else { continue }
        guard values.type == .date else {
          throw config.error(
            line: 0,
            "\(key) of table \(spec.name) is \(column), but it is read as \(values.type.rawValue), not dates; "
              + "declare the date format (read: {date_format: DD/MM/YYYY}), or types: {\(column): date} to be told "
              + "which values are not dates")
        }
      }
    }
  }

  /// Warnings for a feature's `where:` values that match no row of its table, with the nearest value that does.
  func filterWarnings(_ feature: ProjectConfig.Feature) -> [String] {
    guard case .aggregate(let aggregate) = feature.source, let table = tables[aggregate.table],
      let spec = config.table(aggregate.table)
    else { return [] }
    let name = aggregate.table
    var notes: [String] = []
    for (column, values) in aggregate.filter.sorted(by: { $0.key < $1.key }) {
      guard let c = table[column] else { continue }
      // A categorical column's own levels; other kinds as text (rarely filtered on).
      let present: Set<String>
      if case .categorical(_, let levels) = c.values {
        present = Set(levels)
      } else {
        present = Set(c.keyCodes().levels)
      }
      let fold = spec.read.letterCase == .fold
      let folded = Set(present.map { $0.lowercased() })
      for value in values where !(fold ? folded.contains(value.lowercased()) : present.contains(value)) {
        let hint = nearest(value, in: Array(present)).map { "; did you mean \($0)?" } ?? ""
        notes.append(
          "feature \(feature.name) (\(config.fileName), line \(feature.line)): where \(column): \(value) matches no row of "
            + "\(name)\(hint)")
      }
    }
    return notes
  }

  /// Data-quality findings that do not stop a run: what the readers noted (an encoding fallback, letter-case merges),
  /// link keys with no match in the linked table (orphans), counted per link, and event rows dated after the end of
  /// the data. Matched through the columns' dictionaries, so each distinct key is hashed once.
  public func qualityIssues(until end: FeatureFrame.DataUntil) -> [DataQualityIssue] {
    var issues: [DataQualityIssue] = config.tables.flatMap { tables[$0.name]?.notes ?? [] }.map { .readerNote($0) }
    // Each linked-to key column's distinct keys, hashed once even when several links point at it.
    var targets: [String: LevelTable] = [:]
    for link in config.links {
      guard let from = tables[link.from.table]?[link.from.column], let to = tables[link.to.table]?[link.to.column]
      else {
        continue
      }
      let target =
        targets[link.to.description]
        ?? {
          var table = LevelTable()
          for level in to.keyCodes().levels { _ = table.code(for: level) }
          return table
        }()
      targets[link.to.description] = target
      let orphans = Self.orphanRows(from, in: target)
      if orphans > 0 {
        issues.append(.orphanKeys(link: link, rows: orphans, total: from.values.count, configFile: config.fileName))
      }
    }
    for spec in config.tables {
      guard let column = spec.eventTime, case .date(let days)? = tables[spec.name]?[column]?.values else { continue }
      let undated = days.reduce(0) { $0 + ($1 == ColumnValues.missingDay ? 1 : 0) }
      if undated > 0 { issues.append(.undated(table: spec.name, column: column, rows: undated, total: days.count)) }
      if let r = spec.recordedTime, case .date(let recorded)? = tables[spec.name]?[r]?.values {
        let unrecorded = zip(days, recorded).reduce(0) {
          $0 + ($1.0 != ColumnValues.missingDay && $1.1 == ColumnValues.missingDay ? 1 : 0)
        }
        if unrecorded > 0 { issues.append(.unrecorded(table: spec.name, column: r, rows: unrecorded)) }
      }
      let limit = Int32(clamping: end.day.number)
      let future = days.reduce(0) { $0 + ($1 != ColumnValues.missingDay && $1 > limit ? 1 : 0) }
      if future > 0 {
        issues.append(.afterDataEnd(table: spec.name, column: column, rows: future, end: end.description))
      }
    }
    // A declared end later than every event: the days in between look like nothing happened.
    if let latest = latestEventDay(), end.day > latest {
      issues.append(.dataEndAfterLatestEvent(end: end.description, days: end.day - latest, latest: latest))
    }
    return issues
  }

  /// Rows of `column` whose key is not in `target`. Distinct keys are looked up once; rows are scanned only when some
  /// key is missing.
  static func orphanRows(_ column: Column, in target: LevelTable) -> Int {
    if case .categorical(let codes, let levels) = column.values {
      let orphanLevel = levels.map { target.existingCode(for: $0) == nil }
      guard orphanLevel.contains(true) else { return 0 }
      return codes.reduce(0) { $0 + ($1 >= 0 && orphanLevel[Int($1)] ? 1 : 0) }
    }
    let (codes, levels) = column.keyCodes()
    let orphanLevel = levels.map { target.existingCode(for: $0) == nil }
    guard orphanLevel.contains(true) else { return 0 }
    return codes.reduce(0) { $0 + ($1 >= 0 && orphanLevel[$1] ? 1 : 0) }
  }

  /// The frame, with the quality notes appended; the notes are computed on a second core while the frame is built,
  /// so checking the data costs no wall time.
  public func frameWithQualityNotes(
    asOf override: Day? = nil, extras: [ProjectConfig.ColumnRef] = [], dataUntil: Day? = nil, today: Day
  ) throws -> FeatureFrame {
    nonisolated(unsafe) var notes: [String] = []
    let end = self.dataUntil(override: dataUntil, today: today)
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { notes = self.qualityIssues(until: end).map(\.description) }
    var frame = try frame(asOf: override, extras: extras, dataUntil: dataUntil, today: today)
    group.wait()
    frame.notes += notes
    return frame
  }

  /// The orphan notes as an error, when the config asks for it.
  public func checkOrphans() throws {
    guard config.orphanKeysAreErrors else { return }
    let never = FeatureFrame.DataUntil(day: Day(number: Int(Int32.max / 2)), source: "")
    for case .orphanKeys(let link, let rows, let total, _) in qualityIssues(until: never) {
      throw config.error(
        "\(link.from.table): \(rows) of \(total) rows have a \(link.from.column) with no match in \(link.to); they are "
          + "never used; fix the keys or remove orphan_keys: error")
    }
  }
}
