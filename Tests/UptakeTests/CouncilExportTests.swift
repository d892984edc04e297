import Foundation
import Records
import TestSupport
import Testing

@testable import Uptake

/// A council's real exports, end to end through the built `uptake`: the messy export reads to the same features and
/// model as the clean council, outcomes not yet known are left out and counted but still scored, `init` drafts a
/// config that trains once its placeholders are filled, and `check` finds every problem planted in broken councils.
@Suite("Council exports: messy, cut, drafted and checked", .serialized)
struct CouncilExportTests {
  /// One clean council and the same records as a messy export, both cut at 2024-03-01; written once.
  static let councils: (clean: String, messy: String, root: String) = {
    let root = try! temporaryFolder("exports")
    let clean = root + "/clean", messy = root + "/messy"
    for (out, extra) in [(clean, [String]()), (messy, ["--messy"])] {
      let r = try! runUptake(
        ["synth", "--out", out, "--children", "4000", "--seed", "3", "--data-until", "2024-03-01", "--quiet"] + extra)
      precondition(r.status == 0, r.stderr)
    }
    return (clean, messy, root)
  }()

  /// The clean council's config rewritten for the messy export: its file and column names, and its date format.
  static func messyConfig() throws -> String {
    var text = try String(contentsOfFile: councils.clean + "/uptake.yaml", encoding: .utf8)
    for (clean, file) in SyntheticExport.fileNames {
      text = text.replacingOccurrences(of: "file: \(clean)", with: "file: \"\(file)\"")
    }
    for (old, new) in SyntheticExport.renamed {
      text = text.replacingOccurrences(
        of: "\\b\(old)\\b", with: new, options: .regularExpression)
    }
    return text.replacingOccurrences(of: "version: 1\n", with: "version: 1\nread: { date_format: DD/MM/YYYY }\n")
  }

  @Test("the messy export (UK dates, N/A, mixed case, ;, UTF-16, .xlsx) gives the clean council's features and model")
  func messyEqualsClean() throws {
    let (clean, messy, root) = Self.councils
    try Self.messyConfig().write(toFile: messy + "/uptake.yaml", atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: messy + "/uptake.yaml") }
    for (data, name) in [(clean, "clean"), (messy, "messy")] {
      let f = try runUptake(["features", "--data", data, "--out", root + "/\(name)-features.csv"])
      #expect(f.status == 0, "\(name): \(f.stderr)")
      let t = try runUptake(
        ["train", "--data", data, "--learner", "logistic", "--out", root + "/\(name).json"])
      #expect(t.status == 0, "\(name): \(t.stderr)")
      #expect(t.stdout.contains("whose outcome window is not over by 2024-03-01"), "\(t.stdout)")
      let s = try runUptake([
        "score", "--model", root + "/\(name).json", "--data", data, "--capacity", "50", "--out",
        root + "/\(name)-list.csv",
      ])
      #expect(s.status == 0, "\(name): \(s.stderr)")
    }
    let features = try ["clean", "messy"].map {
      try String(contentsOfFile: root + "/\($0)-features.csv", encoding: .utf8)
    }
    // Same rows and values; only the id column names differ (child_id against child_ref).
    #expect(features[0].split(separator: "\n").dropFirst() == features[1].split(separator: "\n").dropFirst())
    let fingerprints = try ["clean", "messy"].map { name -> String in
      let json = try String(contentsOfFile: root + "/\(name).json", encoding: .utf8)
      return json.components(separatedBy: "\"dataFingerprint\" : \"").dropFirst().first?.prefix(16).description ?? ""
    }
    #expect(!fingerprints[0].isEmpty && fingerprints[0] == fingerprints[1])
    let lists = try ["clean", "messy"].map {
      try String(contentsOfFile: root + "/\($0)-list.csv", encoding: .utf8).split(separator: "\n").dropFirst()
    }
    #expect(lists[0] == lists[1])
  }

  @Test("a council cut at a date labels no unit whose outcome window is open, counts them, and still scores them")
  func censoredOutcomes() throws {
    let (clean, _, root) = Self.councils
    let features = root + "/cut-features.csv"
    let f = try runUptake(["features", "--data", clean, "--out", features])
    #expect(f.status == 0, "\(f.stderr)")
    #expect(f.stdout.contains("data until: 2024-03-01 (the latest event date"), "\(f.stdout)")
    // Each unit's outcome window ends 120 days after eligibility = as-of + 56: empty exactly when that is after the cut.
    let lines = try String(contentsOfFile: features, encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    let asOf = lines[0].firstIndex(of: "as_of")!, label = lines[0].firstIndex(of: "no_funded_place")!
    var open = 0
    for row in lines.dropFirst() {
      let windowEnd = try #require(Day(iso: Substring(row[asOf]))) + 56 + 120
      let cut = Day(year: 2024, month: 3, day: 1)!
      #expect((row[label] == "") == (windowEnd > cut), "\(row)")
      if row[label] == "" { open += 1 }
    }
    #expect(open > 0 && f.stdout.contains("outcome:    empty for \(open) whose outcome window is not over yet"))
    let t = try runUptake(["train", "--data", clean, "--out", root + "/cut.json"])
    #expect(t.stdout.contains("\(open) whose outcome window is not over by 2024-03-01"), "\(t.stdout)")
    // The event rate is an honest one, not 1.00 from open windows counted as "no place".
    let rate = t.stdout.split(separator: "\n").first { $0.contains("events:") }.map(String.init) ?? ""
    #expect(rate.contains("(2") || rate.contains("(3"), "\(rate)")
    let s = try runUptake([
      "score", "--model", root + "/cut.json", "--data", clean, "--as-of-from", "2024-01-01", "--out",
      root + "/cut-list.csv",
    ])
    #expect(
      s.status == 0 && s.stdout.contains("of these children have an outcome window not over yet, scored all the same"))
    // A later data_until in the config makes fewer outcomes unknown; --data-until overrides it.
    let later = try runUptake(["train", "--data", clean, "--data-until", "2023-12-01", "--out", root + "/cut2.json"])
    #expect(later.stdout.contains("data until: 2023-12-01 (--data-until)"), "\(later.stdout)")
    #expect(later.stderr.contains("after the end of the data, 2023-12-01 (--data-until)"), "\(later.stderr)")
    let none = try runUptake(["train", "--data", clean, "--data-until", "2023-01-01", "--out", root + "/cut3.json"])
    #expect(
      none.status == 1 && none.stderr.contains("every unit's as-of date is after the end of the data"), "\(none.stderr)"
    )
  }

  @Test("init quotes file and column names that YAML would misread: the draft parses and adds no key")
  func draftQuoting() throws {
    let dir = try temporaryFolder("init-quoting")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "kid,\"x: y #z\",yes\nK1,1,2\nK2,3,4\n".write(
      toFile: dir + "/a\"b: c #.csv", atomically: true, encoding: .utf8)
    try "kid,n\nK1,5\n".write(toFile: dir + "/2021.csv", atomically: true, encoding: .utf8)
    let drafted = try runUptake(["init", "--data", dir])
    #expect(drafted.status == 0, "\(drafted.stderr)")
    let yaml = try String(contentsOfFile: dir + "/uptake.yaml", encoding: .utf8)
    #expect(yaml.contains("file: \"a\\\"b: c #.csv\""), "\(yaml)")
    #expect(yaml.contains("file: \"2021.csv\"") || yaml.contains("file: 2021.csv"))
    // Parsed back, the draft stops only at its placeholders.
    let checked = try runUptake(["check", "--data", dir])
    #expect(checked.stdout.contains("population: is not set; fill it in"), "\(checked.stdout)")
  }

  @Test("init drafts a config from the messy export; once its placeholders are filled, check passes and train works")
  func initCheckTrain() throws {
    let (_, messy, root) = Self.councils
    let folder = root + "/drafted"
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.copyItem(atPath: messy, toPath: folder)
    let draft = try runUptake(["init", "--data", folder])
    #expect(draft.status == 0, "\(draft.stderr)")
    let yaml = try String(contentsOfFile: folder + "/uptake.yaml", encoding: .utf8)
    for expected in [
      "children_register: { file: Children register.csv, key: child_ref, read: { date_format: DD/MM/YYYY } }",
      "families: { file: Families.csv, key: family_ref, read: { delimiter: \";\" } }",
      "hv_contacts_csds_extract: { file: HV contacts (CSDS extract).csv, event_time: event_date, recorded_time: recorded_date",
      "family_hub_attendance: { file: Family hub attendance.txt, event_time: attended_on, recorded_time: recorded_date, read: { date_format: DD/MM/YYYY, delimiter: \"tab\" } }",
      "lsoa_lookup: { file: LSOA lookup.xlsx, key: lsoa_code }",
      "- { from: children_register.family_ref, to: families.family_ref }",
      "- { from: hv_contacts_csds_extract.child_ref, to: children_register.child_ref }",
      "# group: family_ref", "# protected: [sex, ethnicity, first_language]",
    ] {
      #expect(yaml.contains(expected), "draft lacks \(expected):\n\(yaml)")
    }
    #expect(!yaml.contains("name: ethnicity,") && !yaml.contains("name: dob"))
    // Never overwritten.
    let again = try runUptake(["init", "--data", folder])
    #expect(again.status == 1 && again.stderr.contains("already exists; uptake init never overwrites it"))
    // Placeholders: check names the first one and exits 1.
    let unfilled = try runUptake(["check", "--data", folder])
    #expect(unfilled.status == 1 && unfilled.stdout.contains("population: is not set; fill it in"))
    let filled =
      yaml + """
        population: { table: children_register, where: eligible_from is present }
        id: child_ref
        group: family_ref
        as_of: { column: eligible_from, offset_days: -56 }
        outcome: { name: no_funded_place, table: eyes_headcount, aggregation: count,
                   window: { anchor: eligible_from, from_days: 0, to_days: 120 }, event_when: equals 0 }
        protected: [sex, ethnicity, first_language]

        """
    try filled.write(toFile: folder + "/uptake.yaml", atomically: true, encoding: .utf8)
    let checked = try runUptake(["check", "--data", folder])
    #expect(checked.status == 0 && checked.stdout.contains("ok: train would run"), "\(checked.stdout)")
    #expect(checked.stdout.contains("personal data: children_register.dob (values never shown"))
    let trained = try runUptake(["train", "--data", folder, "--out", root + "/drafted.json"])
    #expect(trained.status == 0 && trained.stdout.contains("whose outcome window is not over by 2024-03-01"))
  }

  /// A small linked council for the check catalogue, with one problem planted per case.
  static let small: [String: String] = {
    // 60 children in 30 homes, due from 2024-01-05 on; a third have a place within their window (enough rows and both
    // outcomes for train to run, which check must agree with).
    var kids = "kid,home,born,due\n", visits = "kid,on,kind,logged\n", places = "kid,start\n", homes = "home,rooms\n"
    let first = Day(year: 2024, month: 1, day: 5)!
    for i in 1...60 {
      let due = first + (i - 1)
      kids += "K\(i),H\((i - 1) % 30 + 1),2022-01-01,\(due)\n"
      visits +=
        "K\(i),2023-06-\(String(format: "%02d", i % 28 + 1)),\(["review", "review", "Review", "hub"][i % 4]),2023-07-01\n"
      if i % 3 == 0 { places += "K\(i),\(due + 10)\n" }
    }
    for h in 1...30 { homes += "H\(h),\(h % 5 + 1)\n" }
    return ["kids.csv": kids, "homes.csv": homes, "visits.csv": visits, "places.csv": places]
  }()

  static let smallConfig = """
    version: 1
    data_until: 2024-12-31
    tables:
      kids: { file: kids.csv, key: kid }
      homes: { file: homes.csv, key: home }
      visits: { file: visits.csv, event_time: on, recorded_time: logged }
      places: { file: places.csv, event_time: start }
    links:
      - { from: kids.home, to: homes.home }
      - { from: visits.kid, to: kids.kid }
      - { from: places.kid, to: kids.kid }
    population: { table: kids }
    id: kid
    group: home
    as_of: { column: due, offset_days: -30 }
    outcome: { name: no_place, table: places, aggregation: count, window: { anchor: due, from_days: 0, to_days: 60 }, event_when: equals 0 }
    features:
      - { name: reviews, table: visits, aggregation: count, where: { kind: review } }
      - { name: rooms, column: homes.rooms }

    """

  func check(
    files: [String: String] = [:], config: (String) -> String = { $0 }, arguments: [String] = []
  ) throws -> (status: Int32, stdout: String, stderr: String) {
    let dir = try temporaryFolder("check")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (name, text) in Self.small.merging(files, uniquingKeysWith: { $1 }) {
      try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }
    try config(Self.smallConfig).write(toFile: dir + "/uptake.yaml", atomically: true, encoding: .utf8)
    return try runUptake(["check", "--data", dir] + arguments)
  }

  @Test("check finds every problem planted in a catalogue of broken councils, and exits 1 when train would stop")
  func checkCatalogue() throws {
    let good = try check()
    #expect(good.status == 0 && good.stdout.contains("ok: train would run"), "\(good.stdout)")
    #expect(good.stdout.contains("table kids (kids.csv): 60 rows") && good.stdout.contains("key kid unique"))
    #expect(good.stdout.contains("link visits.kid → kids.kid: 60 of 60 rows matched (100.0%)"))
    #expect(good.stdout.contains("data until: 2024-12-31 (data_until in uptake.yaml)"))
    // The where value "review" matches "Review" too under case: fold (the default).
    let cases: [(String, [String: String], (String) -> String, Int32, String)] = [
      (
        "duplicate key", ["kids.csv": Self.small["kids.csv"]! + "K1,H2,2022-01-01,2024-01-05\n"], { $0 }, 1,
        "table kids: 1 rows repeat a kid already seen"
      ),
      (
        "orphan key", ["visits.csv": Self.small["visits.csv"]! + "K999,2023-09-01,review,2023-09-01\n"], { $0 }, 0,
        "warning: visits: 1 of 61 rows have a kid with no match in kids.kid"
      ),
      (
        "recorded time not dates", ["visits.csv": "kid,on,kind,logged\nK1,2023-06-01,review,unknown\n"], { $0 }, 1,
        "recorded_time of table visits is logged, but it is read as categorical, not dates"
      ),
      (
        "where value never occurs", [:], { $0.replacingOccurrences(of: "kind: review", with: "kind: reveiw") }, 0,
        "where kind: reveiw matches no row of visits; did you mean review?"
      ),
      (
        "placeholder left", [:], { $0.replacingOccurrences(of: "population: { table: kids }\n", with: "") }, 1,
        "population: is not set; fill it in"
      ),
      (
        "unknown column", [:], { $0.replacingOccurrences(of: "homes.rooms", with: "homes.room") }, 1,
        "table homes has no column room; did you mean rooms?"
      ),
      (
        "every outcome open", [:], { $0.replacingOccurrences(of: "2024-12-31", with: "2024-01-01") }, 1,
        "no unit has a known outcome"
      ),
      (
        "a few words in a number column", ["homes.csv": "home,rooms\nH1,3\nH2,4\nH3,5\nH4,unknown\n"], { $0 }, 1,
        "column rooms holds numbers but for 1 value (line 5 \"unknown\")"
      ),
      (
        "undeclared UK dates", ["places.csv": "kid,start\nK1,20/01/2024\n"], { $0 }, 1,
        "\"20/01/2024\" is a date not written YYYY-MM-DD"
      ),
      (
        "spreadsheet error", ["homes.csv": "home,rooms\nH1,3\nH2,#DIV/0!\n"], { $0 }, 1,
        "line 3, column rooms: #DIV/0! is a spreadsheet formula error"
      ),
      (
        "unknown read setting", [:],
        { $0.replacingOccurrences(of: "version: 1\n", with: "version: 1\nread: { date_format: DD/MM/YYY }\n") }, 1,
        "date_format DD/MM/YYY is not one of"
      ),
    ]
    for (name, files, edit, status, expected) in cases {
      let r = try check(files: files, config: edit)
      #expect(r.status == status, "\(name): status \(r.status)\n\(r.stdout)")
      #expect(r.stdout.contains(expected), "\(name): wanted \(expected) in\n\(r.stdout)")
    }
    // --strict makes a warning fatal; JSON carries the same findings.
    let orphan = ["visits.csv": Self.small["visits.csv"]! + "K999,2023-09-01,review,2023-09-01\n"]
    let strict = try check(files: orphan, arguments: ["--strict"])
    #expect(strict.status == 1 && strict.stderr.contains("--strict: warnings are fatal"))
    let json = try check(files: orphan, arguments: ["--format", "json"])
    let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((parsed?["warnings"] as? [String])?.contains { $0.contains("no match in kids.kid") } == true)
    #expect((parsed?["population"] as? Int) == 60)
    // Train agrees with check on the good council: it runs.
    let dir = try temporaryFolder("check-train")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (name, text) in Self.small.merging(["uptake.yaml": Self.smallConfig]) { $1 } {
      try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }
    let trained = try runUptake(["train", "--data", dir, "--out", dir + "/m.json"])
    #expect(trained.status == 0, "\(trained.stderr)")
  }

  @Test("check never prints a personal value: examples of personal columns are withheld")
  func checkWithholdsPersonalData() throws {
    let r = try check(
      files: [
        "kids.csv":
          "kid,home,dob,due,mothers_name\nK1,H1,2022-01-01,2024-01-05,Olivia Jones\nK2,H2,2022-02-01,2024-02-05,Amy Smith\nK3,H1,2022-03-01,2024-03-01,Zoe Brown\n"
      ],
      config: {
        $0.replacingOccurrences(
          of: "population: { table: kids }", with: "population: { table: kids }\nprotected: [mothers_name]")
      })
    // A personal column cannot be a protected attribute (its values would be tabulated in reports).
    #expect(r.status == 1 && r.stdout.contains("protected column mothers_name, which looks like personal data"))
    // Allowed by name, it is read; its examples are still never shown, nor a date of birth used for an age.
    let allowed = try check(
      files: [
        "kids.csv":
          "kid,home,dob,due,mothers_name\nK1,H1,2022-01-01,2024-01-05,Olivia Jones\nK2,H2,2022-02-01,2024-02-05,Amy Smith\nK3,H1,2022-03-01,2024-03-01,Zoe Brown\n"
      ],
      config: {
        $0.replacingOccurrences(
          of: "population: { table: kids }",
          with: "population: { table: kids }\nprotected: [mothers_name]\npersonal: { allow: [mothers_name] }"
        ).replacingOccurrences(
          of: "  - { name: rooms, column: homes.rooms }",
          with:
            "  - { name: rooms, column: homes.rooms }\n  - { name: age, aggregation: age_in_months, column: kids.dob }")
      })
    #expect(allowed.stdout.contains("personal data: kids.dob, kids.mothers_name"), "\(allowed.stdout)")
    for output in [r.stdout + r.stderr, allowed.stdout + allowed.stderr] {
      for name in ["Olivia", "Amy", "Zoe", "2022-01-01"] { #expect(!output.contains(name), "\(name) printed") }
    }
  }

  @Test("a flat file's identifier columns are set aside, and said so, unless kept")
  func identifiersSetAside() throws {
    let dir = try temporaryFolder("flatids")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var text = "child_id,family_ref,case_number,score,y\n"
    for i in 0..<80 { text += "C\(i),F\(i / 2),\(1000 + i),\(i % 5),\(i % 3 == 0 ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let r = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--out", dir + "/m.json",
    ])
    #expect(r.status == 0 && r.stdout.contains("features:   1: score"), "\(r.stdout)")
    #expect(r.stderr.contains("set aside as identifiers, not features: child_id, family_ref, case_number"))
    let kept = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--keep", "case_number", "--out",
      dir + "/m.json",
    ])
    #expect(kept.stdout.contains("features:   2: case_number, score"), "\(kept.stdout)")
  }
}
