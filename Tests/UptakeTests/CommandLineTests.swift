import Foundation
import Testing

/// Runs the built `uptake` executable, as a user would.
/// With `fileSizeLimitKB`, runs under `ulimit -f` so writing past that size fails as on a full disk; `environment`
/// adds variables for this run only.
func runUptake(
  _ arguments: [String], fileSizeLimitKB: Int? = nil, environment: [String: String] = [:], input: String? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
  let run = try runUptakeProcess(arguments, fileSizeLimitKB: fileSizeLimitKB, environment: environment, input: input)
  return (run.status, run.stdout, run.stderr)
}

/// `words` quoted for `sh -c`, each in single quotes.
func shellQuoted(_ words: [String]) -> String {
  words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
}

/// Runs `executable` with `arguments`, standard input empty and standard error dropped; returns its exit status and
/// standard output.
func standardOutput(of executable: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let out = Pipe()
  process.standardOutput = out
  process.standardError = FileHandle.nullDevice
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return (process.terminationStatus, text)
}

/// How a run of the built `uptake` ended: `signalled` is true when a signal stopped it (a trap is a crash, never an
/// answer), in which case `status` is the signal's number.
struct UptakeRun {
  var status: Int32
  var signalled: Bool
  var stdout: String
  var stderr: String
}

/// Runs the built `uptake`; `input`, when given, is written to a file that becomes its standard input.
func runUptakeProcess(
  _ arguments: [String], fileSizeLimitKB: Int? = nil, environment: [String: String] = [:], input: String? = nil
) throws -> UptakeRun {
  let binary = productsDirectory.appendingPathComponent("uptake")
  let process = Process()
  if let limit = fileSizeLimitKB {
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "ulimit -f \(limit); exec " + shellQuoted([binary.path] + arguments)]
  } else {
    process.executableURL = binary
    process.arguments = arguments
  }
  if !environment.isEmpty {
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  }
  var inputPath: String?
  if let input {
    let path = NSTemporaryDirectory() + "uptake-stdin-\(UUID().uuidString)"
    try input.write(toFile: path, atomically: true, encoding: .utf8)
    inputPath = path
    process.standardInput = FileHandle(forReadingAtPath: path)
  } else {
    process.standardInput = FileHandle.nullDevice
  }
  defer { if let inputPath { try? FileManager.default.removeItem(atPath: inputPath) } }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Standard error is drained on another thread, so a long error stream cannot block the child while stdout is read.
  nonisolated(unsafe) var errData = Data()
  let drained = DispatchSemaphore(value: 0)
  DispatchQueue.global().async {
    errData = err.fileHandleForReading.readDataToEndOfFile()
    drained.signal()
  }
  let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  drained.wait()
  process.waitUntilExit()
  return UptakeRun(
    status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, stdout: stdout,
    stderr: String(decoding: errData, as: UTF8.self))
}

/// `.build/<config>/`, where SwiftPM puts both the test bundle and the executable.
var productsDirectory: URL {
  Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
    ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
}

@Suite("uptake command line")
struct CommandLineTests {
  @Test("uptake synth writes the tables and reports them")
  func synth() throws {
    let out = NSTemporaryDirectory() + "uptake-cli-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try runUptake(["synth", "--out", out, "--children", "500", "--seed", "3"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("children.csv") && result.stdout.contains("500 rows"))
    for name in ["children.csv", "truth.csv", "uptake.yaml"] {
      #expect(FileManager.default.fileExists(atPath: out + "/" + name))
    }
    let hidden = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") }
    #expect(hidden.isEmpty, "no partial files left: \(hidden)")
  }

  @Test("bad arguments get one clear line and a non-zero exit")
  func badArguments() throws {
    let badDate = try runUptake(["synth", "--out", "/tmp/never", "--start", "31/02/2021"])
    #expect(badDate.status != 0)
    #expect(badDate.stderr.contains("31/02/2021") && badDate.stderr.contains("YYYY-MM-DD"))
    let badCount = try runUptake(["synth", "--out", "/tmp/never", "--children", "0"])
    #expect(badCount.status != 0 && badCount.stderr.contains("--children"))
    let help = try runUptake(["synth", "--help"])
    #expect(help.status == 0 && help.stdout.contains("Example"))
  }
}

@Suite("uptake features")
struct FeaturesCommandTests {
  @Test("linked records and a flat file both give a feature CSV; mistakes give one clear line")
  func features() throws {
    let dir = NSTemporaryDirectory() + "uptake-features-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir, "--children", "800", "--quiet"]).status == 0)
    let out = dir + "/features.csv"
    let linked = try runUptake(["features", "--data", dir, "--out", out])
    #expect(linked.status == 0, "\(linked.stderr)")
    let header = try String(contentsOfFile: out, encoding: .utf8).prefix { $0 != "\n" }
    #expect(
      header.hasPrefix("id,group,as_of,imd_decile") && header.hasSuffix("protected_first_language,no_funded_place"))

    let flat = dir + "/flat.csv"
    try "kid,took_up,visits\nk1,no,3\nk2,yes,\nk3,,1\n".write(toFile: flat, atomically: true, encoding: .utf8)
    let flatRun = try runUptake([
      "features", "--data", flat, "--target", "took_up", "--event", "no", "--id", "kid", "--out", out,
    ])
    #expect(
      flatRun.status == 0 && flatRun.stdout.contains("left out:   1 whose took_up is missing"), "\(flatRun.stdout)")
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "id,visits,took_up\nk1,3,1\nk2,,0\n")

    let missingTarget = try runUptake(["features", "--data", flat, "--out", out])
    #expect(missingTarget.status != 0 && missingTarget.stderr.contains("--target"))
    let badDate = try runUptake(["features", "--data", dir, "--as-of", "2024-13-01", "--out", out])
    #expect(badDate.status != 0 && badDate.stderr.contains("YYYY-MM-DD"))
  }
}
