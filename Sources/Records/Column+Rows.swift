/// Reading a column by rows: missing values, text, numbers, subsets and key codes, shared by the feature engine, the
/// frame and the writers.
extension Column {
  public func isMissing(_ row: Int) -> Bool {
    switch values {
    case .integer(let v), .number(let v): return v[row].isNaN
    case .date(let v): return v[row] == ColumnValues.missingDay
    case .boolean(let v): return v[row] == nil
    case .categorical(let codes, _): return codes[row] < 0
    }
  }

  /// Row values as text (keys and ids); missing is "".
  public func texts(_ rows: [Int]) -> [String] {
    switch values {
    case .categorical(let codes, let levels): return rows.map { codes[$0] < 0 ? "" : levels[Int(codes[$0])] }
    case .integer(let v):
      // Exact as an integer only below 2^53; larger values (an id of 1e19) print as numbers instead of trapping.
      return rows.map { v[$0].isNaN ? "" : abs(v[$0]) < 9.0e15 ? String(Int64(v[$0])) : String(v[$0]) }
    case .number(let v): return rows.map { v[$0].isNaN ? "" : String(v[$0]) }
    case .date(let v): return rows.map { v[$0] == ColumnValues.missingDay ? "" : Day(number: Int(v[$0])).description }
    case .boolean(let v): return rows.map { v[$0].map { $0 ? "true" : "false" } ?? "" }
    }
  }

  /// The numeric value of a row (NaN when missing or not numeric).
  func number(_ row: Int) -> Double {
    switch values {
    case .integer(let v), .number(let v): return v[row]
    case .boolean(let v): return v[row].map { $0 ? 1 : 0 } ?? .nan
    default: return .nan
    }
  }

  /// The column restricted to `rows` (−1 = a row that does not exist: missing).
  public func subset(_ rows: [Int]) -> Column {
    func pick<T>(_ v: [T], _ missing: T) -> [T] { rows.map { $0 < 0 ? missing : v[$0] } }
    switch values {
    case .integer(let v): return Column(name: name, values: .integer(pick(v, .nan)))
    case .number(let v): return Column(name: name, values: .number(pick(v, .nan)))
    case .date(let v): return Column(name: name, values: .date(pick(v, ColumnValues.missingDay)))
    case .boolean(let v): return Column(name: name, values: .boolean(pick(v, nil)))
    case .categorical(let codes, let levels):
      return Column(name: name, values: .categorical(codes: pick(codes, -1), levels: levels))
    }
  }

  /// Each row's key as a code into distinct key strings (−1 = missing): a categorical column's own dictionary, or one
  /// built from the values' text for other types.
  public func keyCodes() -> (codes: [Int], levels: [String]) {
    if case .categorical(let codes, let levels) = values { return (codes.map(Int.init), levels) }
    var index: [String: Int] = [:]
    var levels: [String] = []
    let codes = texts(Array(0..<values.count)).map { text -> Int in
      if text.isEmpty { return -1 }
      if let k = index[text] { return k }
      index[text] = levels.count
      levels.append(text)
      return levels.count - 1
    }
    return (codes, levels)
  }

  /// Row of each distinct value (first occurrence), for joining on a key.
  func rowIndex() -> (table: LevelTable, rows: [Int]) {
    var table = LevelTable()
    var rows: [Int] = []
    for (i, key) in texts(Array(0..<(values.count))).enumerated() where Int(table.code(for: key)) == rows.count {
      rows.append(i)
    }
    return (table, rows)
  }
}

extension ColumnValues {
  public var count: Int {
    switch self {
    case .integer(let v), .number(let v): return v.count
    case .date(let v): return v.count
    case .boolean(let v): return v.count
    case .categorical(let codes, _): return codes.count
    }
  }
}
