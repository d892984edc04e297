/// Which Excel number formats show a date, and which day an Excel serial number is.
///
/// A workbook stores a date as a plain number of days; only the cell's number format says it is a date. The CSV
/// reader infers dates from ISO text, so dates must be recognised here and written as `YYYY-MM-DD`.
enum ExcelDates {
  /// Whether number format `id` (with its custom `code`, if the workbook defines one) shows a date.
  ///
  /// The built-in formats that show a date are 14–17 and 22 (ECMA-376 §18.8.30) and the East Asian 27–36 and 50–58.
  /// The built-in time formats 18–21 and 45–47 are times, not dates, like custom codes with only h, m and s.
  static func isDate(formatID id: Int, code: String?) -> Bool {
    if let code { return isDate(code: code) }
    switch id {
    case 14...17, 22, 27...36, 50...58: return true
    default: return false
    }
  }

  /// Whether a custom format code shows a date: it has y or d, or an m that is a month rather than minutes, outside
  /// quoted text, `[...]` sections (colours, locales, elapsed time) and escaped characters.
  ///
  /// An m is minutes when the date-or-time letter before it is h, or the one after it is s (`h:mm`, `mm:ss`), as Excel
  /// reads it; `[h]`, `[mm]` and `[ss]` count as h, m and s for that. `AM/PM` and `A/P` are not letters of a date.
  static func isDate(code: String) -> Bool {
    let text = Array(code.lowercased().utf8)
    // The date and time letters in order, one per run ("yyyy" is one y); ";" ends a section.
    var tokens: [UInt8] = []
    var i = 0
    func starts(with literal: String) -> Bool {
      let bytes = Array(literal.utf8)
      return i + bytes.count <= text.count && Array(text[i..<i + bytes.count]) == bytes
    }
    while i < text.count {
      let c = text[i]
      switch c {
      case UInt8(ascii: "\""):
        i += 1
        while i < text.count && text[i] != UInt8(ascii: "\"") { i += 1 }
      case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
        i += 1  // the next character is shown as is (or is a fill or a space's width)
      case UInt8(ascii: "["):
        var j = i + 1
        while j < text.count && text[j] != UInt8(ascii: "]") { j += 1 }
        let inside = text[min(i + 1, j)..<j]
        if let first = inside.first, [UInt8(ascii: "h"), UInt8(ascii: "m"), UInt8(ascii: "s")].contains(first),
          inside.allSatisfy({ $0 == first })
        {
          tokens.append(first)
        }
        i = j
      case UInt8(ascii: "a") where starts(with: "am/pm"):
        i += 4
      case UInt8(ascii: "a") where starts(with: "a/p"):
        i += 2
      case UInt8(ascii: "y"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "h"), UInt8(ascii: "s"):
        while i + 1 < text.count && text[i + 1] == c { i += 1 }
        tokens.append(c)
      case UInt8(ascii: ";"):
        tokens.append(c)
      default:
        break
      }
      i += 1
    }
    for (k, token) in tokens.enumerated() {
      switch token {
      case UInt8(ascii: "y"), UInt8(ascii: "d"):
        return true
      case UInt8(ascii: "m"):
        let afterHour = k > 0 && tokens[k - 1] == UInt8(ascii: "h")
        let beforeSecond = k + 1 < tokens.count && tokens[k + 1] == UInt8(ascii: "s")
        if !afterHour && !beforeSecond { return true }
      default:
        continue
      }
    }
    return false
  }

  /// The largest serial Excel shows as a date: 9999-12-31.
  static let lastSerial = 2_958_465.0

  /// The day an Excel serial number falls on (its time of day dropped), or nil when it is no date Excel would show
  /// (negative, too large, not finite).
  ///
  /// In the 1900 date system serial 1 is 1900-01-01 and Excel counts a 29 February 1900 that never was (serial 60),
  /// so from serial 61 on day 0 is 1899-12-30; in the 1904 system (old Mac workbooks) day 0 is 1904-01-01.
  static func day(serial: Double, date1904: Bool) -> Day? {
    guard serial.isFinite, serial >= 0, serial < lastSerial + 1 else { return nil }
    // Round to the millisecond first: a time stored as 0.99999999999 of a day belongs to the next day.
    let milliseconds = (serial * 86_400_000).rounded()
    let whole = Int((milliseconds / 86_400_000).rounded(.down))
    if date1904 { return Day(number: whole - 24_107) }  // 1904-01-01 is 24,107 days before 1970-01-01
    return Day(number: whole >= 61 ? whole - 25_569 : whole - 25_568)  // 1899-12-30 is 25,569 days before 1970
  }
}
