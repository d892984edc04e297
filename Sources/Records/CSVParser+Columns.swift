import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension Parser {
  /// The whole text as typed columns: the header, then the rows in chunks on both cores, each column's type inferred
  /// while its values are built (`ColumnAccumulator`); a column whose type changed late is read again
  /// (`ColumnBuilder`).
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
