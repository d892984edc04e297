import Foundation
import TestSupport
import Testing

/// Numbers a user gives — options, config values, values that become ids or dates — are checked or handled; none
/// ends the run with a trap (exit by a signal).
@Suite("Limits on the numbers a user gives", .serialized)
struct NumberLimitsTests {
  /// Exits by `exit()`, never by a signal (a Swift trap is SIGILL or SIGTRAP, reported as 128 + n by a shell).
  func exitedCleanly(_ status: Int32) -> Bool { status == 0 || status == 1 || status == 64 }

  @Test("synth: a council of quintillions, a start past year 9989 or in year 0 are refused")
  func synthBounds() throws {
    let dir = try temporaryFolder("limits")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (arguments, expected) in [
      (["--children", "5000000000000000000"], "--children must be from 1 to 10000000"),
      (["--start", "9999-12-01"], "--start 9999-12-01 is too late"),
      (["--start", "0000-12-01"], "is not a date"),
    ] {
      let r = try runUptake(["synth", "--out", dir + "/c", "--quiet"] + arguments)
      #expect(r.status != 0 && exitedCleanly(r.status) && r.stderr.contains(expected), "\(arguments): \(r.stderr)")
    }
  }

  @Test("an id of 1e19 declared integer, and an as-of date moved before year 1, end cleanly")
  func hugeIdsAndAncientDates() throws {
    let dir = try temporaryFolder("limits")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var text = "child_id,x,y\n"
    for i in 0..<60 { text += "\(i == 0 ? "1e19" : String(i)),\(i % 5),\(i % 2 == 0 ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let ids = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "child_id", "--type",
      "child_id=integer", "--out", dir + "/m.json",
    ])
    #expect(exitedCleanly(ids.status), "status \(ids.status): \(ids.stderr)")
    let files = [
      "kids.csv": "kid,due\nK1,0001-01-05\nK2,0001-02-05\n", "places.csv": "kid,start\nK1,0001-01-20\n",
      "uptake.yaml": """
      version: 1
      tables:
        kids: { file: kids.csv, key: kid }
        places: { file: places.csv, event_time: start }
      links:
        - { from: places.kid, to: kids.kid }
      population: { table: kids }
      id: kid
      as_of: { column: due, offset_days: -36500 }
      features:
        - { name: places, table: places, aggregation: count }

      """,
    ]
    for (name, content) in files { try content.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
    let ancient = try runUptake(["features", "--data", dir, "--out", dir + "/f.csv"])
    #expect(ancient.status == 0, "status \(ancient.status): \(ancient.stderr)")
    #expect(try String(contentsOfFile: dir + "/f.csv", encoding: .utf8).contains("K1,-99-"))
  }

  @Test("command-line numbers outside their ranges get one line naming the flag and the range")
  func optionRanges() throws {
    let cases: [([String], String)] = [
      (["train", "--data", "x", "--threads", "0"], "--threads must be from 1 to 256, got 0"),
      (["train", "--data", "x", "--rounds", "9223372036854775807"], "--rounds must be from 1 to 100000"),
      (["train", "--data", "x", "--learning-rate", "1e-300"], "--learning-rate must be above"),
      (["train", "--data", "x", "--min-rows", "0"], "--min-rows must be from 1 to 1000000, got 0"),
      (["train", "--data", "x", "--C", "inf"], "--C must be above 0.0"),
      (["train", "--data", "x", "--l1-ratio", "2"], "--l1-ratio must be from 0 to 1"),
      (["score", "--model", "m", "--data", "x", "--capacity", "0"], "--capacity must be from 1 to 10000000, got 0"),
      (
        ["evaluate", "--model", "m", "--data", "x", "--bootstrap", "1000000000"],
        "--bootstrap must be from 50 to 100000"
      ),
      (["demo", "--children", "99999999"], "--children must be from 2000 to 1000000"),
      // A negative number reaches the range check (the parser took it for a flag and said "Missing value").
      (["score", "--model", "m", "--data", "x", "--hold-back", "-0.1"], "--hold-back must be a share between 0 and 1"),
      (["train", "--data", "x", "--interactions", "-1"], "--interactions must be from 0 to 100, got -1"),
      (["score", "--model", "m", "--data", "x", "--capacity", "-5"], "--capacity must be from 1 to 10000000, got -5"),
      (["synth", "--out", "x", "--seed", "-1"], "The value '-1' is invalid for '--seed <seed>'"),
    ]
    for (arguments, expected) in cases {
      let r = try runUptake(arguments)
      #expect(r.status != 0 && exitedCleanly(r.status) && r.stderr.contains(expected), "\(arguments): \(r.stderr)")
    }
  }
}
