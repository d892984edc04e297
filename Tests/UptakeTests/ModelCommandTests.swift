import Foundation
import Records
import TestSupport
import Testing

@Suite("uptake train, score and explain", .serialized)
struct ModelCommandTests {
  @Test("linked records: train → score with capacity per ward and one per family → explain; the parts agree")
  func linkedRoundTrip() throws {
    let dir = try temporaryFolder("linked")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(
      try runUptake(["synth", "--out", dir + "/council", "--children", "6000", "--seed", "5", "--quiet"]).status == 0)
    let model = dir + "/model.json"
    let train = try runUptake(["train", "--data", dir + "/council", "--out", model, "--seed", "3"])
    #expect(train.status == 0, "\(train.stderr)")
    #expect(train.stdout.contains("validation: AUC") && train.stdout.contains("wrote \(model)"))

    let list = dir + "/list.csv"
    let score = try runUptake([
      "score", "--model", model, "--data", dir + "/council", "--capacity", "2", "--by", "ward", "--one-per-family",
      "--out", list,
    ])
    #expect(score.status == 0, "\(score.stderr)")
    let (header, rows) = try readCSV(list)
    #expect(
      header == [
        "rank", "rank_in_ward", "child_id", "family_id", "probability", "ward", "eligible_2yo_from", "age_months",
        "reason_1", "reason_2", "reason_3",
      ])
    #expect(!rows.isEmpty)
    // Ranks run 1…n and probabilities never rise down the list.
    #expect(rows.map { Int($0[0])! } == Array(1...rows.count))
    let p = rows.map { Double($0[4])! }
    #expect(zip(p, p.dropFirst()).allSatisfy { $0 >= $1 })
    // Capacity per ward and one child per family hold.
    let perWard = Dictionary(grouping: rows, by: { $0[5] }).mapValues(\.count)
    #expect(perWard.values.allSatisfy { $0 <= 2 })
    #expect(Set(rows.map { $0[3] }).count == rows.count)
    #expect(rows.allSatisfy { !$0[8].isEmpty })

    // Explain the top child: JSON contributions add up to the log-odds, and the probability matches the list.
    let top = rows[0][2]
    let explain = try runUptake([
      "explain", "--model", model, "--data", dir + "/council", "--id", top, "--format", "json",
    ])
    #expect(explain.status == 0, "\(explain.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as! [String: Any]
    let items = json["items"] as! [[String: Any]]
    let total = items.reduce(0.0) { $0 + ($1["logOdds"] as! Double) }
    #expect(abs((json["baseline"] as! Double) + total - (json["margin"] as! Double)) < 1e-9)
    #expect(abs((json["probability"] as! Double) - p[0]) < 5e-5)
    #expect(items.count == 13)

    let text = try runUptake(["explain", "--model", model, "--data", dir + "/council", "--id", top])
    #expect(text.status == 0 && text.stdout.contains("baseline") && text.stdout.contains(top))
    let unknown = try runUptake(["explain", "--model", model, "--data", dir + "/council", "--id", "C-nobody"])
    #expect(unknown.status != 0 && unknown.stderr.contains("no unit with child_id C-nobody"))
  }

  @Test("linked records in a SQLite file train the same model and give the same contact list as the CSV folder")
  func sqliteEqualsCSV() throws {
    let dir = try temporaryFolder("sqlite")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let council = dir + "/council"
    #expect(try runUptake(["synth", "--out", council, "--children", "4000", "--seed", "9", "--quiet"]).status == 0)
    var config = try String(contentsOfFile: council + "/uptake.yaml", encoding: .utf8)
    var tables: [(name: String, table: Table)] = []
    for name in [
      "children", "families", "areas", "health_visits", "hub_sessions", "early_education", "outreach_contacts",
    ] {
      tables.append((name, try CSVReader.read(path: council + "/\(name).csv")))
      config = config.replacingOccurrences(of: "file: \(name).csv", with: "table: \(name)")
    }
    try FileManager.default.createDirectory(atPath: dir + "/db", withIntermediateDirectories: true)
    try SQLiteWriter.write(tables, to: dir + "/db/council.sqlite")
    try ("database: council.sqlite\n" + config).write(
      toFile: dir + "/db/uptake.yaml", atomically: true, encoding: .utf8)

    func fingerprint(_ model: String) throws -> String {
      let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
      return ((json["model"] as! [String: Any])["training"] as! [String: Any])["dataFingerprint"] as! String
    }
    for (data, name) in [(council, "csv"), (dir + "/db/council.sqlite", "sqlite")] {
      let train = try runUptake(["train", "--data", data, "--out", dir + "/\(name).json", "--threads", "1"])
      #expect(train.status == 0, "\(train.stderr)")
      let score = try runUptake([
        "score", "--model", dir + "/\(name).json", "--data", data, "--capacity", "50", "--out", dir + "/\(name).csv",
      ])
      #expect(score.status == 0, "\(score.stderr)")
    }
    #expect(try fingerprint(dir + "/csv.json") == fingerprint(dir + "/sqlite.json"))
    #expect(try readCSV(dir + "/csv.csv").rows == readCSV(dir + "/sqlite.csv").rows)
  }

  @Test("a shared real data set as a flat file: both learners train, score with row-number ids, and explain")
  func flatFileRoundTrip() throws {
    let dir = try temporaryFolder("flat")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = realData + "/Benefits.csv"
    for learner in ["stumps", "logistic"] {
      let model = dir + "/\(learner).json"
      let train = try runUptake([
        "train", "--data", data, "--target", "ui", "--event", "no", "--learner", learner, "--out", model,
      ])
      #expect(train.status == 0, "\(train.stderr)")
      #expect(train.stdout.contains("4877 used") && train.stdout.contains("features:   17"))
      let list = dir + "/\(learner).csv"
      let score = try runUptake(["score", "--model", model, "--data", data, "--capacity", "100", "--out", list])
      #expect(score.status == 0, "\(score.stderr)")
      let (header, rows) = try readCSV(list)
      #expect(header.prefix(3) == ["rank", "id", "probability"] && rows.count == 100)
      #expect(rows.allSatisfy { Int($0[1]).map { (1...4877).contains($0) } ?? false })
      let explain = try runUptake(["explain", "--model", model, "--data", data, "--id", rows[0][1], "--format", "json"])
      #expect(explain.status == 0, "\(explain.stderr)")
      let json = try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as! [String: Any]
      #expect(abs((json["probability"] as! Double) - Double(rows[0][2])!) < 5e-5)
    }
    // The target column is ignored when scoring: a copy without it scores the same.
    let lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n")
    let withoutTarget = lines.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
    }
    try (withoutTarget.joined(separator: "\n") + "\n").write(
      toFile: dir + "/no-target.csv", atomically: true, encoding: .utf8)
    let again = try runUptake([
      "score", "--model", dir + "/stumps.json", "--data", dir + "/no-target.csv", "--capacity", "100", "--out",
      dir + "/again.csv",
    ])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try readCSV(dir + "/again.csv").rows == readCSV(dir + "/stumps.csv").rows)
  }

  @Test("damaged, edited and incompatible model files, and data of another shape, each get one clear line")
  func badModelsAndData() throws {
    let dir = try temporaryFolder("bad")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = realData + "/Benefits.csv"
    let model = dir + "/model.json"
    #expect(try runUptake(["train", "--data", data, "--target", "ui", "--event", "no", "--out", model]).status == 0)
    let good = try String(contentsOfFile: model, encoding: .utf8)
    func score(_ modelText: String?, data: String = data) throws -> (status: Int32, stderr: String) {
      let path = dir + "/candidate.json"
      if let modelText { try modelText.write(toFile: path, atomically: true, encoding: .utf8) }
      let r = try runUptake([
        "score", "--model", modelText == nil ? model : path, "--data", data, "--out", dir + "/out.csv",
      ])
      return (r.status, r.stderr)
    }
    let truncated = try score(String(good.prefix(good.count / 2)))
    #expect(truncated.status != 0 && truncated.stderr.contains("is not valid JSON"))
    // Change one learned number: the checksum catches it.
    let edited = good.replacingOccurrences(of: "\"intercept\" : -0.", with: "\"intercept\" : -1.")
    #expect(edited != good)
    let tampered = try score(edited)
    #expect(tampered.status != 0 && tampered.stderr.contains("fails its checksum"))
    let future = try score(good.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 99"))
    #expect(future.status != 0 && future.stderr.contains("schema version 99") && future.stderr.contains("newer uptake"))
    let notModel = try score("{\"hello\": 1}")
    #expect(notModel.status != 0 && notModel.stderr.contains("not an uptake model"))
    let missingKey = try score(good.replacingOccurrences(of: "\"schema\" :", with: "\"schemata\" :"))
    #expect(missingKey.status != 0 && missingKey.stderr.contains("damaged (missing model.schema)"))

    let otherShape = try score(nil, data: realData + "/wa_churn.csv")
    #expect(otherShape.status != 0 && otherShape.stderr.contains("the data have no feature stateur"))
    // A numeric feature that now holds a few words: an error naming them, never a silent switch to categories.
    let text = try String(contentsOfFile: data, encoding: .utf8).replacingOccurrences(of: "\n4.5,", with: "\nfour,")
    try text.write(toFile: dir + "/text.csv", atomically: true, encoding: .utf8)
    let wrongKind = try score(nil, data: dir + "/text.csv")
    #expect(
      wrongKind.status != 0 && wrongKind.stderr.contains("column stateur holds numbers but for")
        && wrongKind.stderr.contains("\"four\""), "\(wrongKind.stderr)")
    // A numeric feature that is now all words: the schema names the change of kind.
    var lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").map(String.init)
    for k in 1..<lines.count { lines[k] = "w" + lines[k] }
    try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/words.csv", atomically: true, encoding: .utf8)
    let allWords = try score(nil, data: dir + "/words.csv")
    #expect(
      allWords.status != 0 && allWords.stderr.contains("stateur was numeric in training but is categorical here"),
      "\(allWords.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"), "no output is left behind by a failed score")
    let missing = try score(nil, data: dir + "/nothing.csv")
    #expect(missing.status != 0 && missing.stderr.contains("does not exist"))
  }

  @Test("wrong flags get one clear line; every command's help has an example")
  func flags() throws {
    for command in ["train", "score", "explain", "demo"] {
      let help = try runUptake([command, "--help"])
      #expect(help.status == 0 && help.stdout.contains("Example"), "\(command)")
    }
    let noOutcome = try runUptake(["train", "--data", realData + "/Benefits.csv"])
    #expect(noOutcome.status != 0 && noOutcome.stderr.contains("--target COL --event VALUE"))
    let badEvent = try runUptake(["train", "--data", realData + "/Benefits.csv", "--target", "ui", "--event", "maybe"])
    #expect(badEvent.status != 0 && badEvent.stderr.contains("never holds maybe"))
    let badLearner = try runUptake(["train", "--data", realData + "/Benefits.csv", "--learner", "forest"])
    #expect(badLearner.status != 0 && badLearner.stderr.contains("forest"))
    let badMonotone = try runUptake([
      "train", "--data", realData + "/Benefits.csv", "--target", "ui", "--event", "no", "--monotone", "age=up",
    ])
    #expect(badMonotone.status != 0 && badMonotone.stderr.contains("FEATURE=increasing"))
    // Closed sets of values are refused before any work, naming the flag and every value allowed.
    let closedSets: [([String], String, String)] = [
      (["train", "--penalty", "l3"], "--penalty", "'none', 'l2', 'l1' or 'elasticnet'"),
      (["train", "--calibration", "sigmoid"], "--calibration", "'none', 'platt' or 'isotonic'"),
      (["benchmark", "--scheme", "holdout"], "--scheme", "'temporal' and 'kfold'"),
    ]
    for (arguments, flag, choices) in closedSets {
      let run = try runUptake(arguments + ["--data", realData + "/Benefits.csv", "--target", "ui", "--event", "no"])
      #expect(run.status == 64 && run.stderr.contains(flag) && run.stderr.contains(choices), "\(run.stderr)")
    }
    // A setting of the other learner was silently ignored: it is refused, naming it.
    let otherLearner: [([String], String)] = [
      (["--learner", "logistic", "--rounds", "500"], "--rounds is for stumps; leave it out with --learner logistic"),
      (
        ["--learner", "logistic", "--learning-rate", "0.05", "--bins", "64"],
        "--learning-rate and --bins are for stumps; leave them out with --learner logistic"
      ),
      (["--penalty", "l1"], "--penalty is for logistic; leave it out with --learner stumps"),
      (["--C", "0.5"], "--C is for logistic; leave it out with --learner stumps"),
      (["--learner", "logistic", "--penalty", "none", "--C", "1"], "--penalty none has none"),
      (["--learner", "logistic", "--l1-ratio", "0.3"], "--l1-ratio is the L1 share of --penalty elasticnet"),
    ]
    for (arguments, expected) in otherLearner {
      let run = try runUptake(
        ["train", "--data", realData + "/Benefits.csv", "--target", "ui", "--event", "no"] + arguments)
      #expect(run.status == 64 && run.stderr.contains(expected), "\(arguments): \(run.stderr)")
    }
    // Options shared by several commands check their values the same way in each.
    for command in [
      ["score", "--model", "m.json", "--data", "x"], ["changes", "--model", "m.json", "--before", "a", "--after", "b"],
    ] {
      let run = try runUptake(command + ["--capacity", "0"])
      #expect(run.status == 64 && run.stderr.contains("--capacity must be from 1"), "\(run.stderr)")
    }
    let badCohort = try runUptake([
      "changes", "--model", "m.json", "--before", "a", "--after", "b", "--as-of-from", "x",
    ])
    #expect(
      badCohort.status == 64 && badCohort.stderr.contains("--as-of-from \"x\" is not a date"), "\(badCohort.stderr)")
  }

  @Test("the committed demo models in models/ load and score a new synthetic council of the same shape")
  func committedModels() throws {
    let dir = try temporaryFolder("models")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("models").path
    #expect(try runUptake(["synth", "--out", dir, "--children", "3000", "--seed", "11", "--quiet"]).status == 0)
    for name in ["stumps", "logistic"] {
      let run = try runUptake([
        "score", "--model", models + "/\(name).json", "--data", dir, "--capacity", "10", "--out", dir + "/\(name).csv",
      ])
      #expect(run.status == 0, "\(name): \(run.stderr)")
      #expect(try readCSV(dir + "/\(name).csv").rows.count == 10)
      #expect(FileManager.default.fileExists(atPath: models + "/\(name).md"))
    }
  }

  @Test("uptake demo runs end to end on a small council and says where everything went")
  func demo() throws {
    let dir = try temporaryFolder("demo")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let run = try runUptake(["demo", "--out", dir, "--children", "5000", "--capacity", "3"])
    #expect(run.status == 0, "\(run.stderr)")
    for expected in ["contact list: \(dir)/contact-list.csv", "stumps model", "logistic model", "baseline", "AUC"] {
      #expect(run.stdout.contains(expected), "\(expected)")
    }
    for file in ["contact-list.csv", "models/stumps.json", "models/logistic.md", "top-family-explanation.txt"] {
      #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "\(file)")
    }
  }
}
