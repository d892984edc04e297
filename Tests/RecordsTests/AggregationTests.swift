import Foundation
import Testing

@testable import Records

/// Two children, one family; events chosen so every aggregation has a hand-computed answer at the as-of date.
struct TinyRecords {
  static let config = """
    version: 1
    tables:
      kids: { file: kids.csv, key: kid }
      visits: { file: visits.csv, event_time: on, recorded_time: logged }
      sessions: { file: sessions.csv, event_time: on }
      homes: { file: homes.csv, key: home }
    links:
      - { from: kids.home, to: homes.home }
      - { from: visits.kid, to: kids.kid }
      - { from: sessions.home, to: homes.home }
    population: { table: kids }
    id: kid
    group: home
    as_of: { column: due, offset_days: 0 }
    features:
      - { name: visits, table: visits, aggregation: count }
      - { name: any_missed, table: visits, aggregation: exists, where: { outcome: [missed] } }
      - { name: total_minutes, table: visits, aggregation: sum, of: minutes }
      - { name: mean_minutes, table: visits, aggregation: mean, of: minutes }
      - { name: min_minutes, table: visits, aggregation: min, of: minutes }
      - { name: max_minutes, table: visits, aggregation: max, of: minutes }
      - { name: distinct_minutes, table: visits, aggregation: distinct_count, of: minutes }
      - { name: first_visit_days, table: visits, aggregation: days_since_first }
      - { name: last_visit_days, table: visits, aggregation: days_since_last }
      - { name: missed_share, table: visits, aggregation: share, where: { outcome: [missed] } }
      - { name: recent_visits, table: visits, aggregation: count, window: { last_days: 30 } }
      - { name: sessions, table: sessions, aggregation: count }
      - { name: rooms, column: homes.rooms }
      - { name: age_months, aggregation: age_in_months, column: kids.born }
    """
  static let files: [String: String] = [
    "kids.csv": "kid,home,born,due\nk1,h1,2022-01-01,2024-01-01\nk2,h1,2023-06-01,2024-03-01\n",
    "homes.csv": "home,rooms\nh1,3\n",
    // k1 at 2024-01-01: v1, v2, v3 count (v3 logged 2023-12-31); v4 is logged on the as-of day; v5 is after it.
    "visits.csv": """
    kid,on,logged,outcome,minutes
    k1,2023-01-01,2023-01-02,done,30
    k1,2023-12-10,2023-12-11,missed,0
    k1,2023-12-20,2023-12-31,done,30
    k1,2023-12-25,2024-01-01,missed,45
    k1,2024-02-01,2024-02-01,done,60
    k2,2024-02-29,2024-02-29,done,20

    """,
    "sessions.csv": "home,on\nh1,2023-05-01\nh1,2024-02-01\nh1,2024-03-01\n",
  ]

  static func engine() throws -> FeatureEngine {
    let folder = NSTemporaryDirectory() + "uptake-tiny-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
    try config.write(toFile: folder + "/uptake.yaml", atomically: true, encoding: .utf8)
    return try FeatureEngine.load(configPath: folder + "/uptake.yaml")
  }
}

@Suite("Every aggregation, filter and window")
struct AggregationTests {
  @Test("hand-computed values at each child's as-of date")
  func values() throws {
    let frame = try TinyRecords.engine().frame()
    func value(_ name: String, _ k: Int) -> Double {
      switch frame.feature(name)!.values {
      case .number(let v), .integer(let v): return v[k]
      default: return .nan
      }
    }
    #expect(frame.ids == ["k1", "k2"] && frame.groups! == ["h1", "h1"])
    // k1 sees v1 (30), v2 (missed, 0), v3 (30): v4 was recorded on the as-of day, v5 is later.
    #expect(value("visits", 0) == 3)
    #expect(value("any_missed", 0) == 1)
    #expect(value("total_minutes", 0) == 60)
    #expect(value("mean_minutes", 0) == 20)
    #expect(value("min_minutes", 0) == 0 && value("max_minutes", 0) == 30)
    #expect(value("distinct_minutes", 0) == 2)
    #expect(value("first_visit_days", 0) == 365)  // 2023-01-01 → 2024-01-01
    #expect(value("last_visit_days", 0) == 12)  // 2023-12-20 → 2024-01-01
    #expect(abs(value("missed_share", 0) - 1.0 / 3) < 1e-12)
    #expect(value("recent_visits", 0) == 2)  // v2 and v3 fall within 30 days
    #expect(value("sessions", 0) == 1)  // the family's sessions before 2024-01-01
    #expect(value("rooms", 0) == 3 && value("rooms", 1) == 3)
    #expect(value("age_months", 0) == 24)
    // k2 at 2024-03-01: its one visit (2024-02-29); the family's sessions of 2023-05-01 and 2024-02-01.
    #expect(value("visits", 1) == 1 && value("any_missed", 1) == 0)
    #expect(value("mean_minutes", 1) == 20 && value("sessions", 1) == 2)
    #expect(value("missed_share", 1) == 0)
    #expect(value("age_months", 1) == 9)
  }

  @Test("no rows: counts are 0, means and days-since are missing")
  func empty() throws {
    let frame = try TinyRecords.engine().frame(asOf: Day(iso: "2020-01-01")!)
    func value(_ name: String) -> Double {
      guard case .number(let v) = frame.feature(name)!.values else { return -1 }
      return v[0]
    }
    #expect(value("visits") == 0 && value("any_missed") == 0 && value("total_minutes") == 0)
    #expect(value("mean_minutes").isNaN && value("min_minutes").isNaN && value("last_visit_days").isNaN)
    #expect(value("missed_share").isNaN && value("distinct_minutes") == 0)
  }
}
