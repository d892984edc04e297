import Foundation
import PropertyBased
import Testing

@testable import Records

func parse(_ text: String, types: [String: ColumnType] = [:]) throws -> Table {
  try CSVReader.parse(Array(text.utf8), source: "test.csv", types: types)
}

func categories(_ column: Column?) -> [String?] {
  guard case .categorical(let codes, let levels)? = column?.values else { return [] }
  return codes.map { $0 < 0 ? nil : levels[Int($0)] }
}

func doubles(_ column: Column?) -> [Double] {
  switch column?.values {
  case .integer(let v)?, .number(let v)?: return v
  default: return []
  }
}

@Suite("CSV reader")
struct CSVReaderTests {
  @Test("types are inferred per column; empty and NA are missing")
  func inference() throws {
    let t = try parse(
      """
      id,count,rate,when,flag,lang
      a,1,0.5,2024-01-31,yes,English
      b,NA,2,2024-02-29,no,
      c,-3,1e-3,,Y,Polish

      """)
    #expect(t.rowCount == 3)
    #expect(t.columns.map(\.type) == [.categorical, .integer, .number, .date, .boolean, .categorical])
    #expect(doubles(t["count"]).map { $0.isNaN ? -99 : $0 } == [1, -99, -3])
    #expect(doubles(t["rate"]) == [0.5, 2, 0.001])
    guard case .date(let days)? = t["when"]?.values else { Issue.record("date expected"); return }
    #expect(days[0] == Int32(Day(year: 2024, month: 1, day: 31)!.number) && days[2] == ColumnValues.missingDay)
    guard case .boolean(let flags)? = t["flag"]?.values else { Issue.record("boolean expected"); return }
    #expect(flags == [true, false, true])
    #expect(categories(t["lang"]) == ["English", nil, "Polish"])
    #expect(t["count"]!.missingCount == 1)
  }

  @Test("RFC 4180: quotes, doubled quotes, embedded newlines, CRLF and a byte-order mark")
  func quoting() throws {
    let text = "\u{FEFF}name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\"\r\nLee,\"two\nlines\"\r\n\"\",plain\r\n"
    let t = try parse(text)
    #expect(t.columnNames == ["name", "note"])
    #expect(categories(t["name"]) == ["Smith, J", "Lee", nil])
    #expect(categories(t["note"]) == ["said \"hi\"", "two\nlines", "plain"])
  }

  @Test("a ragged row is an error naming the file and its line, counting embedded newlines")
  func ragged() {
    #expect(throws: CSVError.raggedRow(file: "test.csv", line: 4, expected: 2, found: 3)) {
      try parse("a,b\n1,\"x\ny\"\n3,4,5\n")
    }
    #expect(throws: CSVError.raggedRow(file: "test.csv", line: 3, expected: 2, found: 1)) { try parse("a,b\n1,2\n3") }
    #expect("\(CSVError.raggedRow(file: "c.csv", line: 9, expected: 2, found: 3))".contains("file c.csv, line 9"))
  }

  @Test("unclosed and stray quotes, empty files and bad headers are clear errors")
  func malformed() {
    #expect(throws: CSVError.unterminatedQuote(file: "test.csv", line: 2)) { try parse("a,b\n1,\"open\n2,3\n") }
    #expect(throws: CSVError.strayQuote(file: "test.csv", line: 2, column: "b")) { try parse("a,b\n1,x\"y\n") }
    #expect(throws: CSVError.strayQuote(file: "test.csv", line: 2, column: "a")) { try parse("a,b\n\"x\"y,2\n") }
    #expect(throws: CSVError.empty(file: "test.csv")) { try parse("") }
    #expect(throws: CSVError.duplicateColumn(file: "test.csv", name: "a")) { try parse("a,a\n1,2\n") }
    #expect(throws: CSVError.emptyColumnName(file: "test.csv", position: 2)) { try parse("a,,c\n1,2,3\n") }
  }

  @Test("large input is split across threads at row starts, quotes and line numbers intact")
  func chunked() throws {
    // Over 4 MiB, so two chunks: every third row has a quoted field with an embedded newline and a comma.
    var text = "id,note,value\n"
    var physicalLine = 1
    var expected: [String] = []
    for i in 0..<150_000 {
      let note = i % 3 == 0 ? "\"line one, \"\"q\"\"\nline two\"" : "plain\(i)"
      text += "r\(i),\(note),\(i)\n"
      expected.append(i % 3 == 0 ? "line one, \"q\"\nline two" : "plain\(i)")
      physicalLine += i % 3 == 0 ? 2 : 1
    }
    #expect(text.utf8.count > 4 << 20)
    let t = try parse(text)
    #expect(t.rowCount == 150_000)
    #expect(categories(t["note"]) == expected)
    #expect(doubles(t["value"]) == (0..<150_000).map(Double.init))
    // A ragged row in the second half reports its true physical line.
    let broken = text + "x,y,1,extra\n"
    #expect(throws: CSVError.raggedRow(file: "test.csv", line: physicalLine + 1, expected: 3, found: 4)) {
      try parse(broken)
    }
  }

  @Test("a missing file says so")
  func missingFile() {
    #expect(throws: CSVError.self) { try CSVReader.read(path: "/nonexistent/uptake.csv") }
  }

  @Test("a column whose type changes late is read again, exactly")
  func lateTypeChange() throws {
    let t = try parse("a,b,c\n1,2024-01-01,\nw,later,yes\nx,7,maybe\n,,\n")
    #expect(categories(t["a"]) == ["1", "w", "x", nil])
    #expect(categories(t["b"]) == ["2024-01-01", "later", "7", nil])
    #expect(categories(t["c"]) == [nil, "yes", "maybe", nil])
    let allMissing = try parse("a,b\n,1\nNA,2\n", types: ["a": .categorical])
    #expect(categories(allMissing["a"]) == [nil, nil])
    #expect(try parse("a,b\n,1\nNA,2\n")["a"]?.type == .number)
  }

  @Test("the fast numeric path agrees with the general one: types, missing values, quotes, CRLF, late text")
  func fastPathAgrees() throws {
    let t = try parse("a,b,c,d\r\n1,1,1,1\r\n2,2.0,,\"3\"\r\n3,NA,1e2,4\r\n4,5,6,7\r\n")
    #expect(t["a"]?.type == .integer && doubles(t["a"]) == [1, 2, 3, 4])
    #expect(t["b"]?.type == .number)  // "2.0" is not integer text
    #expect(doubles(t["b"]).map { $0.isNaN ? -1 : $0 } == [1, 2, -1, 5])
    #expect(t["c"]?.type == .number && doubles(t["c"]).map { $0.isNaN ? -1 : $0 } == [1, -1, 100, 6])
    #expect(t["d"]?.type == .integer && doubles(t["d"]) == [1, 3, 4, 7])  // a quoted number is a number
    let late = try parse("x,y\n1,2\n3,oh\n5,oops\n")
    #expect(categories(late["y"]) == ["2", "oh", "oops"])
    #expect(throws: CSVError.raggedRow(file: "test.csv", line: 4, expected: 2, found: 3)) {
      try parse("x,y\n1,2\n3,4\n5,6,7\n")
    }
    #expect(doubles(try parse("x,y\n1,2\n3,4")["y"]) == [2, 4])  // no newline at the end
  }

  @Test("reading selected columns gives the same values, skipping the rest (quoted or not)")
  func selectedColumns() throws {
    var text = "a,skip,b\n"
    for i in 0..<2000 { text += "\(i),\(i % 3 == 0 ? "\"x, \"\"y\"\"\nz\"" : "t\(i)"),\(Double(i) / 4)\n" }
    let all = try CSVReader.parse(Array(text.utf8), source: "t.csv")
    var parser = try Array(text.utf8).withUnsafeBufferPointer { buffer -> Table in
      var p = Parser(bytes: buffer, source: "t.csv")
      return try p.table(types: [:], columns: ["a", "b"])
    }
    #expect(parser.columnNames == ["a", "b"] && parser.rowCount == 2000)
    #expect(doubles(parser["a"]) == doubles(all["a"]) && doubles(parser["b"]) == doubles(all["b"]))
    parser = try Array(text.utf8).withUnsafeBufferPointer { buffer -> Table in
      var p = Parser(bytes: buffer, source: "t.csv")
      return try p.table(types: [:], columns: ["skip"])
    }
    #expect(categories(parser["skip"]) == categories(all["skip"]))
  }

  @Test("type overrides: a numeric-looking code read as a category")
  func overrides() throws {
    let t = try parse("state,n\n42,1\n07,2\n", types: ["state": .categorical])
    #expect(categories(t["state"]) == ["42", "07"])
    #expect(t["n"]?.type == .integer)
  }

  @Test("numbers parse exactly as the standard library does (property)")
  func exactNumbers() async {
    await propertyCheck(count: 400, input: Gen.int(in: 0...1_000_000_000), Gen.int(in: -30...30), Gen.int(in: 0...3)) {
      m, e, style in
      var value = Double(m) * pow(10, Double(e))
      if style == 3 { value = -value / 7 }
      let text: String
      switch style {
      case 0: text = String(value)
      case 1: text = String(format: "%.17g", value)
      case 2: text = String(format: "%.3f", value)
      default: text = String(format: "%.10e", value)
      }
      let parsed = Array(text.utf8).withUnsafeBufferPointer { ValueParsing.number($0) }
      // A whole number of more than 15 digits is an identifier, not a number (it would lose digits).
      let digits = text.filter(\.isNumber).count
      let whole = !text.contains(".") && !text.contains("e")
      if whole && digits > 15 {
        #expect(parsed == nil, "\(text)")
      } else {
        #expect(parsed?.bitPattern == Double(text)?.bitPattern, "\(text)")
      }
    }
  }

  @Test("whole numbers of more than 15 digits are text: an id, never a rounded number")
  func longIntegers() throws {
    for text in ["1234567890123456", "12345678901234567890", "-99999999999999999999999"] {
      #expect(Array(text.utf8).withUnsafeBufferPointer { ValueParsing.number($0) } == nil, "\(text)")
    }
    #expect(Array("123456789012345".utf8).withUnsafeBufferPointer { ValueParsing.number($0) } == 123_456_789_012_345)
    let ids = try CSVReader.parse(Array("id,x\n12345678901234567890,1\n12345678901234567891,2\n".utf8), source: "t")
    #expect(ids["id"]?.texts([0, 1]) == ["12345678901234567890", "12345678901234567891"])
  }

  @Test("malformed numbers are not numbers")
  func notNumbers() {
    for text in ["", "-", ".", "1.2.3", "1e", "1e+", "12a", "--1", "1,5", " 1"] {
      let parsed = Array(text.utf8).withUnsafeBufferPointer { ValueParsing.number($0) }
      #expect(parsed == nil, "\(text)")
    }
  }

  @Test("the writer's output reads back unchanged, including quotes and newlines")
  func roundTrip() throws {
    let path = NSTemporaryDirectory() + "uptake-roundtrip-\(UUID().uuidString).csv"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try CSVWriter(path: path, header: ["id", "text", "n", "when"])
    let texts = ["plain", "with, comma", "with \"quotes\"", "two\nlines", ""]
    for (i, text) in texts.enumerated() {
      writer.field("r\(i)")
      if text.isEmpty { writer.missing() } else { writer.field(text) }
      writer.field(i - 2)
      writer.field(Day(year: 2024, month: 2, day: 27)! + i)
      writer.endRow()
    }
    try writer.finish()
    let t = try CSVReader.read(path: path)
    #expect(categories(t["text"]) == texts.map { $0.isEmpty ? nil : $0 })
    #expect(doubles(t["n"]) == [-2, -1, 0, 1, 2])
    #expect(t["when"]?.type == .date)
  }
}

@Suite("Dates")
struct DayTests {
  @Test("civil date ↔ day number round trip (property), and ISO text")
  func roundTrip() async {
    await propertyCheck(count: 300, input: Gen.int(in: -200_000...200_000)) { n in
      let day = Day(number: n)
      let (y, m, d) = day.civil
      #expect(Day(year: y, month: m, day: d) == day)
      #expect(Day(iso: Substring(day.description)) == day || y < 1000 || y > 9999)
    }
    #expect(Day(year: 1970, month: 1, day: 1)!.number == 0)
    #expect(Day(iso: "2024-02-29")!.description == "2024-02-29")
  }

  @Test("impossible dates are rejected")
  func invalid() {
    for text in ["2021-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "31/02/2021", "2021-2-1", "2021-02-1x"] {
      #expect(Day(iso: Substring(text)) == nil, "\(text)")
    }
    #expect(Day(year: 2024, month: 2, day: 29)!.adding(years: 1).description == "2025-02-28")
  }
}

@Suite("Number parsing")
struct NumberParsingTests {
  @Test("eight digits at once equal digit-by-digit, and any non-digit is refused (property)")
  func eightDigits() async {
    await propertyCheck(count: 500, input: Gen.int(in: 0...99_999_999), Gen.int(in: 0...8)) { value, corrupt in
      var text = Array(String(format: "%08d", value).utf8)
      if corrupt < 8 { text[corrupt] = [UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), 0x20][corrupt % 4] }
      let parsed = text.withUnsafeBufferPointer { ValueParsing.eightDigits($0.baseAddress!) }
      #expect(parsed == (corrupt < 8 ? nil : UInt64(value)))
    }
  }
}

@Suite("Level table")
struct LevelTableTests {
  @Test("codes match a reference dictionary through growth and repeats (property)")
  func matchesDictionary() async {
    await propertyCheck(count: 40, input: Gen.int(in: 1...3000), Gen.int(in: 1...500)) { count, distinct in
      var table = LevelTable()
      var reference: [String: Int32] = [:]
      for i in 0..<count {
        let text = i % 7 == 0 ? "" : "level-\((i &* 7919) % distinct)"
        let code = Array(text.utf8).withUnsafeBufferPointer { table.code(for: $0) }
        if let known = reference[text] {
          #expect(code == known)
        } else {
          #expect(code == Int32(reference.count))
          reference[text] = code
        }
      }
      #expect(table.count == reference.count)
      #expect(table.levels.enumerated().allSatisfy { reference[$0.element] == Int32($0.offset) })
    }
  }
}
