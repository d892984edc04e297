/// What every reader does to a table once its columns are built: check text columns for values the settings do not
/// read, then merge categorical levels that differ only in letter case (`English`, `english`, `ENGLISH`), so that
/// they are one level in features, reports and reasons.
enum TableFinishing {
  static func finish(
    _ table: Table, settings: ReadSettings, typed: Set<String>, exactCase: Set<String>
  ) throws -> Table {
    try ValueChecks.check(table, typed: typed, settings: settings)
    guard settings.letterCase == .fold else { return table }
    var out = table
    for (j, column) in table.columns.enumerated() where !exactCase.contains(column.name) {
      guard case .categorical(let codes, let levels) = column.values, levels.count > 1,
        let (folded, merged) = foldingCase(codes: codes, levels: levels)
      else { continue }
      out.columns[j] = Column(name: column.name, values: folded)
      out.notes.append(
        "\(table.source), column \(column.name): \(merged) spelling\(merged == 1 ? "" : "s") differing only in letter "
          + "case or spaces merged into the most frequent one; set case: keep under read: to keep them apart")
    }
    return out
  }

  /// The column with levels equal up to letter case merged, each shown in its most frequent spelling (the first
  /// seen on a tie), and how many levels were merged away; nil when no two levels differ only in case.
  static func foldingCase(codes: [Int32], levels: [String]) -> (ColumnValues, Int)? {
    var keys = LevelTable()
    var keyOfLevel = [Int32](repeating: 0, count: levels.count)
    var buffer: [UInt8] = []
    for (k, level) in levels.enumerated() {
      buffer.removeAll(keepingCapacity: true)
      if level.utf8.allSatisfy({ $0 < 0x80 }) {
        for b in level.utf8 { buffer.append(b >= 65 && b <= 90 ? b | 0x20 : b) }
      } else {
        buffer.append(contentsOf: level.lowercased().utf8)
      }
      keyOfLevel[k] = buffer.withUnsafeBufferPointer { keys.code(for: $0) }
    }
    guard keys.count < levels.count else { return nil }
    var rowsOfLevel = [Int](repeating: 0, count: levels.count)
    for code in codes where code >= 0 { rowsOfLevel[Int(code)] += 1 }
    // The spelling shown for each key: its most frequent level.
    var shown = [Int](repeating: -1, count: keys.count)
    for k in 0..<levels.count {
      let key = Int(keyOfLevel[k])
      if shown[key] < 0 || rowsOfLevel[k] > rowsOfLevel[shown[key]] { shown[key] = k }
    }
    let newLevels = shown.map { levels[$0] }
    let newCodes = codes.map { $0 < 0 ? -1 : keyOfLevel[Int($0)] }
    return (.categorical(codes: newCodes, levels: newLevels), levels.count - keys.count)
  }
}
