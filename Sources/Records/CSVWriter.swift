#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Streams CSV rows to a file through a byte buffer, and publishes the file only when complete: rows go to a
/// hidden `.NAME.partial` beside the target, which `finish()` renames into place (atomic on one file system).
/// A writer dropped without `finish()` removes its partial file, so no half-written output is ever left. The path
/// `-` streams to standard output instead (`--out -`), for a pipe into another tool: nothing can be atomic there.
public final class CSVWriter {
  /// The path that means standard output.
  public static let standardOutput = "-"

  public let path: String
  private let partialPath: String
  private var file: UnsafeMutablePointer<FILE>?
  private var buffer: [UInt8] = []
  private var fieldCount = 0
  public private(set) var rowsWritten = 0
  public private(set) var bytesWritten = 0

  /// Opens `path` for writing (through its partial file) and writes the header.
  /// - Throws: `RecordsError.cannotWrite` naming the path and the system's reason.
  public init(path: String, header: [String]) throws {
    self.path = path
    if path == Self.standardOutput {
      partialPath = ""
      // Its own stream on a copy of descriptor 1: the C library's `stdout` is shared state Swift will not touch.
      guard let f = fdopen(dup(1), "w") else {
        throw RecordsError.cannotWrite(path: "standard output", reason: String(cString: strerror(errno)))
      }
      file = f
    } else {
      let (f, partial) = try AtomicFile.openPartial(for: path)
      partialPath = partial
      file = f
    }
    buffer.reserveCapacity(1 << 20)
    for (i, h) in header.enumerated() {
      if i > 0 { buffer.append(UInt8(ascii: ",")) }
      appendEscaped(h)
    }
    buffer.append(UInt8(ascii: "\n"))
  }

  deinit {
    guard let file else { return }
    if partialPath.isEmpty { fclose(file) } else { AtomicFile.abandon(file, partial: partialPath) }
  }

  // MARK: Fields of the current row

  /// A text cell. One that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage
  /// return and is not a number) gets a leading `'`, as OWASP advises against CSV injection: an id or a ward name
  /// written `=HYPERLINK(…)` reaches the contact list as text.
  public func field(_ text: String) {
    separator()
    if let first = text.utf8.first, [61, 43, 45, 64, 9, 13].contains(first), Double(text) == nil {
      appendEscaped("'" + text)
    } else {
      appendEscaped(text)
    }
  }

  public func field(_ value: Int) {
    separator()
    if value < 0 { buffer.append(UInt8(ascii: "-")) }
    var v = value.magnitude
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var count = 0
      repeat {
        digits[count] = UInt8(48 + v % 10)
        v /= 10
        count += 1
      } while v > 0
      for k in stride(from: count - 1, through: 0, by: -1) { buffer.append(digits[k]) }
    }
  }

  /// A decimal with `decimals` digits after the point (e.g. 3 → `1.250`).
  public func field(_ value: Double, decimals: Int) {
    separator()
    guard value.isFinite else { return }  // empty = missing
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((abs(value) * scale).rounded())
    if value < 0 && scaled != 0 { buffer.append(UInt8(ascii: "-")) }
    let whole = scaled / Int(scale)
    let fraction = scaled % Int(scale)
    appendDigits(whole, minimum: 1)
    if decimals > 0 {
      buffer.append(UInt8(ascii: "."))
      appendDigits(fraction, minimum: decimals)
    }
  }

  public func field(_ day: Day) {
    separator()
    day.appendISO(to: &buffer)
  }

  /// An empty field: a missing value.
  public func missing() { separator() }

  /// Ends the current row.
  public func endRow() {
    buffer.append(UInt8(ascii: "\n"))
    fieldCount = 0
    rowsWritten += 1
    if buffer.count >= 1 << 20 { flush() }
  }

  /// Flushes, closes and renames the partial file into place.
  /// - Throws: `RecordsError.cannotWrite` when the disk refuses (full, removed directory).
  public func finish() throws {
    flush()
    guard let f = file else { return }
    file = nil
    if partialPath.isEmpty {
      let failed = fflush(f) != 0 || ferror(f) != 0
      let reason = String(cString: strerror(errno))
      fclose(f)
      if failed { throw RecordsError.cannotWrite(path: "standard output", reason: reason) }
      return
    }
    try AtomicFile.commit(f, partial: partialPath, to: path)
  }

  // MARK: Internals

  private func separator() {
    if fieldCount > 0 { buffer.append(UInt8(ascii: ",")) }
    fieldCount += 1
  }

  private func appendDigits(_ value: Int, minimum: Int) {
    var text = String(value)
    while text.utf8.count < minimum { text = "0" + text }
    buffer.append(contentsOf: text.utf8)
  }

  /// RFC 4180: quote a field containing a comma, quote, CR or LF, doubling inner quotes.
  private func appendEscaped(_ text: String) {
    let needsQuotes = text.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
    if !needsQuotes {
      buffer.append(contentsOf: text.utf8)
      return
    }
    buffer.append(34)
    for b in text.utf8 {
      if b == 34 { buffer.append(34) }
      buffer.append(b)
    }
    buffer.append(34)
  }

  private func flush() {
    guard let f = file, !buffer.isEmpty else { return }
    let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    bytesWritten += written
    buffer.removeAll(keepingCapacity: true)
  }
}

/// Errors of the records layer, each naming the file and what to do.
public enum RecordsError: Error, Equatable, Sendable, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)
  case cannotCreateDirectory(path: String, reason: String)
  /// An output path that must not be written: `reason` says what it is and what to do.
  case refusedOutput(path: String, reason: String)

  public var description: String {
    switch self {
    case .refusedOutput(let path, let reason):
      return "will not write \(path): \(reason)"
    case .cannotWrite(let path, let reason) where reason == String(cString: strerror(EPIPE)):
      // `uptake score --out - | head`: the reader stopped early, which is no fault of a folder or a disk.
      return "cannot write \(path): whatever was reading it stopped early (as head does); the rest was not written"
    case .cannotWrite(let path, let reason):
      return "cannot write \(path): \(reason); check the folder exists, is writable and the disk has space"
    case .cannotCreateDirectory(let path, let reason):
      return "cannot create folder \(path): \(reason); choose another --out or fix its permissions"
    }
  }
}
