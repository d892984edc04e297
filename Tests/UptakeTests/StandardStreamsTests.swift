import Foundation
import TestSupport
import Testing

/// Standard error that cannot be written never kills a run (a warning is dropped, the output is still written);
/// standard output that cannot be written is an error, because it is the command's answer.
@Suite("Standard streams that cannot be written")
struct StandardStreamsTests {
  func shell(_ command: String, in dir: String) throws -> Int32 {
    let run = try runShell(
      command, workingDirectory: dir, environment: ["PATH": productsDirectory.path + ":/usr/bin:/bin"])
    #expect(!run.signalled, "\(command) ended by a signal")
    return run.status
  }

  @Test("a full or closed standard error: the run finishes and writes its output; a full standard output: exit 1")
  func fullStreams() throws {
    let dir = try temporaryFolder("streams")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A file whose id column is set aside with a warning, so something is written to standard error.
    var text = "id,x,y\n"
    for i in 0..<60 { text += "P\(i),\(i % 7),\(i % 3 == 0 ? "yes" : "no")\n" }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let train = "uptake train --data in.csv --target y --event yes --out m.json"
    #expect(try shell(train + " 2>/dev/full", in: dir) == 0)
    #expect(FileManager.default.fileExists(atPath: dir + "/m.json"))
    #expect(try shell("uptake score --model m.json --data in.csv --out l.csv 2>&-", in: dir) == 0)
    #expect(FileManager.default.fileExists(atPath: dir + "/l.csv"))
    #expect(try shell("uptake check --data in.csv --target y --event yes > /dev/full", in: dir) == 1)
    #expect(try shell("uptake explain --model m.json --data in.csv --id 3 > /dev/full", in: dir) == 1)
    #expect(try shell("uptake check --data in.csv --target y --event yes >&-", in: dir) == 1)
  }
}
