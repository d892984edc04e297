/// One column during the single pass: the evidence for its type, and its values built as that type while it fits.
struct ColumnAccumulator {
  /// A column declared categorical: text from the first value (no evidence for other types gathered).
  static var text: ColumnAccumulator {
    var accumulator = ColumnAccumulator()
    accumulator.evidence.number = false
    accumulator.evidence.integer = false
    accumulator.evidence.date = false
    accumulator.evidence.boolean = false
    (accumulator.doubles, accumulator.days, accumulator.booleans) = (nil, nil, nil)
    accumulator.categorical = ColumnBuilder(type: .categorical, capacity: 0)
    return accumulator
  }

  var evidence = TypeEvidence()
  /// Built while every value so far is a number (or missing).
  var doubles: [Double]? = []
  var days: [Int32]? = []
  var booleans: [Bool?]? = []
  /// Started when the first present value is no number, date or boolean.
  var categorical: ColumnBuilder? = nil
  /// Set when a typed build died after values were seen, so the column must be read again.
  var lost = false
  var rowCount = 0

  /// Takes the bytes, not the parser: passing the parser retained and released its file name for every field.
  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, _ f: Parser.Field, row: Int, reader: ValueReader) {
    rowCount += 1
    let s = ValueReader.trim(UnsafeBufferPointer(rebasing: bytes[f.start..<f.end]))
    if reader.isMissing(s) {
      doubles?.append(.nan)
      days?.append(ColumnValues.missingDay)
      booleans?.append(nil)
      categorical?.append(bytes, f, reader: reader, line: 0)
      return
    }
    let firstPresent = evidence.present == 0
    evidence.present += 1
    if evidence.number, let value = reader.number(s) {
      if evidence.integer && !ValueParsing.isInteger(s) && !(reader.lenientNumbers && Self.isWhole(value)) {
        evidence.integer = false
      }
      doubles?.append(value)
      if evidence.date || evidence.boolean { dropDatesAndBooleans() }
      return
    }
    if evidence.number {
      evidence.number = false; evidence.integer = false; if doubles != nil { doubles = nil; lost = !firstPresent }
    }
    if evidence.date, let day = reader.day(s) {
      days?.append(Int32(day.number))
      if evidence.boolean { evidence.boolean = false; booleans = nil }
      return
    }
    if evidence.date { evidence.date = false; if days != nil { days = nil; lost = lost || !firstPresent } }
    if evidence.boolean, let flag = ValueParsing.boolean(s) {
      booleans?.append(flag)
      return
    }
    if evidence.boolean {
      evidence.boolean = false; if booleans != nil { booleans = nil; lost = lost || !firstPresent }
    }
    // Text. Build categories from here if this is the first present value; otherwise the column is read again.
    if firstPresent {
      var builder = ColumnBuilder(type: .categorical, capacity: 0)
      for _ in 0..<row { builder.codes.append(-1) }
      categorical = builder
    }
    categorical?.append(bytes, f, reader: reader, line: 0)
  }

  /// A lenient number such as `£1,200` that is a whole number.
  static func isWhole(_ value: Double) -> Bool { value.rounded() == value && abs(value) < 1e15 }

  /// True while the column has only numbers (or nothing) and builds no other type.
  var isPlainNumeric: Bool { evidence.number && doubles != nil && categorical == nil && !lost }

  /// Adds a number parsed by the fast path (NaN = missing).
  @inline(__always)
  mutating func addNumber(_ value: Double, integral: Bool) {
    rowCount += 1
    doubles!.append(value)
    guard !value.isNaN else {
      days?.append(ColumnValues.missingDay)
      booleans?.append(nil)
      return
    }
    evidence.present += 1
    if !integral { evidence.integer = false }
    if evidence.date || evidence.boolean { dropDatesAndBooleans() }
  }

  mutating func reserve(_ rows: Int) {
    doubles?.reserveCapacity(rows)
  }

  /// Each column's values as its chosen type (an override, else the inferred type), or nil with the column listed in
  /// `rebuild` when it must be read again; shared by the CSV and SQLite readers.
  static func finishAll(
    _ accumulators: [ColumnAccumulator], header: [String], types: [String: ColumnType], rows: Int
  ) -> (values: [ColumnValues?], rebuild: [Int], chosen: [ColumnType]) {
    let chosen = (0..<header.count).map { types[header[$0]] ?? accumulators[$0].evidence.type }
    var values = [ColumnValues?](repeating: nil, count: header.count)
    var rebuild: [Int] = []
    for j in 0..<header.count {
      if let built = accumulators[j].finish(as: chosen[j], rows: rows) { values[j] = built } else { rebuild.append(j) }
    }
    return (values, rebuild, chosen)
  }

  /// Joins the accumulators of consecutive row chunks of one column, in order.
  static func merged(_ parts: [ColumnAccumulator]) -> ColumnAccumulator {
    guard var total = parts.first else { return ColumnAccumulator() }
    for part in parts.dropFirst() {
      let wasPresent = total.evidence.present > 0
      total.evidence.integer = total.evidence.integer && part.evidence.integer
      total.evidence.number = total.evidence.number && part.evidence.number
      total.evidence.date = total.evidence.date && part.evidence.date
      total.evidence.boolean = total.evidence.boolean && part.evidence.boolean
      total.evidence.present += part.evidence.present
      total.lost = total.lost || part.lost
      if let more = part.doubles { total.doubles?.append(contentsOf: more) } else { total.doubles = nil }
      if let more = part.days { total.days?.append(contentsOf: more) } else { total.days = nil }
      if let more = part.booleans { total.booleans?.append(contentsOf: more) } else { total.booleans = nil }
      // Categories: a chunk with no present value contributes missing codes; otherwise its own dictionary.
      let partRows = part.rowCount
      switch (total.categorical, part.categorical) {
      case (var a?, let b?):
        a.appendRemapped(b)
        total.categorical = a
      case (var a?, nil) where part.evidence.present == 0:
        a.codes.append(contentsOf: repeatElement(-1, count: partRows))
        total.categorical = a
      case (nil, var b?) where !wasPresent:
        b.codes.insert(contentsOf: repeatElement(-1, count: total.rowCount), at: 0)
        total.categorical = b
      case (nil, nil):
        break
      default:
        // Text in one chunk, typed values in another: the column is read again as a whole.
        total.categorical = nil
        total.lost = true
      }
      total.rowCount += partRows
    }
    return total
  }

  private mutating func dropDatesAndBooleans() {
    evidence.date = false
    evidence.boolean = false
    days = nil
    booleans = nil
  }

  /// The built values when they are of `type`; nil when the column needs a second pass.
  func finish(as type: ColumnType, rows: Int) -> ColumnValues? {
    if lost && type != .categorical { return nil }
    switch type {
    // Declared integer but with decimals: read again, so the builder reports them instead of truncating.
    case .integer: return evidence.integer ? doubles.map { .integer($0) } : nil
    case .number: return doubles.map { .number($0) }
    case .date: return days.map { .date($0) }
    case .boolean: return booleans.map { .boolean($0) }
    case .categorical:
      if evidence.present == 0 { return .categorical(codes: [Int32](repeating: -1, count: rows), levels: []) }
      return lost ? nil : categorical?.finish()
    }
  }
}

/// Which types every value of a column so far fits.
struct TypeEvidence {
  var integer = true, number = true, date = true, boolean = true
  var present = 0

  /// The narrowest type that fits every value; an all-missing column is numeric.
  var type: ColumnType {
    if present == 0 { return .number }
    if integer { return .integer }
    if number { return .number }
    if date { return .date }
    if boolean { return .boolean }
    return .categorical
  }
}
