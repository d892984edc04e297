import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a file given as a table really is, judged from its first bytes: councils send legacy `.xls` workbooks,
/// password-protected workbooks, gzip files and zip archives named `.csv`, and each deserves a sentence saying what it
/// is and what to save it as, not a CSV error about a stray quote on line 1.
public enum FileSignature: Equatable, Sendable {
  /// Anything else: read it as CSV (the CSV reader reports what is wrong with it).
  case text
  /// An Excel workbook (a zip holding `[Content_Types].xml` and `xl/workbook.xml`): read through `ExcelWorkbook`.
  case xlsx
  /// An Excel 97–2003 workbook (an OLE2 compound file).
  case xls
  /// A password-protected workbook: an OLE2 compound file holding an `EncryptedPackage` stream.
  case encryptedWorkbook
  case gzip
  /// A zip archive that is not a workbook.
  case zip
  /// A zip archive whose directory cannot be read: cut short (a copy that did not finish) or damaged; `problem` says
  /// how.
  case damagedZip(problem: String)
  /// Data with NUL bytes near its start and no UTF-16 byte-order mark.
  case binary

  /// How many bytes from the start are looked at for NUL bytes.
  static let headLength = 4096

  /// The kind of the file at `path`.
  /// - Throws: `CSVError.unreadable` when the file cannot be opened.
  public static func of(path: String) throws -> FileSignature {
    guard let file = fopen(path, "rb") else {
      throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var head = [UInt8](repeating: 0, count: headLength)
    head.removeSubrange(fread(&head, 1, headLength, file)...)
    switch of(head: head) {
    case .xls:
      let name: [UInt8] = "EncryptedPackage".utf8.flatMap { [$0, 0] }
      return contains(name, in: file) ? .encryptedWorkbook : .xls
    case .zip:
      return zipKind(at: path)
    case let kind:
      return kind
    }
  }

  /// The kind judged from the first `headLength` bytes alone: any OLE2 file is `.xls` and any zip `.zip` (telling
  /// an encrypted workbook or an `.xlsx` apart needs the whole file).
  static func of(head: [UInt8]) -> FileSignature {
    if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .xls }
    if head.starts(with: [0x1F, 0x8B]) { return .gzip }
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
    let utf16 = head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
    if !utf16 && head.contains(0) { return .binary }
    return .text
  }

  /// Why uptake will not read a file of this kind and what to save it as, to follow the file's name ("data.csv is
  /// gzip-compressed; ..."); nil for the kinds it reads.
  public var refusal: String? {
    switch self {
    case .text, .xlsx:
      return nil
    case .xls:
      return "is an Excel 97–2003 workbook (.xls), which uptake does not read; open it in Excel and save it as .xlsx "
        + "or as CSV UTF-8"
    case .encryptedWorkbook:
      return "is a password-protected workbook; save an unprotected copy as .xlsx or CSV UTF-8"
    case .gzip:
      return "is gzip-compressed; decompress it first (gunzip)"
    case .zip:
      return "is a zip archive, not a workbook; extract the CSV files from it"
    case .damagedZip(let problem):
      return "is a zip archive (as an .xlsx workbook is) that cannot be read: \(problem), as when a copy did not "
        + "finish or the file is damaged; copy or export it again"
    case .binary:
      return "is not a text file (it holds NUL bytes); export the table as CSV UTF-8"
    }
  }

  /// A workbook, another zip, or a zip whose directory cannot be read.
  static func zipKind(at path: String) -> FileSignature {
    let archive: ZipReader
    do { archive = try ZipReader(path: path) } catch ZipReader.Problem.notZip(let problem) {
      return .damagedZip(problem: problem)
    } catch { return .damagedZip(problem: "\(error)") }
    let parts = Set(archive.entries.map { $0.name.lowercased() })
    return parts.contains("[content_types].xml") && parts.contains("xl/workbook.xml") ? .xlsx : .zip
  }

  /// Whether `pattern` occurs anywhere in `file`, read from its start in chunks (an OLE2 file's directory, which
  /// names its streams, may be anywhere in it).
  static func contains(_ pattern: [UInt8], in file: UnsafeMutablePointer<FILE>) -> Bool {
    guard fseek(file, 0, SEEK_SET) == 0, let first = pattern.first else { return false }
    let chunk = 1 << 20
    var buffer = [UInt8](repeating: 0, count: chunk + pattern.count)
    var kept = 0  // bytes carried over from the previous chunk, so a match across chunks is found
    while true {
      let read = buffer.withUnsafeMutableBufferPointer { bytes in
        guard let base = bytes.baseAddress else { return 0 }
        return fread(base + kept, 1, chunk, file)
      }
      let count = kept + read
      if count < pattern.count { return false }
      let found = buffer.withUnsafeBufferPointer { bytes in
        var i = 0
        while i + pattern.count <= count {
          if bytes[i] == first && bytes[i..<i + pattern.count].elementsEqual(pattern) { return true }
          i += 1
        }
        return false
      }
      if found { return true }
      if read < chunk { return false }
      kept = pattern.count - 1
      for k in 0..<kept { buffer[k] = buffer[count - kept + k] }
    }
  }
}
