import Foundation
import Yams

extension ProjectConfig {
  /// Reads `uptake.yaml` and checks every table, column and link against the tables' CSV headers (files are taken
  /// relative to the config's folder).
  /// - Throws: `ConfigError` with the line and the nearest valid name; `CSVError` for an unreadable table.
  public static func load(path: String) throws -> ProjectConfig {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError(
        file: path, line: 0,
        message:
          "cannot read the config (\(error.localizedDescription)); put uptake.yaml in the data folder or pass --config")
    }
    return try load(text: text, path: path)
  }

  /// Parses config `text` as if it were the file at `path` (its tables are read relative to that folder), checking
  /// every name against the tables' headers. `database` replaces the config's `database:` file (a SQLite file
  /// given on the command line). This is how a model bundle's stored config reads a new folder of records.
  public static func load(text: String, path: String, database: String? = nil) throws -> ProjectConfig {
    var config = try parse(text, file: path) { source in
      switch source {
      case .csv(let file, let settings, let sheet):
        return try TableReader.header(path: resolveInside(file, configPath: path), settings: settings, sheet: sheet)
      case .sqlite(let named, let table):
        return try SQLiteReader.header(database: database ?? resolveInside(named, configPath: path), table: table)
      }
    }
    if let database { config.database = database }
    return config
  }

  /// A file named in the config, taken relative to the config's folder unless absolute.
  public static func resolve(_ file: String, configPath: String) -> String {
    let folder = (configPath as NSString).deletingLastPathComponent
    return folder.isEmpty || file.hasPrefix("/") ? file : folder + "/" + file
  }

  /// `resolve`, for a file the config names, checked after following links: a link in the folder that points out
  /// of it is refused like a `..` path (the headers are read through this, before any table).
  /// - Throws: `ConfigError` naming the file.
  static func resolveInside(_ file: String, configPath: String) throws -> String {
    let resolved = resolve(file, configPath: configPath)
    let folder = (configPath as NSString).deletingLastPathComponent
    guard let real = realPath(resolved), let realFolder = realPath(folder.isEmpty ? "." : folder) else {
      return resolved  // a missing file: the reader says so
    }
    guard real.hasPrefix(realFolder == "/" ? "/" : realFolder + "/") else {
      throw ConfigError(
        file: configPath, line: 0,
        message: "\(file) is a link that leads out of the folder of uptake.yaml; tables are read only from that "
          + "folder and the folders below it, so copy the file in")
    }
    return resolved
  }

  static func realPath(_ path: String) -> String? {
    guard let pointer = realpath(path, nil) else { return nil }
    defer { free(pointer) }
    return String(cString: pointer)
  }

  /// The config as a model bundle keeps it: the same YAML without its comments, which may hold anything (a name, a
  /// telephone number, a note about a family) and would otherwise travel inside every model file.
  public static func withoutComments(_ text: String) -> String {
    guard let node = try? Yams.compose(yaml: text), let bare = try? Yams.serialize(node: node) else { return "" }
    return bare
  }

  /// Why `file` may not be read as a table of a config, or nil: tables are read only from the config's own folder
  /// and the folders below it, so that a config (or the copy stored in a model someone sends) cannot make uptake
  /// read `/etc/passwd` or another project's records.
  static func outsideConfigFolder(_ file: String) -> String? {
    if file.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      return "holds a control character (a NUL byte or a line break); write the file's name as it is"
    }
    if file.hasPrefix("/") || file.hasPrefix("~") {
      return "\(file) is an absolute path; tables are read only from the folder of uptake.yaml, so give a path "
        + "relative to it"
    }
    // `sub/../x.csv` stays inside; `../x.csv` and `sub/../../x.csv` do not.
    var depth = 0
    for part in file.split(separator: "/") where part != "." {
      depth += part == ".." ? -1 : 1
      if depth < 0 { break }
    }
    if depth < 0 {
      return "\(file) leads out of the folder of uptake.yaml; tables are read only from that folder and the folders "
        + "below it, so copy the file in"
    }
    return nil
  }

  /// Where a table's rows come from, for reading its header.
  public enum TableSource {
    case csv(file: String, settings: ReadSettings, sheet: String?)
    case sqlite(database: String, table: String)
  }

  /// The line of a YAML error, or 0.
  static func line(of error: YamlError) -> Int {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
    default: return 0
    }
  }

  /// What the YAML parser found wrong, in its own words but without the quoted text.
  static func problem(of error: YamlError) -> String {
    switch error {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
    case .reader(let problem, _, _, _): return problem
    case .duplicatedKeysInMapping: return "a key appears twice in one mapping"
    default: return "not readable as YAML"
    }
  }

  /// Parses config text; `headers` gives a table's column names.
  public static func parse(
    _ text: String, file: String, headers: (TableSource) throws -> [String]
  ) throws -> ProjectConfig {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw ConfigError(file: file, line: 1, message: "the config is empty; see the README for a complete example")
      }
      root = node
    } catch let error as ConfigError {
      throw error
    } catch let error as YamlError {
      // Yams' own text quotes the offending line, which in a data file given as a config holds a person's data.
      throw ConfigError(
        file: file, line: Self.line(of: error),
        message: "not valid YAML (\(Self.problem(of: error))); "
          + "is this the config? uptake.yaml describes the tables; a data file is given with --data")
    } catch {
      throw ConfigError(file: file, line: 0, message: "not valid YAML; check the file is the config")
    }
    var reader = ConfigReader(file: file)
    return try reader.config(root, headers: headers)
  }
}

/// Reads the YAML nodes into a `ProjectConfig`, keeping line numbers for every error.
struct ConfigReader {
  let file: String
  /// Each table's header, read as the tables are.
  var columns: [String: [String]] = [:]
  /// Columns named like personal data that are not (`personal: { allow: [...] }`).
  var personalAllowed = Set<String>()

  func fail(_ node: Node?, _ message: String) -> ConfigError {
    ConfigError(file: file, line: node?.mark?.line ?? 0, message: message)
  }

  func mapping(_ node: Node?, _ what: String, allowed: [String]) throws -> [String: Node] {
    guard let node, case .mapping(let m) = node else { throw fail(node, "\(what) must be a mapping of keys to values") }
    var out: [String: Node] = [:]
    for (key, value) in m {
      let name = key.string ?? ""
      guard allowed.contains(name) else {
        let hint =
          nearest(name, in: allowed).map { "; did you mean \($0)?" } ?? "; allowed: \(allowed.joined(separator: ", "))"
        throw fail(key, "unknown key \(name) in \(what)\(hint)")
      }
      out[name] = value
    }
    return out
  }

  func string(_ node: Node?, _ what: String) throws -> String {
    guard let node, case .scalar(let s) = node else { throw fail(node, "\(what) must be a single value") }
    return s.string
  }

  /// A whole number written in decimal. Not Yams' `Node.int`, which also reads YAML 1.1 forms (`1:30` base 60,
  /// `0x1F`, `1_000`) and traps when one of them overflows (found by `make fuzz`).
  func int(_ node: Node?, _ what: String) throws -> Int {
    guard let node, case .scalar(let scalar) = node, let value = Int(scalar.string) else {
      throw fail(node, "\(what) must be a whole number")
    }
    return value
  }

  /// A number of days: within a century either way, so date arithmetic can never overflow.
  func days(_ node: Node?, _ what: String, minimum: Int = -36_500) throws -> Int {
    let value = try int(node, what)
    guard (minimum...36_500).contains(value) else {
      throw fail(node, "\(what) must be from \(minimum) to 36500 days, not \(value)")
    }
    return value
  }

  /// The items of a YAML list (none when the key is absent); anything else is refused with `message`.
  func items(_ node: Node?, _ message: String) throws -> [Node] {
    guard let node else { return [] }
    guard case .sequence(let seq) = node else { throw fail(node, message) }
    return Array(seq)
  }

  func strings(_ node: Node?, _ what: String) throws -> [String] {
    guard let node else { return [] }
    if case .scalar(let s) = node { return [s.string] }
    guard case .sequence(let seq) = node else { throw fail(node, "\(what) must be a list") }
    return try seq.map { try string($0, what) }
  }

  func table(_ name: String, at node: Node?) throws -> String {
    guard columns[name] != nil else {
      let hint = nearest(name, in: Array(columns.keys)).map { "; did you mean \($0)?" } ?? ""
      throw fail(node, "unknown table \(name)\(hint)")
    }
    return name
  }

  func column(_ name: String, of table: String, at node: Node?) throws -> String {
    guard let names = columns[table] else { throw fail(node, "unknown table \(table)") }
    guard names.contains(name) else {
      let hint = nearest(name, in: names).map { "; did you mean \($0)?" } ?? ""
      throw fail(node, "table \(table) has no column \(name)\(hint)")
    }
    return name
  }

  func columnRef(_ node: Node?, _ what: String) throws -> ProjectConfig.ColumnRef {
    let text = try string(node, what)
    let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { throw fail(node, "\(what) must be table.column, got \(text)") }
    let t = try table(parts[0], at: node)
    return .init(table: t, column: try column(parts[1], of: t, at: node))
  }

  mutating func config(_ root: Node, headers: (ProjectConfig.TableSource) throws -> [String]) throws -> ProjectConfig {
    let top = try mapping(
      root, "the config",
      allowed: [
        "version", "database", "tables", "links", "population", "id", "group", "as_of", "outcome", "protected",
        "orphan_keys", "features", "read", "data_until", "personal", "list_columns",
        "unit",
      ])
    if let v = top["version"], (try? int(v, "version")) != 1 { throw fail(v, "version must be 1") }
    let defaultRead = try readSettings(top["read"], base: ReadSettings(), what: "read")
    let dataUntil = try self.dataUntil(top["data_until"])
    let unit = try self.unit(top["unit"])
    let database = try top["database"].map { try string($0, "database") }
    if let database, let problem = ProjectConfig.outsideConfigFolder(database) {
      throw fail(top["database"], "database \(problem)")
    }
    // Tables first: every other name is checked against their columns.
    let tables = try self.tables(top, root: root, defaultRead: defaultRead, database: database, headers: headers)
    let links = try self.links(top["links"])
    try requirePlaceholdersFilled(top)
    let population = try self.population(top["population"])
    let id = try column(try string(top["id"], "id"), of: population.table, at: top["id"])
    let group = try top["group"].map { try column(try string($0, "group"), of: population.table, at: $0) }
    let asOf = try self.asOf(top["as_of"], population: population.table)
    let outcome = try top["outcome"].map { try self.outcome($0, population: population.table) }
    // Columns named like personal data that the council says are not (a village code called `address`).
    if let p = top["personal"] {
      let m = try mapping(p, "personal", allowed: ["allow"])
      personalAllowed = Set(try strings(m["allow"], "personal allow"))
    }
    let protected = try strings(top["protected"], "protected")
    for name in protected {
      _ = try column(name, of: population.table, at: top["protected"])
      try refusePersonal(name, "protected column", at: top["protected"])
    }
    var config = ProjectConfig(
      tables: tables, database: database, links: links, population: population, id: id, group: group, asOf: asOf,
      outcome: outcome, protected: protected, features: try features(top["features"]), headers: columns)
    config.orphanKeysAreErrors = try orphanKeysAreErrors(top["orphan_keys"])
    config.dataUntil = dataUntil
    config.unit = unit
    config.personalAllowed = personalAllowed
    config.path = file
    config.listColumns = try listColumns(top["list_columns"], of: config)
    return config
  }

  /// A `read:` mapping over `base` (the config's defaults for a table's own settings): each key checked, each value
  /// one of its allowed names.
  func readSettings(_ node: Node?, base: ReadSettings, what: String) throws -> ReadSettings {
    guard let node else { return base }
    let m = try mapping(node, what, allowed: ["date_format", "missing", "encoding", "delimiter", "case", "numbers"])
    var settings = base
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T?
    where T.RawValue == String {
      guard let n = m[key] else { return nil }
      let text = try string(n, key)
      if let value = T(rawValue: text) { return value }
      let names = T.allCases.map(\.rawValue)
      throw fail(
        n,
        "\(key) \(text) is not one of \(names.joined(separator: ", "))"
          + (nearest(text, in: names).map { "; did you mean \($0)?" } ?? ""))
    }
    if let v = try choice("date_format", ReadSettings.DateFormat.self) { settings.dateFormat = v }
    if let v = try choice("encoding", ReadSettings.Encoding.self) { settings.encoding = v }
    if let v = try choice("case", ReadSettings.LetterCase.self) { settings.letterCase = v }
    if let v = try choice("numbers", ReadSettings.NumberStyle.self) { settings.numbers = v }
    if let n = m["delimiter"] {
      let text = try string(n, "delimiter")
      guard let d = ReadSettings.Delimiter(text: text) else {
        throw fail(n, "delimiter \(text) is not one of auto, \",\", \";\", tab, \"|\"")
      }
      settings.delimiter = d
    }
    if let n = m["missing"] {
      // Markers are added to the defaults (and to the config-wide ones, for a table).
      let extra = try strings(n, "missing")
      settings.missing = base.missing + extra.filter { !base.missing.contains($0) }
    }
    return settings
  }

  /// A cycle of tables in the links' directed graph, as its table names from start back to start, or nil.
  static func cycle(in links: [ProjectConfig.Link]) -> [String]? {
    var next: [String: [String]] = [:]
    for link in links where link.from.table != link.to.table {
      next[link.from.table, default: []].append(link.to.table)
    }
    var state: [String: Int] = [:]  // 1 visiting, 2 done
    var path: [String] = []
    func visit(_ table: String) -> [String]? {
      state[table] = 1
      path.append(table)
      for t in next[table] ?? [] {
        if state[t] == 1 { return Array(path[path.firstIndex(of: t)!...]) + [t] }
        if state[t] == nil, let found = visit(t) { return found }
      }
      path.removeLast()
      state[table] = 2
      return nil
    }
    for table in next.keys.sorted() where state[table] == nil {
      if let found = visit(table) { return found }
    }
    return nil
  }

  func aggregation(_ node: Node?) throws -> ProjectConfig.Aggregation {
    let name = try string(node, "aggregation")
    guard let a = ProjectConfig.Aggregation(rawValue: name) else {
      let all = ProjectConfig.Aggregation.allCases.map(\.rawValue) + [ProjectConfig.ageInMonths]
      throw fail(node, "unknown aggregation \(name)" + (nearest(name, in: all).map { "; did you mean \($0)?" } ?? ""))
    }
    return a
  }

  /// An outcome counts the table's rows in its window: `count` or `exists`. Any other aggregation is refused, never
  /// read as a count.
  func outcomeAggregation(_ node: Node?) throws -> ProjectConfig.Aggregation {
    if let node, try string(node, "aggregation") == ProjectConfig.ageInMonths {
      throw fail(
        node,
        "outcome aggregation \(ProjectConfig.ageInMonths) is not supported; an outcome is count or exists (of rows "
          + "in its window)")
    }
    let a = try aggregation(node)
    guard a == .count || a == .exists else {
      throw fail(
        node,
        "outcome aggregation \(a.rawValue) is not supported; an outcome is count or exists (of rows in its window)")
    }
    return a
  }

  /// A reason is a sentence a contact list shows: never blank, `{value}` written exactly (a `{ value }` would be printed
  /// as it is), and no `{value}` in the sentence for a missing value, which has none.
  func checkReasons(name: String, reason: String, reasonWhenMissing: String?, _ m: [String: Node]) throws {
    let written = [("reason", Optional(reason)), ("reason_when_missing", reasonWhenMissing)]
    for (key, text) in written {
      guard let text else { continue }
      if text.allSatisfy(\.isWhitespace) {
        throw fail(m[key], "\(key) of \(name) is empty; write the sentence a contact list shows")
      }
      let placeholders = text.ranges(of: /\{\s*[vV][aA][lL][uU][eE]\s*\}/).map { String(text[$0]) }
      if placeholders.contains(where: { $0 != "{value}" }) {
        throw fail(m[key], "\(key) of \(name) writes the placeholder as \(placeholders[0]); write it {value} exactly")
      }
      if key == "reason_when_missing" && !placeholders.isEmpty {
        throw fail(
          m[key], "reason_when_missing of \(name) is said when the value is missing, so it cannot hold {value}")
      }
    }
  }

  /// `modifiable: true` with `action: "…"`: the action; neither: nil. One without the other is an error, not ignored.
  func modifiableAction(_ m: [String: Node], name: String) throws -> String? {
    let modifiable = try m["modifiable"].map { node -> Bool in
      switch try string(node, "modifiable of \(name)").lowercased() {
      case "true", "yes": return true
      case "false", "no": return false
      case let other: throw fail(node, "modifiable of \(name) must be true or false, not \(other)")
      }
    }
    let action = try m["action"].map { try string($0, "action of \(name)").trimmingCharacters(in: .whitespaces) }
    switch (modifiable, action) {
    case (true?, let action?) where !action.isEmpty: return action
    case (true?, _):
      throw fail(
        m["modifiable"]!,
        "feature \(name) is modifiable: give action: what outreach would do (e.g. action: \"invite to "
          + "a stay-and-play session\")")
    case (_, _?):
      throw fail(
        m["action"]!,
        "feature \(name) has an action but is not modifiable: true; add modifiable: true, or remove action")
    default: return nil
    }
  }

  /// Where a feature's value comes from: `column:` alone, `column:` with `aggregation: age_in_months`, or `table:`
  /// with any other `aggregation:` (and its `of:`, `where:` and `window:`). A key that the chosen kind does not use is
  /// an error, never ignored.
  func featureSource(_ m: [String: Node], name: String, at node: Node) throws -> ProjectConfig.Source {
    let aggregationName = try m["aggregation"].map { try string($0, "aggregation") }
    // An unknown name is told as such (with the nearest), whatever else the feature says.
    if let node = m["aggregation"], aggregationName != ProjectConfig.ageInMonths { _ = try aggregation(node) }
    if let c = m["column"] {
      guard m["table"] == nil else { throw fail(c, "feature \(name) has both column and table; use one") }
      for key in ["of", "where", "window"] where m[key] != nil {
        throw fail(
          m[key],
          "feature \(name) takes column \(try string(c, "column")) as it is, so \(key): does nothing; "
            + "aggregate a table instead (table: with aggregation:), or remove \(key):")
      }
      let ref = try columnRef(c, "column of \(name)")
      switch aggregationName {
      case nil: return .column(ref)
      case ProjectConfig.ageInMonths: return .ageInMonths(ref)
      case let other?:
        throw fail(
          m["aggregation"],
          "feature \(name) takes column \(ref) as it is, so aggregation: \(other) does nothing; only "
            + "\(ProjectConfig.ageInMonths) takes a column — aggregate a table with table: instead")
      }
    }
    guard let t = m["table"] else {
      if aggregationName == ProjectConfig.ageInMonths {
        throw fail(node, "feature \(name): \(ProjectConfig.ageInMonths) needs column: table.column (a date column)")
      }
      throw fail(node, "feature \(name) needs either column: table.column or table: with aggregation:")
    }
    let tableName = try table(try string(t, "table"), at: t)
    guard let aggregationNode = m["aggregation"] else {
      throw fail(node, "feature \(name) over table \(tableName) needs an aggregation")
    }
    if aggregationName == ProjectConfig.ageInMonths {
      throw fail(
        aggregationNode, "feature \(name): \(ProjectConfig.ageInMonths) takes column: table.column, not table:")
    }
    var aggregate = ProjectConfig.Aggregate(table: tableName, aggregation: try aggregation(aggregationNode))
    if let of = m["of"] { aggregate.of = try column(try string(of, "of"), of: tableName, at: of) }
    if [.sum, .mean, .min, .max, .distinctCount].contains(aggregate.aggregation) && aggregate.of == nil {
      throw fail(node, "feature \(name): \(aggregate.aggregation.rawValue) needs of: <column of \(tableName)>")
    }
    if let w = m["where"] {
      for (column, values) in try mapping(w, "where of \(name)", allowed: columns[tableName]!) {
        // Trimmed as the data are: a where value "reached " matches the cell "reached".
        aggregate.filter[column] = try strings(values, "values of \(column)").map(\.trimmingSpaces)
      }
    }
    if let w = m["window"] {
      let window = try mapping(w, "window of \(name)", allowed: ["last_days"])
      aggregate.window.lastDays = try window["last_days"].map { try days($0, "last_days", minimum: 1) }
    }
    return .aggregate(aggregate)
  }

  func feature(_ node: Node) throws -> ProjectConfig.Feature {
    let m = try mapping(
      node, "a feature",
      allowed: [
        "name", "column", "table", "aggregation", "of", "where", "window", "reason", "reason_when_missing",
        "reason_style", "modifiable", "action",
      ])
    let name = try string(m["name"], "feature name")
    // The sentences first, then where the value comes from: the order errors are reported in.
    let reason = try m["reason"].map { try string($0, "reason") } ?? name + ": {value}"
    let reasonWhenMissing = try m["reason_when_missing"].map { try string($0, "reason_when_missing") }
    try checkReasons(name: name, reason: reason, reasonWhenMissing: reasonWhenMissing, m)
    let action = try modifiableAction(m, name: name)
    let reasonIsNeed = try reasonStyleIsNeed(m, name: name, reason: reason)
    var feature = ProjectConfig.Feature(
      name: name, source: try featureSource(m, name: name, at: node), reason: reason, line: node.mark?.line ?? 0)
    feature.reasonWhenMissing = reasonWhenMissing
    feature.action = action
    feature.reasonIsNeed = reasonIsNeed
    return feature
  }

  /// `reason_style: need` (the reason says a service need, never the unit's value) or `value` (the default).
  func reasonStyleIsNeed(_ m: [String: Node], name: String, reason: String) throws -> Bool {
    guard let style = m["reason_style"] else { return false }
    switch try string(style, "reason_style of \(name)") {
    case "value": return false
    case "need":
      guard m["reason"] != nil, !reason.contains("{value}") else {
        throw fail(
          m["reason"] ?? style,
          "feature \(name) has reason_style: need, so its reason must say the service need in words, without "
            + "{value} (e.g. reason: \"may want information in another language\")")
      }
      return true
    case let other:
      throw fail(style, "reason_style of \(name) must be value (the default) or need, not \(other)")
    }
  }
}
