/// LSD radix sort of doubles, for quantile bin edges: 200,000 values per feature sort in a few milliseconds,
/// where the standard library's merge sort took ~15 ms (measured) — too much when repeated for every feature.
enum RadixSort {
  /// Sorts finite and infinite doubles ascending (no NaN), by 11-bit digits of their order-preserving bit pattern.
  /// - Complexity: O(6n).
  static func sort(_ values: inout [Double]) {
    let n = values.count
    if n < 256 { values.sort(); return }
    // Flip so unsigned order is numeric order: negatives invert all bits, positives set the sign bit.
    var keys = values.map { v -> UInt64 in
      let bits = v.bitPattern
      return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }
    var scratch = [UInt64](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: 2048)
    for pass in 0..<6 {
      let shift = UInt64(pass * 11)
      for k in 0..<2048 { counts[k] = 0 }
      for key in keys { counts[Int((key >> shift) & 2047)] += 1 }
      if counts.contains(n) { continue }  // every key shares this digit: nothing to move
      var total = 0
      for k in 0..<2048 { let c = counts[k]; counts[k] = total; total += c }
      for key in keys {
        let d = Int((key >> shift) & 2047)
        scratch[counts[d]] = key
        counts[d] += 1
      }
      swap(&keys, &scratch)
    }
    for i in 0..<n {
      let key = keys[i]
      values[i] = Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }
  }
}
