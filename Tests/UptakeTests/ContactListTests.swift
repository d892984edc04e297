import Foundation
import Records
import TestSupport
import Testing

/// A contact list an outreach team can act on: ranks within each group, the date to act by and the child's age,
/// the columns asked for, reasons that really raise the risk (never a filler), friendly headings, and a workbook
/// with a guide sheet and a sheet per group.
@Suite("Contact lists", .serialized)
struct ContactListTests {
  /// A synthetic council and a model trained on it, made once.
  static let council: String = {
    let dir = try! temporaryFolder("contact-list")
    precondition(try! runUptake(["synth", "--out", dir + "/council", "--children", "3000", "--quiet"]).status == 0)
    let trained = try! runUptake(["train", "--data", dir + "/council", "--out", dir + "/m.json"])
    precondition(trained.status == 0, trained.stderr)
    return dir
  }()

  func score(_ extra: [String], out: String) throws -> (status: Int32, stdout: String, stderr: String) {
    try runUptake(
      ["score", "--model", Self.council + "/m.json", "--data", Self.council + "/council", "--out", out] + extra)
  }

  @Test("ranks within each ward, the eligibility date and age of each child, and only the columns asked for")
  func columns() throws {
    let out = Self.council + "/by-ward.csv"
    let r = try score(["--capacity", "4", "--by", "ward", "--columns", "lsoa"], out: out)
    #expect(r.status == 0, "\(r.stderr)")
    let (header, rows) = try readCSV(out)
    #expect(
      header == [
        "rank", "rank_in_ward", "child_id", "family_id", "probability", "ward", "eligible_2yo_from", "age_months",
        "lsoa", "reason_1", "reason_2", "reason_3",
      ])
    // Within a ward, ranks run 1, 2, … down the list, at most the capacity.
    var last: [String: Int] = [:]
    for row in rows {
      let inWard = Int(row[1])!
      #expect(inWard == (last[row[5]] ?? 0) + 1 && inWard <= 4)
      last[row[5]] = inWard
    }
    // The anchor date is the child's own eligibility date, and the age is that of the as-of date (56 days before).
    let (childHeader, children) = try readCSV(Self.council + "/council/children.csv")
    let idIndex = childHeader.firstIndex(of: "child_id")!, eligible = childHeader.firstIndex(of: "eligible_2yo_from")!
    let born = childHeader.firstIndex(of: "date_of_birth")!
    let byId = Dictionary(uniqueKeysWithValues: children.map { ($0[idIndex], $0) })
    for row in rows.prefix(20) {
      let child = try #require(byId[row[2]])
      #expect(row[6] == child[eligible])
      let asOf = Day(iso: Substring(row[6]))! + (-56)
      #expect(Int(row[7]) == Day.completedMonths(from: Day(iso: Substring(child[born]))!, to: asOf))
    }
    #expect(!header.contains("date_of_birth") && !header.contains("first_language"))
  }

  @Test("every reason raises the log-odds by at least the threshold, largest first; no filler")
  func reasons() throws {
    let out = Self.council + "/all.csv"
    #expect(try score(["--reasons", "5"], out: out).status == 0)
    let (_, rows) = try readCSV(out)
    var short = 0
    for row in rows.prefix(12) + rows.suffix(12) {
      let explained = try runUptake([
        "explain", "--model", Self.council + "/m.json", "--data", Self.council + "/council", "--id", row[1],
        "--format", "csv",
      ])
      let (_, items) = try parseCSV(explained.stdout)
      let strong = items.dropFirst().filter { Double($0[4])! >= 0.1 }
        .sorted { Double($0[4])! > Double($1[4])! }.map { $0[6] }
      let reasons = Array(row[(row.count - 5)...]).filter { !$0.isEmpty }
      #expect(reasons == Array(strong.prefix(5)), "\(row[1]): \(reasons) vs \(strong)")
      if reasons.count < 5 { short += 1 }
    }
    // Low-risk families at the bottom have few reasons, not fillers.
    #expect(short > 0)
  }

  @Test("in the workbook, ids that look like numbers stay text; ranks and probabilities are numbers")
  func workbookTypes() throws {
    let dir = try temporaryFolder("xlsx-types")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let ids = ["1E5", "00123", "-0x1A", "2024E001", "12345678901234567890"]
    var text = "id,x,y\n"
    for i in 0..<80 { text += "\(i < ids.count ? ids[i] : "P\(i)"),\(i % 7),\(i % 3 == 0 ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    #expect(
      try runUptake([
        "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out", dir + "/m.json",
      ]).status == 0)
    let r = try runUptake([
      "score", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--format", "xlsx", "--out", dir + "/l.xlsx",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let csv = String(decoding: try ExcelWorkbook.csvBytes(path: dir + "/l.xlsx", sheet: "Contact list"), as: UTF8.self)
    for id in ids { #expect(csv.contains("," + id + ","), "\(id) in \(csv.prefix(300))") }
    // The sheet's XML holds the ids as inline strings and no formula.
    let unzip = try runProcess(
      "/usr/bin/env",
      [
        "python3", "-c",
        "import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet2.xml').decode())",
        dir + "/l.xlsx",
      ])
    let xml = unzip.stdout
    if unzip.status == 0 {
      #expect(xml.contains(">1E5</t>") && !xml.contains("<v>1E5</v>") && !xml.contains("<f>"))
    }
  }

  @Test("the family column is headed as the records name it")
  func familyColumnName() throws {
    let dir = try temporaryFolder("family-name")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var text = "id,household,x,y\n"
    for i in 0..<80 { text += "P\(i),H\(i / 2),\(i % 7),\(i % 3 == 0 ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let trained = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--group", "household",
      "--out", dir + "/m.json",
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(
      try runUptake(["score", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--out", dir + "/l.csv"]).status
        == 0)
    #expect(try readCSV(dir + "/l.csv").header.prefix(4) == ["rank", "id", "household", "probability"])
  }

  @Test("--min-probability, friendly headings and percentages")
  func friendly() throws {
    let out = Self.council + "/friendly.csv"
    let r = try score(
      ["--min-probability", "0.5", "--by", "ward", "--headers", "friendly", "--percent", "--reasons", "2"], out: out)
    #expect(r.status == 0, "\(r.stderr)")
    let (header, rows) = try readCSV(out)
    #expect(
      header == [
        "Rank", "Rank in ward", "Child ID", "Family ID", "Chance of no funded place", "Ward", "Eligible 2yo from",
        "Age (months)", "Reason 1", "Reason 2",
      ])
    #expect(!rows.isEmpty)
    for row in rows {
      #expect(row[4].hasSuffix("%") && Double(row[4].dropLast())! >= 50, "\(row[4])")
    }
    #expect(r.stdout.contains("probability at least 0.500"))
  }

  @Test("--columns refuses personal data and names the nearest column for a typo")
  func refusedColumns() throws {
    let out = Self.council + "/refused.csv"
    let personal = try score(["--columns", "date_of_birth"], out: out)
    #expect(personal.status == 1 && personal.stderr.contains("date_of_birth looks like personal data"))
    let typo = try score(["--columns", "lsao"], out: out)
    #expect(typo.status == 1 && typo.stderr.contains("did you mean lsoa?"), "\(typo.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("--format xlsx: a guide sheet, then one sheet per ward holding that ward's rows of the CSV list")
  func workbook() throws {
    let csv = Self.council + "/w.csv", xlsx = Self.council + "/w.xlsx"
    #expect(try score(["--capacity", "3", "--by", "ward"], out: csv).status == 0)
    let r = try score(["--capacity", "3", "--by", "ward", "--format", "xlsx"], out: xlsx)
    #expect(r.status == 0, "\(r.stderr)")
    let (header, rows) = try readCSV(csv)
    let wards = Set(rows.map { $0[5] }).sorted()
    for ward in wards {
      let bytes = try ExcelWorkbook.csvBytes(path: xlsx, sheet: ward)
      let (sheetHeader, sheetRows) = try parseCSV(String(decoding: bytes, as: UTF8.self))
      #expect(sheetHeader == header)
      let expected = rows.filter { $0[5] == ward }
      #expect(sheetRows.count == expected.count)
      for (got, want) in zip(sheetRows, expected) {
        // Numbers come back as numbers: 0.8400 reads 0.84.
        #expect(Double(got[4]) == Double(want[4]) && got[2] == want[2] && got.suffix(3) == want.suffix(3))
      }
    }
    let guide = String(decoding: try ExcelWorkbook.csvBytes(path: xlsx, sheet: "How to read this list"), as: UTF8.self)
    #expect(guide.contains("not what caused anything") && guide.contains("rank_in_ward"))
    #expect(try score(["--format", "xlsx"], out: "-").status == 64)
    // The name says the format when --format is not given; a --format the name contradicts is refused.
    #expect(try score([], out: Self.council + "/named.xlsx").status == 0)
    #expect(try FileSignature.of(path: Self.council + "/named.xlsx") == .xlsx)
    let clash = try score(["--format", "csv"], out: Self.council + "/clash.xlsx")
    #expect(clash.status == 64 && clash.stderr.contains("--format csv does not match --out"), "\(clash.stderr)")
  }

  @Test("flat-file options given for linked records, or --unit without --target, are errors, not ignored")
  func flatOptionsRefused() throws {
    let linked = try runUptake([
      "train", "--data", Self.council + "/council", "--target", "x", "--event", "1", "--unit", "family",
      "--out", Self.council + "/f.json",
    ])
    #expect(
      linked.status == 1 && linked.stderr.contains("flat-file options do not apply")
        && linked.stderr.contains("council/uptake.yaml"), "\(linked.stderr)")
    let unit = try runUptake(["check", "--data", Self.council + "/council", "--unit", "family"])
    #expect(unit.status == 64 && unit.stderr.contains("--unit names a flat file's rows"), "\(unit.stderr)")
  }

  /// LibreOffice's `soffice`, when installed.
  static let soffice: String? = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  @Test(
    "LibreOffice opens the workbook and converts every sheet back to the list's rows",
    .enabled(if: soffice != nil, "LibreOffice (soffice) is not installed; the structural check above still runs"))
  func libreOffice() throws {
    let dir = try temporaryFolder("libreoffice")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let csv = dir + "/w.csv", xlsx = dir + "/w.xlsx"
    #expect(try score(["--capacity", "2", "--by", "ward"], out: csv).status == 0)
    #expect(try score(["--capacity", "2", "--by", "ward", "--format", "xlsx"], out: xlsx).status == 0)
    // Filter options: comma, double quotes, UTF-8, from row 1, …, the last (-1) writes every sheet to its own file.
    // Standard error is dropped: LibreOffice's helper processes may hold it open after it exits.
    let convert = try RunningProcess(
      Self.soffice!,
      [
        "--headless", "-env:UserInstallation=file://\(dir)/profile", "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", dir + "/out", xlsx,
      ], collectingErrors: false
    ).finish()
    #expect(convert.status == 0)
    let (header, rows) = try readCSV(csv)
    for ward in Set(rows.map { $0[5] }) {
      let (sheetHeader, sheetRows) = try readCSV(dir + "/out/w-\(ward).csv")
      #expect(sheetHeader == header)
      #expect(sheetRows.map { $0[2] } == rows.filter { $0[5] == ward }.map { $0[2] })
    }
    let guide = try String(contentsOfFile: dir + "/out/w-How to read this list.csv", encoding: .utf8)
    #expect(guide.contains("Reasons"))
  }

  @Test("list_columns: in uptake.yaml puts columns on every list; a personal or unknown one is refused with its line")
  func listColumns() throws {
    let dir = try temporaryFolder("list-columns")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.copyItem(atPath: Self.council + "/council", toPath: dir + "/council")
    let config = dir + "/council/uptake.yaml"
    let text = try String(contentsOfFile: config, encoding: .utf8)
    func scoreWith(_ line: String) throws -> (status: Int32, stdout: String, stderr: String) {
      try (text + "\n" + line + "\n").write(toFile: config, atomically: true, encoding: .utf8)
      let trained = try runUptake(["train", "--data", dir + "/council", "--out", dir + "/m.json"])
      guard trained.status == 0 else { return trained }
      return try runUptake(["score", "--model", dir + "/m.json", "--data", dir + "/council", "--out", dir + "/l.csv"])
    }
    #expect(try scoreWith("list_columns: [lsoa, ward]").status == 0)
    #expect(try readCSV(dir + "/l.csv").header.contains("ward"))
    let personal = try scoreWith("list_columns: [date_of_birth]")
    #expect(
      personal.status == 1 && personal.stderr.contains("list column date_of_birth, which looks like personal data"))
    let unknown = try scoreWith("list_columns: [nosuch]")
    #expect(unknown.status == 1 && unknown.stderr.contains("list_columns: no column nosuch"), "\(unknown.stderr)")
  }
}
