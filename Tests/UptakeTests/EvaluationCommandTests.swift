import Foundation
import TestSupport
import Testing

@Suite("uptake evaluate and uptake benchmark", .serialized)
struct EvaluationCommandTests {
  @Test("evaluating on the training data, or on too few units, is said first, in the summary and the report")
  func cautions() throws {
    let dir = try temporaryFolder("cautions")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var text = "id,x,c,y\n"
    for i in 0..<150 { text += "P\(i),\(i % 9),\(["a", "b"][i % 2]),\(i % 9 > 5 ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    #expect(
      try runUptake([
        "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--validation", "0.3",
        "--out", dir + "/m.json",
      ]).status == 0)
    let run = try runUptake([
      "evaluate", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--bootstrap", "50", "--report", dir + "/r",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.count > 3 && lines[1].hasPrefix("  caution: these are the data the model was trained on"))
    #expect(run.stdout.contains("caution: only 150 units and 48 events: the intervals are wide"))
    let report = try String(contentsOfFile: dir + "/r/report.md", encoding: .utf8)
    #expect(report.contains("> **Caution:** these are the data the model was trained on"))
    let json = try String(contentsOfFile: dir + "/r/evaluation.json", encoding: .utf8)
    #expect(json.contains("\"cautions\""))
  }

  @Test("evaluate on a new council writes the report, figures, transparency record and JSON; numbers agree")
  func evaluate() throws {
    let dir = try temporaryFolder("evaluate")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/a", "--children", "5000", "--seed", "4", "--quiet"]).status == 0)
    #expect(try runUptake(["synth", "--out", dir + "/b", "--children", "5000", "--seed", "5", "--quiet"]).status == 0)
    let train = try runUptake([
      "train", "--data", dir + "/a", "--calibration", "platt", "--out", dir + "/model.json",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(train.stdout.contains("after platt calibration"))
    let run = try runUptake([
      "evaluate", "--model", dir + "/model.json", "--data", dir + "/b", "--capacity", "100", "--by", "ward",
      "--bootstrap", "100", "--report", dir + "/report", "--owner", "Example Council",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    for expected in [
      "AUC", "at capacity 100:", "baseline random list", "baseline rule:", "by ethnicity (protected)", "by ward",
      "drift:",
    ] {
      #expect(run.stdout.contains(expected), "\(expected)")
    }
    let report = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
    for heading in [
      "## In short", "## Metrics", "## Against simple alternatives", "## Calibration", "## Groups of children",
      "## Drift", "## What each feature does",
    ] {
      #expect(report.contains(heading), "\(heading)")
    }
    #expect(report.contains("before calibration") && report.contains("after calibration"))
    // Every figure the report links to exists and is SVG.
    let links = report.components(separatedBy: "](figures/").dropFirst().map { $0.prefix { $0 != ")" } }
    #expect(links.count >= 10)
    for link in links {
      let svg = try String(contentsOfFile: dir + "/report/figures/" + link, encoding: .utf8)
      #expect(svg.hasPrefix("<svg") && svg.contains("</svg>"), "\(link)")
    }
    let record = try String(contentsOfFile: dir + "/report/transparency.md", encoding: .utf8)
    for heading in [
      "## Owner and contact", "## Purpose", "## How it is used and by whom", "## Human oversight", "## Data",
      "## Model", "## Performance", "## Risks and limits",
    ] {
      #expect(record.contains(heading), "\(heading)")
    }
    #expect(record.contains("Example Council"))
    // Said as it was done (found by a trial: "on held-out families" also when every row was cross-fitted).
    #expect(
      record.contains("calibrated by Platt scaling on every row's out-of-fold prediction (folds of whole families)"))
    // The JSON's precision at capacity is hits / capacity, and its AUC lies in its interval.
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report/evaluation.json")))
      as! [String: Any]
    let summary = json["summary"] as! [String: Any]
    let atCapacity = summary["atCapacity"] as! [String: Any]
    #expect(atCapacity["contacted"] as! Int == 100)
    let auc = summary["auc"] as! Double, interval = summary["aucInterval"] as! [String: Any]
    #expect((interval["lower"] as! Double) <= auc && auc <= (interval["upper"] as! Double))
    // No child ids or dates of birth in the report.
    #expect(!report.contains("C100") && !report.contains("date_of_birth"))
  }

  @Test("evaluate needs labelled data of the model's shape; a flat-file model evaluates a flat file")
  func evaluateErrors() throws {
    let dir = try temporaryFolder("evaluate-flat")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = realData + "/Benefits.csv"
    #expect(
      try runUptake([
        "train", "--data", data, "--target", "ui", "--event", "no", "--unit", "person", "--out", dir + "/m.json",
      ]).status == 0)
    let run = try runUptake([
      "evaluate", "--model", dir + "/m.json", "--data", data, "--capacity", "200", "--bootstrap", "50",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    // Rows are people here (`--unit person`, kept in the model): counted as such, not as children or families.
    #expect(run.stdout.contains("people: 4877"), "\(run.stdout)")
    let wrong = try runUptake(["evaluate", "--model", dir + "/m.json", "--data", realData + "/guImmun.csv"])
    #expect(wrong.status != 0 && wrong.stderr.contains("has no column ui"))
  }

  @Test("benchmark prints a leaderboard of both learners, the rule and a random list, and writes it")
  func benchmark() throws {
    let dir = try temporaryFolder("benchmark")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/c", "--children", "5000", "--seed", "6", "--quiet"]).status == 0)
    let run = try runUptake(["benchmark", "--data", dir + "/c", "--bootstrap", "50", "--report", dir + "/bench"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("temporal split"))
    for name in ["| stumps |", "| logistic |", "| rule: ", "| random list (base rate) |"] {
      #expect(run.stdout.contains(name), "\(name)")
    }
    for file in ["leaderboard.md", "leaderboard.json", "figures/benchmark-roc.svg"] {
      #expect(FileManager.default.fileExists(atPath: dir + "/bench/" + file), "\(file)")
    }
    let flat = try runUptake([
      "benchmark", "--data", realData + "/guImmun.csv", "--target", "immun", "--event", "N", "--exclude", "kid", "comm",
      "--group", "mom", "--folds", "3", "--bootstrap", "50",
    ])
    #expect(flat.status == 0, "\(flat.stderr)")
    #expect(flat.stdout.contains("3-fold cross-validation by family"))
    let ruled = try runUptake([
      "benchmark", "--data", dir + "/c", "--bootstrap", "50", "--rule", "imd_decile=lowest",
    ])
    #expect(ruled.status == 0 && ruled.stdout.contains("| rule: lowest imd_decile first |"), "\(ruled.stderr)")
    let badRule = try runUptake(["benchmark", "--data", dir + "/c", "--rule", "imd_decile"])
    #expect(badRule.status != 0 && badRule.stderr.contains("FEATURE=highest"))
    let badScheme = try runUptake([
      "benchmark", "--data", realData + "/guImmun.csv", "--target", "immun", "--event", "N", "--scheme", "temporal",
    ])
    #expect(badScheme.status != 0 && badScheme.stderr.contains("--scheme kfold"))
    // Pairwise interactions as one more contender, beside the stumps without them.
    var text = "id,x,z,y\n"
    for i in 0..<400 { text += "\(i),\(i % 7),\(i % 5),\((i % 7 > 3) != (i % 5 > 2) ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/xor.csv", atomically: true, encoding: .utf8)
    let paired = try runUptake([
      "benchmark", "--data", dir + "/xor.csv", "--target", "y", "--event", "yes", "--id", "id", "--folds", "2",
      "--bootstrap", "50", "--interactions", "1",
    ])
    #expect(paired.status == 0, "\(paired.stderr)")
    // y is an exclusive-or of x and z: only the pair can find it.
    #expect(
      paired.stdout.contains("| stumps |") && paired.stdout.contains("| stumps + 1 pair | 1.000"), "\(paired.stdout)")
    // A link planted in an existing report folder stops the run before any work, not after it.
    try FileManager.default.createDirectory(atPath: dir + "/planted", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: dir + "/planted/leaderboard.md", withDestinationPath: dir + "/xor.csv")
    let planted = try runUptake([
      "benchmark", "--data", dir + "/xor.csv", "--target", "y", "--event", "yes", "--id", "id", "--folds", "2",
      "--report", dir + "/planted",
    ])
    #expect(planted.status == 1 && planted.stderr.contains("is a symbolic link"), "\(planted.stderr)")
    #expect(planted.stdout.isEmpty && !FileManager.default.fileExists(atPath: dir + "/planted/leaderboard.json"))
    let tooMany = try runUptake(["benchmark", "--data", realData + "/Benefits.csv", "--interactions", "101"])
    #expect(tooMany.status == 64 && tooMany.stderr.contains("--interactions must be from 0 to 100"))
  }
}
