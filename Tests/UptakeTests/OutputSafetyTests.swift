import Foundation
import TestSupport
import Testing

/// Outputs never go where they must not: not through a planted link, not over a device, pipe, folder or link, not
/// over an input of the run; concurrent writers never mix; spreadsheet formulas never reach a contact list live.
@Suite("Output files under hostile conditions", .serialized)
struct OutputSafetyTests {
  /// A flat file of 60 rows with ids `ids(i)`, trained into `m.json` in a fresh folder.
  func trainedFolder(ids: (Int) -> String = { "P\($0)" }) throws -> String {
    let dir = try temporaryFolder("outputs")
    var text = "id,x,y\n"
    for i in 0..<60 {
      let id = ids(i)
      let field =
        id.contains("\"") || id.contains(",") ? "\"" + id.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : id
      text += "\(field),\(i % 7),\(i % 3 == 0 ? "yes" : "no")\n"
    }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let r = try runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out", dir + "/m.json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    return dir
  }

  func score(_ dir: String, out: String) throws -> (status: Int32, stdout: String, stderr: String) {
    try runUptake(["score", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--out", out])
  }

  @Test("a link, a pipe or a folder at the output path is refused and left as it was")
  func refusedDestinations() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "VICTIM".write(toFile: dir + "/victim.txt", atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: dir + "/victim.txt")
    let link = try score(dir, out: dir + "/link.csv")
    #expect(link.status == 1 && link.stderr.contains("it is a symbolic link"), "\(link.stderr)")
    #expect(try String(contentsOfFile: dir + "/victim.txt", encoding: .utf8) == "VICTIM")
    #expect(mkfifo(dir + "/pipe.csv", 0o600) == 0)
    let pipe = try score(dir, out: dir + "/pipe.csv")
    #expect(pipe.status == 1 && pipe.stderr.contains("it is a pipe, not a file"), "\(pipe.stderr)")
    var status = stat()
    #expect(lstat(dir + "/pipe.csv", &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    try FileManager.default.createDirectory(atPath: dir + "/folder.csv", withIntermediateDirectories: true)
    let folder = try score(dir, out: dir + "/folder.csv")
    #expect(folder.status == 1 && folder.stderr.contains("it is a folder"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".partial") }.isEmpty)
  }

  @Test("a link planted at the old fixed partial name is never followed")
  func plantedPartial() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "VICTIM".write(toFile: dir + "/victim.txt", atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: dir + "/.list.csv.partial", withDestinationPath: dir + "/victim.txt")
    let r = try score(dir, out: dir + "/list.csv")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try String(contentsOfFile: dir + "/victim.txt", encoding: .utf8) == "VICTIM")
    #expect(try String(contentsOfFile: dir + "/list.csv", encoding: .utf8).hasPrefix("rank,id,probability"))
  }

  @Test("an output naming an input of the run (the data, the model, the config) is refused; the input is intact")
  func inputsNeverOverwritten() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let before = try String(contentsOfFile: dir + "/in.csv", encoding: .utf8)
    let data = try score(dir, out: dir + "/in.csv")
    #expect(data.status == 1 && data.stderr.contains("it is one of this run's inputs"), "\(data.stderr)")
    #expect(try String(contentsOfFile: dir + "/in.csv", encoding: .utf8) == before)
    let model = try score(dir, out: dir + "/m.json")
    #expect(model.status == 1 && model.stderr.contains("it is one of this run's inputs"))
    // Another path to the same file is the same input.
    try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
    let viaDots = try score(dir, out: dir + "/sub/../in.csv")
    #expect(viaDots.status == 1 && viaDots.stderr.contains("it is one of this run's inputs"))
    let council = dir + "/council"
    #expect(try runUptake(["synth", "--out", council, "--children", "3000", "--quiet"]).status == 0)
    #expect(try runUptake(["train", "--data", council, "--out", dir + "/c.json"]).status == 0)
    let config = try runUptake([
      "score", "--model", dir + "/c.json", "--data", council, "--out", council + "/uptake.yaml",
    ])
    #expect(config.status == 1 && config.stderr.contains("it is one of this run's inputs"), "\(config.stderr)")
  }

  @Test("two runs writing one path at once leave one complete output, never a mixture")
  func concurrentWriters() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let runs = try ["5", "40"].map { capacity in
      try RunningProcess(
        uptakeBinary,
        [
          "score", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--capacity", capacity, "--out",
          dir + "/list.csv",
        ])
    }
    // Either the runs did not overlap and both wrote, or the second found the first's lock and stopped cleanly.
    for run in runs.map({ $0.finish() }) {
      #expect(
        run.status == 0 || (run.status == 1 && run.stderr.contains("another run is writing it right now")),
        "\(run.stderr)")
    }
    let lines = try String(contentsOfFile: dir + "/list.csv", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 6 || lines.count == 41, "\(lines.count) lines")
    #expect(try leftovers(dir).isEmpty)
  }

  /// Partial and lock files left in `dir`.
  func leftovers(_ dir: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir).filter {
      $0.hasSuffix(".partial") || $0.hasSuffix(".lock")
    }
  }

  @Test("a second writer finds the first's lock and stops with a clear error; the output and the lock are untouched")
  func lockedDestination() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "OLD".write(toFile: dir + "/list.csv", atomically: true, encoding: .utf8)
    // Another process's lock, taken as uptake takes it.
    let descriptor = open(dir + "/.list.csv.lock", O_RDONLY | O_CREAT, 0o600)
    #expect(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0)
    let locked = try score(dir, out: dir + "/list.csv")
    #expect(locked.status == 1, "\(locked.stderr)")
    #expect(locked.stderr.contains("will not write \(dir)/list.csv: another run is writing it right now"))
    #expect(try String(contentsOfFile: dir + "/list.csv", encoding: .utf8) == "OLD")
    #expect(FileManager.default.fileExists(atPath: dir + "/.list.csv.lock"), "another run's lock file is not removed")
    // Once released, the next run writes, and removes the lock file it finds.
    close(descriptor)
    let free = try score(dir, out: dir + "/list.csv")
    #expect(free.status == 0, "\(free.stderr)")
    #expect(try String(contentsOfFile: dir + "/list.csv", encoding: .utf8).hasPrefix("rank,id,probability"))
    #expect(try leftovers(dir).isEmpty)
  }

  @Test("a link or a pipe planted at the lock file's name is refused, never followed or opened")
  func plantedLock() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "VICTIM".write(toFile: dir + "/victim.txt", atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: dir + "/.list.csv.lock", withDestinationPath: dir + "/victim.txt")
    let link = try score(dir, out: dir + "/list.csv")
    #expect(link.status == 1 && link.stderr.contains("a symbolic link is planted at"), "\(link.stderr)")
    #expect(try String(contentsOfFile: dir + "/victim.txt", encoding: .utf8) == "VICTIM")
    #expect(mkfifo(dir + "/.other.csv.lock", 0o600) == 0)
    let pipe = try score(dir, out: dir + "/other.csv")
    #expect(pipe.status == 1 && pipe.stderr.contains("is not a regular file; remove it"), "\(pipe.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/list.csv"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/other.csv"))
  }

  @Test("ids and groups that a spreadsheet would run as formulas are written as text")
  func formulasNeutralised() throws {
    let formulas = ["=1+1", "+cmd|'/C calc'!A0", "-cmd", "@SUM(1)", "=HYPERLINK(\"http://x\",\"y\")"]
    let dir = try trainedFolder { i in i < formulas.count ? formulas[i] : "P\(i)" }
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try score(dir, out: dir + "/list.csv")
    #expect(r.status == 0, "\(r.stderr)")
    let text = try String(contentsOfFile: dir + "/list.csv", encoding: .utf8)
    for formula in formulas {
      let quoted =
        formula.contains("\"") || formula.contains(",")
        ? "\"'" + formula.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : "'" + formula
      #expect(text.contains("," + quoted + ","), "\(formula) in \(text.prefix(400))")
    }
    #expect(!text.contains(",=1+1,"))
  }

  @Test("--out - streams the CSV to standard output and the summary to standard error")
  func standardOutput() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let scored = try runUptake([
      "score", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--capacity", "3", "--out", "-",
    ])
    #expect(scored.status == 0, "\(scored.stderr)")
    let lines = scored.stdout.split(separator: "\n")
    #expect(lines.count == 4 && lines[0].hasPrefix("rank,id,probability"), "\(scored.stdout)")
    #expect(scored.stderr.contains("wrote standard output: 3 rows"))
    let features = try runUptake([
      "features", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--out", "-",
    ])
    #expect(
      features.status == 0 && features.stdout.hasPrefix("id,x,y\n")
        && features.stdout.split(separator: "\n").count == 61)
    #expect(features.stderr.contains("wrote standard output: 60 rows"))
    #expect(!FileManager.default.fileExists(atPath: "-"))
    let explained = try runUptake([
      "explain", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--id", "P3", "--format", "csv", "--out", "-",
    ])
    let rows = explained.stdout.split(separator: "\n")
    #expect(explained.status == 0 && rows.count == 3, "\(explained.stdout) \(explained.stderr)")
    #expect(rows.first == "id,probability,feature,value,log_odds,probability_share,reason")
    #expect(rows.dropFirst().first?.hasPrefix("P3,") == true && rows[1].contains(",baseline,,"))
  }

  @Test("explain writes its CSV, JSON or text to --out like every other output: atomically, never over an input")
  func explainOut() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func explain(_ format: String, _ out: String) throws -> (status: Int32, stdout: String, stderr: String) {
      try runUptake([
        "explain", "--model", dir + "/m.json", "--data", dir + "/in.csv", "--id", "P3", "--format", format, "--out",
        out,
      ])
    }
    let csv = try explain("csv", dir + "/p3.csv")
    #expect(csv.status == 0 && csv.stdout.isEmpty, "\(csv.stderr)")
    let rows = try String(contentsOfFile: dir + "/p3.csv", encoding: .utf8).split(separator: "\n")
    // The baseline and the contributions add up to the unit's log-odds, as in the text form.
    let logOdds = rows.dropFirst().map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[4])! }
    let json = try explain("json", dir + "/p3.json")
    #expect(json.status == 0)
    let decoded = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/p3.json")))
    let margin = try #require((decoded as? [String: Any])?["margin"] as? Double)
    #expect(abs(logOdds.reduce(0, +) - margin) < 1e-3)
    let overInput = try explain("text", dir + "/m.json")
    #expect(overInput.status == 1 && overInput.stderr.contains("it is one of this run's inputs"))
  }

  @Test("--data - reads CSV piped in: train and score as from a file; a stream that is no CSV is named and refused")
  func standardInput() throws {
    let dir = try trainedFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let text = try String(contentsOfFile: dir + "/in.csv", encoding: .utf8)
    let trained = try runUptake(
      ["train", "--data", "-", "--target", "y", "--event", "yes", "--id", "id", "--out", dir + "/s.json"], input: text)
    #expect(trained.status == 0 && trained.stdout.contains("flat file standard input"), "\(trained.stderr)")
    let piped = try runUptake(["score", "--model", dir + "/s.json", "--data", "-", "--out", "-"], input: text)
    let fromFile = try runUptake(["score", "--model", dir + "/s.json", "--data", dir + "/in.csv", "--out", "-"])
    #expect(piped.status == 0 && piped.stdout == fromFile.stdout && piped.stdout.count > 100, "\(piped.stderr)")
    let ragged = try runUptake(
      ["score", "--model", dir + "/s.json", "--data", "-", "--out", dir + "/l.csv"], input: "id,x\nP1,2,3\n")
    #expect(ragged.status == 1 && ragged.stderr.contains("standard input, line 2: 3 fields, but the header has 2"))
    let empty = try runUptake(["score", "--model", dir + "/s.json", "--data", "-", "--out", dir + "/l.csv"], input: "")
    #expect(empty.status == 1 && empty.stderr.contains("standard input is empty"), "\(empty.stderr)")
    let binary = try runUptake(
      ["score", "--model", dir + "/s.json", "--data", "-", "--out", dir + "/l.csv"], input: "PK\u{3}\u{4}rest")
    #expect(binary.status == 1 && binary.stderr.contains("standard input holds a zip archive or a workbook"))
    let sheet = try runUptake(
      ["train", "--data", "-", "--target", "y", "--event", "yes", "--sheet", "S1", "--out", dir + "/t.json"],
      input: text)
    #expect(sheet.status == 1 && sheet.stderr.contains("a sheet (S1) is named for it"), "\(sheet.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/l.csv") && !FileManager.default.fileExists(atPath: "-"))
  }
}
