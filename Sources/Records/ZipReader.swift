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

  let bytes: ZipBytes
  /// Files (not folders) in directory order.
  let entries: [Entry]

  /// Reads the central directory of the file at `path`; parts are read from the file when asked for.
  init(path: String) throws {
    guard let file = ZipBytes(path: path) else { throw Problem.notZip("it cannot be read") }
    bytes = file
    entries = try Self.directory(of: file)
  }

  init(bytes data: Data) throws {
    bytes = ZipBytes(data)
    entries = try Self.directory(of: bytes)
  }

  /// The bytes of `entry`, inflated; more than `limit` bytes is `Problem.tooLarge`.
  func contents(of entry: Entry, limit: Int) throws -> Data {
    if entry.encrypted { throw Problem.damagedPart("is encrypted") }
    if entry.uncompressedSize > limit { throw Problem.tooLarge(limit: limit) }
    // Deflate never grows data by more than a few bytes per 16 KB block: more compressed bytes than the limit is as
    // bad as more output.
    if entry.compressedSize > limit + limit / 256 + 1024 { throw Problem.tooLarge(limit: limit) }
    let start = try dataStart(of: entry)
    guard entry.compressedSize <= bytes.count - start, let compressed = bytes.read(start, entry.compressedSize) else {
      throw Problem.damagedPart("claims more compressed bytes than the file holds (damaged or cut short)")
    }
    let output: Data
    let crc: UInt32
    switch entry.method {
    case 0:
      (output, crc) = (compressed, compressed.crc32(checksum: 0))
    case 8:
      // Inflating stops one byte past the declared size: a part that grows beyond it is damaged (or a bomb whose
      // header lies), found after at most that many bytes rather than after the memory limit.
      do {
        (output, crc) = try Self.inflate(
          compressed, expected: entry.uncompressedSize, limit: min(limit, entry.uncompressedSize + 1))
      } catch Problem.tooLarge where entry.uncompressedSize < limit {
        throw Problem.damagedPart("expands past the size its header declares (damaged, or a hostile file)")
      }
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
    guard let header = bytes.read(at, 30), let signature = Self.uint32(header, 0), signature == Self.localSignature,
      let nameLength = Self.uint16(header, 26), let extraLength = Self.uint16(header, 28)
    else { throw Problem.damagedPart("has a damaged local header") }
    let start = at + 30 + Int(nameLength) + Int(extraLength)
    guard start <= bytes.count else { throw Problem.damagedPart("has a damaged local header") }
    return start
  }

  /// A central directory larger than this is no workbook's (Excel's hold a few kilobytes).
  static let maxDirectory = 64 << 20

  /// The entries of the central directory, every offset checked against the archive's length.
  private static func directory(of file: ZipBytes) throws -> [Entry] {
    // The end record is in the last 64 KB + 22 bytes (its comment may be 64 KB), the zip64 locator 20 bytes before.
    let tailStart = max(0, file.count - (22 + 0xFFFF + 20))
    guard let tail = file.read(tailStart, file.count - tailStart), let end = endRecord(in: tail) else {
      throw Problem.notZip("it is not a zip archive")
    }
    guard let diskNumber = uint16(tail, end + 4), diskNumber == 0 else {
      throw Problem.notZip("it is one part of a split zip archive")
    }
    var count = Int(uint16(tail, end + 10) ?? 0)
    var size = Int(uint32(tail, end + 12) ?? 0)
    var offset = Int(uint32(tail, end + 16) ?? 0)
    if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
      guard let locator = uint32(tail, end - 20), locator == zip64LocatorSignature,
        let zip64End = uint64(tail, end - 12), let record = file.read(zip64End, 56),
        uint32(record, 0) == zip64EndSignature,
        let count64 = uint64(record, 32), let size64 = uint64(record, 40), let offset64 = uint64(record, 48)
      else { throw Problem.notZip("its zip64 directory is damaged") }
      (count, size, offset) = (count64, size64, offset64)
    }
    guard offset <= file.count, size <= file.count - offset, count <= size / 46 else {
      throw Problem.notZip("its directory lies outside the file (damaged or cut short)")
    }
    guard size <= maxDirectory else { throw Problem.notZip("its directory is larger than any workbook's") }
    guard let bytes = file.read(offset, size) else { throw Problem.notZip("its directory cannot be read") }
    var entries: [Entry] = []
    entries.reserveCapacity(count)
    var at = 0
    for _ in 0..<count {
      guard uint32(bytes, at) == centralSignature, let flags = uint16(bytes, at + 8),
        let method = uint16(bytes, at + 10), let crc = uint32(bytes, at + 16),
        let compressed32 = uint32(bytes, at + 20), let uncompressed32 = uint32(bytes, at + 24),
        let nameLength = uint16(bytes, at + 28).map(Int.init), let extraLength = uint16(bytes, at + 30).map(Int.init),
        let commentLength = uint16(bytes, at + 32).map(Int.init), let local32 = uint32(bytes, at + 42),
        at + 46 + nameLength + extraLength + commentLength <= size
      else { throw Problem.notZip("its directory is damaged") }
      let nameBytes = bytes.subdata(in: at + 46..<at + 46 + nameLength)
      let extra = bytes.subdata(in: at + 46 + nameLength..<at + 46 + nameLength + extraLength)
      var sizes = (uncompressed: Int(uncompressed32), compressed: Int(compressed32), local: Int(local32))
      try applyZip64(extra, to: &sizes)
      guard sizes.local < file.count else { throw Problem.notZip("its directory points outside the file") }
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

/// An archive's bytes, read where asked: from memory, or from the file with `pread`, so that only the directory and
/// the parts asked for are ever held (a workbook may be gigabytes of which one sheet is read). Not mapped: a mapped
/// file cut short while it is read would stop the process with SIGBUS.
final class ZipBytes: @unchecked Sendable {
  let count: Int
  private let memory: Data?
  private let descriptor: Int32

  init(_ data: Data) {
    memory = data
    count = data.count
    descriptor = -1
  }

  /// nil when the file cannot be opened.
  init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    var status = stat()
    guard fstat(fd, &status) == 0 else {
      close(fd)
      return nil
    }
    descriptor = fd
    count = Int(status.st_size)
    memory = nil
  }

  deinit { if descriptor >= 0 { close(descriptor) } }

  /// `length` bytes from `offset`; nil when they lie outside the archive or cannot all be read.
  func read(_ offset: Int, _ length: Int) -> Data? {
    guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
    if let memory { return memory.subdata(in: memory.startIndex + offset..<memory.startIndex + offset + length) }
    var data = Data(count: length)
    let complete = data.withUnsafeMutableBytes { buffer -> Bool in
      var done = 0
      while done < length {
        let n = pread(descriptor, buffer.baseAddress! + done, length - done, off_t(offset + done))
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return false }
        done += n
      }
      return true
    }
    return complete ? data : nil
  }
}
