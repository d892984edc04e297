import Foundation
import TestSupport
import Testing

/// What a person at a terminal sees while a long step runs, and what a pipe or `--quiet` does not get.
@Suite(
  "Progress bars on a terminal", .serialized,
  .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "no script(1) to make a terminal"))
struct ProgressCommandTests {
  /// Standard error and output of `uptake ARGUMENTS` run on a pseudo-terminal by script(1), as a person would run it,
  /// with bars drawn from the first moment (`UPTAKE_PROGRESS_DELAY=0`, unless `delay` says otherwise) so that quick
  /// test steps show them too.
  static func onTerminal(_ arguments: [String], delay: String = "0") throws -> String {
    let command = shellQuoted(["UPTAKE_PROGRESS_DELAY=\(delay)", uptakeBinary] + arguments)
    return try runProcess("/usr/bin/script", ["-qec", "env " + command, "/dev/null"]).stdout
  }

  /// A flat file of `rows` rows, over 4 MB at 150,000 rows: read in chunks, so its reading is told.
  static func flatFile(in dir: String, rows: Int) throws -> String {
    var text = "id,x,z,c,y\n"
    text.reserveCapacity(rows * 48)
    for i in 0..<rows {
      text += "P\(i),\(i % 9),\(Double(i % 1013) / 7.0),\(["a", "b", "c"][i % 3]),\(i % 9 > 5 ? "yes" : "no")\n"
    }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/in.csv"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test("train shows reading a large file and its boosting rounds; evaluate its bootstrap; a pipe and --quiet nothing")
  func trainAndEvaluate() throws {
    let dir = try temporaryFolder("progress")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = try Self.flatFile(in: dir, rows: 150_000)
    let flat = ["--data", data, "--target", "y", "--event", "yes", "--id", "id"]
    let shown = try Self.onTerminal(["train"] + flat + ["--rounds", "10", "--out", dir + "/m.json"])
    #expect(shown.contains("reading in.csv [") && shown.contains("100%  ETA"), "\(shown.suffix(600))")
    #expect(shown.contains("training [") && shown.contains("10/10  ETA"), "\(shown.suffix(600))")
    // A finished step's line is cleared: the summary starts on a clean line.
    #expect(shown.contains("\u{1B}[Ktrained stumps"), "\(shown.suffix(600))")
    let features = ["features"] + flat + ["--out", dir + "/f.csv"]
    let quiet = try Self.onTerminal(features + ["--quiet"])
    #expect(quiet.contains("wrote") && !quiet.contains("ETA"), "\(quiet.suffix(600))")
    let piped = try runUptake(features, environment: ["UPTAKE_PROGRESS_DELAY": "0"])
    #expect(piped.status == 0 && !piped.stderr.contains("ETA"), "\(piped.stderr)")

    let small = try Self.flatFile(in: dir + "/small", rows: 2000)
    let evaluate = try Self.onTerminal(["evaluate", "--model", dir + "/m.json", "--data", small, "--bootstrap", "50"])
    #expect(
      evaluate.contains("evaluating (bootstrap) [") && evaluate.contains("150/150  ETA"), "\(evaluate.suffix(600))")
  }

  @Test(
    "a bar never wraps (a long file name gives way), never prints a name's control characters, and a bad delay is said")
  func narrowAndHostile() throws {
    let dir = try temporaryFolder("progress-width")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = try Self.flatFile(in: dir, rows: 150_000)
    let long = dir + "/" + String(repeating: "early_years_export_", count: 6) + "x\u{1B}[31m.csv"
    try FileManager.default.moveItem(atPath: data, toPath: long)
    let shown = try Self.onTerminal([
      "features", "--data", long, "--target", "y", "--event", "yes", "--id", "id", "--out", dir + "/f.csv",
    ])
    let draws = shown.components(separatedBy: "\r\u{1B}[K").filter { $0.contains("ETA") }
    #expect(!draws.isEmpty, "\(shown.suffix(400))")
    // script(1) gives no window size, so the width is the default 80: at most 79 columns drawn.
    for draw in draws { #expect(draw.count <= 79 && !draw.contains("\u{1B}[31m"), "\(draw)") }
    #expect(draws.contains { $0.hasPrefix("reading early_years") && $0.contains("…") }, "\(draws.prefix(2))")

    let odd = try runUptake(
      [
        "features", "--data", long, "--target", "y", "--event", "yes", "--id", "id", "--out", dir + "/g.csv", "--quiet",
      ],
      environment: ["UPTAKE_TRACE": "maybe"])
    #expect(odd.status == 0 && odd.stderr.contains("UPTAKE_TRACE=maybe is not 1 or 0"), "\(odd.stderr)")
    let delay = try Self.onTerminal(["check", "--data", long, "--target", "y", "--event", "yes"], delay: "soon")
    #expect(delay.contains("UPTAKE_PROGRESS_DELAY=soon is not a number of seconds"), "\(delay.suffix(400))")
  }

  @Test("features shows building features on linked records; benchmark its folds")
  func featuresAndBenchmark() throws {
    let dir = try temporaryFolder("progress-linked")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/c", "--children", "2000", "--seed", "3", "--quiet"]).status == 0)
    let features = try Self.onTerminal(["features", "--data", dir + "/c", "--out", dir + "/f.csv"])
    #expect(features.contains("building features ["), "\(features.suffix(600))")
    let benchmark = try Self.onTerminal([
      "benchmark", "--data", dir + "/c", "--scheme", "kfold", "--folds", "2", "--bootstrap", "50",
    ])
    #expect(benchmark.contains("benchmarking (folds) [") && benchmark.contains("4/4  ETA"), "\(benchmark.suffix(600))")
  }
}
