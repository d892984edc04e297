import Foundation
import ZIPFoundation

/// Reads the files inside a zip archive (an .xlsx workbook) with every offset and size checked against the file.
///
/// ZIPFoundation's reader trusts the archive: on Linux, a deflate stream that never ends makes `Archive.extract`
/// read past the end of the file forever (found by fuzzing; upstream weichsel/ZIPFoundation#389). Here the central
/// directory is read with bounds checks and each part's compressed bytes are handed to ZIPFoundation's inflater
/// (`Data.decompress`) from memory, so that running out of them is an error rather than a loop.
struct ZipReader {
  /// A file inside the archive, as its central directory describes it.
  struct Entry {
    let name: String
    let method: UInt16
    let crc32: UInt32
    let compressedSize: Int
    let uncompressedSize: Int
    let localHeaderOffset: Int
    let encrypted: Bool
  }

  /// Why an archive or a part cannot be read; the caller names the file.
  enum Problem: Error, Equatable {
    /// Not a zip archive at all, or its directory is damaged.
    case notZip(String)
    /// The part's own bytes are damaged, cut short or of a kind not read here.
    case damagedPart(String)
    /// The part would expand past `limit` bytes.
    case tooLarge(limit: Int)
  }

  let bytes: Data
  /// Files (not folders) in directory order.
  let entries: [Entry]

  /// Reads the file at `path` into memory and its central directory.
  init(path: String) throws {
    let data: Data
    // Read, not mapped: a mapped file cut short while it is read would stop the process with SIGBUS.
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw Problem.notZip("it cannot be read")
    }
    try self.init(bytes: data)
  }

  init(bytes: Data) throws {
    self.bytes = bytes
    self.entries = try Self.directory(of: bytes)
  }

  /// The bytes of `entry`, inflated; more than `limit` bytes is `Problem.tooLarge`.
  func contents(of entry: Entry, limit: Int) throws -> Data {
    if entry.encrypted { throw Problem.damagedPart("is encrypted") }
    if entry.uncompressedSize > limit { throw Problem.tooLarge(limit: limit) }
    let start = try dataStart(of: entry)
    guard entry.compressedSize <= bytes.count - start else {
      throw Problem.damagedPart("claims more compressed bytes than the file holds (damaged or cut short)")
    }
    let compressed = bytes.subdata(in: start..<start + entry.compressedSize)
    let output: Data
    let crc: UInt32
    switch entry.method {
    case 0:
      (output, crc) = (compressed, compressed.crc32(checksum: 0))
    case 8:
      (output, crc) = try Self.inflate(compressed, expected: entry.uncompressedSize, limit: limit)
    default:
      throw Problem.damagedPart("uses compression method \(entry.method), which uptake does not read")
    }
    if output.count > limit { throw Problem.tooLarge(limit: limit) }
    guard output.count == entry.uncompressedSize, crc == entry.crc32 else {
      throw Problem.damagedPart("does not match its size or checksum (damaged or cut short)")
    }
    return output
  }

  // MARK: - Inflating

  /// Chunk size for inflating; also the zero padding after the last compressed byte (see `inflate`).
  static let chunk = 64 << 10

  /// Inflates raw deflate bytes, stopping past `limit` bytes; `expected` only reserves memory.
  ///
  /// On Linux, ZIPFoundation's inflater tells zlib every chunk is `bufferSize` long, whatever the provider returned,
  /// and asks again for as long as the stream has not ended. So every chunk handed out here is exactly `chunk` bytes
  /// (the last one padded with zeros, never read on a whole stream), and asking past the end throws.
  static func inflate(_ compressed: Data, expected: Int, limit: Int) throws -> (data: Data, crc32: UInt32) {
    var offset = 0
    var produced = Data()
    produced.reserveCapacity(min(expected, limit, 1 << 28))
    do {
      let crc = try Data.decompress(
        size: Int64(compressed.count), bufferSize: chunk, skipCRC32: false,
        provider: { _, _ in
          guard offset < compressed.count else { throw Problem.damagedPart("ends before its compressed data does") }
          let end = min(compressed.count, offset + chunk)
          var piece = compressed.subdata(in: offset..<end)
          if piece.count < chunk { piece.append(Data(count: chunk - piece.count)) }
          offset = end
          return piece
        },
        consumer: { piece in
          guard produced.count + piece.count <= limit else { throw Problem.tooLarge(limit: limit) }
          produced.append(piece)
        })
      return (produced, crc)
    } catch let problem as Problem {
      throw problem
    } catch {
      throw Problem.damagedPart("cannot be decompressed (its compressed data is damaged)")
    }
  }

  // MARK: - The directory

  private static let endSignature: UInt32 = 0x0605_4b50
  private static let zip64EndSignature: UInt32 = 0x0606_4b50
  private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
  private static let centralSignature: UInt32 = 0x0201_4b50
  private static let localSignature: UInt32 = 0x0403_4b50

  /// Where `entry`'s compressed bytes start: after its local header, whose name and extra field lengths are its own.
  private func dataStart(of entry: Entry) throws -> Int {
    let at = entry.localHeaderOffset
    guard let signature = Self.uint32(bytes, at), signature == Self.localSignature,
      let nameLength = Self.uint16(bytes, at + 26), let extraLength = Self.uint16(bytes, at + 28)
    else { throw Problem.damagedPart("has a damaged local header") }
    let start = at + 30 + Int(nameLength) + Int(extraLength)
    guard start <= bytes.count else { throw Problem.damagedPart("has a damaged local header") }
    return start
  }

  /// The entries of the central directory, every offset checked against the archive's length.
  private static func directory(of bytes: Data) throws -> [Entry] {
    guard let end = endRecord(in: bytes) else { throw Problem.notZip("it is not a zip archive") }
    guard let diskNumber = uint16(bytes, end + 4), diskNumber == 0 else {
      throw Problem.notZip("it is one part of a split zip archive")
    }
    var count = Int(uint16(bytes, end + 10) ?? 0)
    var size = Int(uint32(bytes, end + 12) ?? 0)
    var offset = Int(uint32(bytes, end + 16) ?? 0)
    if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
      guard let locator = uint32(bytes, end - 20), locator == zip64LocatorSignature,
        let zip64End = uint64(bytes, end - 12), zip64End < bytes.count,
        uint32(bytes, zip64End) == zip64EndSignature,
        let count64 = uint64(bytes, zip64End + 32), let size64 = uint64(bytes, zip64End + 40),
        let offset64 = uint64(bytes, zip64End + 48)
      else { throw Problem.notZip("its zip64 directory is damaged") }
      (count, size, offset) = (count64, size64, offset64)
    }
    guard offset <= bytes.count, size <= bytes.count - offset, count <= size / 46 else {
      throw Problem.notZip("its directory lies outside the file (damaged or cut short)")
    }
    var entries: [Entry] = []
    entries.reserveCapacity(count)
    var at = offset
    for _ in 0..<count {
      guard uint32(bytes, at) == centralSignature, let flags = uint16(bytes, at + 8),
        let method = uint16(bytes, at + 10), let crc = uint32(bytes, at + 16),
        let compressed32 = uint32(bytes, at + 20), let uncompressed32 = uint32(bytes, at + 24),
        let nameLength = uint16(bytes, at + 28).map(Int.init), let extraLength = uint16(bytes, at + 30).map(Int.init),
        let commentLength = uint16(bytes, at + 32).map(Int.init), let local32 = uint32(bytes, at + 42),
        at + 46 + nameLength + extraLength + commentLength <= offset + size
      else { throw Problem.notZip("its directory is damaged") }
      let nameBytes = bytes.subdata(in: at + 46..<at + 46 + nameLength)
      let extra = bytes.subdata(in: at + 46 + nameLength..<at + 46 + nameLength + extraLength)
      var sizes = (uncompressed: Int(uncompressed32), compressed: Int(compressed32), local: Int(local32))
      try applyZip64(extra, to: &sizes)
      guard sizes.local < bytes.count else { throw Problem.notZip("its directory points outside the file") }
      // Names are UTF-8 in every workbook; CP437 names (flag bit 11 clear) are ASCII there too.
      let name = String(decoding: nameBytes, as: UTF8.self)
      if !name.hasSuffix("/") {
        entries.append(
          Entry(
            name: name, method: method, crc32: crc, compressedSize: sizes.compressed,
            uncompressedSize: sizes.uncompressed, localHeaderOffset: sizes.local, encrypted: flags & 1 != 0))
      }
      at += 46 + nameLength + extraLength + commentLength
    }
    return entries
  }

  /// Replaces the sizes and offset saturated at 0xFFFFFFFF with the 64-bit values of the zip64 extra field.
  private static func applyZip64(
    _ extra: Data, to sizes: inout (uncompressed: Int, compressed: Int, local: Int)
  )
    throws
  {
    guard sizes.uncompressed == 0xFFFF_FFFF || sizes.compressed == 0xFFFF_FFFF || sizes.local == 0xFFFF_FFFF else {
      return
    }
    var at = 0
    while let id = uint16(extra, at), let length = uint16(extra, at + 2).map(Int.init) {
      if id == 1 {
        var field = at + 4
        func next() throws -> Int {
          guard field + 8 <= at + 4 + length, let value = uint64(extra, field) else {
            throw Problem.notZip("its zip64 sizes are damaged")
          }
          field += 8
          return value
        }
        if sizes.uncompressed == 0xFFFF_FFFF { sizes.uncompressed = try next() }
        if sizes.compressed == 0xFFFF_FFFF { sizes.compressed = try next() }
        if sizes.local == 0xFFFF_FFFF { sizes.local = try next() }
        return
      }
      at += 4 + length
    }
    throw Problem.notZip("its zip64 sizes are missing")
  }

  /// The offset of the end-of-central-directory record, searched back from the end past a comment of up to 64 KB.
  private static func endRecord(in bytes: Data) -> Int? {
    guard bytes.count >= 22 else { return nil }
    var at = bytes.count - 22
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    while at >= lowest {
      if uint32(bytes, at) == endSignature, let comment = uint16(bytes, at + 20), at + 22 + Int(comment) <= bytes.count
      {
        return at
      }
      at -= 1
    }
    return nil
  }

  // MARK: - Little-endian fields, nil when they would lie outside the bytes

  private static func uint16(_ data: Data, _ at: Int) -> UInt16? {
    guard at >= 0, at + 2 <= data.count else { return nil }
    let base = data.startIndex + at
    return UInt16(data[base]) | UInt16(data[base + 1]) << 8
  }

  private static func uint32(_ data: Data, _ at: Int) -> UInt32? {
    guard at >= 0, at + 4 <= data.count else { return nil }
    let base = data.startIndex + at
    return (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[base + $1]) << (8 * $1) }
  }

  /// A 64-bit field as an `Int`; nil past `Int.max` (no real archive is that large).
  private static func uint64(_ data: Data, _ at: Int) -> Int? {
    guard at >= 0, at + 8 <= data.count else { return nil }
    let base = data.startIndex + at
    let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[base + $1]) << (8 * $1) }
    return value <= UInt64(Int.max / 2) ? Int(value) : nil
  }
}
