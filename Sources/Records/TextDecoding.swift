/// Turns an export's bytes into UTF-8, the only encoding the CSV parser reads. Excel writes UTF-16 ("Unicode
/// Text") or Windows-1252 ("CSV (Comma delimited)") as often as UTF-8, so a council's file may be any of them.
enum TextDecoding {
  /// The encoding named by a byte-order mark, if any: UTF-16 LE (`FF FE`) or BE (`FE FF`).
  static func utf16ByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> (bigEndian: Bool, length: Int)? {
    guard bytes.count >= 2 else { return nil }
    if bytes[0] == 0xFF && bytes[1] == 0xFE { return (false, 2) }
    if bytes[0] == 0xFE && bytes[1] == 0xFF { return (true, 2) }
    return nil
  }

  /// UTF-16 text as UTF-8 (an unpaired surrogate becomes U+FFFD, which the value checks report).
  static func utf16ToUTF8(_ bytes: UnsafeBufferPointer<UInt8>, bigEndian: Bool, skip: Int) -> [UInt8] {
    let count = (bytes.count - skip) / 2
    var units = [UInt16]()
    units.reserveCapacity(count)
    for k in 0..<count {
      let a = UInt16(bytes[skip + 2 * k]), b = UInt16(bytes[skip + 2 * k + 1])
      units.append(bigEndian ? a << 8 | b : b << 8 | a)
    }
    return Array(String(decoding: units, as: UTF16.self).utf8)
  }

  /// Windows-1252 (or ISO-8859-1 when `latin1`) as UTF-8. Bytes 0x80–0x9F differ: Windows-1252 puts €, curly quotes
  /// and dashes there; the five it leaves undefined are kept as the same code points, as browsers do.
  static func singleByteToUTF8(_ bytes: UnsafeBufferPointer<UInt8>, latin1: Bool) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(bytes.count + bytes.count / 16)
    for b in bytes {
      if b < 0x80 {
        out.append(b)
        continue
      }
      let scalar: UInt32 = (!latin1 && b < 0xA0) ? windows1252High[Int(b - 0x80)] : UInt32(b)
      if scalar < 0x800 {
        out.append(UInt8(0xC0 | scalar >> 6))
        out.append(UInt8(0x80 | scalar & 0x3F))
      } else {
        out.append(UInt8(0xE0 | scalar >> 12))
        out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
        out.append(UInt8(0x80 | scalar & 0x3F))
      }
    }
    return out
  }

  /// Code points of Windows-1252 bytes 0x80–0x9F.
  static let windows1252High: [UInt32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D,
    0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
    0x017E, 0x0178,
  ]

  /// True when the bytes are well-formed UTF-8 (checked only when a value suggests otherwise).
  static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    while i < n {
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      let length: Int
      if b >= 0xC2 && b <= 0xDF {
        length = 2
      } else if b >= 0xE0 && b <= 0xEF {
        length = 3
      } else if b >= 0xF0 && b <= 0xF4 {
        length = 4
      } else {
        return false
      }
      guard i + length <= n else { return false }
      for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return false }
      i += length
    }
    return true
  }

  /// The delimiter of a CSV: among comma, semicolon, tab and bar, the one found the same number of times (at least
  /// once) on the header and on each of the first rows, preferring the one found most; a comma when none is.
  /// Quoted text is skipped, so a comma inside quotes does not count.
  static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
    let candidates: [UInt8] = [44, 59, 9, 124]
    var counts: [[Int]] = []
    var current = [Int](repeating: 0, count: candidates.count)
    var inQuotes = false
    var i = start
    let limit = min(bytes.count, start + (64 << 10))
    while i < limit && counts.count < 20 {
      let b = bytes[i]
      if b == 34 {
        inQuotes.toggle()
      } else if !inQuotes {
        if b == 10 {
          counts.append(current)
          current = [Int](repeating: 0, count: candidates.count)
        } else if let k = candidates.firstIndex(of: b) {
          current[k] += 1
        }
      }
      i += 1
    }
    if current.contains(where: { $0 > 0 }) && counts.count < 20 { counts.append(current) }
    guard let header = counts.first else { return 44 }
    var best: (byte: UInt8, count: Int)? = nil
    for (k, byte) in candidates.enumerated() where header[k] > 0 {
      let consistent = counts.allSatisfy { $0[k] == header[k] }
      if consistent && header[k] > (best?.count ?? 0) { best = (byte, header[k]) }
    }
    if let best { return best.byte }
    // Not consistent on every row (a ragged export): the most frequent in the header; the parser reports the rows.
    let k = (0..<candidates.count).max { header[$0] < header[$1] }!
    return header[k] > 0 ? candidates[k] : 44
  }
}
