/// The dictionary of a categorical column, keyed by the field's bytes: no `String` is made per row (one is made
/// per distinct level, at the end) and the hash is FNV-1a over the bytes. Swift's `[String: Int32]` spent ~45% of
/// reading the 1M-children council in hashing (SipHash set-up per lookup, measured with perf).
struct LevelTable {
  /// Open addressing: −1 empty, else a level index. Capacity is a power of two, at most half full.
  private var slots = [Int32](repeating: -1, count: 64)
  private var hashes: [UInt64] = []
  /// Level `i` is `bytes[starts[i]..<starts[i + 1]]`.
  private var bytes: [UInt8] = []
  private var starts: [Int] = [0]

  var count: Int { hashes.count }

  @inline(__always)
  static func hash(_ s: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in s { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
  }

  /// The level's code, adding it when new.
  mutating func code(for s: UnsafeBufferPointer<UInt8>) -> Int32 {
    let h = Self.hash(s)
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    while true {
      let slot = slots[i]
      if slot < 0 { break }
      if hashes[Int(slot)] == h && equals(Int(slot), s) { return slot }
      i = (i + 1) & mask
    }
    let code = Int32(hashes.count)
    slots[i] = code
    hashes.append(h)
    bytes.append(contentsOf: s)
    starts.append(bytes.count)
    if hashes.count * 2 > slots.count { grow() }
    return code
  }

  /// The code of a level already in the table, or nil.
  func existingCode(for s: UnsafeBufferPointer<UInt8>) -> Int32? {
    let h = Self.hash(s)
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: h) & mask
    while slots[i] >= 0 {
      let slot = slots[i]
      if hashes[Int(slot)] == h && equals(Int(slot), s) { return slot }
      i = (i + 1) & mask
    }
    return nil
  }

  /// `code(for:)` of a string's UTF-8 bytes.
  mutating func code(for text: String) -> Int32 {
    var copy = text
    return copy.withUTF8 { code(for: $0) }
  }

  /// `existingCode(for:)` of a string's UTF-8 bytes.
  func existingCode(for text: String) -> Int32? {
    var copy = text
    return copy.withUTF8 { existingCode(for: $0) }
  }

  private func equals(_ level: Int, _ s: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = starts[level], end = starts[level + 1]
    guard end - start == s.count else { return false }
    for k in 0..<s.count where bytes[start + k] != s[k] { return false }
    return true
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    let mask = slots.count - 1
    for (code, h) in hashes.enumerated() {
      var i = Int(truncatingIfNeeded: h) & mask
      while slots[i] >= 0 { i = (i + 1) & mask }
      slots[i] = Int32(code)
    }
  }

  /// The levels as strings, in order of first appearance.
  var levels: [String] {
    (0..<count).map { k in
      bytes.withUnsafeBufferPointer { String(decoding: $0[starts[k]..<starts[k + 1]], as: UTF8.self) }
    }
  }

  /// Level `k`'s bytes (for merging another chunk's dictionary).
  func withLevel<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[starts[k]..<starts[k + 1]])) }
  }
}
