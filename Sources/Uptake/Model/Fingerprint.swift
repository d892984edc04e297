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

  /// A frame's fingerprint: its ids, labels and every feature's values, in order.
  public static func of(_ frame: FeatureFrame) -> String {
    var h = offset
    func mix(_ value: UInt64) {
      var v = value
      for _ in 0..<8 {
        h = (h ^ (v & 0xff)) &* prime
        v >>= 8
      }
    }
    func mix(_ text: String) {
      for b in text.utf8 { h = (h ^ UInt64(b)) &* prime }
      mix(0xff)
    }
    frame.ids.forEach(mix)
    frame.labels?.forEach { mix($0 ? 1 : 0) }
    for column in frame.features {
      mix(column.name)
      switch column.values {
      case .integer(let v), .number(let v): v.forEach { mix($0.bitPattern) }
      case .date(let v): v.forEach { mix(UInt64(UInt32(bitPattern: $0))) }
      case .boolean(let v): v.forEach { mix($0 == nil ? 2 : $0! ? 1 : 0) }
      case .categorical(let codes, let levels): codes.forEach { mix($0 < 0 ? "" : levels[Int($0)]) }
      }
    }
    return hex(h)
  }

  private static func hex(_ h: UInt64) -> String {
    let digits = String(h, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
