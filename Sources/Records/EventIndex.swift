/// An event table grouped by the key that joins it to the population: directly (`health_visits.child_id →
/// children.child_id`) or through a shared key (`hub_sessions.family_id` and `children.family_id` both link to
/// `families.family_id`).
///
/// Keys are matched through the columns' dictionaries — each distinct key string is hashed once, not once per row —
/// and event rows are grouped per population key in one flat array (offsets + rows).
struct EventIndex {
  let table: Table
  let spec: ProjectConfig.TableSpec
  /// Event rows of population key `k` are `groupedRows[offsets[k]..<offsets[k + 1]]`.
  let offsets: [Int]
  let groupedRows: [Int]
  /// The population row's key (−1 when missing or absent from the events).
  let keyOfPopulationRow: [Int]
  let eventDays: [Int32]
  let recordedDays: [Int32]?

  init(engine: FeatureEngine, table name: String, line: Int) throws {
    let config = engine.config
    let population = config.population.table
    guard let spec = config.table(name), let eventColumn = spec.eventTime else {
      throw config.error(line: line, "table \(name) needs event_time to be aggregated")
    }
    table = engine.tables[name]!
    self.spec = spec
    guard case .date(let days) = table[eventColumn]!.values else {
      throw config.error(line: line, "\(name).\(eventColumn) must hold dates")
    }
    eventDays = days
    if let r = spec.recordedTime, case .date(let rd) = table[r]!.values {
      recordedDays = rd
    } else {
      recordedDays = nil
    }

    // Which event column and which population column carry the same key?
    var pair: (event: String, population: String)? = nil
    for link in config.links where link.from.table == name {
      if link.to.table == population { pair = (link.from.column, link.to.column); break }
      if let p = config.links.first(where: { $0.from.table == population && $0.to == link.to }) {
        pair = (link.from.column, p.from.column)
        break
      }
    }
    guard let pair else {
      throw config.error(
        line: line, "table \(name) is not linked to \(population), directly or through a shared key; add a link")
    }
    // Key codes: population keys number the groups; each event row gets its group through the dictionaries.
    let populationTable = engine.tables[population]!
    let (populationCodes, populationLevels) = populationTable[pair.population]!.keyCodes()
    // Population keys number the groups (a byte-keyed table: Swift's String dictionary hashed too slowly here).
    var group = LevelTable()
    for level in populationLevels { _ = group.code(for: level) }
    let (eventCodes, eventLevels) = table[pair.event]!.keyCodes()
    let groupOfEventLevel = eventLevels.map { group.existingCode(for: $0).map(Int.init) ?? -1 }
    var counts = [Int](repeating: 0, count: populationLevels.count + 1)
    for code in eventCodes where code >= 0 {
      let g = groupOfEventLevel[code]
      if g >= 0 { counts[g + 1] += 1 }
    }
    for k in 0..<populationLevels.count { counts[k + 1] += counts[k] }
    var next = counts
    var grouped = [Int](repeating: 0, count: counts.last!)
    for (row, code) in eventCodes.enumerated() where code >= 0 {
      let g = groupOfEventLevel[code]
      if g >= 0 {
        grouped[next[g]] = row
        next[g] += 1
      }
    }
    offsets = counts
    groupedRows = grouped
    keyOfPopulationRow = populationCodes
  }

  func rows(forPopulationRow row: Int) -> ArraySlice<Int> {
    let k = keyOfPopulationRow[row]
    return k < 0 ? [] : groupedRows[offsets[k]..<offsets[k + 1]]
  }

  func eventDay(_ e: Int) -> Day? {
    eventDays[e] == ColumnValues.missingDay ? nil : Day(number: Int(eventDays[e]))
  }

  /// The event's day if it is both dated and recorded before `t` (the point-in-time rule), else nil.
  func visibleDay(_ e: Int, before t: Day) -> Day? {
    guard let day = eventDay(e), day < t else { return nil }
    if let recorded = recordedDays {
      guard recorded[e] != ColumnValues.missingDay, Day(number: Int(recorded[e])) < t else { return nil }
    }
    return day
  }

  /// A predicate keeping rows whose columns hold one of the listed values (compared as text; for categorical
  /// columns through a per-code table, so no string is built per row).
  func filter(_ conditions: [String: [String]]) -> (Int) -> Bool {
    // Under `case: fold` a where value matches its column whatever the letter case.
    let fold = spec.read.letterCase == .fold
    let checks = conditions.map { column, values -> [Bool] in
      let allowed = Set(fold ? values.map { $0.lowercased() } : values)
      let c = table[column]!
      if case .categorical(let codes, let levels) = c.values {
        let allowedCode = levels.map { allowed.contains(fold ? $0.lowercased() : $0) }
        return codes.map { $0 >= 0 && allowedCode[Int($0)] }
      }
      return c.texts(Array(0..<table.rowCount)).map { allowed.contains($0) }
    }
    return { e in checks.allSatisfy { $0[e] } }
  }
}
