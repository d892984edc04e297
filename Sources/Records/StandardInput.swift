#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `--data -`: a CSV table read from standard input, so an export can be piped in (`decrypt export.csv.gpg |
/// uptake score --data - ...`) without a plain copy on disk. The stream is read once, whole, and kept for the run,
/// because a table's header is read before its rows.
public enum StandardInput {
  /// The path that means standard input.
  public static let path = "-"
  /// How standard input is named in messages.
  public static let name = "standard input"

  nonisolated(unsafe) private static var cached: [UInt8]?
  private static let lock = NSLockLike()

  /// Every byte of standard input.
  /// - Throws: `CSVError` when standard input is a terminal (nothing was piped in), cannot be read, is empty, or
  ///   holds a workbook, an archive or binary data rather than CSV text.
  static func bytes() throws -> [UInt8] {
    try lock.locked {
      if let cached { return cached }
      if isatty(0) != 0 {
        throw CSVError.notATable(
          file: name,
          what: "is a terminal; --data - reads CSV piped in, e.g. uptake score --data - ... < export.csv")
      }
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 1 << 20)
      // Held whole in memory, then parsed into columns (about twice its size again): a stream that would not fit
      // (`< /dev/zero`) stops with an error rather than exhausting the machine.
      let limit = (MemoryBudget.available() ?? Int.max) / (MemoryBudget.bytesPerInputByte + 1)
      while true {
        if bytes.count > limit {
          throw CSVError.tooLarge(
            file: name, neededMB: (bytes.count * (MemoryBudget.bytesPerInputByte + 1)) >> 20,
            availableMB: (MemoryBudget.available() ?? 0) >> 20)
        }
        let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count == 0 { break }
        if count < 0 {
          if errno == EINTR { continue }
          throw CSVError.unreadable(file: name, reason: String(cString: strerror(errno)))
        }
        bytes.append(contentsOf: chunk[..<count])
      }
      if bytes.isEmpty { throw CSVError.empty(file: name) }
      let signature = FileSignature.of(head: Array(bytes.prefix(FileSignature.headLength)))
      if signature == .zip {
        throw CSVError.notATable(
          file: name, what: "holds a zip archive or a workbook; pass a workbook by its path, or pipe in CSV")
      }
      if let refusal = signature.refusal { throw CSVError.notATable(file: name, what: refusal) }
      cached = bytes
      return bytes
    }
  }
}
