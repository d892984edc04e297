/// How a council's export is written: its date format, missing-value markers, encoding, delimiter, letter case of
/// codes and number style. Set once for every table under `read:` in `uptake.yaml`, per table under
/// `tables.NAME.read:`, or with `--date-format`, `--missing`, `--encoding`, `--delimiter`, `--numbers` for one CSV.
///
/// Every default is safe: nothing is guessed where two readings are possible (d/m against m/d), and a value that
/// none of these settings reads is an error naming its file, line and column, never a silent change of type.
public struct ReadSettings: Sendable, Equatable, Codable {
  public var dateFormat: DateFormat = .iso
  /// Cell texts read as missing, compared after surrounding spaces are trimmed.
  public var missing: [String] = ReadSettings.defaultMissing
  public var encoding: Encoding = .auto
  public var delimiter: Delimiter = .auto
  public var letterCase: LetterCase = .fold
  public var numbers: NumberStyle = .strict
  /// Set on what a reader detected (`Table.detected`) when the table came from an `.xlsx` workbook.
  public var isWorkbook = false

  public init() {}

  /// What councils' exports write for "no value": empty, R's and pandas' markers, SQL's, a dash, Excel's `#N/A`.
  public static let defaultMissing = ["", "NA", "N/A", "n/a", "NULL", "null", "-", "#N/A", "NaN"]

  /// Dates as exports write them. A time after the date (`01/03/2024 09:30`, ISO `2024-03-01T09:30:00`) is accepted
  /// and dropped; ISO `YYYY-MM-DD` is read under every format, since it cannot be mistaken for another.
  public enum DateFormat: String, Sendable, Codable, CaseIterable {
    case iso = "YYYY-MM-DD"
    case dayMonthYear = "DD/MM/YYYY"
    case monthDayYear = "MM/DD/YYYY"
    case dayMonthYearDashes = "DD-MM-YYYY"
    case dayMonthYearDots = "DD.MM.YYYY"
    /// Two-digit years, read only when declared: 00–68 are 2000–2068 and 69–99 are 1969–1999 (the POSIX pivot,
    /// as Python's `%y`).
    case dayMonthShortYear = "DD/MM/YY"

    /// The separator between day, month and year (nil for ISO).
    var separator: UInt8? {
      switch self {
      case .iso: return nil
      case .dayMonthYear, .monthDayYear, .dayMonthShortYear: return UInt8(ascii: "/")
      case .dayMonthYearDashes: return UInt8(ascii: "-")
      case .dayMonthYearDots: return UInt8(ascii: ".")
      }
    }
  }

  public enum Encoding: String, Sendable, Codable, CaseIterable {
    /// UTF-8 with or without a byte-order mark, UTF-16 by its byte-order mark, else Windows-1252 with a note.
    case auto
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case windows1252 = "windows-1252"
    case latin1 = "latin-1"
  }

  public enum Delimiter: String, Sendable, Codable, CaseIterable {
    /// Sniffed among comma, semicolon, tab and bar from the header and the first rows.
    case auto
    case comma = ","
    case semicolon = ";"
    case tab = "tab"
    case bar = "|"

    public var byte: UInt8? {
      switch self {
      case .auto: return nil
      case .comma: return UInt8(ascii: ",")
      case .semicolon: return UInt8(ascii: ";")
      case .tab: return 9
      case .bar: return UInt8(ascii: "|")
      }
    }

    /// The setting for a delimiter byte.
    static func of(_ byte: UInt8) -> Delimiter {
      allCases.first { $0.byte == byte } ?? .comma
    }

    /// `,` `;` `tab` (or a tab character) `|` or `auto`.
    public init?(text: String) {
      if text == "\t" || text.lowercased() == "tab" {
        self = .tab
      } else {
        guard let d = Delimiter(rawValue: text.lowercased()) else { return nil }
        self = d
      }
    }
  }

  public enum LetterCase: String, Sendable, Codable, CaseIterable {
    /// Categorical levels that differ only in letter case are one level, shown in their most frequent spelling.
    case fold
    case keep
  }

  public enum NumberStyle: String, Sendable, Codable, CaseIterable {
    /// Plain numbers only; a column of numbers with a few other values is an error.
    case strict
    /// Also `1,234` (thousands separators), `£1,234.50` (a currency sign: £, $ or €) and `12%` (read as 12).
    case lenient
  }

  private enum CodingKeys: String, CodingKey {
    case dateFormat, missing, encoding, delimiter, letterCase, numbers
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(dateFormat, forKey: .dateFormat)
    try c.encode(missing, forKey: .missing)
    try c.encode(encoding, forKey: .encoding)
    try c.encode(delimiter, forKey: .delimiter)
    try c.encode(letterCase, forKey: .letterCase)
    try c.encode(numbers, forKey: .numbers)
  }

  /// Bundles written before a setting existed read with its default.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    dateFormat = try c.decodeIfPresent(DateFormat.self, forKey: .dateFormat) ?? .iso
    missing = try c.decodeIfPresent([String].self, forKey: .missing) ?? Self.defaultMissing
    encoding = try c.decodeIfPresent(Encoding.self, forKey: .encoding) ?? .auto
    delimiter = try c.decodeIfPresent(Delimiter.self, forKey: .delimiter) ?? .auto
    letterCase = try c.decodeIfPresent(LetterCase.self, forKey: .letterCase) ?? .fold
    numbers = try c.decodeIfPresent(NumberStyle.self, forKey: .numbers) ?? .strict
  }

  /// These settings as the YAML a config would hold, for a summary or `uptake init` (defaults left out); nil when
  /// every setting is its default.
  public var yamlFlow: String? {
    var parts: [String] = []
    if dateFormat != .iso { parts.append("date_format: \(dateFormat.rawValue)") }
    if missing != Self.defaultMissing {
      parts.append("missing: [" + missing.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
    }
    if encoding != .auto { parts.append("encoding: \(encoding.rawValue)") }
    if delimiter != .auto && delimiter != .comma {
      parts.append("delimiter: \"\(delimiter == .tab ? "tab" : delimiter.rawValue)\"")
    }
    if letterCase != .fold { parts.append("case: \(letterCase.rawValue)") }
    if numbers != .strict { parts.append("numbers: \(numbers.rawValue)") }
    return parts.isEmpty ? nil : "{ " + parts.joined(separator: ", ") + " }"
  }
}

extension ReadSettings.DateFormat {
  /// The day-month order that dates written `d/m/y` (or with `-` or `.`) are in, from the values themselves: a first
  /// part above 12 means day first, a second part above 12 month first. With no such value, day first is assumed
  /// (UK exports) and `assumed` is true, so the caller says so; nil when no value looks like such a date, or when
  /// both orders are seen.
  public static func guessed(from texts: [String]) -> (format: Self, evidence: String, assumed: Bool)? {
    var dayFirst: String? = nil, monthFirst: String? = nil
    var separator: Character? = nil, shortYear = false
    for text in texts.prefix(20_000) {
      let datePart = text.split(separator: " ").first.map(String.init) ?? text
      guard let sep = datePart.first(where: { $0 == "/" || $0 == "-" || $0 == "." }) else { continue }
      let parts = datePart.split(separator: sep).map(String.init)
      guard parts.count == 3,
        parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
        parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4 || parts[2].count == 2,
        let a = Int(parts[0]), let b = Int(parts[1])
      else { continue }
      separator = sep
      shortYear = shortYear || parts[2].count == 2
      if a > 12 && dayFirst == nil { dayFirst = text }
      if b > 12 && monthFirst == nil { monthFirst = text }
    }
    guard let separator, !(dayFirst != nil && monthFirst != nil) else { return nil }
    if let monthFirst { return (.monthDayYear, "a second part above 12 (\(monthFirst))", false) }
    let format: Self =
      shortYear
      ? .dayMonthShortYear
      : separator == "-"
        ? .dayMonthYearDashes
        : separator == "."
          ? .dayMonthYearDots
          : .dayMonthYear
    if let dayFirst { return (format, "a first part above 12 (\(dayFirst))", false) }
    return (format, "no part above 12: day first assumed", true)
  }
}
