import Crypto
import Foundation
import Records

/// Replaces identifiers with keyed HMAC-SHA256 tokens, so records can be prepared for an analyst who never sees the
/// real ids. The same key and value always give the same token, in every table, so links still join; without the key
/// a token cannot be turned back into the id or recomputed from a guessed id.
public struct Pseudonymiser {
  private let key: SymmetricKey

  public init(key: SymmetricKey) { self.key = key }

  /// Whether ids differing only in letter case are one id (`--fold-case`): then they are lower-cased before hashing.
  public var foldCase = false

  /// `p` and the first 16 bytes (128 bits) of HMAC-SHA256(key, value) in hex; an empty value stays empty. The value
  /// is normalised first by one documented rule: surrounding spaces trimmed (the reader does it), letter case kept
  /// unless `foldCase`.
  public func token(_ value: String) -> String {
    if value.isEmpty { return "" }
    let normalised = foldCase ? value.lowercased() : value
    let mac = HMAC<SHA256>.authenticationCode(for: Data(normalised.utf8), using: key)
    return "p" + mac.prefix(16).map { String(format: "%02x", $0) }.joined()
  }

  /// What one file became.
  public struct FileResult: Sendable {
    public var input: String
    public var output: String
    public var rows: Int
    public var columns: [String]
  }

  /// Pseudonymises `columns` in one CSV file (those it has), writing every other value as text, trimmed of
  /// surrounding spaces, in its own letter case. Missing values (empty, `NA`, `N/A`, `NULL`, `-` …) are written empty.
  public func rewrite(csv input: String, to output: String, columns: Set<String>) throws -> FileResult {
    let header = try TableReader.header(path: input)
    var settings = ReadSettings()
    settings.letterCase = .keep  // a copy of the records: no value merged with another
    let table = try CSVReader.read(
      path: input, types: Dictionary(uniqueKeysWithValues: header.map { ($0, .categorical) }), settings: settings)
    let writer = try CSVWriter(path: output, header: table.columnNames)
    let replaced = table.columns.map { columns.contains($0.name) }
    // Tokens per distinct level: each distinct id is hashed once.
    let levels: [[String]] = table.columns.enumerated().map { j, column in
      guard case .categorical(_, let levels) = column.values else { return [] }
      return replaced[j] ? levels.map(token) : levels
    }
    for row in 0..<table.rowCount {
      for (j, column) in table.columns.enumerated() {
        guard case .categorical(let codes, _) = column.values else { continue }
        let code = codes[row]
        if code < 0 { writer.missing() } else { writer.field(levels[j][Int(code)]) }
      }
      writer.endRow()
    }
    try writer.finish()
    return FileResult(
      input: input, output: output, rows: table.rowCount, columns: table.columnNames.filter { columns.contains($0) })
  }
}

/// A secret key kept in a file of its own, readable by its owner only.
public enum KeyFile {
  /// Reads the key at `path`, or creates a new random 256-bit key there (mode 0600) when the file does not exist.
  /// - Returns: the key, and whether it was created.
  /// - Throws: `DataError` when the file is readable by others, or is not a key this tool wrote.
  public static func loadOrCreate(_ path: String) throws -> (key: SymmetricKey, created: Bool) {
    if let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType,
      type == .typeSymbolicLink
    {
      throw DataError("key file \(path) is a symbolic link; give the key file itself")
    }
    if FileManager.default.fileExists(atPath: path), let problem = InputFiles.problem(with: path) {
      throw DataError("key file \(path) \(problem); give the key file itself")
    }
    if !FileManager.default.fileExists(atPath: path) {
      let key = SymmetricKey(size: .bits256)
      let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
      // Created without replacing: when another run made the key first, that key is used (read below); a run that
      // starts while another is writing it stops with an error naming the key. Either way no output ends up with
      // tokens under a key that is not on disk.
      if try AtomicFile.create(Array((hex + "\n").utf8), at: path) { return (key, true) }
    }
    let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? 0
    guard mode & 0o077 == 0 else {
      throw DataError(
        "key file \(path) can be read by other users (mode \(String(mode & 0o777, radix: 8))); run chmod 600 \(path)")
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw DataError("cannot read the key file \(path)")
    }
    let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex),
      let byte = UInt8(hex[index..<next], radix: 16)
    {
      bytes.append(byte)
      index = next
    }
    guard bytes.count == 32, index == hex.endIndex else {
      throw DataError(
        "key file \(path) does not hold a 256-bit key in hex; use the file uptake created, or remove it to create a new one"
      )
    }
    return (SymmetricKey(data: bytes), false)
  }
}
