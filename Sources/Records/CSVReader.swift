import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A byte-level RFC 4180 CSV reader into typed columns.
///
/// Handles quoted fields, doubled quotes, embedded newlines, LF or CRLF line ends and a UTF-8 byte-order mark; other
/// encodings and delimiters as `ReadSettings` say. A row with the wrong number of fields or an unclosed quote is an
/// error naming the file and line — never a silently short row. One pass over the bytes, in row chunks on both cores,
/// infers each column's type (integer, number, date in the declared format, boolean, categorical) while building its
/// values, parsing numbers and dates straight from the bytes; a column whose type changed late is read again. Fields
/// are trimmed of surrounding spaces; the settings' markers are missing. `TableFinishing` then checks the text
/// columns and folds letter case.
public enum CSVReader {
  /// Reads a file.
  /// - Parameters:
  ///   - types: per-column type overrides (e.g. a numeric-looking code as `.categorical`).
  ///   - columns: read only these columns (others are skipped, not parsed); nil reads all.
  ///   - settings: how the export is written (date format, missing markers, encoding, delimiter, case, numbers).
  ///   - exactCase: columns whose letter case is kept whatever `settings` says (keys and ids).
  /// - Throws: `CSVError` naming the file, line and column.
  public static func read(
    path: String, types: [String: ColumnType] = [:], columns: Set<String>? = nil, settings: ReadSettings = .init(),
    exactCase: Set<String> = []
  ) throws -> Table {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    InputFiles.register(path)
    let size = Int(status.st_size)
    if size == 0 { throw CSVError.empty(file: path) }
    // Map the file rather than copy it: both parsing threads read the page cache directly.
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
      throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    defer { munmap(mapped, size) }
    let bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
    return try table(bytes, source: path, types: types, columns: columns, settings: settings, exactCase: exactCase)
  }

  /// Parses CSV text held in memory; `source` names it in errors.
  public static func parse(
    _ bytes: [UInt8], source: String, types: [String: ColumnType] = [:], columns: Set<String>? = nil,
    settings: ReadSettings = .init(), exactCase: Set<String> = []
  ) throws -> Table {
    try bytes.withUnsafeBufferPointer { buffer in
      try table(buffer, source: source, types: types, columns: columns, settings: settings, exactCase: exactCase)
    }
  }

  /// Decodes the bytes as `settings.encoding` says, then parses them. Under `auto`, UTF-16 is found by its
  /// byte-order mark; text that is not valid UTF-8 is read again as Windows-1252, with a note naming the file.
  static func table(
    _ bytes: UnsafeBufferPointer<UInt8>, source: String, types: [String: ColumnType], columns: Set<String>?,
    settings: ReadSettings, exactCase: Set<String>
  ) throws -> Table {
    func parse(_ utf8: UnsafeBufferPointer<UInt8>, _ used: ReadSettings.Encoding) throws -> Table {
      var parser = Parser(bytes: utf8, source: source, settings: settings)
      var table = try parser.table(types: types, columns: columns, exactCase: exactCase)
      table.detected.encoding = used
      return table
    }
    func transcoded(_ encoding: ReadSettings.Encoding) throws -> Table {
      let converted: [UInt8]
      switch encoding {
      case .utf16:
        let mark = TextDecoding.utf16ByteOrderMark(bytes)
        converted = TextDecoding.utf16ToUTF8(bytes, bigEndian: mark?.bigEndian ?? false, skip: mark?.length ?? 0)
      case .latin1: converted = TextDecoding.singleByteToUTF8(bytes, latin1: true)
      default: converted = TextDecoding.singleByteToUTF8(bytes, latin1: false)
      }
      return try converted.withUnsafeBufferPointer { try parse($0, encoding) }
    }
    switch settings.encoding {
    case .utf8: return try parse(bytes, .utf8)
    case .utf16, .windows1252, .latin1: return try transcoded(settings.encoding)
    case .auto:
      if TextDecoding.utf16ByteOrderMark(bytes) != nil { return try transcoded(.utf16) }
      do {
        return try parse(bytes, .utf8)
      } catch CSVError.notUTF8 where !TextDecoding.isValidUTF8(bytes) {
        var table = try transcoded(.windows1252)
        table.notes.append(
          "\(source) is not UTF-8; read as Windows-1252 (Excel's \"CSV (Comma delimited)\"); if it is another "
            + "encoding, set encoding: under read: (e.g. latin-1), or --encoding")
        return table
      }
    }
  }
}

/// The field scanner shared by both passes.
struct Parser {
  let bytes: UnsafeBufferPointer<UInt8>
  let source: String
  let settings: ReadSettings
  /// The field separator: the setting's, or sniffed from the first rows.
  let delimiter: UInt8
  let reader: ValueReader
  /// One past the last byte this parser reads (a chunk of the file, or all of it).
  var end: Int
  /// Which columns are kept (nil: all); skipped columns are scanned for their end but not parsed.
  var selected: [Bool]? = nil
  /// Told the bytes of its chunk read so far, every 16,384 rows, for a progress bar.
  var progress: (tracker: ChunkedByteProgress, chunk: Int)? = nil
  var position = 0
  var line = 1
  /// The physical line the last row read started on (rows may span lines inside quotes).
  var rowStartLine = 1

  init(bytes: UnsafeBufferPointer<UInt8>, source: String, settings: ReadSettings = .init(), delimiter: UInt8? = nil) {
    self.bytes = bytes
    self.source = source
    self.settings = settings
    self.reader = ValueReader(settings)
    self.end = bytes.count
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    self.delimiter = delimiter ?? settings.delimiter.byte ?? TextDecoding.sniffDelimiter(bytes, from: position)
  }

  /// One field: its bytes (for a quoted field with doubled quotes, `unescaped` holds the text).
  struct Field {
    var start: Int
    var end: Int
    var quoted: Bool
    var hasDoubledQuotes: Bool
  }

  /// No real field is this long; a longer one is a missing quote or a broken export, reported instead of read.
  static let maxFieldBytes = 16 << 20

  /// Reads the next row's fields into `fields` (reusing its storage). Returns false at the end of input.
  /// - Throws: on an unclosed or stray quote.
  mutating func nextRow(_ fields: inout [Field], header: [String]?) throws -> Bool {
    fields.removeAll(keepingCapacity: true)
    let n = end
    let d = delimiter
    if position >= n { return false }
    let rowLine = line
    rowStartLine = line
    while true {
      var field = Field(start: position, end: position, quoted: false, hasDoubledQuotes: false)
      if position < n && bytes[position] == 34 {
        field.quoted = true
        position += 1
        field.start = position
        let limit = Swift.min(n, position + Parser.maxFieldBytes + 1)
        while true {
          guard position < limit else {
            if limit < n { throw CSVError.fieldTooLong(file: source, line: rowLine, limit: Parser.maxFieldBytes) }
            throw CSVError.unterminatedQuote(file: source, line: rowLine)
          }
          let b = bytes[position]
          if b == 34 {
            if position + 1 < n && bytes[position + 1] == 34 {
              field.hasDoubledQuotes = true
              position += 2
              continue
            }
            field.end = position
            position += 1
            break
          }
          if b == 10 { line += 1 }
          position += 1
        }
        if position < n && bytes[position] != d && bytes[position] != 10 && bytes[position] != 13 {
          throw CSVError.strayQuote(file: source, line: line, column: columnName(header, fields.count))
        }
      } else {
        let limit = Swift.min(n, position + Parser.maxFieldBytes + 1)
        // A local index: advancing `self.position` stored it to memory on every byte.
        var p = position
        while p < limit {
          let b = bytes[p]
          if b == d || b == 10 || b == 13 || b == 34 { break }
          p &+= 1
        }
        position = p
        if position < limit && bytes[position] == 34 {
          throw CSVError.strayQuote(file: source, line: line, column: columnName(header, fields.count))
        }
        if position == limit && limit < n {
          throw CSVError.fieldTooLong(file: source, line: rowLine, limit: Parser.maxFieldBytes)
        }
        field.end = position
      }
      fields.append(field)
      if position >= n { return true }
      let b = bytes[position]
      position += 1
      if b == d { continue }
      if b == 13 && position < n && bytes[position] == 10 { position += 1 }
      line += 1
      return true
    }
  }

  func columnName(_ header: [String]?, _ index: Int) -> String {
    guard let header, index < header.count else { return "\(index + 1)" }
    return header[index]
  }

  /// The field's text, with doubled quotes inside a quoted field made single.
  func text(_ f: Field) -> String { Parser.text(bytes, f) }

  static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ f: Field) -> String {
    let raw = UnsafeBufferPointer(rebasing: bytes[f.start..<f.end])
    guard f.hasDoubledQuotes else { return String(decoding: raw, as: UTF8.self) }
    var unescaped = [UInt8]()
    unescaped.reserveCapacity(raw.count)
    var i = 0
    while i < raw.count {
      unescaped.append(raw[i])
      i += raw[i] == 34 ? 2 : 1
    }
    return String(decoding: unescaped, as: UTF8.self)
  }

  /// Reads rows from `position` to `end`, feeding one accumulator per column.
  /// Columns declared categorical (`asText`) are built as text from the first row, so they are never read again.
  mutating func accumulate(
    width: Int, header: [String], asText: [Bool]
  ) throws -> (rows: Int, accumulators: [ColumnAccumulator]) {
    var fields: [Field] = []
    var accumulators = asText.map { $0 ? ColumnAccumulator.text : ColumnAccumulator() }
    var rows = 0
    let chunkStart = position
    // Held once here: reading `self.reader` per field retained and released its marker arrays each time.
    let reader = self.reader
    while position < end {
      if rows & 0x3FFF == 0, let progress { progress.tracker.chunk(progress.chunk, read: position - chunkStart) }
      // Fast path: a row whose every still-numeric column holds a plain number, parsed while its end is found.
      if rows > 0, let consumed = fastPlainRow(&accumulators, width: width, row: rows, reader: reader) {
        position = consumed
        line += 1
        rows += 1
        continue
      }
      guard try nextRow(&fields, header: header) else { break }
      if rows == 0 {
        // Reserve room for the chunk's rows, estimated from the first row's length, so columns do not regrow.
        let estimate = (end - chunkStart) / max(1, position - chunkStart) + 16
        for j in 0..<width { accumulators[j].reserve(estimate) }
      }
      if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted && width > 1 { continue }  // blank
      guard fields.count == width else {
        throw CSVError.raggedRow(file: source, line: rowStartLine, expected: width, found: fields.count)
      }
      accumulators.withUnsafeMutableBufferPointer { acc in
        for j in 0..<width where selected?[j] ?? true { acc[j].add(bytes, fields[j], row: rows, reader: reader) }
      }
      rows += 1
    }
    return (rows, accumulators)
  }

  /// Tries to read the row at `position` when no field is quoted and every field of a still-numeric column is a plain
  /// number or empty: each number is parsed straight from the bytes while its end is found, and the fields of other
  /// columns (an outcome read as text, a code) are handed to their accumulators as the general path would. Returns
  /// the position after the row, or nil (changing nothing) when any field needs the general path — quotes, `NA` in a
  /// numeric column, a wrong field count — so errors and type changes are handled by `nextRow` exactly as before.
  @inline(__always)
  func fastPlainRow(
    _ accumulators: inout [ColumnAccumulator], width: Int, row: Int, reader: ValueReader
  ) -> Int? {
    let base = bytes.baseAddress!
    let d = delimiter
    var p = position
    // Per column: the parsed number, or (for a column that is not plain numeric) the field's bounds as Doubles.
    return withUnsafeTemporaryAllocation(of: (Double, Bool).self, capacity: width) { values -> Int? in
      withUnsafeTemporaryAllocation(of: Field.self, capacity: width) { texts -> Int? in
        var textColumns = 0
        for j in 0..<width {
          let last = j == width - 1
          if let selected, !selected[j] {
            // A skipped column: find its end; a quote needs the general path.
            while p < end && base[p] != d && base[p] != 10 && base[p] != 13 {
              if base[p] == 34 { return nil }
              p += 1
            }
            values[j] = (.nan, true)
          } else if !accumulators[j].isPlainNumeric {
            // A text (or date, or boolean) column: its unquoted field's bounds, added below as the general path would.
            let start = p
            while p < end && base[p] != d && base[p] != 10 && base[p] != 13 {
              if base[p] == 34 || p - start > 4096 { return nil }
              p += 1
            }
            texts[textColumns] = Field(start: start, end: p, quoted: false, hasDoubledQuotes: false)
            values[j] = (.nan, false)
            textColumns += 1
          } else if p < end && (base[p] == d || base[p] == 10 || base[p] == 13) {
            values[j] = (.nan, true)  // empty field: missing
          } else {
            guard p < end, let (value, length, isInteger) = ValueParsing.scanNumber(base + p, limit: end - p) else {
              return nil
            }
            values[j] = (value, isInteger)
            p += length
          }
          // The field must end exactly here, with a delimiter, or the row's end for the last field.
          if !last {
            guard p < end && base[p] == d else { return nil }
            p += 1
          } else if p < end {
            if base[p] == 13 && p + 1 < end && base[p + 1] == 10 {
              p += 2
            } else if base[p] == 10 {
              p += 1
            } else {
              return nil
            }
          }
        }
        accumulators.withUnsafeMutableBufferPointer { acc in
          var t = 0
          for j in 0..<width where selected?[j] ?? true {
            if acc[j].isPlainNumeric {
              acc[j].addNumber(values[j].0, integral: values[j].1)
            } else {
              acc[j].add(bytes, texts[t], row: row, reader: reader)
              t += 1
            }
          }
        }
        return p
      }
    }
  }

  /// Splits the data into `chunks` pieces at row starts: a newline counts only outside quotes, which the parity of
  /// the quotes before it tells. Quotes are found with `memchr`, so a file with few quotes is split at once.
  static func rowBoundaries(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, chunks: Int) -> [Int] {
    var result = [start]
    var position = start
    var insideQuotes = false
    let base = bytes.baseAddress!
    for c in 1..<max(chunks, 1) {
      let target = start + (bytes.count - start) * c / chunks
      while position < target, let hit = memchr(base + position, 34, target - position) {
        insideQuotes.toggle()
        position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
      }
      position = max(position, target)
      while position < bytes.count && (insideQuotes || bytes[position - 1] != 10) {
        if bytes[position] == 34 { insideQuotes.toggle() }
        position += 1
      }
      if position > result.last! && position < bytes.count { result.append(position) }
    }
    result.append(bytes.count)
    return result
  }

  /// The physical line number at `offset`: counted only to report an error in a later chunk.
  static func line(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, line: Int) -> Int {
    var count = line
    for i in start..<offset where bytes[i] == 10 { count += 1 }
    return count
  }

  mutating func table(
    types: [String: ColumnType], columns wanted: Set<String>? = nil, exactCase: Set<String> = []
  ) throws -> Table {
    var fields: [Field] = []
    guard try nextRow(&fields, header: nil), !(fields.count == 1 && fields[0].start == fields[0].end) else {
      throw CSVError.empty(file: source)
    }
    let header = fields.map { text($0).trimmingSpaces }
    if let bad = header.firstIndex(where: ValueChecks.hasReplacementCharacter) {
      throw CSVError.notUTF8(file: source, row: 0, column: "\(bad + 1)")
    }
    var seen = Set<String>()
    for (i, name) in header.enumerated() {
      if name.isEmpty { throw CSVError.emptyColumnName(file: source, position: i + 1) }
      if !seen.insert(name).inserted { throw CSVError.duplicateColumn(file: source, name: name) }
    }
    let width = header.count
    let keep = wanted.map { w in header.map { w.contains($0) } }
    selected = keep
    // Before any value is read: will the columns asked for fit in memory? (Small inputs always fit.)
    if bytes.count >= 16 << 20 {
      let share = keep.map { Double($0.filter { $0 }.count) / Double(width) } ?? 1
      try MemoryBudget.check(file: source, bytes: Int(Double(bytes.count) * share))
    }
    let dataStart = position, dataLine = line

    // One pass, in row chunks across cores: infer each column's type and build its values while the type fits.
    let asText = header.map { types[$0] == .categorical }
    let boundaries = Self.rowBoundaries(bytes, from: dataStart, chunks: bytes.count - dataStart > 4 << 20 ? 2 : 1)
    var parts = [Result<(rows: Int, accumulators: [ColumnAccumulator]), Error>?](
      repeating: nil, count: boundaries.count - 1)
    let source = self.source
    let settings = self.settings
    let delimiter = self.delimiter
    // Files of more than one chunk tell how far they are read (a bar on a terminal, for those that take a while).
    let dataBytes = bytes.count - dataStart
    var tracker: ChunkedByteProgress? = nil
    if let report = WorkProgress.report, dataBytes > 4 << 20 {
      let name = source.split(separator: "/").last.map(String.init) ?? source
      tracker = ChunkedByteProgress(
        step: "reading " + name, total: dataBytes, chunks: boundaries.count - 1, report: report)
    }
    let chunkProgress = tracker
    // Each chunk reads shared immutable bytes and writes only its own slot.
    nonisolated(unsafe) let bytes = self.bytes
    parts.withUnsafeMutableBufferPointer { out in
      nonisolated(unsafe) let base = out.baseAddress!
      DispatchQueue.concurrentPerform(iterations: boundaries.count - 1) { c in
        var chunk = Parser(bytes: bytes, source: source, settings: settings, delimiter: delimiter)
        chunk.position = boundaries[c]
        chunk.line = c == 0 ? dataLine : 0  // later chunks count from 0; an error adds the offset below
        chunk.end = boundaries[c + 1]
        chunk.selected = keep
        if let chunkProgress { chunk.progress = (chunkProgress, c) }
        base[c] = Result { try chunk.accumulate(width: width, header: header, asText: asText) }
      }
    }
    tracker?.finish()
    for (c, part) in parts.enumerated() where c > 0 {
      if case .failure(let error as CSVError)? = part {
        throw error.shiftingLine(by: Self.line(at: boundaries[c], in: bytes, from: dataStart, line: dataLine))
      }
    }
    var rows = 0
    var chunks: [[ColumnAccumulator]] = []
    for part in parts {
      let (r, accumulators) = try part!.get()
      rows += r
      chunks.append(accumulators)
    }
    let accumulators = (0..<width).map { j in ColumnAccumulator.merged(chunks.map { $0[j] }) }
    var (values, rebuild, chosen) = ColumnAccumulator.finishAll(accumulators, header: header, types: types, rows: rows)
    if let keep { rebuild = rebuild.filter { keep[$0] } }

    // A second pass only for columns whose type changed late (numbers, then text) or was overridden.
    if !rebuild.isEmpty {
      position = dataStart
      line = dataLine
      end = bytes.count
      var builders = rebuild.map { ColumnBuilder(type: chosen[$0], capacity: rows) }
      while try nextRow(&fields, header: header) {
        if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted && width > 1 { continue }
        for (k, j) in rebuild.enumerated() { builders[k].append(bytes, fields[j], reader: reader, line: rowStartLine) }
      }
      for (k, j) in rebuild.enumerated() {
        try builders[k].checkFit(file: source, column: header[j])
        values[j] = builders[k].finish()
      }
    }
    let kept = (0..<width).filter { keep?[$0] ?? true }
    var table = Table(
      source: source, rowCount: rows, columns: kept.map { Column(name: header[$0], values: values[$0]!) })
    table.detected.delimiter = ReadSettings.Delimiter.of(delimiter)
    return try TableFinishing.finish(table, settings: settings, typed: Set(types.keys), exactCase: exactCase)
  }
}

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
