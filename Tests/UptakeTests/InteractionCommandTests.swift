import Foundation
import TestSupport
import Testing

@testable import Uptake

/// `train --interactions`: pairs of features as one joint reason on lists and in explanations, and bundles whose
/// pairs were edited refused on load.
@Suite("Pairwise interactions through the command line", .serialized)
struct InteractionCommandTests {
  /// A flat file whose outcome turns on `distance` and `contact` together (far away and no contact), with a third
  /// feature of noise, and the bundle trained on it with one interaction.
  nonisolated(unsafe) static let trained: (envelope: [String: Any], dir: String) = {
    let dir = try! temporaryFolder("interactions")
    var text = "id,family,distance,contact,noise,y\n"
    for i in 0..<1_200 {
      let distance = i % 10, contact = (i / 10) % 2 == 0 ? "yes" : "no", noise = (i * 7) % 13
      let chance = distance >= 5 && contact == "no" ? 0.8 : (distance >= 5 || contact == "no" ? 0.3 : 0.25)
      let draw = Double((i &* 2_654_435_761) % 1_000) / 1_000  // a fixed scramble of the row number
      let y = draw < chance ? "no" : "yes"
      text += "U\(i),F\(i / 2),\(distance),\(contact),\(noise),\(y)\n"
    }
    try! text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let r = try! runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "no", "--id", "id", "--group", "family",
      "--interactions", "1", "--out", dir + "/model.json",
    ])
    precondition(r.status == 0, r.stderr)
    let data = try! Data(contentsOf: URL(fileURLWithPath: dir + "/model.json"))
    return (try! JSONSerialization.jsonObject(with: data) as! [String: Any], dir)
  }()

  @Test("the pair is learned, said in the summary, and given as one joint reason in explain, --all and the list")
  func jointReason() throws {
    let dir = Self.trained.dir
    let bundle = try ModelBundle.load(path: dir + "/model.json")
    guard case .stumps(let model) = bundle.learner else { Issue.record("not stumps"); return }
    #expect(model.pairNames == ["distance & contact"])
    #expect(bundle.training.refit?.validatedPairRounds ?? 0 > 0)
    #expect(model.summary.contains("Plus 1 pairwise interaction (distance & contact)"))

    let explained = try runUptake([
      "explain", "--model", dir + "/model.json", "--data", dir + "/in.csv", "--id", "U19", "--format", "json",
    ])
    #expect(explained.status == 0, "\(explained.stderr)")
    let explanation = try JSONDecoder().decode(Explanation.self, from: Data(explained.stdout.utf8))
    let item = try #require(explanation.items.first { $0.feature == "distance & contact" })
    #expect(item.value == "9, no")
    #expect(item.reason.contains(" and "), "\(item.reason)")
    #expect(abs(explanation.baseline + explanation.items.reduce(0) { $0 + $1.logOdds } - explanation.margin) < 1e-9)

    let all = try runUptake([
      "explain", "--model", dir + "/model.json", "--data", dir + "/in.csv", "--all", "--out", dir + "/all.csv",
    ])
    #expect(all.status == 0, "\(all.stderr)")
    #expect(all.stdout.contains("and 1 for pairs of features"))
    let lines = try String(contentsOfFile: dir + "/all.csv", encoding: .utf8).split(separator: "\n")
    #expect(lines[0].hasSuffix(",distance,contact,noise,distance & contact"))
    for line in lines.dropFirst().prefix(50) {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      let values = cells.suffix(6).map { Double($0)! }  // log_odds, baseline, three features, the pair
      #expect(abs(values[1...].reduce(0, +) - values[0]) < 1e-5)
    }

    let list = try runUptake([
      "score", "--model", dir + "/model.json", "--data", dir + "/in.csv", "--out", dir + "/list.csv",
    ])
    #expect(list.status == 0, "\(list.stderr)")
    let listed = try String(contentsOfFile: dir + "/list.csv", encoding: .utf8)
    #expect(listed.contains(" and contact"), "the far families with no contact carry the joint reason")
  }

  @Test("--interactions is refused with logistic regression, with bags, and beyond 100")
  func refused() throws {
    let dir = Self.trained.dir
    for extra in [["--learner", "logistic"], ["--bags", "3"], ["--interactions", "101"]] {
      let r = try runUptake(
        ["train", "--data", dir + "/in.csv", "--target", "y", "--event", "no", "--id", "id", "--out", dir + "/x.json"]
          + (extra[0] == "--interactions" ? extra : ["--interactions", "2"] + extra))
      #expect(r.status != 0 && r.stderr.contains("--interactions"), "\(extra): \(r.stderr)")
    }
  }

  @Test("a re-checksummed model whose pair was edited is refused on load, naming what does not fit")
  func tamperedPairs() throws {
    let envelope = Self.trained.envelope
    let dir = Self.trained.dir
    func scoreEdited(_ change: (inout [String: Any], inout [String: Any]) -> Void) throws -> (Int32, String) {
      var model = envelope["model"] as! [String: Any]
      var learner = model["learner"] as! [String: Any]
      var stumps = learner["stumps"] as! [String: Any]
      var inner = stumps["_0"] as! [String: Any]
      var pair = (inner["pairs"] as! [[String: Any]])[0]
      change(&inner, &pair)
      if inner["pairs"] != nil { inner["pairs"] = [pair] }
      stumps["_0"] = inner
      learner["stumps"] = stumps
      model["learner"] = learner
      let bundle = try JSONCoding.decoder().decode(
        ModelBundle.self, from: try JSONSerialization.data(withJSONObject: model))
      var edited = envelope
      edited["model"] = model
      edited["checksum"] = try bundle.checksum
      try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: dir + "/edited.json"))
      let r = try runUptake([
        "score", "--model", dir + "/edited.json", "--data", dir + "/in.csv", "--out", dir + "/l.csv",
      ])
      return (r.status, r.stderr)
    }
    let (ok, okErr) = try scoreEdited { _, _ in }
    #expect(ok == 0, "\(okErr)")
    let edits: [(String, (inout [String: Any], inout [String: Any]) -> Void)] = [
      ("table does not fit", { _, pair in pair["table"] = (pair["table"] as! [Double]).dropLast().map { $0 } }),
      ("beyond ±1e6", { _, pair in pair["table"] = (pair["table"] as! [Double]).map { _ in 1e300 } }),
      ("is not two different features", { _, pair in pair["features"] = [1, 0] }),
      ("is not two different features", { _, pair in pair["features"] = [0, 7] }),
      ("is not two different features", { _, pair in pair["features"] = [1, 1] }),
      // Found by a trial: these were accepted.
      ("records no boosting round", { _, pair in pair["rounds"] = 0 }),
      ("more than the", { _, pair in pair["rounds"] = 1_000_000_000 }),
      (
        "does not fit its features' bins",
        { _, pair in
          var bins = pair["coarseBins"] as! [[Int]]
          bins[0][0] = bins[0].max()! + 1
          pair["coarseBins"] = bins
        }
      ),
      (
        "does not fit its features' bins",
        { _, pair in
          var bins = pair["coarseBins"] as! [[Int]]
          bins[0].removeLast()
          pair["coarseBins"] = bins
        }
      ),
      (
        "does not fit its features' bins",
        { _, pair in
          var bins = pair["coarseBins"] as! [[Int]]
          bins[1][0] = 200
          pair["coarseBins"] = bins
        }
      ),
      (
        "do not fit its configuration",
        { inner, _ in
          var configuration = inner["configuration"] as! [String: Any]
          configuration.removeValue(forKey: "interactions")
          inner["configuration"] = configuration
        }
      ),
    ]
    for (expected, change) in edits {
      let (status, stderr) = try scoreEdited(change)
      #expect(status == 1 && stderr.contains(expected), "\(expected): \(stderr)")
    }
  }
}
