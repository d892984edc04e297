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
}
