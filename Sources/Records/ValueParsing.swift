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

  private static let powersOfTen: [Double] = (0...22).map { k in
    var p = 1.0
    for _ in 0..<k { p *= 10 }
    return p
  }

  /// A decimal number (`-12`, `3.25`, `.5`, `1e-3`, `2.5E+04`), correctly rounded: Clinger's fast path when the
  /// significand has at most 15 digits and the power of ten is at most 22 (one exact multiply or divide), else
  /// `strtod`. Not `inf`/`nan`/hex: those are not data values here.
  static func number(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
    let n = s.count
    var i = 0
    var negative = false
    if i < n && (s[i] == 45 || s[i] == 43) {
      negative = s[i] == 45
      i += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0, significant = 0, exponent = 0
    var sawDigit = false
    while i < n && s[i] >= 48 && s[i] <= 57 {
      sawDigit = true
      if significant > 0 || s[i] != 48 { significant += 1 }
      if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(s[i] - 48) } else { exponent += 1 }
      digits += 1
      i += 1
    }
    if i < n && s[i] == 46 {
      i += 1
      while i < n && s[i] >= 48 && s[i] <= 57 {
        sawDigit = true
        if significant > 0 || s[i] != 48 { significant += 1 }
        if significant <= 19 {
          mantissa = mantissa &* 10 &+ UInt64(s[i] - 48)
          exponent -= 1
        }
        i += 1
      }
    }
    guard sawDigit else { return nil }
    if i < n && (s[i] == 101 || s[i] == 69) {
      i += 1
      var expNegative = false
      if i < n && (s[i] == 45 || s[i] == 43) {
        expNegative = s[i] == 45
        i += 1
      }
      var e = 0
      var expDigits = 0
      while i < n && s[i] >= 48 && s[i] <= 57 {
        if e < 100_000 { e = e * 10 + Int(s[i] - 48) }
        expDigits += 1
        i += 1
      }
      guard expDigits > 0 else { return nil }
      exponent += expNegative ? -e : e
    }
    guard i == n else { return nil }
    if significant <= 15 && abs(exponent) <= 22 {
      let m = Double(mantissa)
      let value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
      return negative ? -value : value
    }
    // Slow path: exact decimal-to-binary conversion by the C library.
    var copy = [CChar](repeating: 0, count: n + 1)
    for k in 0..<n { copy[k] = CChar(bitPattern: s[k]) }
    return copy.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
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
