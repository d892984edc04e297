#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Parsing field values straight from bytes: going through `String` and `Double(_:)` per field was the usual
/// bottleneck of CSV readers (docs/architecture.md).
enum ValueParsing {
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
  /// divide), else `strtod`. Not `inf`/`nan`/hex, nor a value that overflows to infinity: those are not data values.
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
    var sawPoint = false
    if i < n && s[i] == 46 {
      integral = false
      sawPoint = true
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
    // A whole number of more than 15 digits (a 16-digit id, a UPRN with a prefix) would lose digits as a double.
    if !sawPoint && digits > 15 && (i == n || (s[i] != 101 && s[i] != 69)) { return nil }
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
    // 1e999 overflows to infinity: not a value uptake can use, so not a number (the checks report it).
    guard value.isFinite else { return nil }
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

  /// A real calendar date: `YYYY-MM-DD` under every format, or the declared day-month-year order. A time after the
  /// date (` 09:30`, `T09:30:00Z`) is accepted and dropped.
  @inline(__always)
  static func day(_ s: UnsafeBufferPointer<UInt8>, format: ReadSettings.DateFormat = .iso) -> Day? {
    if s.count >= 10, s[4] == 45, s[7] == 45, s.count == 10 || isTime(s, from: 10) {
      guard let y = digits(s, 0, 4), y >= 1, let m = digits(s, 5, 7), let d = digits(s, 8, 10) else { return nil }
      return Day(year: y, month: m, day: d)
    }
    guard let separator = format.separator else { return nil }
    // Day and month of one or two digits, then the year: 1/3/2024, 01/03/2024, 01.03.24.
    var i = 0
    func part(_ maxDigits: Int) -> Int? {
      let start = i
      while i < s.count && i - start < maxDigits && s[i] >= 48 && s[i] <= 57 { i += 1 }
      guard i > start else { return nil }
      return digits(s, start, i)
    }
    guard let first = part(2), i < s.count, s[i] == separator else { return nil }
    i += 1
    guard let second = part(2), i < s.count, s[i] == separator else { return nil }
    i += 1
    let yearStart = i
    guard var year = part(4) else { return nil }
    let yearDigits = i - yearStart
    guard i == s.count || isTime(s, from: i) else { return nil }
    if format == .dayMonthShortYear {
      guard yearDigits == 2 else { return nil }
      year += year <= 68 ? 2000 : 1900
    } else {
      guard yearDigits == 4 else { return nil }
    }
    let (day, month) = format == .monthDayYear ? (second, first) : (first, second)
    return Day(year: year, month: month, day: day)
  }

  /// Digits `s[from..<to]` as a number, or nil when any is not a digit.
  @inline(__always)
  static func digits(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
    var v = 0
    for i in from..<to {
      let d = Int(s[i]) &- 48
      guard d >= 0 && d <= 9 else { return nil }
      v = v &* 10 &+ d
    }
    return v
  }

  /// A time of day from `from` to the end: a space or `T`, then `hh:mm`, optional `:ss`, fraction, `Z`, an offset or
  /// AM/PM. Only its shape is checked: the time is dropped.
  static func isTime(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
    guard from + 5 <= s.count, s[from] == 32 || s[from] == 84 else { return false }
    var i = from + 1
    // hh:mm with a real hour and minute; what follows is only checked for its characters.
    let hourDigits = s[i + 1] == 58 ? 1 : 2
    guard let hour = digits(s, i, i + hourDigits), hour <= 23, i + hourDigits + 2 < s.count,
      s[i + hourDigits] == 58, let minute = digits(s, i + hourDigits + 1, i + hourDigits + 3), minute <= 59
    else { return false }
    var colons = 0
    while i < s.count {
      let b = s[i]
      if b >= 48 && b <= 57 || b == 46 || b == 43 || b == 45 || b == 90 || b == 32 {
        i += 1
      } else if b == 58 {
        colons += 1
        i += 1
      } else if (b | 0x20) == 97 || (b | 0x20) == 112 || (b | 0x20) == 109 {  // AM / PM
        i += 1
      } else {
        return false
      }
    }
    return colons >= 1
  }

  /// `1,234`, `£1,234.50`, `$12`, `€3.5`, `-£2`, `12%` (as 12): what `numbers: lenient` reads beyond plain numbers.
  /// Thousands separators must group digits in threes.
  static func lenientNumber(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
    var body = Array(s)
    var negative = false
    if body.first == 45 {
      negative = true
      body.removeFirst()
    }
    // Currency signs: £ (C2 A3), € (E2 82 AC), $.
    if body.starts(with: [0xC2, 0xA3]) {
      body.removeFirst(2)
    } else if body.starts(with: [0xE2, 0x82, 0xAC]) {
      body.removeFirst(3)
    } else if body.first == 36 {
      body.removeFirst()
    }
    if body.first == 45 && !negative {
      negative = true
      body.removeFirst()
    }
    if body.last == 37 { body.removeLast() }
    // Thousands separators: 1,234,567.89.
    if body.contains(44) {
      let point = body.firstIndex(of: 46) ?? body.count
      let groups = body[..<point].split(separator: 44, omittingEmptySubsequences: false)
      guard groups.count >= 2, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 })
      else { return nil }
      body.removeAll { $0 == 44 }
    }
    guard !body.isEmpty, body.first != 45, body.first != 43 else { return nil }
    let value = body.withUnsafeBufferPointer { number($0) }
    return value.map { negative ? -$0 : $0 }
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
