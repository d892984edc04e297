#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A calendar date as a day count since 1970-01-01 (proleptic Gregorian): cheap to compare, subtract and store,
/// and formatted as ISO `YYYY-MM-DD` without Foundation's date machinery (which is slow per row).
///
/// Conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public var number: Int

  public init(number: Int) { self.number = number }

  /// Today's date (UTC), from the system clock.
  public static var today: Day { Day(number: Int(time(nil)) / 86_400) }

  /// The day of `year-month-day`, or nil when that date does not exist.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * m + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    number = era * 146_097 + dayOfEra - 719_468
  }

  /// Parses `YYYY-MM-DD` exactly (no time, no other separators).
  public init?(iso text: Substring) {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
    func digits(_ range: Range<Int>) -> Int? {
      var v = 0
      for i in range {
        let d = Int(bytes[i]) - 48
        guard d >= 0 && d <= 9 else { return nil }
        v = v * 10 + d
      }
      return v
    }
    guard let y = digits(0..<4), y >= 1, let m = digits(5..<7), let d = digits(8..<10) else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// (year, month, day).
  public var civil: (year: Int, month: Int, day: Int) {
    let z = number + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// ISO `YYYY-MM-DD`.
  public var description: String {
    var bytes = [UInt8]()
    appendISO(to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends `YYYY-MM-DD` as bytes: the hot path of writing millions of dated rows.
  public func appendISO(to bytes: inout [UInt8]) {
    let (y, m, d) = civil
    guard (0...9999).contains(y) else {
      // Outside four digits (a date moved past year 9999 or before year 0): written in full, never wrapped.
      let text = String(y) + "-" + (m < 10 ? "0" : "") + String(m) + "-" + (d < 10 ? "0" : "") + String(d)
      bytes.append(contentsOf: text.utf8)
      return
    }
    bytes.append(UInt8(48 + y / 1000 % 10))
    bytes.append(UInt8(48 + y / 100 % 10))
    bytes.append(UInt8(48 + y / 10 % 10))
    bytes.append(UInt8(48 + y % 10))
    bytes.append(UInt8(ascii: "-"))
    bytes.append(UInt8(48 + m / 10))
    bytes.append(UInt8(48 + m % 10))
    bytes.append(UInt8(ascii: "-"))
    bytes.append(UInt8(48 + d / 10))
    bytes.append(UInt8(48 + d % 10))
  }

  public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
  public static func + (a: Day, days: Int) -> Day { Day(number: a.number + days) }
  public static func - (a: Day, days: Int) -> Day { Day(number: a.number - days) }
  public static func - (a: Day, b: Day) -> Int { a.number - b.number }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Whole calendar months from `start` to `end` (a child born 2022-01-15 is 23 months old on 2024-01-14 and 24 on
  /// 2024-01-15); days ÷ 30.44 would call exactly two years 23 months.
  public static func completedMonths(from start: Day, to end: Day) -> Int {
    let (y1, m1, d1) = start.civil, (y2, m2, d2) = end.civil
    return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0)
  }

  /// The same month and day `years` later (29 February → 28 February in a common year).
  public func adding(years: Int) -> Day {
    let (y, m, d) = civil
    return Day(year: y + years, month: m, day: min(d, Day.daysIn(month: m, year: y + years)))!
  }
}
