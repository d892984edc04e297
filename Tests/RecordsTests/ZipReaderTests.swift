import Foundation
import Testing
import ZIPFoundation

@testable import Records

/// The zip reader under workbooks: every size and offset bounded by the file, nothing trusted.
@Suite("Reading zip archives with every size checked")
struct ZipReaderTests {
  /// The folder of test data files.
  static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data")

  /// A zip written by ZIPFoundation holding `entries`, as bytes.
  static func zipBytes(_ entries: [(String, Data)], method: CompressionMethod = .deflate) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
    for (name, data) in entries {
      try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) {
        position, size in data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    return try #require(archive.data)
  }

  /// Text of about `count` bytes that compresses a little, as XML does.
  static func sampleText(_ count: Int) -> Data {
    var generator = SystemRandomNumberGenerator()
    let words = [
      "<c r=\"A1\">", "<v>", "</v>", "</c>", "child", "2024-03-01", "\(Int.random(in: 0..<99, using: &generator))",
    ]
    var text = ""
    while text.utf8.count < count { text += words[text.utf8.count % words.count] + "\(text.utf8.count % 977)" }
    return Data(text.utf8)
  }

  @Test("parts written deflated or stored come back byte for byte, folders left out")
  func roundTrip() throws {
    let small = Data("<workbook/>".utf8)
    let large = Self.sampleText(300_000)  // several inflater chunks
    for method in [CompressionMethod.deflate, .none] {
      let bytes = try Self.zipBytes([("xl/workbook.xml", small), ("xl/worksheets/sheet1.xml", large)], method: method)
      let reader = try ZipReader(bytes: bytes)
      #expect(reader.entries.map(\.name) == ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
      #expect(try reader.contents(of: reader.entries[0], limit: 1 << 20) == small)
      #expect(try reader.contents(of: reader.entries[1], limit: 1 << 20) == large)
    }
  }

  @Test("a part expanding past the limit stops as too large, whatever its header claims")
  func limit() throws {
    let bytes = try Self.zipBytes([("big.xml", Data(count: 5_000_000))])
    let reader = try ZipReader(bytes: bytes)
    #expect(throws: ZipReader.Problem.tooLarge(limit: 1_000_000)) {
      _ = try reader.contents(of: reader.entries[0], limit: 1_000_000)
    }
    // The header's uncompressed size lowered to 10 bytes: inflating stops at the 11th byte, the part is damaged.
    var lying = bytes
    let central = try #require(Self.offset(of: [0x50, 0x4b, 0x01, 0x02], in: lying))
    lying.replaceSubrange(central + 24..<central + 28, with: [10, 0, 0, 0])
    let liar = try ZipReader(bytes: lying)
    #expect(
      throws: ZipReader.Problem.damagedPart("expands past the size its header declares (damaged, or a hostile file)")
    ) {
      _ = try liar.contents(of: liar.entries[0], limit: 1_000_000)
    }
  }

  @Test("a stored part claiming gigabytes is too large before a byte of it is read")
  func hugeStoredPart() throws {
    var bytes = try Self.zipBytes([("xl/worksheets/sheet1.xml", Data(count: 1000))], method: .none)
    let central = try #require(Self.offset(of: [0x50, 0x4b, 0x01, 0x02], in: bytes))
    // Compressed and uncompressed sizes of 4 GB − 2 (no zip64 needed).
    bytes.replaceSubrange(central + 20..<central + 28, with: [0xFE, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF])
    let reader = try ZipReader(bytes: bytes)
    #expect(throws: ZipReader.Problem.tooLarge(limit: 16 << 20)) {
      _ = try reader.contents(of: reader.entries[0], limit: 16 << 20)
    }
  }

  @Test("a deflate stream cut short is damaged, not read past its end (it was an endless loop)")
  func cutShortStream() throws {
    let bytes = try Self.zipBytes([("xl/workbook.xml", Self.sampleText(200_000))])
    let reader = try ZipReader(bytes: bytes)
    let entry = reader.entries[0]
    // Claim half the compressed bytes: the stream ends before its final block.
    var cut = bytes
    let central = try #require(Self.offset(of: [0x50, 0x4b, 0x01, 0x02], in: cut))
    let half = UInt32(entry.compressedSize / 2)
    cut.replaceSubrange(central + 20..<central + 24, with: withUnsafeBytes(of: half.littleEndian, Array.init))
    let shortened = try ZipReader(bytes: cut)
    #expect(throws: ZipReader.Problem.self) { _ = try shortened.contents(of: shortened.entries[0], limit: 1 << 24) }
  }

  @Test("a changed byte in a part fails its checksum; a directory outside the file is not a zip")
  func damage() throws {
    let text = Data(String(repeating: "<row/>", count: 50).utf8)
    var bytes = try Self.zipBytes([("a.xml", text)], method: .none)
    let start = try #require(Self.offset(of: Array("<row/>".utf8), in: bytes))
    bytes[start + 1] = UInt8(ascii: "X")
    let reader = try ZipReader(bytes: bytes)
    #expect(throws: ZipReader.Problem.damagedPart("does not match its size or checksum (damaged or cut short)")) {
      _ = try reader.contents(of: reader.entries[0], limit: 1 << 20)
    }
    var moved = try Self.zipBytes([("a.xml", text)])
    let end = try #require(Self.offset(of: [0x50, 0x4b, 0x05, 0x06], in: moved))
    moved.replaceSubrange(end + 16..<end + 20, with: [0xF0, 0xFF, 0xFF, 0x7F])
    #expect(throws: ZipReader.Problem.self) { _ = try ZipReader(bytes: moved) }
    #expect(throws: ZipReader.Problem.notZip("it is not a zip archive")) {
      _ = try ZipReader(bytes: Data("a,b\n".utf8))
    }
  }

  @Test("every cut of a workbook, at every length, ends with an error or its parts, never a hang or a crash")
  func everyCut() throws {
    let whole = try Data(contentsOf: Self.data.appendingPathComponent("excel/children.xlsx"))
    for length in stride(from: 0, to: whole.count, by: 7) {
      guard let reader = try? ZipReader(bytes: whole.prefix(length)) else { continue }
      for entry in reader.entries { _ = try? reader.contents(of: entry, limit: 1 << 20) }
    }
  }

  @Test("a workbook cut short is a damaged zip, said so, not 'a zip archive, not a workbook'")
  func cutWorkbook() throws {
    let whole = try Data(contentsOf: Self.data.appendingPathComponent("excel/children.xlsx"))
    try withScratchFolder { folder in
      let path = folder + "/cut.xlsx"
      try whole.prefix(whole.count * 2 / 3).write(to: URL(fileURLWithPath: path))
      guard case .damagedZip(let problem) = try FileSignature.of(path: path) else {
        Issue.record("a damaged zip expected")
        return
      }
      #expect(problem == "it is not a zip archive")
      #expect(FileSignature.damagedZip(problem: problem).refusal?.contains("copy or export it again") == true)
    }
  }

  @Test("a part declaring a document type or entities is refused, never parsed (entities changed cell text)")
  func doctype() throws {
    try withScratchFolder { folder in
      for declaration in ["<!DOCTYPE x [<!ENTITY ok \"o\">]>", "<!ENTITY a \"b\">"] {
        var parts = WorkbookFixture(sheets: [("Sheet1", headerRow("a"))]).parts.map { ($0.0, Data($0.1.utf8)) }
        let index = try #require(parts.firstIndex { $0.0 == "xl/workbook.xml" })
        let text = String(decoding: parts[index].1, as: UTF8.self)
        parts[index].1 = Data(text.replacingOccurrences(of: "?>", with: "?>" + declaration).utf8)
        let path = folder + "/d\(declaration.count).xlsx"
        try writeZip(path: path, entries: parts)
        guard case .damaged(_, _, let problem)? = excelError({ _ = try ExcelWorkbook.csvBytes(path: path) })
        else {
          Issue.record("a damaged-workbook error expected for \(declaration)")
          continue
        }
        #expect(problem.contains("declares a document type or entities"))
      }
    }
  }

  @Test("the fuzzed workbook on which ZIPFoundation read forever is a damaged-workbook error")
  func fuzzedEndlessWorkbook() throws {
    let path = Self.data.appendingPathComponent("excel/endless-deflate-workbook.xlsx").path
    let reader = try ZipReader(path: path)
    var damaged = 0
    for entry in reader.entries {
      do { _ = try reader.contents(of: entry, limit: 1 << 24) } catch { damaged += 1 }
    }
    #expect(damaged > 0)
    #expect(throws: ExcelError.self) { _ = try ExcelWorkbook.csvBytes(path: path) }
  }

  /// Where `pattern` first occurs in `data`.
  static func offset(of pattern: [UInt8], in data: Data) -> Int? {
    let bytes = [UInt8](data)
    guard bytes.count >= pattern.count else { return nil }
    return (0...(bytes.count - pattern.count)).first { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) }
  }
}
