import Foundation
import Testing

@testable import Records

/// Every read setting on hand-made exports: date formats, missing markers, encodings, delimiters, letter case and
/// number styles, each with the error text a user sees when a value is not read.
@Suite("Read settings: council exports read right or refused clearly")
struct ReadSettingsTests {
  func read(_ bytes: [UInt8], _ settings: ReadSettings = .init(), types: [String: ColumnType] = [:]) throws -> Table {
    try CSVReader.parse(bytes, source: "export.csv", types: types, settings: settings)
  }

  func read(_ text: String, _ settings: ReadSettings = .init(), types: [String: ColumnType] = [:]) throws -> Table {
    try read(Array(text.utf8), settings, types: types)
  }

  func error(_ text: String, _ settings: ReadSettings = .init(), types: [String: ColumnType] = [:]) -> String {
    do {
      _ = try read(text, settings, types: types)
      return "no error"
    } catch { return "\(error)" }
  }

  func days(_ column: Column?) -> [String] {
    guard case .date(let v)? = column?.values else { return ["not dates: \(String(describing: column?.type))"] }
    return v.map { $0 == ColumnValues.missingDay ? "" : Day(number: Int($0)).description }
  }

  func texts(_ column: Column?) -> [String] { column?.texts(Array(0..<(column?.values.count ?? 0))) ?? [] }

  func settings(_ change: (inout ReadSettings) -> Void) -> ReadSettings {
    var s = ReadSettings()
    change(&s)
    return s
  }

  @Test("each declared date format reads its dates; ISO is read under every format; a time after the date is dropped")
  func dateFormats() throws {
    let cases: [(ReadSettings.DateFormat, String)] = [
      (.dayMonthYear, "01/03/2024"), (.monthDayYear, "03/01/2024"), (.dayMonthYearDashes, "01-03-2024"),
      (.dayMonthYearDots, "01.03.2024"), (.dayMonthShortYear, "01/03/24"), (.iso, "2024-03-01"),
    ]
    for (format, text) in cases {
      let s = settings { $0.dateFormat = format }
      let t = try read("d,n\n\(text),1\n2024-02-29,2\n\(text) 09:30,3\n", s)
      #expect(days(t["d"]) == ["2024-03-01", "2024-02-29", "2024-03-01"], "\(format.rawValue)")
    }
    let uk = settings { $0.dateFormat = .dayMonthYear }
    #expect(
      days(try read("d\n1/3/2024\n31/12/2023 23:59:59\n2024-03-01T09:30:00Z\n", uk)["d"])
        == ["2024-03-01", "2023-12-31", "2024-03-01"])
    // Two-digit years only when declared, with the POSIX pivot: 68 → 2068, 69 → 1969.
    let short = settings { $0.dateFormat = .dayMonthShortYear }
    #expect(days(try read("d\n01/01/68\n01/01/69\n", short)["d"]) == ["2068-01-01", "1969-01-01"])
    #expect(
      error("d\n01/03/24\n02/03/24\n", uk).contains("\"01/03/24\" is not a date in the declared format DD/MM/YYYY"))
  }

  @Test("undeclared day-month dates are refused with the fix; impossible dates name the value")
  func undeclaredDates() {
    #expect(
      error("id,d\n1,2024-01-02\n2,02/01/2024\n").contains(
        "line 3, column d: \"02/01/2024\" is a date not written YYYY-MM-DD (01/02/2024 could be 1 February or 2 "
          + "January); declare the format: read: {date_format: DD/MM/YYYY} in uptake.yaml (or --date-format DD/MM/YYYY)"
      ))
    #expect(
      error("d\n31/02/2024\n", settings { $0.dateFormat = .dayMonthYear }).contains(
        "\"31/02/2024\" is not a date in the declared format DD/MM/YYYY"))
    // A date of birth is personal data: the value is withheld.
    let dob = error("dob\n2024-01-02\n02/01/2024\n")
    #expect(dob.contains("(value withheld: personal data)") && !dob.contains("02/01/2024"))
  }

  @Test("missing markers: the defaults, markers added, and surrounding spaces")
  func missingMarkers() throws {
    let t = try read("x,y\n1,a\nNA,b\nN/A,c\nn/a,d\nNULL,e\nnull,f\n-,g\n#N/A,h\nNaN,i\n,j\n 12 ,k\n")
    #expect(t["x"]?.type == .integer && t["x"]?.missingCount == 9)
    #expect(texts(t["x"]).last == "12")
    let extra = settings { $0.missing += ["unknown", "?"] }
    let u = try read("x\n1\nunknown\n?\n4\n", extra)
    #expect(u["x"]?.type == .integer && u["x"]?.missingCount == 2)
  }

  @Test("a column of numbers with a few other values is an error listing up to five with their lines, and the fixes")
  func fewNonNumbers() {
    var text = "id,hours\n"
    for i in 1...20 { text += "\(i),\(i % 3 == 0 ? ["unknown", "tbc", "?", "x", "y", "z", "w"][i / 3 - 1] : "\(i)")\n" }
    let message = error(text)
    #expect(
      message.contains(
        "file export.csv, column hours holds numbers but for 6 values (line 4 \"unknown\", line 7 \"tbc\", line 10 \"?\", "
          + "line 13 \"x\", line 16 \"y\"); add them to the missing markers (read: missing: in uptake.yaml, or --missing), "
          + "set numbers: lenient (--numbers lenient) for 1,234 or £12 or 12%, or declare the column categorical "
          + "(types: in uptake.yaml, or --type hours=categorical)"), "\(message)")
    // Declared categorical, the same column reads as text.
    #expect(error(text, types: ["hours": .categorical]) == "no error")
    // Codes written with leading zeros (01, 23, 7p) are codes, not numbers with exceptions.
    #expect(error("ord\n01\n23\n46\n7p\n01\n") == "no error")
    // Mostly text with a few numbers is text.
    #expect(error("x\na\nb\nc\n1\n") == "no error")
  }

  @Test("numbers: overflow and infinity are errors; lenient reads thousands, currency and percentages")
  func numberStyles() throws {
    #expect(error("x\n1\n1e999\n").contains("\"1e999\" is not a finite number"))
    #expect(error("x\n1\n-inf\n").contains("\"-inf\" is not a finite number"))
    #expect(error("x\n\"1,234\"\n£12\n").contains("set numbers: lenient"))
    let lenient = settings { $0.numbers = .lenient }
    let t = try read("x,y\n\"1,234\",12%\n£1.50,-£2\n\"€1,000,000.25\",$3\n", lenient)
    guard case .number(let x)? = t["x"]?.values, case .integer(let y)? = t["y"]?.values else {
      Issue.record("wrong types: \(String(describing: t["x"]?.type)) \(String(describing: t["y"]?.type))")
      return
    }
    #expect(x == [1234, 1.5, 1_000_000.25] && y == [12, -2, 3])
    #expect(error("x\n\"1,23\"\n", lenient).contains("decimal comma"))
  }

  @Test("spreadsheet error cells are errors naming the cell, never data")
  func spreadsheetErrors() {
    for value in ["#VALUE!", "#DIV/0!", "#REF!", "#NAME?"] {
      #expect(
        error("id,x\n1,2\n2,\(value)\n").contains(
          "file export.csv, line 3, column x: \(value) is a spreadsheet formula error, not data"), "\(value)")
    }
  }

  @Test("a declared type that a value does not fit is an error naming the values; Excel serial days read as dates")
  func declaredTypes() throws {
    #expect(
      error("x\n1\nfour\n", types: ["x": .integer]).contains(
        "column x: 1 value does not read as integer (line 3 \"four\")"))
    let serial = try read("d\n45352\n2024-03-02\n", types: ["d": .date])
    #expect(days(serial["d"]) == ["2024-03-01", "2024-03-02"])
  }

  @Test("encodings: UTF-8 with a BOM, UTF-16 LE and BE by their BOM, Windows-1252 with a note, latin-1, strict UTF-8")
  func encodings() throws {
    let text = "name,amount\ncafé – crème,£3 a week\n"
    let utf8 = try read(Array(text.utf8))
    #expect(texts(utf8["name"]) == ["café – crème"] && utf8.notes.isEmpty)
    #expect(texts(try read([0xEF, 0xBB, 0xBF] + Array(text.utf8))["name"]) == ["café – crème"])
    let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    #expect(texts(try read(le)["name"]) == ["café – crème"])
    #expect(texts(try read(be)["name"]) == ["café – crème"])
    // Windows-1252: é = E9, – = 96, è = E8, £ = A3.
    let cp1252: [UInt8] =
      Array("name,amount\ncaf".utf8) + [0xE9, 0x20, 0x96, 0x20] + Array("cr".utf8) + [0xE8] + Array("me,".utf8)
      + [0xA3] + Array("3 a week\n".utf8)
    let auto = try read(cp1252)
    #expect(texts(auto["name"]) == ["café – crème"] && texts(auto["amount"]) == ["£3 a week"])
    #expect(
      auto.notes == [
        "export.csv is not UTF-8; read as Windows-1252 (Excel's \"CSV (Comma delimited)\"); if it is another encoding, "
          + "set encoding: under read: (e.g. latin-1), or --encoding"
      ])
    #expect(auto.detected.encoding == .windows1252)
    let latin1 = try read([0x78, 0x0A, 0xE9, 0x0A], settings { $0.encoding = .latin1 })
    #expect(texts(latin1["x"]) == ["é"])
    #expect(
      (try? read(cp1252, settings { $0.encoding = .utf8 })) == nil
        && error(String(decoding: cp1252, as: UTF8.self), settings { $0.encoding = .utf8 }).contains("not UTF-8"))
  }

  @Test("delimiters: semicolon, tab and bar are sniffed; quoted delimiters stay in the field; explicit wins")
  func delimiters() throws {
    for (d, name) in [(";", ReadSettings.Delimiter.semicolon), ("\t", .tab), ("|", .bar), (",", .comma)] {
      let t = try read("a\(d)b\(d)c\n1\(d)\"x\(d)y\"\(d)3\n4\(d)z\(d)6\n")
      #expect(t.columnNames == ["a", "b", "c"] && texts(t["b"]) == ["x\(d)y", "z"], "\(name)")
      #expect(t.detected.delimiter == name)
    }
    // Commas inside text do not outvote a consistent semicolon; decimal commas are refused, not misread.
    let eu = try read("a;b\nx, y;2\nz;4\n")
    #expect(eu.columnNames == ["a", "b"] && texts(eu["a"]) == ["x, y", "z"])
    #expect(error("a;b\n1,5;2\n3;4\n").contains("\"1,5\" has a decimal comma"))
    let explicit = try read("a;b,c\n1;2,3\n", settings { $0.delimiter = .comma })
    #expect(explicit.columnNames == ["a;b", "c"])
  }

  @Test("letter case: codes differing only in case or spaces are one level in the most frequent spelling, or kept")
  func letterCase() throws {
    let text = "id,lang\nA1,English\na1,english\nA2,ENGLISH \nA3,English\nA4, Other\n"
    let folded = try CSVReader.parse(Array(text.utf8), source: "export.csv", exactCase: ["id"])
    #expect(texts(folded["lang"]) == ["English", "English", "English", "English", "Other"])
    #expect(texts(folded["id"]) == ["A1", "a1", "A2", "A3", "A4"])  // keys keep their case
    #expect(
      folded.notes.contains {
        $0.contains(
          "column lang: 2 spellings differing only in letter case or spaces merged into the most frequent one")
      })
    let kept = try read(text, settings { $0.letterCase = .keep })
    #expect(texts(kept["lang"]) == ["English", "english", "ENGLISH", "English", "Other"])
  }

  @Test("header names are trimmed of surrounding spaces")
  func header() throws {
    #expect(try read(" id , amount \n1,2\n").columnNames == ["id", "amount"])
  }

  @Test("a header from bytes (standard input) is decoded and cut like a file's: UTF-16, a quoted line break")
  func headerFromBytes() throws {
    var utf16: [UInt8] = [0xFF, 0xFE]
    for unit in "id,\"x\ny\",c\r\nP1,2,a\r\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    #expect(
      try TableReader.csvHeader(bytes: utf16, source: "standard input", settings: .init()) == ["id", "x\ny", "c"])
  }
}
