import Foundation
import Learn
import Records
import Testing
import Uptake

/// A written synthetic council read back as simple tables (the generator never writes quoted fields).
struct WrittenCouncil {
  let directory: String
  var tables: [String: (header: [String], rows: [[String]])] = [:]

  /// With `until` nil, an uncut extract (every event the generator draws, even later than today), so the truth's
  /// drivers and rates can be checked for every child; else the extract as taken on `until`.
  init(children: Int, seed: UInt64, until: Day? = Day(year: 2100, month: 1, day: 1)!) throws {
    directory = NSTemporaryDirectory() + "uptake-synth-\(children)-\(seed)-\(UUID().uuidString)"
    _ = try SyntheticCouncil(children: children, seed: seed, dataUntil: until).write(to: directory)
    for name in SyntheticCouncil.files where name.hasSuffix(".csv") {
      let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if lines.last == "" { lines.removeLast() }
      let split = { (line: String) in line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
      tables[String(name.dropLast(4))] = (split(lines[0]), lines.dropFirst().map(split))
    }
  }

  func column(_ table: String, _ name: String) -> [String] {
    let t = tables[table]!
    let j = t.header.firstIndex(of: name)!
    return t.rows.map { $0[j] }
  }

  func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)) }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite("Synthetic council", .serialized)
struct SyntheticCouncilTests {
  static let council = try! WrittenCouncil(children: 20_000, seed: 1)

  @Test("same seed, same bytes; another seed, other bytes")
  func determinism() throws {
    let a = try WrittenCouncil(children: 1500, seed: 5), b = try WrittenCouncil(children: 1500, seed: 5)
    let c = try WrittenCouncil(children: 1500, seed: 6)
    defer { a.remove(); b.remove(); c.remove() }
    for name in SyntheticCouncil.files { #expect(try a.bytes(name) == b.bytes(name), "\(name) differs") }
    #expect(try a.bytes("children.csv") != c.bytes("children.csv"))
  }

  @Test("every table has its documented columns, and every key resolves")
  func integrity() {
    let c = Self.council
    #expect(
      c.tables["children"]!.header == [
        "child_id", "family_id", "date_of_birth", "sex", "ethnicity",
        "first_language", "lsoa", "eligible_2yo_from", "eligibility_basis",
      ])
    #expect(
      c.tables["health_visits"]!.header == [
        "child_id", "review", "due_date", "outcome", "event_date",
        "recorded_date",
      ])
    #expect(c.tables["children"]!.rows.count == 20_000)
    let children = Set(c.column("children", "child_id")), families = Set(c.column("families", "family_id"))
    let areas = Set(c.column("areas", "lsoa"))
    #expect(children.count == 20_000 && families.count == c.tables["families"]!.rows.count)
    #expect(Set(c.column("children", "family_id")).isSubset(of: families))
    #expect(Set(c.column("children", "lsoa")).isSubset(of: areas))
    #expect(Set(c.column("health_visits", "child_id")).isSubset(of: children))
    #expect(Set(c.column("hub_sessions", "family_id")).isSubset(of: families))
    #expect(Set(c.column("hub_sessions", "child_id").filter { !$0.isEmpty }).isSubset(of: children))
    #expect(Set(c.column("early_education", "child_id")).isSubset(of: children))
    #expect(Set(c.column("outreach_contacts", "family_id")).isSubset(of: families))
    // A session's child belongs to the session's family.
    let familyOf = Dictionary(
      uniqueKeysWithValues: zip(c.column("children", "child_id"), c.column("children", "family_id")))
    for (family, child) in zip(c.column("hub_sessions", "family_id"), c.column("hub_sessions", "child_id"))
    where !child.isEmpty {
      #expect(familyOf[child] == family)
    }
    // truth.csv covers exactly the eligible children.
    let eligible = zip(c.column("children", "child_id"), c.column("children", "eligible_2yo_from")).filter {
      !$0.1.isEmpty
    }
    #expect(Set(eligible.map(\.0)) == Set(c.column("truth", "child_id")))
    // Every date parses.
    for date in c.column("health_visits", "recorded_date") + c.column("children", "date_of_birth") {
      #expect(Day(iso: Substring(date)) != nil)
    }
  }

  @Test("no event is dated after its recording")
  func recordedAfterEvent() {
    let c = Self.council
    for (event, recorded) in zip(c.column("health_visits", "event_date"), c.column("health_visits", "recorded_date")) {
      #expect(event <= recorded)  // ISO dates compare as text
    }
    for (event, recorded) in zip(c.column("hub_sessions", "attended_on"), c.column("hub_sessions", "recorded_date")) {
      #expect(event <= recorded)
    }
    // Some records arrive weeks late, as real exports do.
    let late = zip(c.column("health_visits", "event_date"), c.column("health_visits", "recorded_date")).filter {
      Day(iso: Substring($0.1))! - Day(iso: Substring($0.0))! > 28
    }
    #expect(late.count > 1000)
  }

  @Test(
    "an extract taken on a date holds no row dated or recorded after it, and every earlier row of the uncut council")
  func extractDate() throws {
    let uncut = try WrittenCouncil(children: 1500, seed: 5)
    let cut = try WrittenCouncil(children: 1500, seed: 5, until: Day(year: 2024, month: 3, day: 1)!)
    defer {
      try? FileManager.default.removeItem(atPath: uncut.directory)
      try? FileManager.default.removeItem(atPath: cut.directory)
    }
    let dated = [
      "health_visits": ["event_date", "recorded_date"], "hub_sessions": ["attended_on", "recorded_date"],
      "early_education": ["funded_from"], "outreach_contacts": ["contacted_on"],
    ]
    for (table, columns) in dated {
      let indexes = columns.map { uncut.tables[table]!.header.firstIndex(of: $0)! }
      let inExtract = { (row: [String]) in indexes.allSatisfy { row[$0] <= "2024-03-01" } }
      #expect(cut.tables[table]!.rows.allSatisfy(inExtract), "\(table)")
      #expect(cut.tables[table]!.rows == uncut.tables[table]!.rows.filter(inExtract), "\(table)")
    }
    #expect(cut.tables["children"]!.rows == uncut.tables["children"]!.rows)
    // By default the extract is four years after the first birth: none in the future.
    let defaults = SyntheticCouncil(children: 10, seed: 1)
    #expect(defaults.until == min(Day(year: 2025, month: 1, day: 1)!, Day.today - 1))
  }

  @Test("published English rates are reproduced")
  func publishedRates() {
    let c = Self.council
    let children = c.column("children", "child_id")
    let eligibleFrom = Dictionary(uniqueKeysWithValues: zip(children, c.column("children", "eligible_2yo_from")))
    let eligible = children.filter { !eligibleFrom[$0]!.isEmpty }
    let share = Double(eligible.count) / Double(children.count)
    #expect(abs(share - 0.27) <= 0.02, "eligible share \(share)")

    // Outcome by its definition: no funded place starting within 120 days of eligibility.
    var tookUp = Set<String>()
    for (child, from) in zip(c.column("early_education", "child_id"), c.column("early_education", "funded_from")) {
      guard let e = eligibleFrom[child], !e.isEmpty else { continue }
      let days = Day(iso: Substring(from))! - Day(iso: Substring(e))!
      if days >= 0 && days <= 120 { tookUp.insert(child) }
    }
    let nonTakeUp = Double(eligible.filter { !tookUp.contains($0) }.count) / Double(eligible.count)
    #expect(nonTakeUp >= 0.25 && nonTakeUp <= 0.30, "non-take-up \(nonTakeUp)")

    let reviews = c.column("health_visits", "review"), outcomes = c.column("health_visits", "outcome")
    for (review, rate) in [("new_birth", 0.852), ("6_8_week", 0.818), ("12_month", 0.884), ("2_2half_year", 0.808)] {
      let rows = zip(reviews, outcomes).filter { $0.0 == review }
      let completed = Double(rows.filter { $0.1 == "completed" }.count) / Double(rows.count)
      #expect(abs(completed - rate) <= 0.02, "\(review) completion \(completed), published \(rate)")
    }

    // Who misses out: deprived areas, EAL, recent movers, no hub contact.
    let truth = c.tables["truth"]!
    let noHub = truth.header.firstIndex(of: "contribution_no_hub_contact")!
    let lacksHub = Set(truth.rows.filter { Double($0[noHub])! > 0 }.map { $0[0] })
    let lsoa = Dictionary(uniqueKeysWithValues: zip(children, c.column("children", "lsoa")))
    let decile = Dictionary(
      uniqueKeysWithValues: zip(c.column("areas", "lsoa"), c.column("areas", "imd_decile").map { Int($0)! }))
    let language = Dictionary(uniqueKeysWithValues: zip(children, c.column("children", "first_language")))
    let family = Dictionary(uniqueKeysWithValues: zip(children, c.column("children", "family_id")))
    let moves = Dictionary(
      uniqueKeysWithValues: zip(
        c.column("families", "family_id"), c.column("families", "moves_last_12m").map { Int($0)! }))
    func rate(_ filter: (String) -> Bool) -> Double {
      let group = eligible.filter(filter)
      return Double(group.filter { !tookUp.contains($0) }.count) / Double(group.count)
    }
    #expect(rate { decile[lsoa[$0]!]! <= 2 } > rate { decile[lsoa[$0]!]! >= 9 } + 0.1)
    #expect(rate { language[$0]!.lowercased().hasPrefix("other") } > rate { language[$0]! == "English" } + 0.1)
    #expect(rate { moves[family[$0]!]! > 0 } > rate { moves[family[$0]!]! == 0 })
    #expect(rate { lacksHub.contains($0) } > rate { !lacksHub.contains($0) } + 0.1)

    // Hub attendance concentrates in a minority of families.
    var sessions: [String: Int] = [:]
    for f in c.column("hub_sessions", "family_id") { sessions[f, default: 0] += 1 }
    let counts = c.column("families", "family_id").map { sessions[$0] ?? 0 }.sorted(by: >)
    let top = counts.prefix(counts.count / 5).reduce(0, +)
    #expect(Double(top) / Double(counts.reduce(0, +)) > 0.6)
    #expect(counts.filter { $0 == 0 }.count > counts.count / 5)

    // Real exports are messy: some missing values and inconsistent spellings.
    #expect(c.column("children", "ethnicity").contains(""))
    #expect(c.column("families", "months_at_address").contains(""))
    #expect(Set(c.column("children", "first_language")).count > 3)
  }

  @Test("the truth is consistent and the oracle AUC is realistic (0.75–0.85)")
  func truth() throws {
    let c = Self.council
    let t = c.tables["truth"]!
    var scores: [Double] = [], labels: [Bool] = []
    let eligibleFrom = Dictionary(
      uniqueKeysWithValues: zip(c.column("children", "child_id"), c.column("children", "eligible_2yo_from")))
    var tookUp = Set<String>()
    for (child, from) in zip(c.column("early_education", "child_id"), c.column("early_education", "funded_from")) {
      guard let e = eligibleFrom[child], !e.isEmpty else { continue }
      let days = Day(iso: Substring(from))! - Day(iso: Substring(e))!
      if days >= 0 && days <= 120 { tookUp.insert(child) }
    }
    for row in t.rows {
      let p = Double(row[1])!, logit = Double(row[2])!
      let sum = row[3...].map { Double($0)! }.reduce(0, +)
      #expect(abs(sum - logit) <= 1e-5)
      #expect(abs(1 / (1 + exp(-logit)) - p) <= 1e-6)
      scores.append(p)
      labels.append(!tookUp.contains(row[0]))
    }
    let auc = Metrics.auc(scores: scores, labels: labels)
    #expect(auc >= 0.75 && auc <= 0.85, "oracle AUC \(auc)")
  }

  @Test("an unwritable folder is a clear error and leaves no partial file")
  func unwritable() throws {
    let blocker = NSTemporaryDirectory() + "uptake-blocker-\(UUID().uuidString)"
    FileManager.default.createFile(atPath: blocker, contents: Data("a file, not a folder".utf8))
    defer { try? FileManager.default.removeItem(atPath: blocker) }
    #expect {
      try SyntheticCouncil(children: 10, seed: 1).write(to: blocker + "/out")
    } throws: { error in
      "\(error)".contains(blocker)
    }
    #expect(!FileManager.default.fileExists(atPath: blocker + "/out"))
  }
}
