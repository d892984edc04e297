import Foundation
import TestSupport
import Testing
import Uptake

/// A protected attribute is kept out of the features by default (the synthetic council's config represents language
/// need by `interpreter_needed`); a user may add one, and then `train` says so, and so do the model card and the
/// transparency record.
@Suite("Protected attributes as features", .serialized)
struct ProtectedAttributeTests {
  @Test("the default config uses none; one added is warned about and written into the card and the record")
  func protectedFeature() throws {
    let dir = try temporaryFolder("protected")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/council", "--children", "3000", "--quiet"]).status == 0)
    let plain = try runUptake(["train", "--data", dir + "/council", "--out", dir + "/plain.json"])
    #expect(plain.status == 0 && !plain.stderr.contains("protected attribute"), "\(plain.stderr)")
    #expect(try ModelBundle.load(path: dir + "/plain.json").training.protectedFeatures == nil)

    let config = dir + "/council/uptake.yaml"
    let text = try String(contentsOfFile: config, encoding: .utf8)
    try (text + "  - name: first_language\n    column: children.first_language\n")
      .write(toFile: config, atomically: true, encoding: .utf8)
    let checked = try runUptake(["check", "--data", dir + "/council"])
    #expect((checked.stdout + checked.stderr).contains("first_language is a protected attribute"), "\(checked.stdout)")
    let trained = try runUptake(["train", "--data", dir + "/council", "--out", dir + "/m.json"])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(
      trained.stderr.contains(
        "warning: first_language is a protected attribute (protected: in uptake.yaml) used as a feature"),
      "\(trained.stderr)")
    let bundle = try ModelBundle.load(path: dir + "/m.json")
    #expect(bundle.training.protectedFeatures == ["first_language"])
    #expect(
      ModelCard(bundle: bundle, name: "m").markdown.contains(
        "**Protected attributes used as features:** first_language"))
    let evaluated = try runUptake([
      "evaluate", "--model", dir + "/m.json", "--data", dir + "/council", "--report", dir + "/report",
      "--bootstrap", "50",
    ])
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let record = try String(contentsOfFile: dir + "/report/transparency.md", encoding: .utf8)
    #expect(record.contains("Protected characteristics used as features: first_language"))
    #expect(record.contains("reasons can name first_language with the value"))
  }

  @Test("reason_style: need words a protected feature's reason as a service need, never its value; {value} refused")
  func needStyle() throws {
    let dir = try temporaryFolder("protected-need")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/council", "--children", "3000", "--quiet"]).status == 0)
    let config = dir + "/council/uptake.yaml"
    let text = try String(contentsOfFile: config, encoding: .utf8)
    let feature = "  - name: first_language\n    column: children.first_language\n    reason_style: need\n"
    try (text + feature + "    reason: \"first language: {value}\"\n").write(
      toFile: config, atomically: true, encoding: .utf8)
    let refused = try runUptake(["train", "--data", dir + "/council", "--out", dir + "/m.json"])
    #expect(
      refused.status == 1 && refused.stderr.contains("reason_style: need, so its reason must say the service need")
        && refused.stderr.contains("line"), "\(refused.stderr)")

    let need = "may want information in another language"
    try (text + feature + "    reason: \"\(need)\"\n").write(toFile: config, atomically: true, encoding: .utf8)
    let trained = try runUptake(["train", "--data", dir + "/council", "--out", dir + "/m.json"])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(trained.stderr.contains("reasons word first_language as a service need"), "\(trained.stderr)")
    let bundle = try ModelBundle.load(path: dir + "/m.json")
    #expect(ModelCard(bundle: bundle, name: "m").markdown.contains("reasons word first_language as a service need"))
    let scored = try runUptake([
      "score", "--model", dir + "/m.json", "--data", dir + "/council", "--reasons", "3", "--out", "-",
    ])
    #expect(scored.status == 0, "\(scored.stderr)")
    // A unit's language never appears in a reason (a missing one is said as such); the need does, for some units.
    let reasons = scored.stdout.split(separator: "\n").dropFirst().flatMap { $0.split(separator: ",").suffix(3) }
    #expect(reasons.contains { $0 == need }, "\(scored.stdout.prefix(800))")
    let named = reasons.filter { $0.hasPrefix("first language") && $0 != "first language: not recorded" }
    #expect(named.isEmpty, "\(named.prefix(5))")
    // explain says the need only where the feature raises the chance; where it lowers it, that it shows no need.
    let children = try String(contentsOfFile: dir + "/council/children.csv", encoding: .utf8).split(separator: "\n")
    let header = children[0].split(separator: ",", omittingEmptySubsequences: false)
    let idColumn = try #require(header.firstIndex(of: "child_id"))
    var seen = Set<Bool>()
    for line in children.dropFirst().prefix(40) where seen.count < 2 {
      let id = String(line.split(separator: ",", omittingEmptySubsequences: false)[idColumn])
      let run = try runUptake([
        "explain", "--model", dir + "/m.json", "--data", dir + "/council", "--id", id, "--format", "json",
      ])
      guard run.status == 0, let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
        let items = json["items"] as? [[String: Any]],
        let item = items.first(where: { $0["feature"] as? String == "first_language" }),
        let logOdds = item["logOdds"] as? Double, let reason = item["reason"] as? String,
        item["value"] as? String != "missing"
      else { continue }
      seen.insert(logOdds > 0)
      #expect(reason == (logOdds > 0 ? need : "no need shown (it lowers the chance)"), "\(id): \(reason)")
    }
    #expect(seen == [true, false], "explained no unit on one side of the need")

  }
}
