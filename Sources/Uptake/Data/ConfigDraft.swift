import Foundation
import Records

/// `uptake init`: a first `uptake.yaml` drafted from a folder of exports, to be read and completed by a person.
///
/// Found from the files themselves: each table and its file, the read settings (encoding, delimiter, date format),
/// keys (columns unique on every row), links (a column sharing its name and values with another table's key),
/// event-time candidates (date columns of tables with many rows per key) and features (plain columns of the tables).
/// What only the council can decide — who is predicted, at what date, for which outcome — is left as commented
/// placeholders that `uptake check` reports until they are filled.
public struct ConfigDraft: Sendable {
  public struct TableDraft: Sendable {
    public var name: String
    public var file: String
    public var rows: Int
    public var read: ReadSettings
    /// Why the date format was chosen, when it was ("day above 12 in first place in column dob").
    public var dateEvidence: String?
    public var key: String?
    public var dates: [String]
    public var eventTime: String?
    public var recordedTime: String?
    public var columns: [Column]
  }

  public var tables: [TableDraft] = []
  public var links: [(from: ProjectConfig.ColumnRef, to: ProjectConfig.ColumnRef)] = []
  /// Files left out, with why (not a table, unreadable).
  public var skipped: [String] = []
  /// Choices made that a person should know of (a link left out).
  public var notes: [String] = []

  /// Reads every `.csv`, `.tsv`, `.txt` and `.xlsx` file of `folder`.
  public init(folder: String) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
      throw DataError("\(folder) is not a folder; pass the folder holding the exported tables")
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    for file in names where [".csv", ".tsv", ".txt", ".xlsx"].contains(where: file.lowercased().hasSuffix) {
      // Hidden files and Office's lock files (~$name.xlsx) are not exports.
      if file.hasPrefix(".") || file.hasPrefix("~$") { continue }
      do {
        let table = try Self.table(folder + "/" + file, file: file)
        if table.rows == 0 {
          skipped.append("\(file): a header but no rows")
        } else {
          tables.append(table)
        }
      } catch {
        skipped.append("\(file): \(error)")
      }
    }
    guard !tables.isEmpty else {
      throw DataError(
        "\(folder) holds no table uptake could read (CSV or .xlsx)"
          + (skipped.isEmpty ? "" : ": " + skipped.joined(separator: "; ")))
    }
    findLinks()
    // A "key" that is itself a link to another table's key is a foreign key: one event per child, not a table of its own.
    for k in tables.indices where tables[k].key != nil && !tables[k].dates.isEmpty {
      if links.contains(where: { $0.from.table == tables[k].name && $0.from.column == tables[k].key }) {
        tables[k].key = nil
      }
    }
    for k in tables.indices { chooseEventTimes(&tables[k]) }
  }

  /// One file: read once as text to find its date format, then typed with the settings found.
  static func table(_ path: String, file: String) throws -> TableDraft {
    let header = try TableReader.header(path: path)
    let asText = try TableReader.read(
      path: path, types: Dictionary(uniqueKeysWithValues: header.map { ($0, ColumnType.categorical) }),
      settings: ReadSettings())
    var settings = ReadSettings()
    settings.encoding = asText.detected.encoding == .windows1252 ? .windows1252 : .auto
    settings.delimiter = asText.detected.delimiter
    let (format, evidence) = DateFormatGuess.guess(asText)
    settings.dateFormat = format
    let table: Table
    do {
      table = try TableReader.read(path: path, settings: settings)
    } catch let error as CSVError where error.isCuredByLenientNumbers {
      // Money written £1,234 or 12%: drafted with numbers: lenient, which the summary shows.
      settings.numbers = .lenient
      table = try TableReader.read(path: path, settings: settings)
    }
    let stem = (file as NSString).deletingPathExtension.lowercased()
      .split { !($0.isLetter || $0.isNumber) }.joined(separator: "_")
    let dates = table.columns.filter { $0.type == .date }.map(\.name)
    return TableDraft(
      name: String(stem), file: file, rows: table.rowCount, read: settings, dateEvidence: evidence,
      key: uniqueColumn(table), dates: dates, eventTime: nil, recordedTime: nil, columns: table.columns)
  }

  /// The first column, preferring one named like an id, whose values are present and different on every row.
  static func uniqueColumn(_ table: Table) -> String? {
    let unique = table.columns.filter { c in
      guard c.type == .categorical || c.type == .integer, c.missingCount == 0 else { return false }
      return Set(c.texts(Array(0..<table.rowCount))).count == table.rowCount
    }
    return (unique.first { FlatFile.looksLikeIdentifier(Column(name: $0.name, values: .number([]))) } ?? unique.first)?
      .name
  }

  /// Links: a column of one table named like another table's key, most of whose values are that key's values. Two
  /// tables keyed by the same column link from the smaller to the larger only (never both ways: a cycle). A table
  /// that could reach the population through two keys (a hub session's child and its family) keeps the link whose
  /// column is most often filled in, since a feature follows one of them and rows with an empty key are never used.
  mutating func findLinks() {
    var found: [(from: ProjectConfig.ColumnRef, to: ProjectConfig.ColumnRef, filled: Int)] = []
    for to in tables {
      guard let key = to.key, let keyColumn = to.columns.first(where: { $0.name == key }) else { continue }
      let keys = Set(keyColumn.texts(Array(0..<to.rows)))
      for from in tables where from.name != to.name {
        guard let column = from.columns.first(where: { $0.name.lowercased() == key.lowercased() }) else { continue }
        // Both keyed by it: the smaller table points at the larger (places → children), one way only.
        if from.key == column.name && (from.rows > to.rows || (from.rows == to.rows && from.name > to.name)) {
          continue
        }
        let values = column.texts(Array(0..<from.rows)).filter { !$0.isEmpty }
        guard !values.isEmpty, values.filter(keys.contains).count * 2 >= values.count else { continue }
        found.append((.init(table: from.name, column: column.name), .init(table: to.name, column: key), values.count))
      }
    }
    for link in found {
      let keyed = tables.first { $0.name == link.from.table }?.key != nil
      // An event table (no key of its own) keeps one link: its most often filled key.
      if !keyed, let better = found.first(where: { $0.from.table == link.from.table && $0.filled > link.filled }) {
        notes.append(
          "\(link.from) also matches \(link.to) but is empty more often than \(better.from); linked by "
            + "\(better.from.column) only (add the other link by hand if features need it)")
        continue
      }
      links.append((link.from, link.to))
    }
  }

  /// A table with no key of its own (many rows per linked key) is an event table: its first date column dates the
  /// rows, and a date column named like recorded / entered / created says when they reached the records.
  func chooseEventTimes(_ table: inout TableDraft) {
    guard table.key == nil, !table.dates.isEmpty, links.contains(where: { $0.from.table == table.name }) else { return }
    let recordedWords = ["record", "entered", "created", "input", "logged"]
    table.recordedTime = table.dates.first { name in recordedWords.contains { name.lowercased().contains($0) } }
    // When the event happened: a name that says so, else any date but a due date or a birth date.
    let eventWords = ["event", "attend", "contact", "visit", "session", "start", "from"]
    let candidates = table.dates.filter { $0 != table.recordedTime }
    table.eventTime =
      candidates.first { name in eventWords.contains { name.lowercased().contains($0) } }
      ?? candidates.first { !$0.lowercased().contains("due") && !PersonalData.isSensitive(column: $0) }
      ?? candidates.first
  }

  /// The draft as YAML, with comments saying what was found and what to fill in.
  public var yaml: String {
    var out: [String] = [
      "# uptake.yaml drafted by `uptake init` from the files in this folder. Read it, fill in the placeholders",
      "# (population, id, group, as_of, outcome), then run `uptake check`. See the README for every key.",
      "version: 1",
    ]
    // Read settings shared by every table go on top; a table's own differences go under it.
    let shared = tables.first!.read
    let common = tables.allSatisfy { $0.read == shared }
    if common, let flow = shared.yamlFlow { out.append("read: \(flow)") }
    out.append("tables:")
    for t in tables {
      var parts = ["file: \(Self.scalar(t.file))"]
      if let key = t.key { parts.append("key: \(Self.scalar(key))") }
      if let e = t.eventTime { parts.append("event_time: \(Self.scalar(e))") }
      if let r = t.recordedTime { parts.append("recorded_time: \(Self.scalar(r))") }
      if !common, let flow = t.read.yamlFlow { parts.append("read: \(flow)") }
      var comment = "\(t.rows) rows"
      if let evidence = t.dateEvidence { comment += "; \(evidence)" }
      if t.eventTime == nil && t.key == nil && !t.dates.isEmpty {
        comment += "; date columns: \(t.dates.joined(separator: ", ")) (set event_time: to aggregate it)"
      }
      out.append("  \(Self.scalar(t.name)): { \(parts.joined(separator: ", ")) }   # \(comment)")
    }
    if !links.isEmpty {
      out.append("links:")
      for l in links {
        out.append("  - { from: \(Self.scalar(l.from.description)), to: \(Self.scalar(l.to.description)) }")
      }
    }
    let population = guessPopulation()
    let dateHint = population?.dates.first { !PersonalData.isSensitive(column: $0) } ?? "A_DATE_COLUMN"
    let protected = population?.columns.map(\.name).filter(Self.looksProtected) ?? []
    out += [
      "# Fill these in: who is predicted, when, and for what outcome.",
      "# population: { table: \(population?.name ?? "TABLE"), where: \(dateHint) is present }",
      "# id: \(population?.key ?? "ID_COLUMN")",
      "# group: \(guessGroup(population) ?? "FAMILY_COLUMN")   # siblings stay together in splits",
      "# unit: child   # what a row is, as reports count it: child (default), family, or singular/plural",
      "# as_of: { column: \(dateHint), offset_days: -56 }",
      "# outcome: { name: no_takeup, table: EVENT_TABLE, aggregation: count,",
      "#            window: { anchor: \(dateHint), from_days: 0, to_days: 120 }, event_when: equals 0 }",
      "# protected: [\(protected.isEmpty ? "ethnicity, sex, first_language" : protected.joined(separator: ", "))]"
        + "   # kept for fairness reports, never features",
    ]
    let featureLines = draftFeatures(population)
    if !featureLines.isEmpty {
      out.append("features:                                # plain columns found; add aggregations over event tables")
      out += featureLines
    }
    for t in tables where t.eventTime != nil {
      out.append(
        "  # - { name: \(t.name)_12m, table: \(t.name), aggregation: count, window: { last_days: 365 }, "
          + "reason: \"\(t.name.replacingOccurrences(of: "_", with: " ")) in the last 12 months: {value}\" }")
    }
    // A name with a line break or another control character would end a comment early: never written raw.
    return out.map(Self.withoutControlCharacters).joined(separator: "\n") + "\n"
  }

  /// A name as a YAML value: as it is when it is a plain word (letters, digits, `_ . - /` and inner spaces), else
  /// double-quoted with `\\`, `"` and control characters escaped, so that a file called `a"b: c #.csv` or a header
  /// `x: y #z` can neither break the draft nor add a key to it.
  static func scalar(_ text: String) -> String {
    let plain = text.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "_.-/ ()".unicodeScalars.contains($0)
    }
    let reserved: Set<String> = ["yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"]
    if plain, !text.isEmpty, Double(text) == nil, text.first != " ", text.last != " ", text.first != "-",
      !reserved.contains(text.lowercased())
    {
      return text
    }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\x%02X", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  static func withoutControlCharacters(_ line: String) -> String {
    String(String.UnicodeScalarView(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
  }

  /// Protected characteristics (Equality Act 2010) and first language: for fairness reports, never features.
  static func looksProtected(_ column: String) -> Bool {
    let name = column.lowercased()
    return ["ethnic", "sex", "gender", "religion", "belief", "language", "disab", "marital", "pregnan"].contains {
      name.contains($0)
    }
  }

  /// The population's link to a family or household table, whose key groups siblings.
  func guessGroup(_ population: TableDraft?) -> String? {
    guard let population else { return nil }
    let out = links.filter { $0.from.table == population.name }
    return (out.first { ["famil", "household", "parent", "carer"].contains(where: $0.to.table.contains) } ?? nil)?
      .from.column
  }

  /// The table most others link to among those with a key: usually the children or the families.
  func guessPopulation() -> TableDraft? {
    let keyed = tables.filter { $0.key != nil }
    return keyed.max { a, b in
      let la = links.filter { $0.to.table == a.name || $0.from.table == a.name }.count
      let lb = links.filter { $0.to.table == b.name || $0.from.table == b.name }.count
      return la != lb ? la < lb : a.rows < b.rows
    }
  }

  /// Columns of the population table and the tables it links to, as features; keys, dates, link columns and
  /// personal data are left out.
  func draftFeatures(_ population: TableDraft?) -> [String] {
    guard let population else { return [] }
    let reachable = [population.name] + links.filter { $0.from.table == population.name }.map(\.to.table)
    var lines: [String] = []
    var seen = Set<String>()
    for name in reachable {
      guard let t = tables.first(where: { $0.name == name }) else { continue }
      let linkColumns = Set(links.filter { $0.from.table == name }.map(\.from.column))
      for c in t.columns where c.name != t.key && !linkColumns.contains(c.name) && c.type != .date {
        if PersonalData.isSensitive(column: c.name) || Self.looksProtected(c.name) || seen.contains(c.name) { continue }
        if FlatFile.looksLikeIdentifier(c) { continue }
        seen.insert(c.name)
        lines.append("  - { name: \(Self.scalar(c.name)), column: \(Self.scalar(name + "." + c.name)) }")
      }
    }
    return lines
  }
}

/// Which day-month-year order a table's text dates are in, decided column by column from the values
/// (`ReadSettings.DateFormat.guessed`); the evidence names the column, never a value (it may be a date of birth).
enum DateFormatGuess {
  static func guess(_ table: Table) -> (ReadSettings.DateFormat, String?) {
    var found: (format: ReadSettings.DateFormat, column: String, assumed: Bool)? = nil
    for column in table.columns {
      guard case .categorical(_, let levels) = column.values,
        let guess = ReadSettings.DateFormat.guessed(from: levels)
      else { continue }
      if found == nil || (found!.assumed && !guess.assumed) { found = (guess.format, column.name, guess.assumed) }
    }
    guard let found else { return (.iso, nil) }
    let order = found.format == .monthDayYear ? "month first" : "day first"
    return (
      found.format,
      found.assumed
        ? "dates in \(found.column) have no part above 12: day first ASSUMED, check"
        : "dates \(order) (a part above 12 in \(found.column))"
    )
  }
}
