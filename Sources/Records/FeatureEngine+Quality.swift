extension FeatureEngine {
  /// Data-quality findings that do not stop a run: link keys with no match in the linked table (orphans), counted per
  /// link, and event rows dated after `today`. Matched through the columns' dictionaries, so each distinct key is
  /// hashed once.
  public func qualityNotes(today: Day) -> [String] {
    var notes: [String] = []
    for link in config.links {
      guard let from = tables[link.from.table]?[link.from.column], let to = tables[link.to.table]?[link.to.column]
      else {
        continue
      }
      let (fromCodes, fromLevels) = from.keyCodes()
      var targets = LevelTable()
      for level in to.keyCodes().levels { _ = targets.code(for: level) }
      let orphanLevel = fromLevels.map { targets.existingCode(for: $0) == nil }
      let orphans = fromCodes.reduce(0) { $0 + ($1 >= 0 && orphanLevel[$1] ? 1 : 0) }
      if orphans > 0 {
        notes.append(
          "\(link.from.table): \(orphans) of \(fromCodes.count) rows have a \(link.from.column) with no match in "
            + "\(link.to.table).\(link.to.column); they are never used (set orphan_keys: error in uptake.yaml to stop instead)"
        )
      }
    }
    for spec in config.tables {
      guard let column = spec.eventTime, case .date(let days)? = tables[spec.name]?[column]?.values else { continue }
      let limit = Int32(today.number)
      let future = days.reduce(0) { $0 + ($1 != ColumnValues.missingDay && $1 > limit ? 1 : 0) }
      if future > 0 {
        notes.append(
          "\(spec.name): \(future) rows have \(column) after today (\(today)); they count only for as-of dates after "
            + "them — check the dates if that is unexpected")
      }
    }
    return notes
  }

  /// The orphan notes as an error, when the config asks for it.
  public func checkOrphans() throws {
    guard config.orphanKeysAreErrors else { return }
    if let first = qualityNotes(today: Day(number: Int(Int32.max / 2))).first(where: { $0.contains("no match") }) {
      throw ConfigError(
        file: "uptake.yaml", line: 0,
        message: first.replacingOccurrences(
          of: " (set orphan_keys: error in uptake.yaml to stop instead)",
          with: "; fix the keys or remove orphan_keys: error"))
    }
  }
}
