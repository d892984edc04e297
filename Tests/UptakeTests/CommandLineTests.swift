import Foundation
import TestSupport
import Testing

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
