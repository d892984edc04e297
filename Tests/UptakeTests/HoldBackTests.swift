import Foundation
import Records
import TestSupport
import Testing

@testable import Uptake

@Suite("Randomised hold-back and the allocation ledger", .serialized)
struct HoldBackTests {
  @Test("allocation: balanced within one unit per stratum, the same for the same seed, whatever the row order")
  func allocation() {
    let ids = (0..<2_000).map { "U\($0 * 7 % 2_003)" }
    let strata = ids.indices.map { "ward \($0 % 5) × " + HoldBack.band(Double($0 % 97) / 97) }
    let arms = HoldBack.allocate(ids: ids, strata: strata, share: 0.3, seed: 9)
    for (stratum, rows) in Dictionary(grouping: ids.indices, by: { strata[$0] }) {
      let held = rows.filter { arms[$0] == .holdBack }.count
      #expect(abs(Double(held) - 0.3 * Double(rows.count)) < 1, "\(stratum): \(held) of \(rows.count)")
    }
    #expect(HoldBack.allocate(ids: ids, strata: strata, share: 0.3, seed: 9) == arms)
    let order = ids.indices.reversed().map { $0 }
    let reordered = HoldBack.allocate(ids: order.map { ids[$0] }, strata: order.map { strata[$0] }, share: 0.3, seed: 9)
    #expect(order.enumerated().allSatisfy { k, i in reordered[k] == arms[i] }, "a unit's arm does not follow its row")
    let other = HoldBack.allocate(ids: ids, strata: strata, share: 0.3, seed: 10)
    #expect(other != arms, "another seed, another draw")
    #expect(HoldBack.band(0.1) == "0–20%" && HoldBack.band(0.4) == "40–60%" && HoldBack.band(0.95) == "60–100%")
  }

  /// Scores a flat file with a hold-back into `ledger`, returning the list's arms by id and the run.
  static func score(
    _ dir: String, capacity: Int, ledger: String, extra: [String] = []
  ) throws -> (
    arms: [String: String], status: Int32, stdout: String, stderr: String
  ) {
    let r = try runUptake(
      [
        "score", "--model", dir + "/model.json", "--data", dir + "/in.csv", "--capacity", "\(capacity)",
        "--hold-back", "0.25", "--seed", "4", "--ledger", ledger, "--out", dir + "/list.csv",
      ] + extra)
    guard r.status == 0 else { return ([:], r.status, r.stdout, r.stderr) }
    let lines = try String(contentsOfFile: dir + "/list.csv", encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: ",").map(String.init)
    }
    let (id, arm) = (lines[0].firstIndex(of: "id")!, lines[0].firstIndex(of: "arm")!)
    return (Dictionary(uniqueKeysWithValues: lines.dropFirst().map { ($0[id], $0[arm]) }), r.status, r.stdout, r.stderr)
  }

  @Test("the ledger: a listed unit is allocated once and keeps its arm; the same inputs and seed give the same arms")
  func ledger() throws {
    let dir = try temporaryFolder("holdback")
    var text = "id,x,c,y\n"
    for i in 0..<600 {
      text += "P\(i),\(i % 17),\(["a", "b", "c"][i % 3]),\(i % 3 == 0 || i % 7 == 0 ? "yes" : "no")\n"
    }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let train = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out", dir + "/model.json",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    for ledger in [dir + "/ledger.csv", dir + "/ledger.sqlite"] {
      let first = try Self.score(dir, capacity: 100, ledger: ledger)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(first.arms.values.filter { $0 == "hold_back" }.count == 25 || first.stdout.contains("held back"))
      let second = try Self.score(dir, capacity: 160, ledger: ledger)
      #expect(second.stdout.contains("100 kept the arm an earlier list gave them"), "\(second.stdout)")
      #expect(second.stdout.contains("60 allocations added"), "\(second.stdout)")
      for (id, arm) in first.arms { #expect(second.arms[id] == arm, "\(id) kept its arm") }
      let read = try AllocationLedger.read(ledger)
      #expect(read.entries.count == 160 && Set(read.entries.map(\.unit)).count == 160, "no unit allocated twice")
      #expect(read.listIds.count == 2)
      // Reallocating draws everyone again, as a new list.
      let again = try Self.score(dir, capacity: 100, ledger: ledger, extra: ["--reallocate"])
      #expect(again.stdout.contains("100 allocations added"), "\(again.stdout)")
      #expect(try AllocationLedger.read(ledger).latest.count == 160)
    }
    // Same inputs and seed, a fresh ledger: the same arms.
    let fresh = try Self.score(dir, capacity: 100, ledger: dir + "/fresh.csv")
    let replay = try Self.score(dir, capacity: 100, ledger: dir + "/fresh2.csv")
    #expect(fresh.arms == replay.arms && !fresh.arms.isEmpty)
  }

  @Test("an edited ledger, a ledger that is the data, and a ledger without a hold-back are refused, naming the problem")
  func refusals() throws {
    let dir = try temporaryFolder("holdback-bad")
    var text = "id,x,y\n"
    for i in 0..<300 { text += "P\(i),\(i % 11),\(i % 4 == 0 ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    try text.write(toFile: dir + "/in2.csv", atomically: true, encoding: .utf8)
    #expect(
      try runUptake([
        "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out",
        dir + "/model.json",
      ]).status == 0)
    let made = try Self.score(dir, capacity: 40, ledger: dir + "/ledger.csv")
    #expect(made.status == 0, "\(made.stderr)")
    let ledger = try String(contentsOfFile: dir + "/ledger.csv", encoding: .utf8)
    for (edit, expected) in [
      (ledger.replacingOccurrences(of: ",hold_back,", with: ",maybe,"), "line"),
      (ledger.replacingOccurrences(of: "list_id,", with: "list,"), "does not have the ledger's columns"),
      (ledger + ledger.split(separator: "\n")[1] + "\n", "appears twice"),
    ] {
      try edit.write(toFile: dir + "/edited.csv", atomically: true, encoding: .utf8)
      let before = try String(contentsOfFile: dir + "/edited.csv", encoding: .utf8)
      let r = try Self.score(dir, capacity: 40, ledger: dir + "/edited.csv")
      #expect(r.status == 1 && r.stderr.contains(expected), "\(expected): \(r.stderr)")
      #expect(try String(contentsOfFile: dir + "/edited.csv", encoding: .utf8) == before, "left as it was")
    }
    let asData = try Self.score(dir, capacity: 40, ledger: dir + "/in.csv")
    #expect(asData.status == 1, "the data file is never replaced by a ledger")
    // Found by a trial: each of these wrote (or replaced) something it should not have.
    let sameFile = try runUptake([
      "score", "--model", dir + "/model.json", "--data", dir + "/in.csv", "--hold-back", "0.3", "--ledger",
      dir + "/ledger.csv", "--out", dir + "/ledger.csv",
    ])
    #expect(sameFile.status != 0 && sameFile.stderr.contains("the same file"), "\(sameFile.stderr)")
    let changesOverLedger = try runUptake([
      "changes", "--model", dir + "/model.json", "--before", dir + "/in.csv", "--after", dir + "/in2.csv",
      "--ledger", dir + "/ledger.csv", "--out", dir + "/ledger.csv",
    ])
    #expect(changesOverLedger.status != 0, "changes never writes over the ledger it reads")
    #expect(try String(contentsOfFile: dir + "/ledger.csv", encoding: .utf8) == ledger)
    try "previous list\n".write(toFile: dir + "/kept.csv", atomically: true, encoding: .utf8)
    let noLedgerFolder = try runUptake([
      "score", "--model", dir + "/model.json", "--data", dir + "/in.csv", "--hold-back", "0.3", "--ledger",
      dir + "/missing/ledger.csv", "--out", dir + "/kept.csv",
    ])
    #expect(noLedgerFolder.status == 1)
    #expect(
      try String(contentsOfFile: dir + "/kept.csv", encoding: .utf8) == "previous list\n",
      "no list is handed out with allocations the ledger does not hold")
    let reused = try Self.score(
      dir, capacity: 40, ledger: dir + "/ledger.csv", extra: ["--list-id", "A", "--reallocate"])
    #expect(reused.status == 0, "\(reused.stderr)")
    let again = try Self.score(
      dir, capacity: 40, ledger: dir + "/ledger.csv", extra: ["--list-id", "A", "--reallocate"])
    #expect(again.status == 1 && again.stderr.contains("already in the ledger"), "\(again.stderr)")
    let empty = try Self.score(dir, capacity: 40, ledger: dir + "/ledger.csv", extra: ["--list-id", " "])
    #expect(empty.status != 0 && empty.stderr.contains("--list-id is empty"), "\(empty.stderr)")
    _ = try Self.score(dir, capacity: 40, ledger: dir + "/private.sqlite")
    let mode = try FileManager.default.attributesOfItem(atPath: dir + "/private.sqlite")[.posixPermissions] as? Int
    #expect(mode == 0o600, "the SQLite ledger is its owner's only: \(String(mode ?? 0, radix: 8))")
    // Row numbers are no ids: the same row of a later file can be someone else.
    #expect(
      try runUptake([
        "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--exclude", "id", "--out",
        dir + "/rows.json",
      ]).status == 0)
    let byRow = try runUptake([
      "score", "--model", dir + "/rows.json", "--data", dir + "/in.csv", "--hold-back", "0.3", "--out",
      dir + "/rows.csv",
    ])
    #expect(byRow.status == 1 && byRow.stderr.contains("train with --id"), "\(byRow.stderr)")
    let noHoldBack = try runUptake([
      "score", "--model", dir + "/model.json", "--data", dir + "/in.csv", "--ledger", dir + "/l.csv", "--out",
      dir + "/list.csv",
    ])
    #expect(noHoldBack.status != 0 && noHoldBack.stderr.contains("give --hold-back"), "\(noHoldBack.stderr)")
  }
}
