#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Parsing field values straight from bytes: going through `String` and `Double(_:)` per field was the usual
/// bottleneck of CSV readers (design.md).
enum ValueParsing {
  /// Empty or `NA`.
  @inline(__always)
  static func isMissing(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    s.isEmpty || (s.count == 2 && s[0] == 78 && s[1] == 65)
  }

  /// Optional sign, then 1–18 digits.
  static func isInteger(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    if i < s.count && (s[i] == 45 || s[i] == 43) { i += 1 }
    let digits = s.count - i
    guard digits >= 1 && digits <= 18 else { return false }
    while i < s.count {
      guard s[i] >= 48 && s[i] <= 57 else { return false }
      i += 1
    }
    return true
  }

  /// A decimal number (`-12`, `3.25`, `.5`, `1e-3`, `2.5E+04`), correctly rounded: Clinger's fast path when the
  /// significand is exactly representable (≤ 2⁵³) and the power of ten is at most 22 (one exact multiply or
  /// divide), else `strtod`. Not `inf`/`nan`/hex: those are not data values here.
  @inline(__always)
  static func number(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
    let n = s.count
    var i = 0
    var negative = false
    if i < n && (s[i] == 45 || s[i] == 43) {
      negative = s[i] == 45
      i &+= 1
    }
    var mantissa: UInt64 = 0
    var exponent = 0
    var digits = 0
    var dropped = false  // a non-zero digit did not fit the significand
    while i < n {
      let d = UInt64(s[i] &- 48)
      if d > 9 { break }
      if mantissa < 100_000_000_000_000_000 {
        mantissa = mantissa &* 10 &+ d
      } else {
        exponent &+= 1
        dropped = dropped || d != 0
      }
      digits &+= 1
      i &+= 1
    }
    if i < n && s[i] == 46 {
      i &+= 1
      while i < n {
        let d = UInt64(s[i] &- 48)
        if d > 9 { break }
        if mantissa < 100_000_000_000_000_000 {
          mantissa = mantissa &* 10 &+ d
          exponent &-= 1
        } else {
          dropped = dropped || d != 0
        }
        digits &+= 1
        i &+= 1
      }
    }
    guard digits > 0 else { return nil }
    if i < n && (s[i] == 101 || s[i] == 69) {
      i &+= 1
      var expNegative = false
      if i < n && (s[i] == 45 || s[i] == 43) {
        expNegative = s[i] == 45
        i &+= 1
      }
      var e = 0
      var expDigits = 0
      while i < n {
        let d = Int(s[i] &- 48)
        if d < 0 || d > 9 { break }
        if e < 100_000 { e = e &* 10 &+ d }
        expDigits &+= 1
        i &+= 1
      }
      guard expDigits > 0 else { return nil }
      exponent &+= expNegative ? -e : e
    }
    guard i == n else { return nil }
    if !dropped && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
      let m = Double(mantissa)
      let value = exponent >= 0 ? m * powerOfTen(exponent) : m / powerOfTen(-exponent)
      return negative ? -value : value
    }
    // Slow path: exact decimal-to-binary conversion by the C library.
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { copy in
      for k in 0..<n { copy[k] = CChar(bitPattern: s[k]) }
      copy[n] = 0
      return strtod(copy.baseAddress!, nil)
    }
  }

  /// 10ᵏ for 0 ≤ k ≤ 22, all exact in a double.
  @inline(__always)
  static func powerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: return 1e0
    case 1: return 1e1
    case 2: return 1e2
    case 3: return 1e3
    case 4: return 1e4
    case 5: return 1e5
    case 6: return 1e6
    case 7: return 1e7
    case 8: return 1e8
    case 9: return 1e9
    case 10: return 1e10
    case 11: return 1e11
    case 12: return 1e12
    case 13: return 1e13
    case 14: return 1e14
    case 15: return 1e15
    case 16: return 1e16
    case 17: return 1e17
    case 18: return 1e18
    case 19: return 1e19
    case 20: return 1e20
    case 21: return 1e21
    default: return 1e22
    }
  }

  /// `YYYY-MM-DD`, a real calendar date.
  @inline(__always)
  static func day(_ s: UnsafeBufferPointer<UInt8>) -> Day? {
    guard s.count == 10, s[4] == 45, s[7] == 45 else { return nil }
    @inline(__always) func digits(_ from: Int, _ to: Int) -> Int? {
      var v = 0
      for i in from..<to {
        let d = Int(s[i]) &- 48
        guard d >= 0 && d <= 9 else { return nil }
        v = v &* 10 &+ d
      }
      return v
    }
    guard let y = digits(0, 4), let m = digits(5, 7), let d = digits(8, 10) else { return nil }
    return Day(year: y, month: m, day: d)
  }

  /// true/false, yes/no, y/n (any case), compared byte by byte without allocating.
  @inline(__always)
  static func boolean(_ s: UnsafeBufferPointer<UInt8>) -> Bool? {
    @inline(__always) func matches(_ word: StaticString) -> Bool {
      guard s.count == word.utf8CodeUnitCount else { return false }
      let w = word.utf8Start
      for i in 0..<s.count where (s[i] | 0x20) != w[i] { return false }
      return true
    }
    switch s.count {
    case 1: return matches("y") ? true : matches("n") ? false : nil
    case 2: return matches("no") ? false : nil
    case 3: return matches("yes") ? true : nil
    case 4: return matches("true") ? true : nil
    case 5: return matches("false") ? false : nil
    default: return nil
    }
  }
}
