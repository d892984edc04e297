import Foundation
import TestSupport
import Testing

/// What a trial as a council data scientist and as a hostile user found, each kept fixed by a test that failed
/// before: silent wrong answers, values printed that must not be, and hangs.
@Suite("Export trial findings", .serialized)
struct ExportTrialTests {
  /// A folder with `files` written and `uptake` run in it; `DIR` in arguments is the folder.
  func run(_ files: [String: String], _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let dir = try temporaryFolder("trial")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
    return try runUptake(arguments.map { $0.replacingOccurrences(of: "DIR", with: dir) })
  }

  /// A flat file of `rows` rows: an id, a number x, and outcome y.
  func flat(_ rows: Int = 60, extra: (Int) -> String = { _ in "" }, header: String = "") -> String {
    var text = "id,x,y" + header + "\n"
    for i in 0..<rows { text += "P\(i),\(i % 7),\(i % 3 == 0 ? "yes" : "no")" + extra(i) + "\n" }
    return text
  }

  let linked: [String: String] = [
    "kids.csv": "kid,home,due\nK1,H1,2024-01-05\nK2,H2,2024-02-05\nK3,H1,2025-06-01\n",
    "homes.csv": "home,rooms\nH1,3\nH2,4\n",
    "places.csv": "kid,start\nK1,2024-01-20\n",
  ]

  let config = """
    version: 1
    tables:
      kids: { file: kids.csv, key: kid }
      homes: { file: homes.csv, key: home }
      places: { file: places.csv, event_time: start }
    links:
      - { from: kids.home, to: homes.home }
      - { from: places.kid, to: kids.kid }
    population: { table: kids }
    id: kid
    group: home
    as_of: { column: due, offset_days: -30 }
    outcome: { name: no_place, table: places, aggregation: count, window: { anchor: due, from_days: 0, to_days: 30 }, event_when: equals 0 }
    features:
      - { name: rooms, column: homes.rooms }

    """

  @Test("a unit whose as-of date is after the end of the data is left out and counted, never scored on a gap")
  func asOfAfterTheData() throws {
    let r = try run(
      linked.merging(["uptake.yaml": config]) { $1 }, ["features", "--data", "DIR", "--out", "DIR/f.csv"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains("left out:   1 whose as-of date is after the end of the data (2024-01-20): no records yet"))
    let all = try run(
      linked.merging(["uptake.yaml": config]) { $1 },
      ["features", "--data", "DIR", "--as-of", "2030-01-01", "--out", "DIR/f.csv"])
    #expect(all.status == 1 && all.stderr.contains("every unit's as-of date is after the end of the data"))
  }

  @Test("a data_until later than every event, and an as-of date after the outcome window opens, are warned")
  func lateEndAndLeakage() throws {
    let late = config.replacingOccurrences(of: "version: 1\n", with: "version: 1\ndata_until: 2024-06-30\n")
    let r = try run(linked.merging(["uptake.yaml": late]) { $1 }, ["features", "--data", "DIR", "--out", "DIR/f.csv"])
    #expect(r.stderr.contains("is 162 days after the latest event of any table (2024-01-20)"), "\(r.stderr)")
    let leak = try run(
      linked.merging(["uptake.yaml": late]) { $1 },
      ["features", "--data", "DIR", "--as-of", "2024-03-01", "--out", "DIR/f.csv"])
    #expect(leak.stderr.contains("units have their as-of date after their outcome window opens"), "\(leak.stderr)")
  }

  @Test("event rows without a date, and config numbers out of range, are said, never silent or a crash")
  func undatedAndRanges() throws {
    let undated = linked.merging([
      "places.csv": "kid,start\nK1,2024-01-20\nK2,N/A\n", "uptake.yaml": config,
    ]) { $1 }
    let r = try run(undated, ["features", "--data", "DIR", "--out", "DIR/f.csv"])
    #expect(r.stderr.contains("places: 1 of 2 rows have no start; they are never used"), "\(r.stderr)")
    for (old, new, expected) in [
      ("offset_days: -30", "offset_days: 9223372036854775807", "offset_days must be from -36500 to 36500 days"),
      ("to_days: 30", "to_days: -10", "to_days (-10) is before from_days (0)"),
      ("equals 0", "equals nan", "event_when supports \"equals <number>\""),
    ] {
      let bad = try run(
        linked.merging(["uptake.yaml": config.replacingOccurrences(of: old, with: new)]) { $1 },
        ["check", "--data", "DIR"])
      #expect(bad.status == 1 && bad.stdout.contains(expected), "\(new): \(bad.stdout) \(bad.stderr)")
    }
  }

  @Test("a declared integer column with decimals, and an Excel serial day in a date column, are errors")
  func declaredAndSerial() throws {
    let decimals = try run(
      [
        "in.csv": "id,km,y\n"
          + (0..<60).map { "P\($0),\(Double($0) / 3),\($0 % 2 == 0 ? "yes" : "no")" }.joined(separator: "\n") + "\n"
      ],
      [
        "features", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--type", "km=integer", "--out",
        "DIR/o.csv",
      ])
    #expect(
      decimals.status == 1 && decimals.stderr.contains("column km:")
        && decimals.stderr.contains("do not read as integer"))
    var dates = "id,d,y\n"
    for i in 0..<20 { dates += "P\(i),\(String(format: "%02d", i + 1))/03/2024,\(i % 2 == 0 ? "yes" : "no")\n" }
    dates += "P20,45352,no\n"
    let serial = try run(
      ["in.csv": dates],
      [
        "features", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--date-format", "DD/MM/YYYY", "--out",
        "DIR/o.csv",
      ])
    #expect(
      serial.status == 1 && serial.stderr.contains("column d holds dates but for 1 value (line 22 \"45352\")"),
      "\(serial.stderr)")
    #expect(serial.stderr.contains("a number may be an Excel serial day"))
  }

  @Test(
    "identifiers never appear in errors; personal columns cannot split a contact list; odd outcome values are named")
  func privacyAndOutcomes() throws {
    var dup = "nhs_number,x,y\n"
    for i in 0..<60 { dup += "\(4_000_000_000 + (i == 59 ? 1 : i)),\(i % 5),\(i % 2 == 0 ? "yes" : "no")\n" }
    let r = try run(
      ["in.csv": dup],
      ["train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--id", "nhs_number", "--out", "DIR/m.json"])
    #expect(
      r.status == 1 && r.stderr.contains("an id appears 2 times") && !r.stderr.contains("4000000001"), "\(r.stderr)")
    var unique = "nhs_number,x,y\n"
    for i in 0..<60 { unique += "\(4_000_000_000 + i),\(i % 5),\(i % 2 == 0 ? "yes" : "no")\n" }
    let named = try run(
      ["in.csv": unique],
      ["train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--id", "nhs_number", "--out", "DIR/m.json"])
    #expect(
      named.status == 0 && named.stderr.contains("the id column nhs_number looks like personal data"), "\(named.stderr)"
    )
    let withDob = flat(extra: { ",2022-01-\(String(format: "%02d", $0 % 28 + 1))" }, header: ",dob")
    let byDob = try run(
      ["in.csv": withDob],
      ["train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--exclude", "dob", "--out", "DIR/m.json"])
    #expect(byDob.status == 0, "\(byDob.stderr)")
    let dir = try temporaryFolder("bydob")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try withDob.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    _ = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--exclude", "dob", "--out",
      dir + "/m.json",
    ])
    let scored = try runUptake([
      "score", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--by", "dob", "--out", dir + "/list.csv",
    ])
    #expect(scored.status == 1 && scored.stderr.contains("dob looks like personal data"), "\(scored.stderr)")
    let pending = flat(extra: { _ in "" }).replacingOccurrences(of: "P5,5,no", with: "P5,5,pending")
      .replacingOccurrences(of: "P7,0,no", with: "P7,0,unknown")
    let odd = try run(
      ["in.csv": pending],
      ["features", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--out", "DIR/o.csv"])
    #expect(odd.stderr.contains("rows count as not yes: no 38, pending 1, unknown 1"), "\(odd.stderr)")
  }

  @Test("an excluded column is not read: its broken values cannot stop the run, and a typo in --exclude is named")
  func excludedNotRead() throws {
    let broken = flat(extra: { $0 % 10 == 0 ? ",#VALUE!" : ",\($0)" }, header: ",notes_calc")
    let r = try run(
      ["in.csv": broken],
      [
        "train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--exclude", "notes_calc", "--out",
        "DIR/m.json",
      ])
    #expect(r.status == 0, "\(r.stderr)")
    let typo = try run(
      ["in.csv": broken],
      [
        "train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--exclude", "note_calc", "--out",
        "DIR/m.json",
      ])
    #expect(
      typo.status == 1 && typo.stderr.contains("has no column note_calc (given to --exclude); did you mean notes_calc?")
    )
    // Left out and typed at once: both options are named, not "no column … did you mean" (found by a trial).
    let both = try run(
      ["in.csv": broken],
      [
        "train", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--exclude", "notes_calc", "--type",
        "notes_calc=number", "--out", "DIR/m.json",
      ])
    #expect(
      both.status == 1
        && both.stderr.contains("has column notes_calc left out by --exclude but named by --type; drop one of them"),
      "\(both.stderr)")
  }

  @Test("check refuses what train refuses (a date column as a feature) and never echoes control characters")
  func checkAgreesWithTrain() throws {
    let dated = flat(extra: { ",2024-01-\(String(format: "%02d", $0 % 28 + 1))" }, header: ",referral_date")
    let r = try run(["in.csv": dated], ["check", "--data", "DIR/in.csv", "--target", "y", "--event", "yes"])
    #expect(r.status == 1 && r.stdout.contains("feature referral_date holds dates"), "\(r.stdout)")
    let escaped = flat(extra: { $0 % 2 == 0 ? ",Eng\u{1B}[31mlish" : ",Other" }, header: ",lang")
    let e = try run(["in.csv": escaped], ["check", "--data", "DIR/in.csv", "--target", "y", "--event", "yes"])
    #expect(!e.stdout.contains("\u{1B}") && e.stdout.contains("Eng?[31mlish"), "\(e.stdout)")
  }

  @Test("check says which features have one value, or none, for every unit: they cannot change any score")
  func constantFeatures() throws {
    let constant = flat(extra: { _ in ",3," }, header: ",same,gone")
    let r = try run(
      ["in.csv": constant], ["check", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--id", "id"])
    #expect(r.status == 0 && r.stdout.contains("ok: train would run (2 warnings)"), "\(r.stdout)")
    #expect(r.stdout.contains("warning: feature same has the same value for every child"), "\(r.stdout)")
    #expect(r.stdout.contains("warning: feature gone is missing for every child"), "\(r.stdout)")
    #expect(!r.stdout.contains("feature x "), "\(r.stdout)")
    let strict = try run(
      ["in.csv": constant],
      ["check", "--data", "DIR/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--strict"])
    #expect(strict.status == 1)
  }

  @Test("a folder, a pipe and UTF-16 without a byte-order mark: refused or read as declared, never a hang")
  func fileKinds() throws {
    let dir = try temporaryFolder("kinds")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/x.csv", withIntermediateDirectories: true)
    let folder = try runUptake([
      "features", "--data", dir + "/x.csv", "--target", "y", "--event", "yes", "--out", dir + "/o.csv",
    ])
    #expect(folder.status == 1 && folder.stderr.contains("x.csv/uptake.yaml"), "\(folder.stderr)")
    #expect(mkfifo(dir + "/pipe.csv", 0o600) == 0)
    let pipe = try runUptake(["check", "--data", dir + "/pipe.csv", "--target", "y", "--event", "yes"])
    #expect(pipe.status == 1 && pipe.stdout.contains("pipe.csv is not a regular file"), "\(pipe.stdout)")
    let text = flat()
    let utf16 = Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    try utf16.write(to: URL(fileURLWithPath: dir + "/le.csv"))
    let declared = try runUptake([
      "features", "--data", dir + "/le.csv", "--target", "y", "--event", "yes", "--encoding", "utf-16", "--out",
      dir + "/o.csv",
    ])
    #expect(declared.status == 0, "\(declared.stderr)")
    let undeclared = try runUptake([
      "features", "--data", dir + "/le.csv", "--target", "y", "--event", "yes", "--out", dir + "/o.csv",
    ])
    #expect(undeclared.status == 1 && undeclared.stderr.contains("holds NUL bytes"))
  }

  @Test("init skips hidden, lock and header-only files, drafts lenient numbers, links each event table once")
  func initChoices() throws {
    let dir = try temporaryFolder("initchoices")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let files = [
      "children.csv": "child_id,family_id,born\nC1,F1,2022-01-01\nC2,F1,2022-02-01\nC3,F2,2022-03-01\n",
      "families.csv": "family_id,income\nF1,\"£1,200\"\nF2,£950\n",
      "sessions.csv": "family_id,child_id,on\nF1,C1,2023-01-01\nF1,,2023-02-01\nF2,,2023-03-01\nF2,C3,2023-04-01\n",
      ".hidden.csv": "a\n1\n", "~$book.xlsx": "lock", "empty.csv": "a,b\n",
    ]
    for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
    let r = try runUptake(["init", "--data", dir])
    #expect(r.status == 0, "\(r.stderr)")
    let yaml = try String(contentsOfFile: dir + "/uptake.yaml", encoding: .utf8)
    #expect(!yaml.contains("hidden") && !yaml.contains("book") && !yaml.contains("empty:"), "\(yaml)")
    #expect(r.stderr.contains("skipped empty.csv: a header but no rows"))
    #expect(yaml.contains("families: { file: families.csv, key: family_id, read: { numbers: lenient } }"), "\(yaml)")
    #expect(yaml.contains("- { from: sessions.family_id, to: families.family_id }"))
    #expect(!yaml.contains("- { from: sessions.child_id"), "\(yaml)")
    #expect(r.stdout.contains("note: sessions.child_id also matches children.child_id but is empty more often"))
    let missing = try runUptake(["init", "--data", dir + "/nowhere"])
    #expect(missing.status == 1 && missing.stderr.contains("is not a folder"), "\(missing.stderr)")
  }
}
