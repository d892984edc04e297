import Foundation
import Learn
import Records
import Testing
import Uptake

@Suite("Point-in-time features on the synthetic council", .serialized)
struct FeatureEngineTests {
  static let council = try! WrittenCouncil(children: 3000, seed: 11)
  static let engine = try! FeatureEngine.load(configPath: council.directory + "/uptake.yaml")

  func numbers(_ frame: FeatureFrame, _ name: String) -> [Double] {
    switch frame.feature(name)?.values {
    case .number(let v)?, .integer(let v)?: return v
    default:
      Issue.record("feature \(name) is not numeric")
      return []
    }
  }

  @Test("the population is the eligible children, each seen 8 weeks before eligibility")
  func population() throws {
    let frame = try Self.engine.frame()
    let c = Self.council
    let eligible = zip(c.column("children", "child_id"), c.column("children", "eligible_2yo_from")).filter {
      !$0.1.isEmpty
    }
    #expect(frame.ids == eligible.map(\.0))
    for (k, (_, from)) in eligible.enumerated() { #expect(frame.asOf[k] == Day(iso: Substring(from))! - 56) }
    #expect(frame.groups?.count == frame.rowCount)
    #expect(frame.protected.map(\.name) == ["ethnicity", "sex", "first_language"])
  }

  @Test("features reproduce the truth's drivers exactly, and the labels its outcome rule")
  func matchesTruth() throws {
    let frame = try Self.engine.frame()
    let truth = Self.council.tables["truth"]!
    let row = Dictionary(uniqueKeysWithValues: truth.rows.map { ($0[0], $0) })
    let term = { (name: String) in truth.header.firstIndex(of: "contribution_" + name)! }
    let hub = numbers(frame, "hub_sessions_12m"), missed = numbers(frame, "missed_12m_review")
    let reached = numbers(frame, "outreach_reached"), imd = numbers(frame, "imd_decile")
    for (k, id) in frame.ids.enumerated() {
      let t = row[id]!
      #expect((hub[k] == 0) == (Double(t[term("no_hub_contact")])! > 0), "\(id) hub")
      #expect((missed[k] == 1) == (Double(t[term("missed_12m_review")])! > 0), "\(id) 12-month review")
      #expect((reached[k] == 1) == (Double(t[term("reached_by_outreach")])! < 0), "\(id) outreach")
      #expect((imd[k] <= 2) == (Double(t[term("imd")])! == TrueModel.imdMostDeprived), "\(id) imd")
    }
    // Labels: no funded place starting within 120 days of eligibility.
    let labels = try #require(frame.labels)
    let rate = Double(labels.filter { $0 }.count) / Double(labels.count)
    #expect(rate > 0.2 && rate < 0.36)
    let auc = Metrics.auc(scores: frame.ids.map { Double(row[$0]![1])! }, labels: labels)
    #expect(auc > 0.72, "oracle AUC on the engine's labels \(auc)")
  }

  /// The tables with every event row dated or recorded on or after `cutoff` removed (or, with `shift`, moved later).
  func withoutFuture(_ engine: FeatureEngine, cutoff: Day, shift: Bool) -> FeatureEngine {
    var tables = engine.tables
    for spec in engine.config.tables {
      guard let eventColumn = spec.eventTime, let table = tables[spec.name] else { continue }
      let dates = [eventColumn] + (spec.recordedTime.map { [$0] } ?? [])
      let future = (0..<table.rowCount).filter { row in
        dates.contains { name in
          guard case .date(let d) = table[name]!.values else { return false }
          return d[row] != ColumnValues.missingDay && Int(d[row]) >= cutoff.number
        }
      }
      let futureSet = Set(future)
      if shift {
        // Move every future row a year later: still in the future.
        let columns = table.columns.map { column -> Column in
          guard dates.contains(column.name), case .date(var d) = column.values else { return column }
          for row in future where d[row] != ColumnValues.missingDay { d[row] += 365 }
          return Column(name: column.name, values: .date(d))
        }
        tables[spec.name] = Table(source: table.source, rowCount: table.rowCount, columns: columns)
      } else {
        let keep = (0..<table.rowCount).filter { !futureSet.contains($0) }
        tables[spec.name] = Table(
          source: table.source, rowCount: keep.count, columns: table.columns.map { $0.subset(keep) })
      }
    }
    return FeatureEngine(config: engine.config, tables: tables)
  }

  @Test(
    "no leakage: deleting or moving any row dated or recorded on/after the as-of date changes no feature",
    arguments: ["2023-06-01", "2024-03-15"])
  func noLeakage(_ date: String) throws {
    let cutoff = Day(iso: Substring(date))!
    let before = try Self.engine.frame(asOf: cutoff)
    for shift in [false, true] {
      let after = try withoutFuture(Self.engine, cutoff: cutoff, shift: shift).frame(asOf: cutoff)
      for (a, b) in zip(before.features, after.features) {
        #expect(a.texts(Array(0..<before.rowCount)) == b.texts(Array(0..<after.rowCount)), "\(a.name) changed")
      }
    }
  }

  @Test("an earlier as-of date never uses more rows")
  func monotoneInTime() throws {
    let early = try Self.engine.frame(asOf: Day(iso: "2023-01-01")!)
    let late = try Self.engine.frame(asOf: Day(iso: "2024-01-01")!)
    for name in ["reviews_missed"] {
      for (a, b) in zip(numbers(early, name), numbers(late, name)) { #expect(a <= b) }
    }
  }

  @Test("config mistakes name the line and suggest the nearest name")
  func configErrors() throws {
    let original = try String(contentsOfFile: Self.council.directory + "/uptake.yaml", encoding: .utf8)
    let headers = { (source: ProjectConfig.TableSource) -> [String] in
      guard case .csv(let file, _, _) = source else { return [] }
      return try headerColumns(path: Self.council.directory + "/" + file)
    }
    func error(replacing old: String, with new: String) -> String {
      let text = original.replacingOccurrences(of: old, with: new)
      do {
        _ = try ProjectConfig.parse(text, file: "uptake.yaml", headers: headers)
        return "no error"
      } catch { return "\(error)" }
    }
    let badTable = error(replacing: "table: hub_sessions", with: "table: hub_session")
    #expect(badTable.contains("line") && badTable.contains("did you mean hub_sessions"))
    let badColumn = error(replacing: "column: areas.imd_decile", with: "column: areas.imd_decil")
    #expect(badColumn.contains("has no column imd_decil") && badColumn.contains("did you mean imd_decile"))
    let badKey = error(replacing: "    key: child_id", with: "    kee: child_id")
    #expect(badKey.contains("unknown key kee") && badKey.contains("did you mean key"))
    let line =
      original.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
        $0.contains("table: hub_sessions")
      }! + 1
    #expect(badTable.contains("line \(line)"))
    // unit: a word (plural known or made), or singular/plural; anything else (markup, digits) names its line.
    let badUnit = error(replacing: "unit: child ", with: "unit: \"<b>kids</b>\" ")
    #expect(badUnit.contains("unit \"<b>kids</b>\" is not a name") && badUnit.contains("line"), "\(badUnit)")
    // A reason is never blank, writes {value} exactly, and the sentence for a missing value holds none.
    let blank = error(replacing: "reason: \"lone parent: {value}\"", with: "reason: \"  \"")
    #expect(blank.contains("reason of lone_parent is empty") && blank.contains("line"), "\(blank)")
    let spaced = error(replacing: "reason: \"lone parent: {value}\"", with: "reason: \"lone parent: { Value }\"")
    #expect(spaced.contains("writes the placeholder as { Value }; write it {value} exactly"), "\(spaced)")
    let missing = error(
      replacing: "reason: \"lone parent: {value}\"",
      with: "reason: \"lone parent: {value}\"\n    reason_when_missing: \"lone parent {value}\"")
    #expect(missing.contains("reason_when_missing of lone_parent is said when the value is missing"), "\(missing)")
    let boolean = error(replacing: "unit: child ", with: "unit: yes ")
    #expect(boolean.contains("unit \"yes\" is not a name"), "\(boolean)")
    let families = try ProjectConfig.parse(
      original.replacingOccurrences(of: "unit: child ", with: "unit: family "), file: "uptake.yaml", headers: headers)
    #expect(families.unit == UnitName(singular: "family", plural: "families"))
  }

  @Test("unit names: known plurals, regular ones, singular/plural, and nothing but letters, spaces and hyphens")
  func unitNames() {
    #expect(UnitName(parsing: "child") == .child)
    #expect(UnitName(parsing: "Family")?.plural == "families")
    #expect(UnitName(parsing: "person")?.plural == "people")
    #expect(UnitName(parsing: "pupil")?.plural == "pupils")
    #expect(UnitName(parsing: "household")?.counted(1) == "1 household")
    #expect(UnitName(parsing: "boy")?.plural == "boys")
    #expect(UnitName(parsing: "box")?.plural == "boxes")
    #expect(UnitName(parsing: "cactus/cacti") == UnitName(singular: "cactus", plural: "cacti"))
    // A known plural is taken as such; another word that looks plural is refused rather than made "pupilses".
    #expect(UnitName(parsing: "children") == .child)
    #expect(UnitName(parsing: "families")?.singular == "family")
    #expect(UnitName(parsing: "class")?.plural == "classes")
    for bad in [
      "", "/", "a/b/c", "kid1", "<b>", "child;", String(repeating: "a", count: 41), "a/ ", "pupils", "true", "off",
      "null",
    ] {
      #expect(UnitName(parsing: bad) == nil, "\(bad)")
    }
  }
}

/// Reads a CSV header through the public reader, for the config tests.
func headerColumns(path: String) throws -> [String] {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  let header = String(text.prefix { $0 != "\n" }) + "\n"
  return try CSVReader.parse(Array(header.utf8), source: path).columnNames
}
