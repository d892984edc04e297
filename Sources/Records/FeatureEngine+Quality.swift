import Dispatch

extension FeatureEngine {
  /// Data-quality findings that do not stop a run: what the readers noted (an encoding fallback, letter-case merges),
  /// link keys with no match in the linked table (orphans), counted per link, and event rows dated after the end of
  /// the data. Matched through the columns' dictionaries, so each distinct key is hashed once.
  public func qualityNotes(until end: FeatureFrame.DataUntil) -> [String] {
    var notes: [String] = config.tables.flatMap { tables[$0.name]?.notes ?? [] }
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
        notes.append(
          "\(link.from.table): \(orphans) of \(from.values.count) rows have a \(link.from.column) with no match in "
            + "\(link.to.table).\(link.to.column); they are never used (set orphan_keys: error in uptake.yaml to stop instead)"
        )
      }
    }
    for spec in config.tables {
      guard let column = spec.eventTime, case .date(let days)? = tables[spec.name]?[column]?.values else { continue }
      let undated = days.reduce(0) { $0 + ($1 == ColumnValues.missingDay ? 1 : 0) }
      if undated > 0 {
        notes.append(
          "\(spec.name): \(undated) of \(days.count) rows have no \(column); they are never used (no date, no time "
            + "window)")
      }
      if let r = spec.recordedTime, case .date(let recorded)? = tables[spec.name]?[r]?.values {
        let unrecorded = zip(days, recorded).reduce(0) {
          $0 + ($1.0 != ColumnValues.missingDay && $1.1 == ColumnValues.missingDay ? 1 : 0)
        }
        if unrecorded > 0 {
          notes.append(
            "\(spec.name): \(unrecorded) rows have no \(r); they are never used (when they reached the records is not "
              + "known)")
        }
      }
      let limit = Int32(clamping: end.day.number)
      let future = days.reduce(0) { $0 + ($1 != ColumnValues.missingDay && $1 > limit ? 1 : 0) }
      if future > 0 {
        notes.append(
          "\(spec.name): \(future) rows have \(column) after the end of the data, \(end.description); they count only "
            + "for as-of dates after them and for no outcome — check the dates, or set data_until:")
      }
    }
    // A declared end later than every event: the days in between look like nothing happened.
    if let latest = latestEventDay(), end.day > latest {
      notes.append(
        "the end of the data, \(end.description), is \(end.day - latest) days after the latest event of any "
          + "table (\(latest)); outcome windows ending in between are counted as complete — set "
          + "data_until to the day the extract was taken")
    }
    return notes
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
    DispatchQueue.global().async(group: group) { notes = self.qualityNotes(until: end) }
    var frame = try frame(asOf: override, extras: extras, dataUntil: dataUntil, today: today)
    group.wait()
    frame.notes += notes
    return frame
  }

  /// The orphan notes as an error, when the config asks for it.
  public func checkOrphans() throws {
    guard config.orphanKeysAreErrors else { return }
    let never = FeatureFrame.DataUntil(day: Day(number: Int(Int32.max / 2)), source: "")
    if let first = qualityNotes(until: never).first(where: { $0.contains("no match") }) {
      throw ConfigError(
        file: "uptake.yaml", line: 0,
        message: first.replacingOccurrences(
          of: " (set orphan_keys: error in uptake.yaml to stop instead)",
          with: "; fix the keys or remove orphan_keys: error"))
    }
  }
}
