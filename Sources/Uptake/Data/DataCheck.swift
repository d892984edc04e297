import Foundation
import Records

/// `uptake check`: everything `train` would read, read the same way, and reported without training: tables, keys,
/// columns, dates, links, the population and its outcomes by cohort, censored units, personal-data columns, and every
/// warning. `canTrain` says whether `train` would run.
public struct DataCheck: Codable, Sendable {
  public struct TableReport: Codable, Sendable {
    public var name: String
    public var file: String
    public var rows: Int
    /// The key column and how many of its values repeat (a key must be unique), when the config names a key.
    public var key: String?
    public var duplicateKeys: Int?
    public var encoding: String
    public var delimiter: String
    public var columns: [ColumnReport]
  }

  public struct ColumnReport: Codable, Sendable {
    public var name: String
    public var kind: String
    public var missingShare: Double
    /// Up to three distinct values, or "(withheld: personal data)".
    public var examples: [String]
    /// For date columns: the first and last date.
    public var dateRange: [String]?
    public var personalData: Bool
  }

  public struct LinkReport: Codable, Sendable {
    public var from: String
    public var to: String
    public var rows: Int
    /// Rows whose key is present and found in the linked table.
    public var matched: Int
  }

  public struct Cohort: Codable, Sendable {
    /// The as-of month, `YYYY-MM`.
    public var month: String
    public var units: Int
    /// Units with a known outcome, and how many of them had the event.
    public var known: Int
    public var events: Int
    /// Units whose outcome window is not over by the end of the data.
    public var censored: Int
  }

  public var source: String
  public var tables: [TableReport] = []
  public var links: [LinkReport] = []
  public var population: Int = 0
  /// What a row of the population is ("child").
  public var unit: UnitName = .child
  public var dataUntil: String?
  public var cohorts: [Cohort] = []
  public var censored: Int = 0
  public var features: [String] = []
  public var personalDataColumns: [String] = []
  /// Problems that stop `train`.
  public var errors: [String] = []
  /// Findings that do not stop it (fatal under `--strict`).
  public var warnings: [String] = []

  public var canTrain: Bool { errors.isEmpty }

  /// Reads `request` as `train` would and reports. Problems are collected, not thrown: the report is the answer.
  public init(_ request: DataRequest) {
    source = request.pathName
    // The tables first, so that their report stands even when building the features then fails.
    do {
      let kind = try DataLoader.kind(of: request.path)
      if kind == .csv {
        try DataLoader.refuseConfig(request)
        if let flat = request.flat { try describeFlatFile(request.path, flat) }
      } else {
        try describeLinkedRecords(request, configText: try DataLoader.configText(DataLoader.configPath(request, kind)))
      }
    } catch {
      errors.append("\(error)")
      return
    }
    do {
      let loaded = try DataLoader.forInspection(request)
      warnings += loaded.frame.notes
      if let reason = loaded.leftOutReason { warnings.append("units left out: \(reason)") }
      let frame = loaded.frame
      if !frame.protectedFeatures.isEmpty {
        warnings.append(
          FeatureSchema.protectedFeaturesWarning(frame.protectedFeatures, needs: frame.needReasons, unit: frame.unit))
      }
      describe(loaded)
    } catch {
      errors.append("\(error)")
    }
  }

  /// How many distinct present values `values` holds, counting no further than 2.
  static func distinctValues(_ values: ColumnValues) -> Int {
    func count<T: Equatable>(_ present: some Sequence<T>) -> Int {
      var first: T? = nil
      for value in present {
        guard let seen = first else {
          first = value
          continue
        }
        if value != seen { return 2 }
      }
      return first == nil ? 0 : 1
    }
    switch values {
    case .integer(let v), .number(let v): return count(v.lazy.filter { !$0.isNaN })
    case .date(let v): return count(v.lazy.filter { $0 != ColumnValues.missingDay })
    case .boolean(let v): return count(v.lazy.compactMap { $0 })
    case .categorical(let codes, _): return count(codes.lazy.filter { $0 >= 0 })
    }
  }

  mutating func describe(_ loaded: LoadedData) {
    let frame = loaded.frame
    population = frame.rowCount
    unit = frame.unit
    dataUntil = frame.dataUntil?.description
    censored = frame.censoredCount
    features = frame.features.map(\.name)
    // What train refuses as a model input (a date, a personal-data column), refused here too.
    do {
      _ = try FeatureSchema(frame: frame)
    } catch {
      errors.append("\(error)")
    }
    guard let labels = frame.labels else {
      errors.append("no outcome is defined, so there is nothing to train on; add outcome: to uptake.yaml")
      return
    }
    let known = (0..<frame.rowCount).filter { !frame.isCensored($0) }
    let events = known.filter { labels[$0] }.count
    if known.isEmpty {
      errors.append(
        "no unit has a known outcome: every outcome window runs past the end of the data (\(dataUntil ?? "?")); "
          + "check data_until and the outcome window")
    } else if events == 0 || events == known.count {
      errors.append(
        "every unit with a known outcome has the same outcome (\(events) events of \(known.count)); a model needs both")
    } else if known.count < 50 {
      errors.append("only \(known.count) units with a known outcome; at least 50 are needed to train and validate")
    }
    if frame.features.isEmpty { errors.append("there are no features: add some under features: in uptake.yaml") }
    // A feature with one value (or none) cannot change any score: said, not left for the model to ignore.
    for feature in frame.features {
      switch Self.distinctValues(feature.values) {
      case 0:
        warnings.append(
          "feature \(feature.name) is missing for every \(frame.unit.singular): it cannot change any score; check "
            + "its source or remove it")
      case 1:
        warnings.append(
          "feature \(feature.name) has the same value for every \(frame.unit.singular): it cannot change any score; "
            + "check its source or remove it")
      default: break
      }
    }
    if censored > 0 {
      warnings.append(
        "\(censored) units left out of training: outcome window not over by \(frame.dataUntil.map { "\($0.day)" } ?? "?")"
          + " (still scored)")
    }
    guard !frame.asOf.isEmpty else { return }
    var byMonth: [String: Cohort] = [:]
    for row in 0..<frame.rowCount {
      let month = String(frame.asOf[row].description.prefix(7))
      var c = byMonth[month] ?? Cohort(month: month, units: 0, known: 0, events: 0, censored: 0)
      c.units += 1
      if frame.isCensored(row) {
        c.censored += 1
      } else {
        c.known += 1
        if labels[row] { c.events += 1 }
      }
      byMonth[month] = c
    }
    cohorts = byMonth.values.sorted { $0.month < $1.month }
  }

  mutating func describeLinkedRecords(_ request: DataRequest, configText: String) throws {
    let configPath = DataLoader.configPath(request, try DataLoader.kind(of: request.path))
    let isSQLite = try DataLoader.kind(of: request.path) == .sqlite
    let config = try ProjectConfig.load(text: configText, path: configPath, database: isSQLite ? request.path : nil)
    let engine = try FeatureEngine.load(config: config, configPath: configPath)
    for spec in config.tables {
      guard let table = engine.tables[spec.name] else { continue }
      var report = TableReport(
        name: spec.name, file: spec.file ?? spec.sqliteTable ?? "", rows: table.rowCount, key: spec.key,
        duplicateKeys: nil, encoding: Self.encoding(table.detected), delimiter: Self.delimiter(table.detected),
        columns: Self.withheld(
          table.columns.map(Self.column),
          ids: [spec.key, config.id, config.group]
            + config.links.flatMap { [$0.from, $0.to] }.filter { $0.table == spec.name }.map(\.column)))
      if let key = spec.key, let column = table[key] {
        let (codes, levels) = column.keyCodes()
        report.duplicateKeys = codes.filter { $0 >= 0 }.count - levels.count
        if report.duplicateKeys! > 0 {
          errors.append(
            "table \(spec.name): \(report.duplicateKeys!) rows repeat a \(key) already seen; a key must be unique "
              + "(remove the duplicates, or name another key)")
        }
      }
      tables.append(report)
      let byValue = Set(report.columns.filter(\.personalData).map(\.name))
      for name in config.headers[spec.name] ?? []
      where PersonalData.isSensitive(column: name) || byValue.contains(name) {
        personalDataColumns.append("\(spec.name).\(name)")
      }
    }
    for link in config.links {
      guard let from = engine.tables[link.from.table]?[link.from.column],
        let to = engine.tables[link.to.table]?[link.to.column]
      else { continue }
      let targets = Set(to.keyCodes().levels)
      let (codes, levels) = from.keyCodes()
      let found = levels.map { targets.contains($0) }
      links.append(
        LinkReport(
          from: link.from.description, to: link.to.description, rows: codes.count,
          matched: codes.filter { $0 >= 0 && found[$0] }.count))
    }
  }

  mutating func describeFlatFile(_ path: String, _ flat: FlatFile) throws {
    let table = try flat.table(path: path)
    let report = TableReport(
      name: (table.source as NSString).lastPathComponent, file: table.source, rows: table.rowCount, key: flat.id,
      duplicateKeys: nil, encoding: Self.encoding(table.detected), delimiter: Self.delimiter(table.detected),
      columns: Self.withheld(table.columns.map(Self.column), ids: [flat.id, flat.group]))
    tables.append(report)
    personalDataColumns = report.columns.filter(\.personalData).map(\.name)
  }

  static func encoding(_ detected: ReadSettings) -> String {
    detected.isWorkbook ? "xlsx workbook" : detected.encoding == .auto ? "utf-8" : detected.encoding.rawValue
  }

  static func delimiter(_ detected: ReadSettings) -> String {
    detected.isWorkbook ? "" : detected.delimiter == .tab ? "tab" : detected.delimiter.rawValue
  }

  /// A value as an example: control characters (terminal escapes) shown as `?`, at most 40 characters.
  static func shown(_ text: String) -> String {
    let clean = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    return clean.count > 40 ? String(clean.prefix(39)) + "…" : clean
  }

  /// The reports with the examples of id and key columns withheld: ids may be NHS numbers or real council ids.
  static func withheld(_ columns: [ColumnReport], ids: [String?]) -> [ColumnReport] {
    columns.map { column in
      guard ids.contains(column.name), !column.examples.isEmpty else { return column }
      var copy = column
      copy.examples = ["(withheld: identifier)"]
      return copy
    }
  }

  static func column(_ column: Column) -> ColumnReport {
    let rows = column.values.count
    // Personal by its name, or by its values (e-mail addresses in a column called `contact`); ids and other mostly
    // unique text are not listed as personal data, but their values are not shown either.
    let personal = PersonalData.isSensitive(column: column.name) || PersonalValues.kind(of: column) != nil
    let withheld = personal || PersonalValues.mostlyUnique(column) != nil
    var examples: [String] = []
    var range: [String]? = nil
    switch column.values {
    case .date(let days):
      let present = days.filter { $0 != ColumnValues.missingDay }
      if let lo = present.min(), let hi = present.max() {
        range = [Day(number: Int(lo)).description, Day(number: Int(hi)).description]
      }
    case .categorical(_, let levels):
      examples = Array(levels.prefix(3))
    default:
      var seen = Set<String>()
      for text in column.texts(Array(0..<min(rows, 1000))) where !text.isEmpty && seen.insert(text).inserted {
        examples.append(text)
        if examples.count == 3 { break }
      }
    }
    examples = examples.map(shown)
    if withheld {
      examples = examples.isEmpty ? [] : [personal ? "(withheld: personal data)" : "(withheld: mostly unique values)"]
      range = nil
    }
    return ColumnReport(
      name: column.name, kind: column.type.rawValue,
      missingShare: rows == 0 ? 0 : Double(column.missingCount) / Double(rows), examples: examples, dateRange: range,
      personalData: personal)
  }
}

extension DataCheck {
  /// The report as text: one block per table, then links, cohorts, personal data, warnings and errors.
  public var text: String {
    var lines: [String] = ["check of \(source)"]
    for t in tables {
      lines.append(
        "table \(t.name) (\(t.file)): \(t.rows) rows, \(t.encoding)"
          + (t.delimiter.isEmpty
            ? "" : ", delimiter \(t.delimiter == "," ? "comma" : t.delimiter == ";" ? "semicolon" : t.delimiter)")
          + (t.key.map { k in
            "; key \(k) " + ((t.duplicateKeys ?? 0) == 0 ? "unique" : "repeats \(t.duplicateKeys!) times")
          } ?? ""))
      for c in t.columns {
        var line =
          "  " + c.name.padding(toLength: max(24, c.name.count + 1), withPad: " ", startingAt: 0)
          + c.kind.padding(toLength: 12, withPad: " ", startingAt: 0)
          + String(format: "%5.1f%% missing", 100 * c.missingShare)
        if let r = c.dateRange { line += "  \(r[0]) to \(r[1])" }
        if !c.examples.isEmpty { line += "  e.g. " + c.examples.joined(separator: ", ") }
        lines.append(line)
      }
    }
    for l in links {
      lines.append(
        "link \(l.from) → \(l.to): \(l.matched) of \(l.rows) rows matched"
          + (l.rows > 0 ? String(format: " (%.1f%%)", 100 * Double(l.matched) / Double(l.rows)) : ""))
    }
    if population > 0 || !tables.isEmpty {
      lines.append("population: \(unit.counted(population)); features: \(features.count)")
    }
    if let dataUntil { lines.append("data until: \(dataUntil)") }
    if !cohorts.isEmpty {
      lines.append("as-of month  units  known  events  rate   outcome not known yet")
      for c in cohorts {
        lines.append(
          c.month.padding(toLength: 13, withPad: " ", startingAt: 0)
            + String(
              format: "%5d  %5d  %6d  %@  %d", c.units, c.known, c.events,
              c.known > 0 ? String(format: "%.2f", Double(c.events) / Double(c.known)) : "  – ", c.censored))
      }
    }
    if !tables.isEmpty {
      lines.append(
        "personal data: "
          + (personalDataColumns.isEmpty
            ? "no column named like personal data or holding values that look like it"
            : personalDataColumns.joined(separator: ", ") + " (values never shown; keep them out of features)"))
    }
    for w in warnings { lines.append("warning: \(w)") }
    for e in errors { lines.append("error: \(e)") }
    lines.append(
      canTrain
        ? "ok: train would run"
          + (warnings.isEmpty ? "" : " (\(warnings.count) warning\(warnings.count == 1 ? "" : "s"))")
        : "not ready: train would stop (\(errors.count) error\(errors.count == 1 ? "" : "s"))")
    return lines.joined(separator: "\n")
  }

  /// Pretty JSON.
  /// - Throws: the encoder's error, never a stand-in answer.
  public func json() throws -> String {
    String(decoding: try JSONCoding.encoder(pretty: true).encode(self), as: UTF8.self)
  }
}
