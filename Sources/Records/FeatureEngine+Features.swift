/// Features, the outcome and linked columns, one population row at a time.
extension FeatureEngine {
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
