/// Point-in-time features over linked records.
///
/// For each unit of the population and its as-of date `T`, an event row counts only when its event time is before
/// `T` and, if its table has a recorded-time column, its recorded time is before `T` as well: nothing dated or
/// recorded on or after the as-of date can leak into a feature. Windows look back from `T` (`last_days: 365` keeps
/// events in `[T − 365, T)`).
public struct FeatureEngine: Sendable {
  public let config: ProjectConfig
  public let tables: [String: Table]

  public init(config: ProjectConfig, tables: [String: Table]) {
    self.config = config
    self.tables = tables
  }

  /// Reads every table of `config` from the folder of `configPath`.
  public static func load(configPath: String) throws -> FeatureEngine {
    try load(config: ProjectConfig.load(path: configPath), configPath: configPath)
  }

  /// Reads every table of an already parsed `config`; CSV files are taken relative to the folder of `configPath`.
  /// `extraColumns` are read too (beyond what the features use), e.g. a column to group a contact list by.
  public static func load(
    config: ProjectConfig, configPath: String, extraColumns: [ProjectConfig.ColumnRef] = []
  ) throws -> FeatureEngine {
    let resolve = { (file: String) in ProjectConfig.resolve(file, configPath: configPath) }
    // Every table must fit together: check the total before reading any.
    try MemoryBudget.check(
      config.tables.compactMap { spec in
        spec.file.map { file in
          let width = max(1, config.headers[spec.name]?.count ?? 1)
          return (resolve(file), Double(config.usedColumns(of: spec.name).count) / Double(width))
        }
      })
    var tables: [String: Table] = [:]
    for spec in config.tables {
      if let file = spec.file {
        let wanted = config.usedColumns(of: spec.name).union(
          extraColumns.filter { $0.table == spec.name }.map(\.column))
        tables[spec.name] = try TableReader.read(
          path: resolve(file), types: spec.types, columns: wanted, settings: spec.read,
          exactCase: config.keyColumns(of: spec.name), sheet: spec.sheet)
      } else {
        tables[spec.name] = try Trace.stage("read table \(spec.name)") {
          try SQLiteReader.read(
            database: resolve(config.database!), table: spec.sqliteTable!, types: spec.types, settings: spec.read,
            exactCase: config.keyColumns(of: spec.name))
        }
      }
    }
    return FeatureEngine(config: config, tables: tables)
  }

  /// Builds the feature frame; `asOf` overrides the config's as-of rule with one date for everyone.
  /// - Throws: `ConfigError` when a column has the wrong type for its use (e.g. an as-of column that is not a date).
  /// `extras` are passed through beside the features (see `ProjectConfig.reachableColumn`).
  /// `dataUntil` overrides the config's end of the data (`--data-until`); `today` bounds the default end.
  public func frame(
    asOf override: Day? = nil, extras: [ProjectConfig.ColumnRef] = [], dataUntil: Day? = nil, today: Day = .today
  ) throws -> FeatureFrame {
    try Trace.stage("features") { try buildFrame(asOf: override, extras: extras, dataUntil: dataUntil, today: today) }
  }

  private func buildFrame(
    asOf override: Day?, extras: [ProjectConfig.ColumnRef], dataUntil: Day?, today: Day
  ) throws -> FeatureFrame {
    try checkDateColumns()
    let population = tables[config.population.table]!
    // Rows of the population.
    var rows = Array(0..<population.rowCount)
    if let column = config.population.requirePresent {
      let c = population[column]!
      rows = rows.filter { !c.isMissing($0) }
    }
    // As-of date per row.
    var leftOut: [String] = []
    let asOf: [Day]
    if let override {
      asOf = rows.map { _ in override }
    } else {
      switch config.asOf {
      case .fixed(let day): asOf = rows.map { _ in day }
      case .column(let name, let offset):
        guard case .date(let days) = population[name]!.values else {
          throw config.error(line: 0, "as_of column \(name) must hold dates (YYYY-MM-DD)")
        }
        let before = rows.count
        rows = rows.filter { days[$0] != ColumnValues.missingDay }
        if rows.count < before {
          leftOut.append(
            "\(before - rows.count) rows of \(config.population.table) left out: their \(name) (the as-of date) is missing"
          )
        }
        asOf = rows.map { Day(number: Int(days[$0])) + offset }
      }
    }
    let ids = population[config.id]!.texts(rows)
    let groups = config.group.map { population[$0]!.texts(rows) }

    var features: [Column] = []
    var reasons: [String: String] = [:]
    var reasonsWhenMissing: [String: String] = [:]
    let cache = FrameCache()
    for (k, feature) in config.features.enumerated() {
      WorkProgress.tell("building features", k, of: config.features.count)
      reasons[feature.name] = feature.reason
      if let missing = feature.reasonWhenMissing { reasonsWhenMissing[feature.name] = missing }
      features.append(try compute(feature, rows: rows, asOf: asOf, cache: cache))
      leftOut += filterWarnings(feature)
    }
    WorkProgress.tell("building features", config.features.count, of: config.features.count)
    let protected = config.protected.map { population[$0]!.subset(rows) }
    let end = self.dataUntil(override: dataUntil, today: today)
    var censored: [Bool] = [], ruledOut: [Bool] = []
    let labels = try config.outcome.map { o -> [Bool] in
      let (labels, unknown, noEvent) = try outcome(o, rows: rows, until: end.day, cache: cache)
      if unknown.contains(true) { censored = unknown }
      ruledOut = noEvent
      leftOut += leakWarnings(o, rows: rows, asOf: asOf, unknown: unknown)
      return labels
    }
    let extraColumns = extras.map { ref in
      Column(
        name: ref.column, values: linkedValues(ref, rows: rows, cache: cache) ?? .categorical(codes: [], levels: []))
    }
    var frame = FeatureFrame(
      ids: ids, groups: groups, asOf: asOf, features: features, reasons: reasons,
      protected: protected, labels: labels, extras: extraColumns)
    frame.reasonsWhenMissing = reasonsWhenMissing
    frame.notes = leftOut
    frame.censored = censored
    frame.eventRuledOut = ruledOut
    frame.dataUntil = end
    frame.personalAllowed = config.personalAllowed
    if override == nil, case .column(let name, let offset) = config.asOf { frame.anchor = (name, offset) }
    frame.ageFeature =
      config.features.first {
        if case .ageInMonths = $0.source { return true }
        return false
      }?.name
    frame.protectedFeatures = config.protectedFeatures
    frame.unit = config.unit
    frame.needReasons = Set(config.features.filter(\.reasonIsNeed).map(\.name))
    frame.actions = Dictionary(
      config.features.compactMap { f in f.action.map { (f.name, $0) } }, uniquingKeysWith: { first, _ in first })
    return frame
  }

  /// The day up to which the records are complete: `--data-until`, the config's `data_until:`, else the latest event
  /// date across the event tables — or today, if that is earlier (an event dated in the future is a typo, not data).
  public func dataUntil(override: Day? = nil, today: Day = .today) -> FeatureFrame.DataUntil {
    if let override { return .init(day: override, source: "--data-until") }
    if let day = config.dataUntil { return .init(day: day, source: "data_until in \(config.fileName)") }
    guard let day = latestEventDay() else { return .init(day: today, source: "today: no event is dated") }
    return day > today
      ? .init(day: today, source: "today; some events are dated later")
      : .init(day: day, source: "the latest event date; set data_until: in \(config.fileName) to change it")
  }

  /// The latest event date across the event tables, or nil when no event is dated.
  public func latestEventDay() -> Day? {
    var latest: Int32? = nil
    for spec in config.tables {
      guard let column = spec.eventTime, case .date(let days)? = tables[spec.name]?[column]?.values else { continue }
      for d in days where d != ColumnValues.missingDay && d > (latest ?? Int32.min) { latest = d }
    }
    return latest.map { Day(number: Int($0)) }
  }

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

  // MARK: Features

  /// What one frame builds once and several features share: event indexes per table, and linked rows per table.
  final class FrameCache {
    var events: [String: EventIndex] = [:]
    var linkedRows: [String: [Int]] = [:]
  }

  func events(_ table: String, line: Int, cache: FrameCache) throws -> EventIndex {
    if let index = cache.events[table] { return index }
    let index = try EventIndex(engine: self, table: table, line: line)
    cache.events[table] = index
    return index
  }

  func compute(_ feature: ProjectConfig.Feature, rows: [Int], asOf: [Day], cache: FrameCache) throws -> Column {
    switch feature.source {
    case .ageInMonths(let ref):
      guard case .date(let born)? = linkedValues(ref, rows: rows, cache: cache) else {
        throw config.error(line: feature.line, "\(ref) must hold dates for \(ProjectConfig.ageInMonths)")
      }
      let months = (0..<rows.count).map { k -> Double in
        born[k] == ColumnValues.missingDay
          ? .nan : Double(Day.completedMonths(from: Day(number: Int(born[k])), to: asOf[k]))
      }
      return Column(name: feature.name, values: .number(months))
    case .column(let ref):
      guard let values = linkedValues(ref, rows: rows, cache: cache) else {
        throw config.error(
          line: feature.line, "\(ref) is not linked to the population table \(config.population.table); add a link")
      }
      return Column(name: feature.name, values: values)
    case .aggregate(let aggregate):
      return Column(
        name: feature.name,
        values: .number(try self.aggregate(aggregate, line: feature.line, rows: rows, asOf: asOf, cache: cache)))
    }
  }

  /// One number per population row: `aggregate` over the unit's linked rows visible before its as-of date.
  func aggregate(
    _ aggregate: ProjectConfig.Aggregate, line: Int, rows: [Int], asOf: [Day], cache: FrameCache
  ) throws -> [Double] {
    let events = try self.events(aggregate.table, line: line, cache: cache)
    let filter = events.filter(aggregate.filter)
    let of = aggregate.of.map { tables[aggregate.table]![$0]! }
    var out = [Double](repeating: .nan, count: rows.count)
    for (k, row) in rows.enumerated() {
      let t = asOf[k]
      let from = aggregate.window.lastDays.map { t - $0 }
      var count = 0, matching = 0
      var sum = 0.0, minimum = Double.infinity, maximum = -Double.infinity
      var first: Day? = nil, last: Day? = nil
      var distinct = Set<Double>()
      for e in events.rows(forPopulationRow: row) {
        guard let day = events.visibleDay(e, before: t) else { continue }
        if let from, day < from { continue }
        let kept = filter(e)
        if aggregate.aggregation == .share {
          count += 1
          if kept { matching += 1 }
          continue
        }
        guard kept else { continue }
        count += 1
        if first == nil || day < first! { first = day }
        if last == nil || day > last! { last = day }
        if let of {
          let v = of.number(e)
          if !v.isNaN {
            sum += v
            minimum = Swift.min(minimum, v)
            maximum = Swift.max(maximum, v)
            distinct.insert(v)
          }
        }
      }
      switch aggregate.aggregation {
      case .count: out[k] = Double(count)
      case .exists: out[k] = count > 0 ? 1 : 0
      case .sum: out[k] = sum
      case .mean: out[k] = count > 0 ? sum / Double(count) : .nan
      case .min: out[k] = minimum.isFinite ? minimum : .nan
      case .max: out[k] = maximum.isFinite ? maximum : .nan
      case .distinctCount: out[k] = Double(distinct.count)
      case .daysSinceFirst: out[k] = first.map { Double(t - $0) } ?? .nan
      case .daysSinceLast: out[k] = last.map { Double(t - $0) } ?? .nan
      case .share: out[k] = count > 0 ? Double(matching) / Double(count) : .nan
      }
    }
    return out
  }

  /// The outcome per population row: the aggregate over `[anchor + from, anchor + to]` equals the configured value.
  /// A row whose window ends after `until` (or whose anchor is missing) has an unknown outcome, flagged in `unknown`:
  /// labelling it "no event" would call every recent child a non-taker.
  func outcome(
    _ o: ProjectConfig.Outcome, rows: [Int], until: Day, cache: FrameCache
  ) throws -> (labels: [Bool], unknown: [Bool], ruledOut: [Bool]) {
    let events = try self.events(o.table, line: 0, cache: cache)
    guard case .date(let anchors) = tables[config.population.table]![o.anchor]!.values else {
      throw config.error(line: 0, "outcome anchor \(o.anchor) must hold dates")
    }
    let unknown = rows.map { row in
      anchors[row] == ColumnValues.missingDay || Day(number: Int(anchors[row])) + o.toDays > until
    }
    // The aggregate over the window as far as the records go (all of it once the window is over).
    let soFar = rows.map { row -> Double in
      guard anchors[row] != ColumnValues.missingDay else { return .nan }
      let anchor = Day(number: Int(anchors[row]))
      var count = 0
      for e in events.rows(forPopulationRow: row) {
        guard let day = events.eventDay(e), day <= until else { continue }
        let offset = day - anchor
        if offset >= o.fromDays && offset <= o.toDays { count += 1 }
      }
      return o.aggregation == .exists ? (count > 0 ? 1 : 0) : Double(count)
    }
    let labels = rows.indices.map { k in !unknown[k] && soFar[k] == o.eventWhenEquals }
    // Counts only grow as a window goes on: once past the event's value, the event can no longer happen (a child with
    // a funded place recorded has taken up, whether or not the window is over).
    let ruledOut = rows.indices.map { k in (!unknown[k] && !labels[k]) || soFar[k] > o.eventWhenEquals }
    return (labels, unknown, ruledOut)
  }

  /// Values of `ref` for each population row, following one link from the population table when needed.
  func linkedValues(_ ref: ProjectConfig.ColumnRef, rows: [Int], cache: FrameCache) -> ColumnValues? {
    let population = config.population.table
    if ref.table == population { return tables[population]![ref.column]!.subset(rows).values }
    if let targetRows = cache.linkedRows[ref.table] { return tables[ref.table]![ref.column]!.subset(targetRows).values }
    guard let link = config.links.first(where: { $0.from.table == population && $0.to.table == ref.table }) else {
      return nil
    }
    let keys = tables[population]![link.from.column]!.texts(rows)
    let target = tables[ref.table]!
    let index = target[link.to.column]!.rowIndex()
    let targetRows = keys.map { key in index.table.existingCode(for: key).map { index.rows[Int($0)] } ?? -1 }
    cache.linkedRows[ref.table] = targetRows
    return target[ref.column]!.subset(targetRows).values
  }
}

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

extension Column {
  public func isMissing(_ row: Int) -> Bool {
    switch values {
    case .integer(let v), .number(let v): return v[row].isNaN
    case .date(let v): return v[row] == ColumnValues.missingDay
    case .boolean(let v): return v[row] == nil
    case .categorical(let codes, _): return codes[row] < 0
    }
  }

  /// Row values as text (keys and ids); missing is "".
  public func texts(_ rows: [Int]) -> [String] {
    switch values {
    case .categorical(let codes, let levels): return rows.map { codes[$0] < 0 ? "" : levels[Int(codes[$0])] }
    case .integer(let v):
      // Exact as an integer only below 2^53; larger values (an id of 1e19) print as numbers instead of trapping.
      return rows.map { v[$0].isNaN ? "" : abs(v[$0]) < 9.0e15 ? String(Int64(v[$0])) : String(v[$0]) }
    case .number(let v): return rows.map { v[$0].isNaN ? "" : String(v[$0]) }
    case .date(let v): return rows.map { v[$0] == ColumnValues.missingDay ? "" : Day(number: Int(v[$0])).description }
    case .boolean(let v): return rows.map { v[$0].map { $0 ? "true" : "false" } ?? "" }
    }
  }

  /// The numeric value of a row (NaN when missing or not numeric).
  func number(_ row: Int) -> Double {
    switch values {
    case .integer(let v), .number(let v): return v[row]
    case .boolean(let v): return v[row].map { $0 ? 1 : 0 } ?? .nan
    default: return .nan
    }
  }

  /// The column restricted to `rows` (−1 = a row that does not exist: missing).
  public func subset(_ rows: [Int]) -> Column {
    func pick<T>(_ v: [T], _ missing: T) -> [T] { rows.map { $0 < 0 ? missing : v[$0] } }
    switch values {
    case .integer(let v): return Column(name: name, values: .integer(pick(v, .nan)))
    case .number(let v): return Column(name: name, values: .number(pick(v, .nan)))
    case .date(let v): return Column(name: name, values: .date(pick(v, ColumnValues.missingDay)))
    case .boolean(let v): return Column(name: name, values: .boolean(pick(v, nil)))
    case .categorical(let codes, let levels):
      return Column(name: name, values: .categorical(codes: pick(codes, -1), levels: levels))
    }
  }

  /// Each row's key as a code into distinct key strings (−1 = missing): a categorical column's own dictionary, or one
  /// built from the values' text for other types.
  public func keyCodes() -> (codes: [Int], levels: [String]) {
    if case .categorical(let codes, let levels) = values { return (codes.map(Int.init), levels) }
    var index: [String: Int] = [:]
    var levels: [String] = []
    let codes = texts(Array(0..<values.count)).map { text -> Int in
      if text.isEmpty { return -1 }
      if let k = index[text] { return k }
      index[text] = levels.count
      levels.append(text)
      return levels.count - 1
    }
    return (codes, levels)
  }

  /// Row of each distinct value (first occurrence), for joining on a key.
  func rowIndex() -> (table: LevelTable, rows: [Int]) {
    var table = LevelTable()
    var rows: [Int] = []
    for (i, key) in texts(Array(0..<(values.count))).enumerated() where Int(table.code(for: key)) == rows.count {
      rows.append(i)
    }
    return (table, rows)
  }
}

extension ColumnValues {
  public var count: Int {
    switch self {
    case .integer(let v), .number(let v): return v.count
    case .date(let v): return v.count
    case .boolean(let v): return v.count
    case .categorical(let codes, _): return codes.count
    }
  }
}
