/// One CSV (or workbook) with a row per unit and no config: the target column and its event value name the outcome;
/// every other column (bar the id, group and excluded ones, and columns that look like identifiers) becomes a
/// feature by its inferred type.
public struct FlatFile: Sendable, Equatable {
  public var target: String
  public var event: String
  public var id: String?
  public var group: String?
  public var exclude: [String]
  /// Columns that look like identifiers but are features all the same (`--keep`).
  public var keep: [String]
  /// Declared column types (`--type COL=KIND`).
  public var types: [String: ColumnType]
  /// How the file is written (`--date-format`, `--missing`, `--encoding`, `--delimiter`, `--numbers`).
  public var read: ReadSettings
  /// The sheet of a workbook (`--sheet`; nil: the first).
  public var sheet: String?
  /// Columns named like personal data, or holding values that look like it, that are not (`--allow-personal`).
  public var personalAllowed: [String]
  /// What a row is (`--unit`).
  public var unit: UnitName

  public init(
    target: String, event: String, id: String? = nil, group: String? = nil, exclude: [String] = [],
    keep: [String] = [], types: [String: ColumnType] = [:], read: ReadSettings = .init(), sheet: String? = nil,
    personalAllowed: [String] = [], unit: UnitName = .child
  ) {
    self.personalAllowed = personalAllowed
    self.unit = unit
    self.target = target
    self.event = event
    self.id = id
    self.group = group
    self.exclude = exclude
    self.keep = keep
    self.types = types
    self.read = read
    self.sheet = sheet
  }

  /// Reads `path` as this file is described: the target kept as text (so `--event no` matches a yes/no column as
  /// written), the id and group columns with their letter case kept.
  /// Excluded columns are not read at all, so a broken column the user has set aside cannot stop the run.
  public func table(path: String) throws -> Table {
    var declared = types
    declared[target] = .categorical
    var wanted: Set<String>? = nil
    if !exclude.isEmpty {
      let header = try TableReader.header(path: path, settings: read, sheet: sheet)
      if let name = exclude.first(where: { !header.contains($0) }) {
        throw FlatFileError(
          source: path,
          message: "has no column \(name) (given to --exclude)"
            + (nearest(name, in: header).map { "; did you mean \($0)?" } ?? ""))
      }
      wanted = Set(header).subtracting(exclude)
    }
    return try TableReader.read(
      path: path, types: declared, columns: wanted, settings: read, exactCase: Set([id, group].compactMap { $0 }),
      sheet: sheet)
  }

  /// Reads `path` and builds the frame.
  public func frame(path: String) throws -> (frame: FeatureFrame, leftOut: Int) {
    try frame(table(path: path))
  }

  /// The frame, and how many rows were left out for a missing target.
  /// - Throws: `FlatFileError` naming the missing column (with the nearest name) or the absent event value.
  public func frame(_ table: Table) throws -> (frame: FeatureFrame, leftOut: Int) {
    // Excluded columns were checked against the header and not read.
    let named: [(name: String, option: String)] =
      [(target, "--target")] + [id].compactMap { $0 }.map { ($0, "--id") }
      + [group].compactMap { $0 }.map { ($0, "--group") } + keep.map { ($0, "--keep") }
      + types.keys.sorted().map { ($0, "--type") } + personalAllowed.map { ($0, "--allow-personal") }
    for (name, option) in named where table[name] == nil {
      if exclude.contains(name) {
        throw FlatFileError(
          source: table.source,
          message: "has column \(name) left out by --exclude but named by \(option); drop one of them")
      }
      throw FlatFileError(
        source: table.source,
        message: "has no column \(name)"
          + (nearest(name, in: table.columnNames).map { "; did you mean \($0)?" } ?? ""))
    }
    guard table.rowCount > 0 else {
      throw FlatFileError(source: table.source, message: "has a header but no data rows; export the rows too")
    }
    // The target as codes into its distinct values (a categorical column's own): a million rows are compared as
    // integers, not as strings.
    let (codes, levels) = table[target]!.keyCodes()
    var counts = [Int](repeating: 0, count: levels.count)
    for c in codes where c >= 0 { counts[c] += 1 }
    let present = Set(levels.indices.filter { counts[$0] > 0 && !levels[$0].isEmpty }.map { levels[$0] })
    // An outcome has a few values; a column of many, or of personal data, is shown by count only.
    let withheld =
      PersonalData.isSensitive(column: target) || present.count > 20 || PersonalValues.kind(of: Array(present)) != nil
    guard let eventCode = levels.firstIndex(of: event), counts[eventCode] > 0 else {
      throw FlatFileError(
        source: table.source,
        message: "column \(target) never holds \(event); its values are "
          + (withheld
            ? "withheld (\(present.count) distinct values; an outcome column holds a few, such as yes and no)"
            : present.sorted().prefix(10).joined(separator: ", ")))
    }
    let known = codes.map { $0 >= 0 && !levels[$0].isEmpty }
    let rows = known.allSatisfy { $0 } ? Array(0..<table.rowCount) : codes.indices.filter { known[$0] }
    let used = Set([target] + [id, group].compactMap { $0 } + exclude)
    let candidates = table.columns.filter { !used.contains($0.name) }
    let setAside = candidates.filter { !keep.contains($0.name) && Self.looksLikeIdentifier($0) }.map(\.name)
    var frame = FeatureFrame(
      ids: id.map { table[$0]!.texts(rows) } ?? rows.map { String($0 + 1) },
      groups: group.map { table[$0]!.texts(rows) },
      asOf: [],
      features: candidates.filter { !setAside.contains($0.name) }.map {
        rows.count == table.rowCount ? $0 : $0.subset(rows)
      },
      reasons: [:], protected: [],
      labels: rows.map { codes[$0] == eventCode })
    frame.notes = table.notes
    frame.personalAllowed = Set(personalAllowed)
    frame.unit = unit
    // A binary outcome has one other value; several are worth a look ("pending" is not "did not happen").
    var others: [String: Int] = [:]
    for (code, count) in counts.enumerated() where code != eventCode && count > 0 && !levels[code].isEmpty {
      others[levels[code]] = count
    }
    if others.count > 1 && !withheld {
      frame.notes.append(
        "column \(target): \(others.values.reduce(0, +)) rows count as not \(event): "
          + others.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(6)
          .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
          + "; a value meaning \"not known yet\" belongs in --missing")
    }
    if !setAside.isEmpty {
      frame.notes.append(
        "set aside as identifiers, not features: \(setAside.joined(separator: ", ")) (a value per row, or named like "
          + "an id); --keep \(setAside[0]) makes one a feature, --id or --group names the id or family column")
    }
    return (frame, table.rowCount - rows.count)
  }

  /// A column named like an identifier (`id`, `*_id`, `*_ref`, `*_number`, `*ID`) or, with at least 20 rows, holding
  /// a different text or whole number on every row: as a feature it would only memorise the rows.
  public static func looksLikeIdentifier(_ column: Column) -> Bool {
    let name = column.name.lowercased()
    if name == "id"
      || [" id", "_id", "-id", "_ref", " ref", "_number", " number", "_no"].contains(where: name.hasSuffix)
      || (column.name.hasSuffix("ID") && column.name.count > 2) || column.name.hasSuffix("Id")
      || column.name.hasSuffix("No") || column.name.hasSuffix("Ref")
    {
      return true
    }
    let rows = column.values.count
    guard rows >= 20 else { return false }
    switch column.values {
    case .categorical(let codes, let levels):
      return levels.count == rows && !codes.contains(-1)
    case .integer(let values):
      // Stops at the first repeat, which a count or a code meets within a few rows.
      var seen = Set<Double>(minimumCapacity: 1024)
      for v in values {
        if v.isNaN || !seen.insert(v).inserted { return false }
      }
      return true
    default:
      return false
    }
  }
}

extension FlatFile {
  /// Reads `path` for scoring: every row is kept, and the target column, when present, is ignored.
  public func unlabelledFrame(path: String, extras: [String] = []) throws -> FeatureFrame {
    try unlabelledFrame(table(path: path), extras: extras)
  }

  /// Every row of `table` as a frame without labels; the target and excluded columns need not be present, but the id
  /// column must be (the group column is used when present). `extras` are passed through beside the features.
  public func unlabelledFrame(_ table: Table, extras: [String] = []) throws -> FeatureFrame {
    for name in [id].compactMap({ $0 }) + extras where table[name] == nil {
      throw FlatFileError(
        source: table.source,
        message: "has no column \(name)"
          + (nearest(name, in: table.columnNames).map { "; did you mean \($0)?" } ?? ""))
    }
    let rows = Array(0..<table.rowCount)
    let used = Set([target] + [id, group].compactMap { $0 } + exclude)
    var frame = FeatureFrame(
      ids: id.map { table[$0]!.texts(rows) } ?? rows.map { String($0 + 1) },
      groups: group.flatMap { table[$0]?.texts(rows) },
      asOf: [],
      features: table.columns.filter { !used.contains($0.name) },
      reasons: [:], protected: [], labels: nil,
      extras: extras.map { table[$0]! }, notes: table.notes)
    frame.personalAllowed = Set(personalAllowed)
    frame.unit = unit
    return frame
  }
}

public struct FlatFileError: Error, Equatable, Sendable, CustomStringConvertible {
  public var source: String
  public var message: String
  public var description: String { "file \(source) \(message)" }
}
