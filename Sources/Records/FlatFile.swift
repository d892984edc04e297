/// One CSV with a row per unit and no config: the target column and its event value name the outcome; every other
/// column (bar the id, group and excluded ones) becomes a feature by its inferred type.
public struct FlatFile {
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

public struct FlatFileError: Error, Equatable, Sendable, CustomStringConvertible {
  public var source: String
  public var message: String
  public var description: String { "file \(source) \(message)" }
}

extension FeatureFrame {
  /// Writes the frame as CSV (atomically): id, group, as_of, features, protected attributes (`protected_…`), label.
  public func write(to path: String, labelName: String = "label") throws {
    var header = ["id"]
    if groups != nil { header.append("group") }
    if !asOf.isEmpty { header.append("as_of") }
    // Protected attributes are kept for fairness reports, under their own prefix (one may also be a feature).
    header += features.map(\.name) + protected.map { "protected_" + $0.name }
    if labels != nil { header.append(labelName) }
    let out = try CSVWriter(path: path, header: header)
    for row in 0..<rowCount {
      out.field(ids[row])
      if let groups { out.field(groups[row]) }
      if !asOf.isEmpty { out.field(asOf[row]) }
      for column in features + protected { out.value(column, row) }
      if let labels { out.field(labels[row] ? 1 : 0) }
      out.endRow()
    }
    try out.finish()
  }
}

extension CSVWriter {
  /// One value of a column; missing is an empty field, numbers in their shortest exact form.
  func value(_ column: Column, _ row: Int) {
    if column.isMissing(row) {
      missing()
      return
    }
    switch column.values {
    case .integer(let v): field(Int(v[row]))
    case .number(let v):
      // Whole values through the integer path: a String per value made writing ~40% of `uptake features`.
      if v[row] == v[row].rounded() && abs(v[row]) < 1e15 { field(Int(v[row])) } else { field(String(v[row])) }
    case .date(let v): field(Day(number: Int(v[row])))
    case .boolean(let v): field(v[row]! ? "true" : "false")
    case .categorical(let codes, let levels): field(levels[Int(codes[row])])
    }
  }
}
