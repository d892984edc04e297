#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A check before loading that the data will fit in memory, so a too-large input gets a clear error instead of an
/// out-of-memory kill half-way. Columnar values take about twice the bytes of their CSV text (8-byte numbers for short
/// fields), so the estimate is twice the bytes of the columns read.
public enum MemoryBudget {
  /// Bytes of memory the estimate assumes per byte of CSV read.
  static let bytesPerInputByte = 2

  /// Memory available now (MemAvailable in /proc/meminfo), or `UPTAKE_MEMORY_LIMIT_MB` when set (for tests and
  /// for sharing a machine); nil when neither can be read.
  public static func available() -> Int? {
    if let text = getenv("UPTAKE_MEMORY_LIMIT_MB").map({ String(cString: $0) }), let mb = Int(text) { return mb << 20 }
    guard let file = fopen("/proc/meminfo", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, file) != nil {
      let bytes = line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      let text = String(decoding: bytes, as: UTF8.self)
      if text.hasPrefix("MemAvailable:") {
        let kb = text.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kb << 10
      }
    }
    return nil
  }

  /// - Parameter files: each CSV file with the share of its columns that will be read.
  /// - Throws: `CSVError.tooLarge` naming the files, the estimate and what is available.
  public static func check(_ files: [(path: String, share: Double)]) throws {
    var bytes = 0
    for (path, share) in files {
      var status = stat()
      guard stat(path, &status) == 0 else { continue }
      bytes += Int(Double(status.st_size) * share)
    }
    try check(file: files.map(\.path).joined(separator: ", "), bytes: bytes)
  }

  /// - Parameter bytes: the CSV bytes of the columns that will be read.
  public static func check(file: String, bytes: Int) throws {
    guard let available = available() else { return }
    let needed = bytes * bytesPerInputByte
    if needed > available {
      throw CSVError.tooLarge(file: file, neededMB: needed >> 20, availableMB: available >> 20)
    }
  }
}
