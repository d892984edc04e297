import Foundation
import Records
import ZIPFoundation

/// The workbook reader, two ways. Raw bytes (first byte even) are read as an `.xlsx` file, which exercises the zip
/// layer. Otherwise the input is the workbook's XML parts, separated by `\n--part--\n` (workbook, its relationships,
/// the sheet, shared strings, styles), zipped into a workbook, which reaches the XML readers with every input. Either
/// way the reader must give CSV that the CSV reader takes or refuses cleanly, or throw an `ExcelError`; nothing may
/// crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let mode = bytes.first else { return 0 }
  let file = mode % 2 == 0 ? Data(bytes.dropFirst()) : WorkbookParts.zipped(bytes.dropFirst())
  guard let file, FileManager.default.createFile(atPath: WorkbookParts.scratch, contents: file) else { return 0 }
  if let csv = try? ExcelWorkbook.csvBytes(path: WorkbookParts.scratch) {
    if let table = try? CSVReader.parse(csv, source: "fuzz.xlsx") {
      for column in table.columns { _ = column.texts(Array(0..<table.rowCount)) }
    }
  }
  return 0
}

enum WorkbookParts {
  /// One file per fuzzing process, in memory where the system has it.
  static let scratch: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return folder + "/uptake-fuzz-\(getpid()).xlsx"
  }()

  static let names = [
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
    "xl/styles.xml",
  ]
  static let contentTypes = """
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" \
    ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" \
    ContentType="application/xml"/></Types>
    """
  static let rootRelationships = """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
    Target="xl/workbook.xml" Id="rId1"/></Relationships>
    """

  /// The parts in `bytes` (missing ones left out of the workbook) zipped with the fixed package parts.
  static func zipped(_ bytes: ArraySlice<UInt8>) -> Data? {
    let separator = Array("\n--part--\n".utf8)
    var parts: [[UInt8]] = []
    var current: [UInt8] = []
    var i = bytes.startIndex
    while i < bytes.endIndex {
      if bytes[i...].starts(with: separator) {
        parts.append(current)
        current = []
        i += separator.count
      } else {
        current.append(bytes[i])
        i += 1
      }
    }
    parts.append(current)
    guard let archive = try? Archive(data: Data(), accessMode: .create) else { return nil }
    let entries =
      [("[Content_Types].xml", Array(contentTypes.utf8)), ("_rels/.rels", Array(rootRelationships.utf8))]
      + zip(names, parts).map { ($0, $1) }
    for (name, content) in entries {
      let data = Data(content)
      try? archive.addEntry(
        with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
    return archive.data
  }
}
