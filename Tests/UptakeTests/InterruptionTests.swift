import Foundation
import Records
import TestSupport
import Testing

@Suite("Interrupted runs leave old or complete files, never partial ones", .serialized)
struct InterruptionTests {
  @Test(
    "SIGTERM, SIGINT or SIGHUP during uptake synth: no partial files; every file is the old one or complete",
    arguments: [SIGTERM, SIGINT, SIGHUP])
  func interruptedSynth(_ signal: Int32) throws {
    let dir = try temporaryFolder("interrupt")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "OLD".write(toFile: dir + "/children.csv", atomically: true, encoding: .utf8)
    let process = try RunningProcess(uptakeBinary, ["synth", "--out", dir, "--children", "400000", "--quiet"])
    // Wait until some output is being written, then interrupt.
    let started = Date()
    while Date().timeIntervalSince(started) < 20 {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
      if names.contains(where: { $0.hasSuffix(".partial") }) { break }
      usleep(20_000)
    }
    process.kill(signal)
    let run = process.finish()
    #expect(run.status == 128 + signal, "\(run.stderr)")
    #expect(run.stderr.contains("interrupted; partial outputs removed"))
    let names = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(!names.contains { $0.hasSuffix(".partial") }, "\(names)")
    for name in names where name.hasSuffix(".csv") {
      let path = dir + "/" + name
      if (try? String(contentsOfFile: path, encoding: .utf8)) == "OLD" { continue }
      // Anything else must be a complete CSV.
      #expect(throws: Never.self, "\(name)") { _ = try CSVReader.read(path: path) }
    }
  }

  @Test("outputs are created readable by their owner only (0600)")
  func privateOutputs() throws {
    let dir = try temporaryFolder("private")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/c", "--children", "3000", "--quiet"]).status == 0)
    #expect(try runUptake(["train", "--data", dir + "/c", "--out", dir + "/m.json"]).status == 0)
    #expect(
      try runUptake(["score", "--model", dir + "/m.json", "--data", dir + "/c", "--out", dir + "/list.csv"]).status == 0
    )
    for file in ["/list.csv", "/m.json", "/c/children.csv", "/c/uptake.yaml"] {
      let mode = try FileManager.default.attributesOfItem(atPath: dir + file)[.posixPermissions] as! NSNumber
      #expect(mode.intValue & 0o777 == 0o600, "\(file): \(String(mode.intValue, radix: 8))")
    }
    let folder = try FileManager.default.attributesOfItem(atPath: dir + "/c")[.posixPermissions] as! NSNumber
    #expect(folder.intValue & 0o777 == 0o700, "folder: \(String(folder.intValue, radix: 8))")
  }
}
