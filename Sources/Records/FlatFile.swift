/// One CSV with a row per unit and no config: the target column and its event value name the outcome; every other
/// column (bar the id, group and excluded ones) becomes a feature by its inferred type.
public struct FlatFile: Sendable, Equatable {
  public var target: String
  public var event: String
  public var id: String?
  public var group: String?
  public var exclude: [String]

  public init(target: String, event: String, id: String? = nil, group: String? = nil, exclude: [String] = []) {
    self.target = target
    self.event = event
    self.id = id
    self.group = group
    self.exclude = exclude
  }

  /// Reads `path` with the target kept as text (so `--event no` matches a yes/no column as written) and builds the frame.
  public func frame(path: String) throws -> (frame: FeatureFrame, leftOut: Int) {
    try frame(CSVReader.read(path: path, types: [target: .categorical]))
  }

  /// The frame, and how many rows were left out for a missing target.
  /// - Throws: `FlatFileError` naming the missing column (with the nearest name) or the absent event value.
  public func frame(_ table: Table) throws -> (frame: FeatureFrame, leftOut: Int) {
    for name in [target] + [id, group].compactMap({ $0 }) + exclude where table[name] == nil {
      throw FlatFileError(
        source: table.source,
        message: "has no column \(name)"
          + (nearest(name, in: table.columnNames).map { "; did you mean \($0)?" } ?? ""))
    }
    guard table.rowCount > 0 else {
      throw FlatFileError(source: table.source, message: "has a header but no data rows; export the rows too")
    }
    let targetColumn = table[target]!
    let all = Array(0..<table.rowCount)
    let texts = targetColumn.texts(all)
    let present = Set(texts.filter { !$0.isEmpty })
    guard present.contains(event) else {
      throw FlatFileError(
        source: table.source,
        message: "column \(target) never holds \(event); its values are "
          + present.sorted().prefix(10).joined(separator: ", "))
    }
    let rows = all.filter { !texts[$0].isEmpty }
    let used = Set([target] + [id, group].compactMap { $0 } + exclude)
    let frame = FeatureFrame(
      ids: id.map { table[$0]!.texts(rows) } ?? rows.map { String($0 + 1) },
      groups: group.map { table[$0]!.texts(rows) },
      asOf: [],
      features: table.columns.filter { !used.contains($0.name) }.map { $0.subset(rows) },
      reasons: [:], protected: [],
      labels: rows.map { texts[$0] == event })
    return (frame, table.rowCount - rows.count)
  }
}

extension FlatFile {
  /// Reads `path` for scoring: every row is kept, and the target column, when present, is ignored.
  public func unlabelledFrame(path: String, extras: [String] = []) throws -> FeatureFrame {
    try unlabelledFrame(CSVReader.read(path: path, types: [target: .categorical]), extras: extras)
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
    return FeatureFrame(
      ids: id.map { table[$0]!.texts(rows) } ?? rows.map { String($0 + 1) },
      groups: group.flatMap { table[$0]?.texts(rows) },
      asOf: [],
      features: table.columns.filter { !used.contains($0.name) },
      reasons: [:], protected: [], labels: nil,
      extras: extras.map { table[$0]! })
  }
}

public struct FlatFileError: Error, Equatable, Sendable, CustomStringConvertible {
  public var source: String
  public var message: String
  public var description: String { "file \(source) \(message)" }
}
