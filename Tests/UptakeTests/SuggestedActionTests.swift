import Foundation
import Records
import TestSupport
import Testing

@testable import Uptake

/// Modifiable features (`modifiable: true`, `action:`) give a contact list `suggested_action` and `what_if`.
@Suite("Suggested actions on contact lists", .serialized)
struct SuggestedActionTests {
  /// A synthetic council whose 12-month review is marked modifiable, and the model trained on it.
  nonisolated(unsafe) static let council: String = {
    let dir = try! temporaryFolder("actions")
    precondition(
      try! runUptake(["synth", "--out", dir, "--children", "3000", "--seed", "5", "--quiet"]).status == 0)
    var config = try! String(contentsOfFile: dir + "/uptake.yaml", encoding: .utf8)
    config = config.replacingOccurrences(
      of: "    reason: \"12-month review not completed\"\n",
      with: "    reason: \"12-month review not completed\"\n    modifiable: true\n"
        + "    action: \"offer a catch-up development review at home\"\n")
    try! config.write(toFile: dir + "/uptake.yaml", atomically: true, encoding: .utf8)
    let r = try! runUptake(["train", "--data", dir, "--out", dir + "/model.json", "--quiet"])
    precondition(r.status == 0, r.stderr)
    return dir
  }()

  static func table(_ path: String) throws -> (header: [String: Int], rows: [[String]]) {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    return (Dictionary(uniqueKeysWithValues: lines[0].enumerated().map { ($1, $0) }), Array(lines.dropFirst()))
  }

  @Test("what_if is the model's probability with the feature at its common value, exactly: margin − φ(row) + φ(common)")
  func whatIfExact() throws {
    let dir = Self.council
    let bundle = try ModelBundle.load(path: dir + "/model.json")
    let feature = try #require(bundle.schema.features.first { $0.action != nil })
    #expect(feature.name == "missed_12m_review" && feature.commonValue == "0", "most children completed the review")
    #expect(bundle.calibration == nil, "so the list's probability is σ(log-odds)")
    for command in [
      ["score", "--model", dir + "/model.json", "--data", dir, "--reasons", "0", "--out", dir + "/list.csv"],
      ["explain", "--model", dir + "/model.json", "--data", dir, "--all", "--out", dir + "/all.csv"],
    ] {
      let r = try runUptake(command)
      #expect(r.status == 0, "\(r.stderr)")
    }
    let list = try Self.table(dir + "/list.csv"), all = try Self.table(dir + "/all.csv")
    let contributions = Dictionary(uniqueKeysWithValues: all.rows.map { ($0[all.header["child_id"]!], $0) })
    let j = all.header["missed_12m_review"]!
    // With the review completed ("no" missed), every child has the same contribution (one bin of the stumps' table).
    let phiCommon = try #require(
      all.rows.map { Double($0[j])! }.min(), "the lowest contribution is the completed review's")
    var suggested = 0
    for row in list.rows {
      let id = row[list.header["child_id"]!]
      let c = try #require(contributions[id])
      let margin = Double(c[all.header["log_odds"]!])!, phi = Double(c[j])!
      let action = row[list.header["suggested_action"]!], whatIf = row[list.header["what_if"]!]
      if abs(phi - phiCommon) < 1e-9 {
        #expect(action.isEmpty && whatIf.isEmpty, "already at the common value: nothing to suggest")
      } else {
        suggested += 1
        #expect(action == "offer a catch-up development review at home")
        let expected = 1 / (1 + exp(-(margin - phi + phiCommon)))
        #expect(abs(Double(whatIf)! - expected) < 1e-4, "\(id): \(whatIf) against \(expected)")
        #expect(Double(whatIf)! < Double(row[list.header["probability"]!])!)
      }
    }
    #expect(suggested > 20, "children with a missed review get the action: \(suggested)")
  }

  @Test("modifiable without an action, an action without modifiable, and modifiable: maybe are errors naming the line")
  func configErrors() throws {
    let base = try String(contentsOfFile: Self.council + "/uptake.yaml", encoding: .utf8)
    let cases: [(String, String, String)] = [
      ("    action: \"offer a catch-up development review at home\"\n", "", "give action:"),
      ("    modifiable: true\n", "", "has an action but is not modifiable"),
      ("    modifiable: true\n", "    modifiable: maybe\n", "must be true or false"),
    ]
    for (remove, add, expected) in cases {
      let text = base.replacingOccurrences(of: remove, with: add)
      #expect(throws: ConfigError.self) { try ProjectConfig.load(text: text, path: Self.council + "/uptake.yaml") }
      do {
        _ = try ProjectConfig.load(text: text, path: Self.council + "/uptake.yaml")
      } catch let error as ConfigError {
        #expect(error.description.contains(expected) && error.line > 0, "\(error)")
      }
    }
  }
}
