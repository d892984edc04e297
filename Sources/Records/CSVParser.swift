#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

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
}
