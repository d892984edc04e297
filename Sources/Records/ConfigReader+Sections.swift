import Yams

/// The sections of `uptake.yaml`, each read by one method of `ConfigReader` in the order `config(_:headers:)` needs
/// them: tables first, since every other name is checked against their columns.
extension ConfigReader {
  /// `tables:`: each table's file (or SQLite table), keys, times, types and read settings; reads each header.
  mutating func tables(
    _ top: [String: Node], root: Node, defaultRead: ReadSettings, database: String?,
    headers: (ProjectConfig.TableSource) throws -> [String]
  ) throws -> [ProjectConfig.TableSpec] {
    guard let tablesNode = top["tables"], case .mapping(let tableMap) = tablesNode else {
      throw fail(top["tables"] ?? root, "tables must list each table by name with its file")
    }
    var tables: [ProjectConfig.TableSpec] = []
    for (key, value) in tableMap {
      let name = key.string ?? ""
      let spec = try mapping(
        value, "table \(name)",
        allowed: ["file", "table", "key", "event_time", "recorded_time", "types", "read", "sheet"])
      let read = try readSettings(spec["read"], base: defaultRead, what: "read of table \(name)")
      let sheet = try spec["sheet"].map { try string($0, "sheet of table \(name)") }
      let file = try spec["file"].map { try string($0, "file of table \(name)") }
      if let file, let problem = ProjectConfig.outsideConfigFolder(file) {
        throw fail(spec["file"], "file of table \(name) \(problem)")
      }
      let sqliteTable = try spec["table"].map { try string($0, "table of \(name)") }
      guard (file == nil) != (sqliteTable == nil) else {
        throw fail(value, "table \(name) needs either file: (a CSV) or table: (a table of the database), not both")
      }
      if sqliteTable != nil && database == nil {
        throw fail(spec["table"], "table \(name) names a SQLite table, but the config has no database: file")
      }
      do {
        columns[name] = try headers(
          file.map { .csv(file: $0, settings: read, sheet: sheet) } ?? .sqlite(database: database!, table: sqliteTable!)
        )
      } catch {
        throw fail(spec["file"] ?? spec["table"], "\(error)")
      }
      var types: [String: ColumnType] = [:]
      if let t = spec["types"] {
        for (columnNode, typeNode) in try mapping(t, "types of \(name)", allowed: columns[name]!) {
          let typeName = try string(typeNode, "type of \(columnNode)")
          guard let type = ColumnType(rawValue: typeName) else {
            throw fail(
              typeNode,
              "unknown type \(typeName); use one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
          }
          types[columnNode] = type
        }
      }
      tables.append(
        .init(
          name: name, file: file, sqliteTable: sqliteTable,
          key: try spec["key"].map { try column(try string($0, "key"), of: name, at: $0) },
          eventTime: try spec["event_time"].map { try column(try string($0, "event_time"), of: name, at: $0) },
          recordedTime: try spec["recorded_time"].map { try column(try string($0, "recorded_time"), of: name, at: $0) },
          types: types, read: read, sheet: sheet))
    }
    return tables
  }

  /// `links:`, refused when they form a cycle.
  func links(_ node: Node?) throws -> [ProjectConfig.Link] {
    var links: [ProjectConfig.Link] = []
    for item in try items(node, "links must be a list of from/to pairs") {
      let pair = try mapping(item, "a link", allowed: ["from", "to"])
      let link = ProjectConfig.Link(from: try columnRef(pair["from"], "from"), to: try columnRef(pair["to"], "to"))
      links.append(link)
      // Links point from many rows to one (child → family → area); following them must never come back.
      if let cycle = Self.cycle(in: links) {
        throw fail(
          item,
          "links form a cycle (\(cycle.joined(separator: " → "))); links go from many rows to one, "
            + "e.g. children.family_id → families.family_id; remove the link back")
      }
    }
    return links
  }

  /// What `uptake init` leaves as placeholders: each missing one named with what to write.
  func requirePlaceholdersFilled(_ top: [String: Node]) throws {
    let placeholders = [
      (
        "population",
        "the table of units to predict for, e.g. population: { table: children, where: eligible_from is present }"
      ),
      ("id", "the population's id column, e.g. id: child_id"),
      ("as_of", "the date each unit is scored at, e.g. as_of: { column: eligible_from, offset_days: -56 }"),
    ]
    for (key, what) in placeholders where top[key] == nil {
      throw ConfigError(file: file, line: 0, message: "\(key): is not set; fill it in (\(what))")
    }
  }

  /// `population:`: its table and an optional `<column> is present`.
  func population(_ node: Node?) throws -> ProjectConfig.Population {
    let populationMap = try mapping(node, "population", allowed: ["table", "where"])
    let name = try table(try string(populationMap["table"], "population table"), at: populationMap["table"])
    var requirePresent: String? = nil
    if let w = populationMap["where"] {
      guard case .scalar = w else {
        throw fail(w, "population where supports only \"<column> is present\" (e.g. where: eligible_from is present)")
      }
      let text = try string(w, "population where")
      guard text.hasSuffix(" is present") else {
        throw fail(
          w,
          "population where supports only \"<column> is present\" (e.g. where: eligible_from is present); got \(text)")
      }
      requirePresent = try column(String(text.dropLast(" is present".count)), of: name, at: w)
    }
    return .init(table: name, requirePresent: requirePresent)
  }

  /// `as_of:`: one date, or a date column of the population plus an offset in days.
  func asOf(_ node: Node?, population: String) throws -> ProjectConfig.AsOf {
    if let a = node, case .scalar = a {
      let text = try string(a, "as_of")
      guard let day = Day(iso: Substring(text)) else { throw fail(a, "as_of \(text) is not a date (YYYY-MM-DD)") }
      return .fixed(day)
    } else {
      let m = try mapping(node, "as_of", allowed: ["column", "offset_days"])
      return .column(
        try column(try string(m["column"], "as_of column"), of: population, at: m["column"]),
        offsetDays: try m["offset_days"].map { try days($0, "offset_days") } ?? 0)
    }
  }

  /// `outcome:`: a count (or existence) of a table's rows in a window anchored at a population date.
  func outcome(_ o: Node, population: String) throws -> ProjectConfig.Outcome {
    let m = try mapping(o, "outcome", allowed: ["name", "table", "aggregation", "window", "event_when"])
    let w = try mapping(m["window"], "outcome window", allowed: ["anchor", "from_days", "to_days"])
    let rule = try string(m["event_when"], "event_when")
    guard rule.hasPrefix("equals "), let value = Double(rule.dropFirst("equals ".count)), value.isFinite else {
      throw fail(m["event_when"], "event_when supports \"equals <number>\"; got \(rule)")
    }
    let outcome = ProjectConfig.Outcome(
      name: try string(m["name"], "outcome name"),
      table: try table(try string(m["table"], "outcome table"), at: m["table"]),
      aggregation: try outcomeAggregation(m["aggregation"]),
      anchor: try column(try string(w["anchor"], "anchor"), of: population, at: w["anchor"]),
      fromDays: try days(w["from_days"], "from_days"), toDays: try days(w["to_days"], "to_days"),
      eventWhenEquals: value
    )
    if outcome.toDays < outcome.fromDays {
      throw fail(
        w["to_days"], "to_days (\(outcome.toDays)) is before from_days (\(outcome.fromDays)); the window is empty")
    }
    return outcome
  }

  /// `features:`, each read by `feature(_:)`; a personal column as a feature's value, or a name used twice, refused.
  func features(_ node: Node?) throws -> [ProjectConfig.Feature] {
    var features: [ProjectConfig.Feature] = []
    for item in try items(node, "features must be a list") {
      let f = try feature(item)
      // What a feature shows in reasons is its source column's value (an age computed from a date of birth is not).
      switch f.source {
      case .column(let ref): try refusePersonal(ref.column, "feature \(f.name) takes column", at: item)
      case .ageInMonths: break
      case .aggregate(let aggregate):
        if let of = aggregate.of { try refusePersonal(of, "feature \(f.name) aggregates column", at: item) }
      }
      features.append(f)
    }
    let names = features.map(\.name)
    if let duplicate = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
      throw fail(node, "feature \(duplicate) is defined twice")
    }
    return features
  }

  /// `orphan_keys: warn` (the default) or `error`.
  func orphanKeysAreErrors(_ node: Node?) throws -> Bool {
    guard let node else { return false }
    let value = try string(node, "orphan_keys")
    guard value == "warn" || value == "error" else {
      throw fail(node, "orphan_keys must be warn or error, not \(value)")
    }
    return value == "error"
  }

  /// `data_until:`, the day the extract was taken.
  func dataUntil(_ node: Node?) throws -> Day? {
    guard let node else { return nil }
    let text = try string(node, "data_until")
    guard let day = Day(iso: Substring(text)) else {
      throw fail(node, "data_until \(text) is not a date; write it YYYY-MM-DD (the day the extract was taken)")
    }
    return day
  }

  /// `unit:`, what a row of the population is (default: child).
  func unit(_ node: Node?) throws -> UnitName {
    guard let node else { return .child }
    let text = try string(node, "unit")
    guard let name = UnitName(parsing: text) else {
      throw fail(node, "unit \"\(text)\" is not a name for a row of the population; " + UnitName.rule)
    }
    return name
  }

  /// `list_columns:`: columns a contact list carries besides rank, id, probability, the anchor date, age and reasons;
  /// each must be reachable from the population and not personal.
  func listColumns(_ node: Node?, of config: ProjectConfig) throws -> [String] {
    let names = try strings(node, "list_columns")
    for name in names {
      guard config.reachableColumn(name) != nil else {
        throw fail(
          node,
          "list_columns: no column \(name) in \(config.population.table) or a table it links to; name one of their "
            + "columns")
      }
      try refusePersonal(name, "list column", at: node)
    }
    return names
  }

  /// Refuses a column that looks like personal data for `use`, unless `personal: { allow: [...] }` names it.
  func refusePersonal(_ name: String, _ use: String, at node: Node?) throws {
    guard PersonalData.isSensitive(column: name), !personalAllowed.contains(name) else { return }
    throw fail(
      node,
      "\(use) \(name), which looks like personal data (a name, date of birth, contact detail or identifier), whose values "
        + "would reach reports or reasons; leave it out, or if it is not personal data add personal: { allow: [\(name)] }"
    )
  }
}
