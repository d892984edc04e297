extension FeatureFrame {
  /// Writes the frame as CSV (atomically): id, group, as_of, features, protected attributes (`protected_…`), label
  /// (empty where the outcome is not yet known).
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
      // An outcome not yet known (its window runs past the end of the data) is written empty.
      if let labels {
        if isCensored(row) { out.missing() } else { out.field(labels[row] ? 1 : 0) }
      }
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
