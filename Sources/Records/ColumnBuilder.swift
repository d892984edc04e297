/// Accumulates one column's converted values.
struct ColumnBuilder {
  let type: ColumnType
  var doubles: [Double] = []
  var days: [Int32] = []
  var booleans: [Bool?] = []
  var codes: [Int32] = []
  var dictionary = LevelTable()

  init(type: ColumnType, capacity: Int) {
    self.type = type
    switch type {
    case .integer, .number: doubles.reserveCapacity(capacity)
    case .date: days.reserveCapacity(capacity)
    case .boolean: booleans.reserveCapacity(capacity)
    case .categorical: codes.reserveCapacity(capacity)
    }
  }

  /// Values that did not fit a configured type: how many, and the first few with their lines.
  var misfits = 0
  var misfitExamples: [(line: Int, value: String)] = []

  /// Appends one field. A value that does not fit a configured type is recorded as a misfit (reported by
  /// `checkFit`), never silently made missing; the evidence pass guarantees a fit for inferred types.
  /// `line` is the field's line, for the report.
  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ f: Parser.Field, reader: ValueReader, line: Int) {
    let s = ValueReader.trim(UnsafeBufferPointer(rebasing: bytes[f.start..<f.end]))
    let missing = reader.isMissing(s)
    switch type {
    case .integer, .number:
      let value = missing ? nil : reader.number(s)
      if !missing && (value == nil || (type == .integer && !ColumnAccumulator.isWhole(value!))) { misfit(s, line) }
      doubles.append(value ?? .nan)
    case .date:
      var day = missing ? nil : reader.day(s)
      // A number in a date column is an Excel serial day (day 0 is 1899-12-30 from 1 March 1900 on).
      if !missing && day == nil, let serial = reader.number(s), serial >= 61, serial < 2_958_466 {
        day = Day(year: 1899, month: 12, day: 30)! + Int(serial)
      }
      if !missing && day == nil { misfit(s, line) }
      days.append(day.map { Int32($0.number) } ?? ColumnValues.missingDay)
    case .boolean:
      let flag = missing ? nil : ValueParsing.boolean(s)
      if !missing && flag == nil { misfit(s, line) }
      booleans.append(flag)
    case .categorical:
      if missing {
        codes.append(-1)
      } else if f.hasDoubledQuotes {
        var unescaped = Array(Parser.text(bytes, f).utf8)
        codes.append(
          unescaped.withUnsafeMutableBufferPointer { dictionary.code(for: ValueReader.trim(UnsafeBufferPointer($0))) })
      } else {
        codes.append(dictionary.code(for: s))
      }
    }
  }

  private mutating func misfit(_ s: UnsafeBufferPointer<UInt8>, _ line: Int) {
    misfits += 1
    if misfitExamples.count < 5 { misfitExamples.append((line, String(decoding: s, as: UTF8.self))) }
  }

  /// - Throws: `CSVError.notOfType` when some values did not fit the configured type.
  func checkFit(file: String, column: String) throws {
    guard misfits > 0 else { return }
    throw CSVError.notOfType(
      file: file, column: column, type: type, count: misfits,
      examples: misfitExamples.map { CSVError.Cell(line: $0.line, value: $0.value) })
  }

  /// Appends another chunk's categorical codes, mapping its levels into this dictionary.
  mutating func appendRemapped(_ other: ColumnBuilder) {
    let map = (0..<other.dictionary.count).map { k in other.dictionary.withLevel(k) { dictionary.code(for: $0) } }
    codes.reserveCapacity(codes.count + other.codes.count)
    for c in other.codes { codes.append(c < 0 ? -1 : map[Int(c)]) }
  }

  func finish() -> ColumnValues {
    switch type {
    case .integer: return .integer(doubles)
    case .number: return .number(doubles)
    case .date: return .date(days)
    case .boolean: return .boolean(booleans)
    case .categorical: return .categorical(codes: codes, levels: dictionary.levels)
    }
  }
}
