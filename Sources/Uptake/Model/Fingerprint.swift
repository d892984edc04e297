import Foundation
import Learn
import Records

/// FNV-1a 64-bit hashes: a fast, dependency-free way to notice changed bytes (damage, not tampering).
public enum Fingerprint {
  static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
  static let prime: UInt64 = 0x100_0000_01b3

  public static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var h = offset
    for b in bytes { h = (h ^ UInt64(b)) &* prime }
    return hex(h)
  }

  /// A frame's fingerprint: its ids, labels and every feature's name and values, in order. Each part (the ids, the
  /// labels, a feature) is hashed on its own, side by side, a 64-bit word at a time; the parts' hashes are then hashed
  /// in order. Bundles written before this scheme hold a byte-wise FNV-1a of the same parts, which no new fingerprint
  /// matches (so evaluating them on their own training data gives no caution).
  public static func of(_ frame: FeatureFrame, threads: Int? = nil) -> String {
    var parts: [() -> UInt64] = [{ hashTexts(frame.ids) }]
    if let labels = frame.labels { parts.append { hashWords(labels.lazy.map { $0 ? 1 : 0 }) } }
    for column in frame.features {
      parts.append {
        var h = hashTexts([column.name])
        switch column.values {
        case .integer(let v), .number(let v): h = mixWord(h, hashWords(v.lazy.map(\.bitPattern)))
        case .date(let v): h = mixWord(h, hashWords(v.lazy.map { UInt64(UInt32(bitPattern: $0)) }))
        case .boolean(let v): h = mixWord(h, hashWords(v.lazy.map { $0 == nil ? 2 : $0! ? 1 : 0 }))
        case .categorical(let codes, let levels):
          h = mixWord(h, hashTexts(levels))
          h = mixWord(h, hashWords(codes.lazy.map { UInt64(UInt32(bitPattern: $0)) }))
        }
        return h
      }
    }
    let hashes = Parallel.map(parts.count, threads: threads) { parts[$0]() }
    return "2-" + hex(hashes.reduce(offset, mixWord))
  }

  /// One 64-bit word into the hash: FNV-1a's xor-then-multiply on a word, with a shift so high bits reach low ones.
  @inline(__always)
  static func mixWord(_ h: UInt64, _ word: UInt64) -> UInt64 {
    let m = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
    return m ^ (m >> 29)
  }

  static func hashWords<Words: Sequence>(_ words: Words) -> UInt64 where Words.Element == UInt64 {
    var h = offset
    for w in words { h = mixWord(h, w) }
    return h
  }

  /// Texts byte by byte, each ended by 0xff (which UTF-8 never holds), so ["ab", "c"] and ["a", "bc"] differ.
  static func hashTexts(_ texts: [String]) -> UInt64 {
    var h = offset
    for text in texts {
      for b in text.utf8 { h = (h ^ UInt64(b)) &* prime }
      h = (h ^ 0xff) &* prime
    }
    return h
  }

  private static func hex(_ h: UInt64) -> String {
    let digits = String(h, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
