import Foundation
import TestSupport
import Testing

@testable import Uptake

/// A checksum is not validation: bundles edited and re-checksummed are refused on load with what is wrong, never
/// scored into a trap or NaN. The stumps edits (a short table, too many bins, a non-monotone calibration, NaN) are
/// cases of the hostile-input catalogue; `make fuzz` edits bundles at random in the same way.
@Suite("Model bundles validated on load", .serialized)
struct BundleValidationTests {
  /// A trained flat-file bundle's JSON, as a dictionary to edit.
  nonisolated(unsafe) static let trained: (stumps: [String: Any], logistic: [String: Any], dir: String) = {
    let dir = try! temporaryFolder("bundles")
    var text = "id,x,c,y\n"
    for i in 0..<200 { text += "P\(i),\(i % 17),\(["a", "b", "c"][i % 3]),\(i % 3 == 0 ? "yes" : "no")\n" }
    try! text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    var out: [[String: Any]] = []
    for learner in ["stumps", "logistic"] {
      let r = try! runUptake([
        "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--learner", learner,
        "--calibration", "isotonic", "--out", dir + "/\(learner).json",
      ])
      precondition(r.status == 0, r.stderr)
      let data = try! Data(contentsOf: URL(fileURLWithPath: dir + "/\(learner).json"))
      out.append(try! JSONSerialization.jsonObject(with: data) as! [String: Any])
    }
    return (out[0], out[1], dir)
  }()

  /// Writes `envelope` with `edit` applied to its model and a freshly computed checksum, then scores with it.
  func scoreEdited(_ envelope: [String: Any], _ edit: (inout [String: Any]) -> Void) throws -> (Int32, String) {
    var model = envelope["model"] as! [String: Any]
    edit(&model)
    let modelData = try JSONSerialization.data(withJSONObject: model)
    let bundle = try JSONCoding.decoder().decode(ModelBundle.self, from: modelData)
    var edited = envelope
    edited["model"] = model
    edited["checksum"] = try bundle.checksum
    let dir = Self.trained.dir
    try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: dir + "/edited.json"))
    let r = try runUptake([
      "score", "--model", dir + "/edited.json", "--data", dir + "/in.csv", "--out", dir + "/l.csv",
    ])
    return (r.status, r.stderr)
  }

  /// Edited stumps bundles are cases of the hostile-input catalogue; the logistic design is checked here.
  @Test("an unedited bundle scores; a re-checksummed logistic design with an index out of range is refused")
  func tampered() throws {
    let (ok, okErr) = try scoreEdited(Self.trained.stumps) { _ in }
    #expect(ok == 0, "\(okErr)")
    let (status, stderr) = try scoreEdited(Self.trained.logistic) { m in
      var learner = m["learner"] as! [String: Any]
      var inner = learner["logistic"] as! [String: Any]
      var design = inner["design"] as! [String: Any]
      var owner = design["owner"] as! [Int]
      owner[owner.count - 1] = 99
      design["owner"] = owner
      inner["design"] = design
      learner["logistic"] = inner
      m["learner"] = learner
    }
    #expect(status == 1 && stderr.contains("a design column belongs to no feature"), "\(stderr)")
  }

  @Test("a re-checksummed unit name that is not a plain word (markup for report.html) is refused")
  func tamperedUnit() throws {
    let (status, stderr) = try scoreEdited(Self.trained.stumps) { m in
      var source = m["source"] as! [String: Any]
      var flat = source["flatFile"] as! [String: Any]
      flat["unit"] = ["singular": "<script>alert(1)</script>", "plural": "children"]
      source["flatFile"] = flat
      m["source"] = source
    }
    #expect(status == 1 && stderr.contains("the unit name is not a plain word"), "\(stderr)")
  }

  @Test("a re-checksummed record of the refit that no training could have made is refused")
  func tamperedRefit() throws {
    let dir = Self.trained.dir
    let r = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out",
      dir + "/refitted.json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/refitted.json"))
    let envelope = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    let (ok, okErr) = try scoreEdited(envelope) { _ in }
    #expect(ok == 0, "\(okErr)")
    for (key, value) in [("validatedRounds", -1), ("boostedRows", 0), ("boostedRows", 1_000_000)] {
      let (status, stderr) = try scoreEdited(envelope) { m in
        var training = m["training"] as! [String: Any]
        var refit = training["refit"] as! [String: Any]
        refit[key] = value
        training["refit"] = refit
        m["training"] = training
      }
      #expect(status == 1 && stderr.contains("record of the refit"), "\(key) = \(value): \(stderr)")
    }
  }

  @Test(
    "a re-checksummed penalty search that train could not have run, or that does not end at the model's C, is refused")
  func tamperedPenaltySearch() throws {
    let model = Self.trained.logistic["model"] as! [String: Any]
    let training = model["training"] as! [String: Any]
    let trials = try #require(training["penaltySearch"] as? [[String: Any]])
    #expect(!trials.isEmpty)
    func setting(_ key: String, _ value: Any, last: Bool = false) -> ([[String: Any]]) -> [[String: Any]] {
      { t in
        t.enumerated().map { i, x in
          var x = x; if !last || i == t.count - 1 { x[key] = value }; return x
        }
      }
    }
    // Each found by a trial to be accepted and printed.
    let edits: [(String, ([[String: Any]]) -> [[String: Any]])] = [
      ("a loss lowered", setting("logLoss", 0.001, last: true)),
      ("a negative loss", setting("logLoss", -5.0)),
      ("an AUC of 7", setting("auc", 7.0)),
      ("a duplicate", { t in t + [t[t.count - 1]] }),
      ("a huge C", setting("C", 1e300)),
      ("200 extra entries", { t in t + Array(repeating: t[0], count: 200) }),
      ("the first entry dropped", { t in Array(t.dropFirst()) }),
    ]
    for (name, edit) in edits {
      let (status, stderr) = try scoreEdited(Self.trained.logistic) { m in
        var training = m["training"] as! [String: Any]
        training["penaltySearch"] = edit(trials)
        m["training"] = training
      }
      #expect(status == 1 && stderr.contains("record of the penalty search"), "\(name): \(stderr)")
    }
  }

  @Test(
    "a re-checksummed bagged model with a bag's table cut short, a feature's table missing, or a bag missing is refused"
  )
  func tamperedBags() throws {
    let dir = Self.trained.dir
    let r = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--bags", "3", "--out",
      dir + "/bagged.json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/bagged.json"))
    let envelope = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    let (ok, okErr) = try scoreEdited(envelope) { _ in }
    #expect(ok == 0, "\(okErr)")
    func editBags(_ change: @escaping (inout [[String: Any]]) -> Void) -> (inout [String: Any]) -> Void {
      { m in
        var learner = m["learner"] as! [String: Any]
        var stumps = learner["stumps"] as! [String: Any]
        var inner = stumps["_0"] as! [String: Any]
        var bags = inner["bags"] as! [[String: Any]]
        change(&bags)
        inner["bags"] = bags
        stumps["_0"] = inner
        learner["stumps"] = stumps
        m["learner"] = learner
      }
    }
    let edits: [(String, (inout [[String: Any]]) -> Void)] = [
      (
        "a bag's table for feature",
        { bags in
          var tables = bags[0]["tables"] as! [[Double]]
          tables[0].removeLast()
          bags[0]["tables"] = tables
        }
      ),
      (
        "a bag's table for feature",
        { bags in
          var tables = bags[1]["tables"] as! [[Double]]
          tables.removeLast()
          bags[1]["tables"] = tables
        }
      ),
      ("do not match its configuration", { bags in bags.removeLast() }),
      // Found by a trial: a huge finite value, or a bag no longer averaging to the model, scored with no range.
      (
        "a bag's table for feature",
        { bags in
          var tables = bags[0]["tables"] as! [[Double]]
          tables[0][0] = 1e300
          bags[0]["tables"] = tables
        }
      ),
      (
        "is not the average of the bags' tables",
        { bags in
          var tables = bags[2]["tables"] as! [[Double]]
          tables[1][0] += 50
          bags[2]["tables"] = tables
        }
      ),
      ("is not the average of the bags' intercepts", { bags in bags[0]["intercept"] = 1e5 }),
    ]
    for (expected, change) in edits {
      let (status, stderr) = try scoreEdited(envelope, editBags(change))
      #expect(status == 1 && stderr.contains(expected), "\(expected): \(stderr)")
    }
    // The bags removed while the configuration still counts them, or a single model claiming bags.
    func editStumps(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
      { m in
        var learner = m["learner"] as! [String: Any]
        var stumps = learner["stumps"] as! [String: Any]
        var inner = stumps["_0"] as! [String: Any]
        change(&inner)
        stumps["_0"] = inner
        learner["stumps"] = stumps
        m["learner"] = learner
      }
    }
    for change: (inout [String: Any]) -> Void in [
      { $0.removeValue(forKey: "bags") },
      { inner in
        var configuration = inner["configuration"] as! [String: Any]
        configuration["bags"] = 2
        inner["configuration"] = configuration
      },
      { inner in inner["tables"] = (inner["tables"] as! [[Double]]).map { $0.map { _ in 1e300 } } },
    ] {
      let (status, stderr) = try scoreEdited(envelope, editStumps(change))
      #expect(
        status == 1 && (stderr.contains("do not match its configuration") || stderr.contains("beyond ±1e6")),
        "\(stderr)")
    }
  }
}
