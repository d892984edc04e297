import Foundation
import Testing
import ZIPFoundation

@testable import Records

/// A workbook written part by part, as small as Excel accepts, so each test states exactly the XML it reads.
struct WorkbookFixture {
  /// Each sheet's name and the rows inside its `<sheetData>`, in workbook order; sheet i is
  /// `xl/worksheets/sheet(i+1).xml`.
  var sheets: [(name: String, rows: String)]
  /// The body of each `<si>` in `xl/sharedStrings.xml`.
  var sharedStrings: [String] = []
  /// Custom number formats by id.
  var numberFormats: [Int: String] = [:]
  /// The number format id of each cell style (`s=` index); style 0 is General.
  var cellFormats: [Int] = [0]
  var date1904 = false
  /// Parts left out, to make a damaged workbook.
  var omitted: Set<String> = []

  static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  static let relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
  static let package = "http://schemas.openxmlformats.org/package/2006/relationships"

  /// The parts by path.
  var parts: [(String, String)] {
    let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    let type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    var types = "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    types += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    types += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(type).sheet.main+xml\"/>"
    types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(type).styles+xml\"/>"
    types += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"\(type).sharedStrings+xml\"/>"
    var sheetList = ""
    var relationships = ""
    for (i, sheet) in sheets.enumerated() {
      types += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"\(type).worksheet+xml\"/>"
      sheetList += "<sheet name=\"\(escaped(sheet.name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
      relationships +=
        "<Relationship Id=\"rId\(i + 1)\" Type=\"\(Self.relationship)/worksheet\" "
        + "Target=\"worksheets/sheet\(i + 1).xml\"/>"
    }
    let n = sheets.count
    relationships += "<Relationship Id=\"rId\(n + 1)\" Type=\"\(Self.relationship)/styles\" Target=\"styles.xml\"/>"
    relationships +=
      "<Relationship Id=\"rId\(n + 2)\" Type=\"\(Self.relationship)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    let formats = numberFormats.sorted { $0.key < $1.key }
      .map { "<numFmt numFmtId=\"\($0.key)\" formatCode=\"\(escaped($0.value))\"/>" }.joined()
    let styles = cellFormats.map { "<xf numFmtId=\"\($0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" }
    var parts: [(String, String)] = [
      (
        "[Content_Types].xml",
        header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\(types)</Types>"
      ),
      (
        "_rels/.rels",
        header + "<Relationships xmlns=\"\(Self.package)\"><Relationship Id=\"rId1\" "
          + "Type=\"\(Self.relationship)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
      ),
      (
        "xl/workbook.xml",
        header + "<workbook xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.relationship)\">"
          + (date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>") + "<sheets>\(sheetList)</sheets></workbook>"
      ),
      (
        "xl/_rels/workbook.xml.rels",
        header + "<Relationships xmlns=\"\(Self.package)\">\(relationships)</Relationships>"
      ),
      (
        "xl/styles.xml",
        header + "<styleSheet xmlns=\"\(Self.main)\"><numFmts count=\"\(formats.isEmpty ? 0 : numberFormats.count)\">"
          + "\(formats)</numFmts><fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills>"
          + "<borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
          + "<cellXfs count=\"\(styles.count)\">\(styles.joined())</cellXfs></styleSheet>"
      ),
      (
        "xl/sharedStrings.xml",
        header + "<sst xmlns=\"\(Self.main)\" count=\"\(sharedStrings.count)\" uniqueCount=\"\(sharedStrings.count)\">"
          + sharedStrings.map { "<si>\($0)</si>" }.joined() + "</sst>"
      ),
    ]
    for (i, sheet) in sheets.enumerated() {
      parts.append(
        (
          "xl/worksheets/sheet\(i + 1).xml",
          header + "<worksheet xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.relationship)\"><sheetData>\(sheet.rows)"
            + "</sheetData></worksheet>"
        ))
    }
    return parts.filter { !omitted.contains($0.0) }
  }

  /// Writes the workbook as `name` in `folder`, returning its path.
  func write(in folder: String, name: String = "book.xlsx") throws -> String {
    let path = folder + "/" + name
    try writeZip(path: path, entries: parts.map { ($0.0, Data($0.1.utf8)) })
    return path
  }
}

/// Writes a zip of `entries` (deflated) with ZIPFoundation.
func writeZip(path: String, entries: [(String, Data)]) throws {
  let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create, pathEncoding: nil)
  for (name, data) in entries {
    try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
      position, size in data.subdata(in: Int(position)..<Int(position) + size)
    }
  }
}

/// `text` safe inside an XML attribute or element.
func escaped(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// A fresh temporary folder, removed by `body`'s end.
func withScratchFolder<T>(_ body: (String) throws -> T) throws -> T {
  let folder = NSTemporaryDirectory() + "uptake-xlsx-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: folder) }
  return try body(folder)
}

/// The CSV text of one sheet of `fixture`.
func csvText(_ fixture: WorkbookFixture, sheet: String? = nil) throws -> String {
  try withScratchFolder { folder in
    String(decoding: try ExcelWorkbook.csvBytes(path: try fixture.write(in: folder), sheet: sheet), as: UTF8.self)
  }
}

/// The error `body` throws, as `ExcelError`.
func excelError(_ body: () throws -> Void) -> ExcelError? {
  do {
    try body()
    return nil
  } catch {
    return error as? ExcelError
  }
}

/// One row of inline-string cells, for headers.
func headerRow(_ names: String...) -> String {
  "<row r=\"1\">" + names.map { "<c t=\"inlineStr\"><is><t>\($0)</t></is></c>" }.joined() + "</row>"
}

/// `Tests/Data/excel`, found from this source file so the tests need no bundle resources.
let excelDataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Data/excel")

@Suite("Excel workbooks (.xlsx) read as CSV")
struct XLSXWorkbookTests {
  @Test("shared, rich-text, inline and formula strings, with phonetic guides left out and _xHHHH_ decoded")
  func strings() throws {
    var fixture = WorkbookFixture(
      sheets: [
        (
          "Sheet1",
          "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c>"
            + "<c r=\"B2\" t=\"inlineStr\"><is><t>inline</t></is></c></row>"
            + "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v></c>"
            + "<c r=\"B3\" t=\"inlineStr\"><is><r><t>in</t></r><r><rPr><b/>"
            + "</rPr><t>line rich</t></r></is></c></row>"
            + "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>4</v></c>"
            + "<c r=\"B4\" t=\"str\"><f>UPPER(A2)</f><v>PLAIN</v></c></row>"
        )
      ])
    fixture.sharedStrings = [
      "<t>name</t>", "<t>note</t>", "<t>plain</t>",
      "<r><t>Rich </t></r><r><rPr><b/><sz val=\"11\"/></rPr><t xml:space=\"preserve\">and bold</t></r>",
      "<t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/>",
    ]
    #expect(try csvText(fixture) == "name,note\nplain,inline\nRich and bold,inline rich\n東京,PLAIN\n")

    fixture.sharedStrings[2] = "<t>tab_x0009_here &amp; _x005F_x0041_</t>"
    #expect(try csvText(fixture).contains("\ntab\there & _x0041_,inline\n"))
  }

  @Test("numbers are the shortest text that reads back as the same double; integers have no .0")
  func numbers() throws {
    let values = ["1001", "-3", "0", "7.5", "0.1", "4.0000000000000001E-3", "1.0E+2", "12345678901234", "1E-05", "-0"]
    let cells = values.enumerated().map {
      "<row r=\"\($0.offset + 2)\"><c r=\"A\($0.offset + 2)\"><v>\($0.element)</v></c></row>"
    }
    let fixture = WorkbookFixture(sheets: [("Sheet1", headerRow("n") + cells.joined())])
    #expect(try csvText(fixture) == "n\n1001\n-3\n0\n7.5\n0.1\n0.004\n100\n12345678901234\n1e-05\n0\n")
  }

  @Test("booleans are TRUE and FALSE; error cells pass through as their text")
  func booleansAndErrors() throws {
    let fixture = WorkbookFixture(sheets: [
      (
        "Sheet1",
        headerRow("flag", "ratio", "lookup")
          + "<row r=\"2\"><c r=\"A2\" t=\"b\"><v>1</v></c><c r=\"B2\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
          + "<c r=\"C2\" t=\"e\"><v>#N/A</v></c></row>"
          + "<row r=\"3\"><c r=\"A3\" t=\"b\"><v>0</v></c><c r=\"B3\" t=\"e\"><v>#VALUE!</v></c>"
          + "<c r=\"C3\"><v>2</v></c></row>"
      )
    ])
    #expect(try csvText(fixture) == "flag,ratio,lookup\nTRUE,#DIV/0!,#N/A\nFALSE,#VALUE!,2\n")
  }

  @Test("cells go to their referenced column, gaps are empty, missing r is the next column, empty rows are skipped")
  func gapsAndEmptyCells() throws {
    let fixture = WorkbookFixture(sheets: [
      (
        "Sheet1",
        headerRow("a", "b", "c", "d")
          + "<row r=\"2\"><c r=\"C2\"><v>3</v></c></row>"
          + "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c><v>2</v></c><c r=\"D3\"><v>4</v></c></row>"
          + "<row r=\"4\"><c r=\"B4\" s=\"0\"/><c r=\"C4\" t=\"inlineStr\"><is><t></t></is></c></row>"
          + "<row r=\"7\"><c r=\"B7\"><v>2</v></c><c><v></v></c></row>"
          + "<row><c r=\"A8\"><v>1</v></c></row>"
      )
    ])
    #expect(try csvText(fixture) == "a,b,c,d\n,,3,\n1,2,,4\n,2,,\n1,,,\n")
  }

  @Test("fields with commas, quotes and line breaks are quoted, inner quotes doubled")
  func quoting() throws {
    var fixture = WorkbookFixture(sheets: [
      (
        "Sheet1",
        headerRow("text")
          + (0..<4).map { "<row r=\"\($0 + 2)\"><c r=\"A\($0 + 2)\" t=\"s\"><v>\($0)</v></c></row>" }.joined()
      )
    ])
    fixture.sharedStrings = [
      "<t>Smith, J</t>", "<t>said \"hi\"</t>", "<t>two\nlines</t>", "<t>cr_x000D_\nlf</t>",
    ]
    #expect(try csvText(fixture) == "text\n\"Smith, J\"\n\"said \"\"hi\"\"\"\n\"two\nlines\"\n\"cr\r\nlf\"\n")
    let table = try CSVReader.parse(Array(try csvText(fixture).utf8), source: "book.xlsx")
    #expect(categories(table["text"]) == ["Smith, J", "said \"hi\"", "two\nlines", "cr\r\nlf"])
  }

  @Test("numbers in a built-in or custom date format are ISO dates, any time of day dropped")
  func dates() throws {
    var fixture = WorkbookFixture(sheets: [
      (
        "Sheet1",
        headerRow("builtin", "uk", "long", "stamp", "plain")
          + "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45000</v></c><c r=\"B2\" s=\"2\"><v>44269</v></c>"
          + "<c r=\"C2\" s=\"3\"><v>1</v></c><c r=\"D2\" s=\"4\"><v>45000.999999999993</v></c>"
          + "<c r=\"E2\"><v>45000</v></c></row>"
          + "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>61</v></c><c r=\"B3\" s=\"2\"><v>59</v></c>"
          + "<c r=\"C3\" s=\"3\"><v>2958465</v></c><c r=\"D3\" s=\"4\"><v>45000.75</v></c>"
          + "<c r=\"E3\" s=\"9\"><v>1</v></c></row>"
      )
    ])
    fixture.numberFormats = [164: "dd/mm/yyyy", 165: "[$-809]dd mmmm yyyy;@", 166: "yyyy\\-mm\\-dd\\ hh:mm:ss"]
    fixture.cellFormats = [0, 14, 164, 165, 166]
    #expect(
      try csvText(fixture)
        == "builtin,uk,long,stamp,plain\n2023-03-15,2021-03-14,1900-01-01,2023-03-16,45000\n"
        + "1900-03-01,1900-02-28,9999-12-31,2023-03-15,1\n")
    let table = try CSVReader.parse(Array(try csvText(fixture).utf8), source: "book.xlsx")
    #expect(table["uk"]?.type == .date && table["builtin"]?.type == .date)
  }

  @Test("time-only formats (h:mm, mm:ss, [h]:mm:ss, built-in 20 and 21) are not dates")
  func timesAreNotDates() throws {
    var fixture = WorkbookFixture(sheets: [
      (
        "Sheet1",
        headerRow("a", "b", "c", "d", "e")
          + "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>0.5</v></c><c r=\"B2\" s=\"2\"><v>0.25</v></c>"
          + "<c r=\"C2\" s=\"3\"><v>1.5</v></c>"
          + "<c r=\"D2\" s=\"4\"><v>0.75</v></c><c r=\"E2\" s=\"5\"><v>0.125</v></c></row>"
      )
    ])
    fixture.numberFormats = [164: "h:mm", 165: "mm:ss", 166: "[h]:mm:ss"]
    fixture.cellFormats = [0, 164, 165, 166, 20, 21]
    #expect(try csvText(fixture) == "a,b,c,d,e\n0.5,0.25,1.5,0.75,0.125\n")
  }

  @Test(
    "which format codes show a date",
    arguments: [
      ("dd/mm/yyyy", true), ("d-mmm-yy", true), ("mmm yyyy", true), ("m/d", true), ("DD/MM/YYYY", true),
      ("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", true), ("yyyy-mm-dd hh:mm", true), ("h:mm", false), ("hh:mm:ss", false),
      ("mm:ss", false), ("[mm]:ss", false), ("[h]:mm", false), ("h:mm AM/PM", false), ("General", false),
      ("0.00", false), ("#,##0 \"days\"", false), ("0 \"yd\"", false), ("[Red]0.0", false), ("\\d0", false),
      ("0.00E+00", false), ("m", true),
    ])
  func formatCodes(code: String, isDate: Bool) {
    #expect(ExcelDates.isDate(code: code) == isDate, "\(code)")
  }

  @Test("cell references within Excel's limits give their column and row; column letters go back")
  func cellReferences() {
    #expect(ExcelCell.position("A1")! == (0, 1) && ExcelCell.position("AA10")! == (26, 10))
    #expect(ExcelCell.position("$C$7")! == (2, 7) && ExcelCell.position("XFD1048576")! == (16_383, 1_048_576))
    for bad in ["", "A", "7", "1A", "A0", "XFE1", "A1048577", "A-1", "ABCD1"] {
      #expect(ExcelCell.position(bad) == nil, "\(bad)")
    }
    #expect([0, 25, 26, 701, 702, 16_383].map(ExcelCell.letters) == ["A", "Z", "AA", "ZZ", "AAA", "XFD"])
  }

  @Test("the 1904 date system counts from 1904-01-01")
  func dateSystem1904() throws {
    var fixture = WorkbookFixture(sheets: [
      (
        "Sheet1",
        headerRow("when") + "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>43538</v></c></row>"
          + "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>0</v></c></row>"
      )
    ])
    fixture.cellFormats = [0, 14]
    fixture.date1904 = true
    #expect(try csvText(fixture) == "when\n2023-03-15\n1904-01-01\n")
  }

  @Test("a sheet is chosen by name; without one, the first sheet in workbook order")
  func sheetByName() throws {
    let fixture = WorkbookFixture(sheets: [
      ("Summary", headerRow("total") + "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"),
      ("Children", headerRow("id") + "<row r=\"2\"><c r=\"A2\"><v>7</v></c></row>"),
    ])
    #expect(try csvText(fixture) == "total\n2\n")
    #expect(try csvText(fixture, sheet: "Children") == "id\n7\n")
  }

  @Test("an unknown sheet name is an error listing the sheets and suggesting the nearest")
  func unknownSheet() throws {
    let fixture = WorkbookFixture(sheets: [("Summary", headerRow("a")), ("Children 2024", headerRow("b"))])
    try withScratchFolder { folder in
      let path = try fixture.write(in: folder)
      let error = excelError { _ = try ExcelWorkbook.csvBytes(path: path, sheet: "children 2042") }
      #expect(error == .unknownSheet(file: path, name: "children 2042", sheets: ["Summary", "Children 2024"]))
      #expect(
        error?.description
          == "workbook \(path) has no sheet named \"children 2042\"; its sheets are \"Summary\", \"Children 2024\"; "
          + "did you mean \"Children 2024\"?")
      let far = excelError { _ = try ExcelWorkbook.csvBytes(path: path, sheet: "Attendance") }
      #expect(
        far?.description.hasSuffix("its sheets are \"Summary\", \"Children 2024\"; give one of these names") == true)
    }
  }

  @Test("a value right of the header's last column is an error naming the sheet and cell")
  func cellBeyondHeader() throws {
    let fixture = WorkbookFixture(sheets: [
      ("Data", headerRow("a", "b") + "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"D2\"><v>9</v></c></row>")
    ])
    try withScratchFolder { folder in
      let path = try fixture.write(in: folder)
      let error = excelError { _ = try ExcelWorkbook.csvBytes(path: path) }
      #expect(error == .cellBeyondHeader(file: path, sheet: "Data", cell: "D2", headerRow: 1, lastColumn: "B"))
      let text = error?.description ?? ""
      #expect(text.contains("workbook \(path), sheet \"Data\", cell D2") && text.contains("(B in header row 1)"))
    }
  }

  /// Found by `make fuzz`: libxml2, under Foundation's XMLParser, crashed on a part starting with a UTF-16 mark
  /// followed by bytes that are not UTF-16 XML. The input is the fuzzer's own, trimmed.
  @Test("a part that is not UTF-8 XML is an error naming the part, never handed to the XML parser")
  func notUTF8Parts() throws {
    try withScratchFolder { folder in
      let crash = try Data(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
          .appendingPathComponent("Data/excel/utf16-garbage-workbook.bin"))
      for (name, bytes) in [
        ("crash.xlsx", crash), ("nul.xlsx", Data("<workbook>\u{0}</workbook>".utf8)),
        ("text.xlsx", Data("not xml at all".utf8)),
      ] {
        var parts = WorkbookFixture(sheets: [("Sheet1", headerRow("a"))]).parts.map { ($0.0, Data($0.1.utf8)) }
        let index = try #require(parts.firstIndex { $0.0 == "xl/workbook.xml" })
        parts[index].1 = bytes
        try writeZip(path: folder + "/" + name, entries: parts)
        guard
          case .damaged(_, let part, let problem)? = excelError({
            _ = try ExcelWorkbook.csvBytes(path: folder + "/" + name)
          })
        else {
          Issue.record("\(name): a damaged-workbook error expected")
          continue
        }
        #expect(part == "xl/workbook.xml" && problem.hasPrefix("is not UTF-8 XML"), "\(name): \(problem)")
      }
    }
  }

  @Test("a workbook without sheets, a missing part, broken XML and a non-zip are errors naming the file and part")
  func damagedWorkbooks() throws {
    try withScratchFolder { folder in
      let empty = try WorkbookFixture(sheets: []).write(in: folder, name: "empty.xlsx")
      #expect(excelError { _ = try ExcelWorkbook.csvBytes(path: empty) } == .noSheets(file: empty))

      var fixture = WorkbookFixture(sheets: [("Sheet1", headerRow("a"))])
      fixture.omitted = ["xl/worksheets/sheet1.xml"]
      let missing = try fixture.write(in: folder, name: "missing.xlsx")
      let error = excelError { _ = try ExcelWorkbook.csvBytes(path: missing) }
      #expect(error == .damaged(file: missing, part: "xl/worksheets/sheet1.xml", problem: "is missing"))
      #expect(
        error?.description.contains("workbook \(missing) is damaged: its part xl/worksheets/sheet1.xml is missing")
          == true)

      let broken = try WorkbookFixture(sheets: [("Sheet1", headerRow("a") + "<row r=\"2\"><c><v>1</c></row>")])
        .write(in: folder, name: "broken.xlsx")
      guard case .damaged(_, let part, let problem)? = excelError({ _ = try ExcelWorkbook.csvBytes(path: broken) })
      else { Issue.record("a damaged-workbook error expected"); return }
      #expect(part == "xl/worksheets/sheet1.xml" && problem.hasPrefix("is not well-formed XML (line 2"))

      let cut = folder + "/cut.xlsx"
      var parts = WorkbookFixture(sheets: [("Sheet1", headerRow("a"))]).parts
      parts[parts.count - 1].1 = "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>a</t></is></c></row>"
      try writeZip(path: cut, entries: parts.map { ($0.0, Data($0.1.utf8)) })
      guard case .damaged(_, let cutPart, _)? = excelError({ _ = try ExcelWorkbook.csvBytes(path: cut) }) else {
        Issue.record("a sheet cut short must be a damaged-workbook error")
        return
      }
      #expect(cutPart == "xl/worksheets/sheet1.xml")

      let bad = try WorkbookFixture(sheets: [
        ("Sheet1", headerRow("a") + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>5</v></c></row>")
      ])
      .write(in: folder, name: "badstring.xlsx")
      guard case .damaged? = excelError({ _ = try ExcelWorkbook.csvBytes(path: bad) }) else {
        Issue.record("a shared string out of range must be a damaged-workbook error")
        return
      }

      let csv = folder + "/plain.xlsx"
      try "a,b\n1,2\n".write(toFile: csv, atomically: true, encoding: .utf8)
      guard case .unreadable(let file, _)? = excelError({ _ = try ExcelWorkbook.csvBytes(path: csv) }) else {
        Issue.record("a non-zip must be unreadable")
        return
      }
      #expect(file == csv)
    }
  }

  @Test("a workbook written by openpyxl reads as the exact CSV expected")
  func openpyxlWorkbook() throws {
    let path = excelDataDirectory.appendingPathComponent("children.xlsx").path
    let csv = String(decoding: try ExcelWorkbook.csvBytes(path: path), as: UTF8.self)
    #expect(
      csv == """
        child_id,First name,Date of birth,Centre,Attendances
        1001,amelia,2021-03-14,Riverside,12
        1002,OLIVER,2020-11-02,,0
        1003,Isla-May,2019-02-28,"Hill Top, East",7.5
        1004,"Noah ""Nod"" Smith",2022-12-31,riverside,3
        1005,zara,2024-02-29,HILL TOP,0.25

        """)
    #expect(
      String(decoding: try ExcelWorkbook.csvBytes(path: path, sheet: "Notes"), as: UTF8.self)
        == "Exported for the uptake tests\n")
    let table = try CSVReader.parse(Array(csv.utf8), source: path)
    #expect(table.columns.map(\.type) == [.integer, .categorical, .date, .categorical, .number])
    #expect(table["Centre"]?.missingCount == 1)
  }
}

@Suite("What a file given as a table really is (xlsx, xls, gzip, ...)")
struct XLSXFileSignatureTests {
  /// The kind of a temporary file holding `bytes`.
  func signature(_ bytes: [UInt8]) throws -> FileSignature {
    try withScratchFolder { folder in
      let path = folder + "/data.csv"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      return try FileSignature.of(path: path)
    }
  }

  static let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
  static let encryptedPackage: [UInt8] = "EncryptedPackage".utf8.flatMap { [$0, 0] }

  @Test("an OLE2 compound file is .xls, or a password-protected workbook when it holds an EncryptedPackage stream")
  func ole2() throws {
    let header = Self.ole2 + [UInt8](repeating: 0, count: 504)
    #expect(try signature(header + [UInt8](repeating: 0xFF, count: 1024)) == .xls)
    #expect(try signature(header + [UInt8](repeating: 0, count: 1001) + Self.encryptedPackage) == .encryptedWorkbook)
    // The stream name across the boundary of the 1 MB chunks the file is read in.
    let far = header + [UInt8](repeating: 0, count: (1 << 20) - 512 - 7) + Self.encryptedPackage + [0, 0]
    #expect(try signature(far) == .encryptedWorkbook)
  }

  @Test("gzip, a zip that is not a workbook, NUL bytes, UTF-16 with a byte-order mark, plain CSV, and a workbook")
  func kinds() throws {
    #expect(try signature([0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0, count: 20)) == .gzip)
    #expect(try signature(Array("id,name\n1,\0x\n".utf8)) == .binary)
    #expect(try signature([0xFF, 0xFE] + "id,name\n".utf8.flatMap { [$0, 0] }) == .text)
    #expect(try signature([0xFE, 0xFF] + "id,name\n".utf8.flatMap { [0, $0] }) == .text)
    #expect(try signature(Array("id,name\n1,Ann\n".utf8)) == .text)
    #expect(try signature([]) == .text)
    try withScratchFolder { folder in
      let zip = folder + "/exports.csv"
      try writeZip(path: zip, entries: [("children.csv", Data("id\n1\n".utf8))])
      #expect(try FileSignature.of(path: zip) == .zip)
      let workbook = try WorkbookFixture(sheets: [("Sheet1", headerRow("a"))]).write(in: folder, name: "book.csv")
      #expect(try FileSignature.of(path: workbook) == .xlsx)
      let withoutTypes = try WorkbookFixture(sheets: [("Sheet1", headerRow("a"))], omitted: ["[Content_Types].xml"])
        .write(in: folder, name: "notypes.csv")
      #expect(try FileSignature.of(path: withoutTypes) == .zip)
    }
    #expect(try FileSignature.of(path: excelDataDirectory.appendingPathComponent("children.xlsx").path) == .xlsx)
  }

  @Test("every kind uptake does not read has a refusal saying what it is and what to save it as")
  func refusals() throws {
    #expect(FileSignature.text.refusal == nil && FileSignature.xlsx.refusal == nil)
    #expect(FileSignature.xls.refusal?.contains("Excel 97–2003 workbook (.xls)") == true)
    #expect(FileSignature.xls.refusal?.contains("save it as .xlsx or as CSV UTF-8") == true)
    #expect(FileSignature.encryptedWorkbook.refusal?.contains("password-protected") == true)
    #expect(FileSignature.gzip.refusal == "is gzip-compressed; decompress it first (gunzip)")
    #expect(FileSignature.zip.refusal == "is a zip archive, not a workbook; extract the CSV files from it")
    #expect(FileSignature.binary.refusal?.contains("NUL bytes") == true)
    #expect(throws: CSVError.self) { try FileSignature.of(path: "/nonexistent/uptake/data.csv") }
  }
}
