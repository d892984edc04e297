import Foundation
import TestSupport
import Testing

/// Personal data is caught where it enters through the config — a feature's source column, a protected column — and
/// through files given in the wrong place; `personal: { allow: [...] }` is the documented way out for a false alarm.
@Suite("Personal data in the config", .serialized)
struct PrivacyConfigTests {
  let files: [String: String] = [
    "kids.csv": "kid,home,due,dob\nK1,H1,2024-01-05,2022-01-05\nK2,H2,2024-02-05,2022-02-05\n",
    "homes.csv": "home,parent_name,address\nH1,Olivia Jones,3\nH2,Amy Smith,5\n",
  ]

  func config(_ features: String, extra: String = "") -> String {
    """
    version: 1
    tables:
      kids: { file: kids.csv, key: kid }
      homes: { file: homes.csv, key: home }
    links:
      - { from: kids.home, to: homes.home }
    population: { table: kids }
    id: kid
    as_of: { column: due, offset_days: -30 }
    \(extra)
    features:
    \(features)

    """
  }

  func features(_ config: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let dir = try temporaryFolder("privacy")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for (name, text) in files.merging(["uptake.yaml": config]) { $1 } {
      try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }
    return try runUptake(["features", "--data", dir, "--out", dir + "/f.csv"])
  }

  @Test("a feature whose source is a personal column, and a personal protected column, are refused with the line")
  func sources() throws {
    let carer = try features(config("  - { name: carer, column: homes.parent_name }"))
    #expect(
      carer.status == 1
        && carer.stderr.contains("line 12: feature carer takes column parent_name, which looks like personal data"),
      "\(carer.stderr)")
    #expect(!carer.stderr.contains("Olivia"))
    let protected = try features(
      config("  - { name: age, aggregation: age_in_months, column: kids.dob }", extra: "protected: [dob]"))
    #expect(
      protected.status == 1 && protected.stderr.contains("protected column dob, which looks like personal data"),
      "\(protected.stderr)")
    // An age computed from a date of birth is no personal value: allowed.
    let age = try features(config("  - { name: age, aggregation: age_in_months, column: kids.dob }"))
    #expect(age.status == 0, "\(age.stderr)")
  }

  @Test("personal: { allow: [...] } lets a column named like personal data through")
  func allow() throws {
    let refused = try features(config("  - { name: address, column: homes.address }"))
    #expect(refused.status == 1 && refused.stderr.contains("personal: { allow: [address] }"))
    let allowed = try features(
      config("  - { name: address, column: homes.address }", extra: "personal: { allow: [address] }"))
    #expect(allowed.status == 0, "\(allowed.stderr)")
  }

  @Test("a data file given as the config: the YAML error names the file and line but never quotes the data")
  func dataAsConfig() throws {
    let dir = try temporaryFolder("privacy-yaml")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "kid,name,dob,note\nK1,Zoe Smith,2022-01-05,\"said: no: never\"\n".write(
      toFile: dir + "/kids.csv", atomically: true, encoding: .utf8)
    let r = try runUptake(["features", "--data", dir, "--config", dir + "/kids.csv", "--out", dir + "/f.csv"])
    #expect(r.status == 1 && r.stderr.contains("is this the config?"), "\(r.stderr)")
    for value in ["Zoe", "2022-01-05", "never"] { #expect(!r.stderr.contains(value), "\(value) in \(r.stderr)") }
  }

  @Test("comments in uptake.yaml never travel inside the model; check shows no id; a path through a subfolder is fine")
  func commentsAndIds() throws {
    let dir = try temporaryFolder("privacy-comments")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/c", "--children", "2000", "--quiet"]).status == 0)
    let config = dir + "/c/uptake.yaml"
    let text = try String(contentsOfFile: config, encoding: .utf8)
    try FileManager.default.createDirectory(atPath: dir + "/c/sub", withIntermediateDirectories: true)
    try
      ("# Olivia Jones rang on 07700 900123 about family F1\n"
      + text.replacingOccurrences(of: "file: areas.csv", with: "file: sub/../areas.csv"))
      .write(toFile: config, atomically: true, encoding: .utf8)
    let trained = try runUptake(["train", "--data", dir + "/c", "--out", dir + "/m.json"])
    #expect(trained.status == 0, "\(trained.stderr)")
    let model = try String(contentsOfFile: dir + "/m.json", encoding: .utf8)
    #expect(!model.contains("Olivia") && !model.contains("07700"))
    // The stored config still reads new data the same way.
    #expect(
      try runUptake(["score", "--model", dir + "/m.json", "--data", dir + "/c", "--out", dir + "/l.csv"]).status == 0)
    let checked = try runUptake(["check", "--data", dir + "/c"])
    #expect(checked.stdout.contains("(withheld: identifier)"))
    #expect(!checked.stdout.contains("C1000") && !checked.stdout.contains("F1000"), "\(checked.stdout)")
  }
}
