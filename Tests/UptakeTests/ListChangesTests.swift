import Foundation
import TestSupport
import Testing

@testable import Uptake

/// `uptake changes` on two drops of one synthetic council, the second with planted records: a place taken up, a
/// child gone from the records, and a child's 12-month review corrected to "did not attend".
@Suite("Changes between two drops of the records", .serialized)
struct ListChangesTests {
  /// Lines of a CSV file, header first.
  static func lines(_ path: String) throws -> [[String]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }

  static func write(_ rows: [[String]], to path: String) throws {
    try (rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n")
      .write(toFile: path, atomically: true, encoding: .utf8)
  }

  @Test(
    "a place taken up leaves as took_up, a child gone as left_population, a corrected record enters with its reason")
  func plantedChanges() throws {
    let dir = try temporaryFolder("changes")
    for (name, until) in [("d1", "2024-09-01"), ("d2", "2024-10-01")] {
      let r = try runUptake([
        "synth", "--out", "\(dir)/\(name)", "--children", "4000", "--seed", "3", "--data-until", until, "--quiet",
      ])
      #expect(r.status == 0, "\(r.stderr)")
    }
    let train = try runUptake(["train", "--data", "\(dir)/d1", "--out", "\(dir)/m.json", "--quiet"])
    #expect(train.status == 0, "\(train.stderr)")
    let ranked = try runUptake([
      "score", "--model", "\(dir)/m.json", "--data", "\(dir)/d1", "--as-of-from", "2024-06-01", "--open-only",
      "--one-per-family", "--reasons", "0", "--out", "\(dir)/ranked.csv",
    ])
    #expect(ranked.status == 0, "\(ranked.stderr)")
    #expect(ranked.stdout.contains("not listed:"), "\(ranked.stdout)")
    let list = try Self.lines("\(dir)/ranked.csv")
    let column = Dictionary(uniqueKeysWithValues: list[0].enumerated().map { ($1, $0) })
    let ids = list.dropFirst().map { $0[column["child_id"]!] }
    let families = list.dropFirst().map { $0[column["family_id"]!] }
    let children = try Self.lines("\(dir)/d2/children.csv")
    let childColumn = Dictionary(uniqueKeysWithValues: children[0].enumerated().map { ($1, $0) })
    let eligible = Dictionary(
      uniqueKeysWithValues: children.dropFirst().map {
        ($0[childColumn["child_id"]!], $0[childColumn["eligible_2yo_from"]!])
      })
    let capacity = 20

    // Planted: a listed child eligible by late September takes up a place; another listed child leaves the records.
    let tookUp = try #require(ids.prefix(capacity).first { (eligible[$0] ?? "9999") <= "2024-09-25" })
    let gone = try #require(ids.prefix(capacity).first { $0 != tookUp })
    var education = try Self.lines("\(dir)/d2/early_education.csv")
    education.append([tookUp, "PRV1", eligible[tookUp]!, "autumn 2024", "15"])
    try Self.write(education, to: "\(dir)/d2/early_education.csv")
    try Self.write(children.filter { $0[childColumn["child_id"]!] != gone }, to: "\(dir)/d2/children.csv")
    // A child just below the list whose completed 12-month review is corrected to "did not attend" in the later drop:
    // its risk rises.
    var visits = try Self.lines("\(dir)/d2/health_visits.csv")
    let completed12 = Set(visits.filter { $0[1] == "12_month" && $0[3] == "completed" }.map { $0[0] })
    let corrected = try #require((capacity + 2..<min(ids.count, capacity + 15)).first { completed12.contains(ids[$0]) })
    visits = visits.map {
      $0[0] == ids[corrected] && $0[1] == "12_month" ? [$0[0], $0[1], $0[2], "did_not_attend"] + $0[4...] : $0
    }
    try Self.write(visits, to: "\(dir)/d2/health_visits.csv")

    let r = try runUptake([
      "changes", "--model", "\(dir)/m.json", "--before", "\(dir)/d1", "--after", "\(dir)/d2", "--as-of-from",
      "2024-06-01", "--capacity", "\(capacity)", "--one-per-family", "--out", "\(dir)/changes.csv",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let changes = try Self.lines("\(dir)/changes.csv")
    let c = Dictionary(uniqueKeysWithValues: changes[0].enumerated().map { ($1, $0) })
    let byId = Dictionary(uniqueKeysWithValues: changes.dropFirst().map { ($0[c["child_id"]!], $0) })
    let tookUpRow = try #require(byId[tookUp])
    #expect(tookUpRow[c["status"]!] == "left" && tookUpRow[c["why"]!] == "took_up" && tookUpRow[c["took_up"]!] == "yes")
    let goneRow = try #require(byId[gone])
    #expect(goneRow[c["status"]!] == "left" && goneRow[c["why"]!] == "left_population")
    #expect(goneRow[c["rank_after"]!].isEmpty && !goneRow[c["rank_before"]!].isEmpty)
    let correctedRow = try #require(byId[ids[corrected]], "the corrected family's child rose onto the list")
    #expect(correctedRow[c["status"]!] == "entered" && correctedRow[c["why"]!] == "moved_up")
    #expect(correctedRow[c["change_reason"]!].contains("review"), "\(correctedRow)")
    #expect(Double(correctedRow[c["change_log_odds"]!])! > 0)
    #expect(
      Double(correctedRow[c["probability_after"]!])! > Double(correctedRow[c["probability_before"]!])!)
    // Every other unit kept its score (features are as of each unit's own date): the reason says so.
    let unchanged = changes.dropFirst().filter { ![tookUp, gone, ids[corrected]].contains($0[c["child_id"]!]) }
    #expect(unchanged.allSatisfy { $0[c["change_reason"]!] == "score unchanged since the last list" })
    #expect(changes.dropFirst().filter { $0[c["status"]!] != "left" }.count == capacity)
    #expect(r.stdout.contains("left 2 (took up 1, outranked 0, left the population 1)"), "\(r.stdout)")
  }
}
