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
    guard let base = s.baseAddress, let (value, length, _) = scanNumber(base, limit: s.count), length == s.count else {
      return nil
    }
    return value
  }

  /// Parses the longest number at the start of `p[0..<limit]`, returning it, how many bytes it took, and whether its
  /// text is an integer (sign and at most 18 digits, no point or exponent) — nil if there is no number.
  /// Lets the reader parse a numeric field while finding its end, in one pass over its bytes.
  @inline(__always)
  static func scanNumber(_ base: UnsafePointer<UInt8>, limit n: Int) -> (Double, Int, integral: Bool)? {
    let s = UnsafeBufferPointer(start: base, count: n)
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
    var integral = digits <= 18
    if i < n && s[i] == 46 {
      integral = false
      i &+= 1
      // Eight fraction digits at a time while they fit the significand (SWAR, as in fast_float).
      while i &+ 8 <= n && mantissa < 10_000_000_000 {
        guard let eight = eightDigits(s.baseAddress! + i) else { break }
        mantissa = mantissa &* 100_000_000 &+ eight
        exponent &-= 8
        digits &+= 8
        i &+= 8
      }
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
      integral = false
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
    if !dropped && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
      let m = Double(mantissa)
      let value = exponent >= 0 ? m * powerOfTen(exponent) : m / powerOfTen(-exponent)
      return (negative ? -value : value, i, integral)
    }
    // Slow path: exact decimal-to-binary conversion by the C library.
    let length = i
    let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { copy in
      for k in 0..<length { copy[k] = CChar(bitPattern: s[k]) }
      copy[length] = 0
      return strtod(copy.baseAddress!, nil)
    }
    return (value, length, integral)
  }

  /// The value of eight ASCII digits at `p`, or nil if any byte is not a digit: one load and three multiplies
  /// instead of eight dependent steps (the "SWAR" conversion of simdjson and fast_float).
  @inline(__always)
  static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
    var v = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    // Every byte in 0x30...0x39: high nibble 3, and adding 6 does not carry into it.
    guard (v & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030,
      ((v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
    else { return nil }
    v &-= 0x3030_3030_3030_3030
    v = (v &* 10) &+ (v >> 8)  // pairs of digits in the even bytes
    let mask: UInt64 = 0x0000_00FF_0000_00FF
    let mul1: UInt64 = 100 &+ (1_000_000 << 32)
    let mul2: UInt64 = 1 &+ (10_000 << 32)
    return (((v & mask) &* mul1) &+ (((v >> 16) & mask) &* mul2)) >> 32
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
