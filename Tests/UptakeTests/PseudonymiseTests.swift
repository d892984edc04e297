import Crypto
import Foundation
import Records
import TestSupport
import Testing

@testable import Uptake

@Suite("Pseudonymisation", .serialized)
struct PseudonymiseTests {
  @Test("tokens are HMAC-SHA256 (RFC 4231 test case 2), truncated to 128 bits")
  func hmacVector() {
    let p = Pseudonymiser(key: SymmetricKey(data: Array("Jefe".utf8)))
    #expect(p.token("what do ya want for nothing?") == "p5bdcc146bf60754e6a042426089575c7")
    #expect(p.token("") == "")
  }

  @Test("uptake pseudonymise: linked tables still join, the same key gives the same tokens, no id survives")
  func command() throws {
    let dir = try temporaryFolder("pseudonymise")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try runUptake(["synth", "--out", dir + "/c", "--children", "3000", "--seed", "2", "--quiet"]).status == 0)
    let run = try runUptake([
      "pseudonymise", "--data", dir + "/c", "--columns", "child_id,family_id", "--key-file", dir + "/secret.key",
      "--out",
      dir + "/p",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("created key file") && run.stdout.contains("pseudonymised child_id, family_id"))
    let mode = try FileManager.default.attributesOfItem(atPath: dir + "/secret.key")[.posixPermissions] as! NSNumber
    #expect(mode.intValue & 0o777 == 0o600)
    let key = try String(contentsOfFile: dir + "/secret.key", encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    #expect(!run.stdout.contains(key) && !run.stderr.contains(key), "the key is never printed")

    let original = try String(contentsOfFile: dir + "/c/children.csv", encoding: .utf8)
    let pseudonymised = try String(contentsOfFile: dir + "/p/children.csv", encoding: .utf8)
    #expect(!pseudonymised.contains("C1000") && !pseudonymised.contains("F1000"))
    #expect(original.components(separatedBy: "\n").count == pseudonymised.components(separatedBy: "\n").count)

    // The same features from both: links join through the tokens exactly as through the ids.
    for (data, name) in [(dir + "/c", "a.csv"), (dir + "/p", "b.csv")] {
      #expect(try runUptake(["features", "--data", data, "--out", dir + "/" + name]).status == 0)
    }
    func withoutIds(_ path: String) throws -> [String] {
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
        $0.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).last.map(String.init) ?? ""
      }
    }
    #expect(try withoutIds(dir + "/a.csv") == withoutIds(dir + "/b.csv"))

    // Same key, same tokens; a key readable by others is refused.
    #expect(
      try runUptake([
        "pseudonymise", "--data", dir + "/c/families.csv", "--columns", "family_id", "--key-file", dir + "/secret.key",
        "--out", dir + "/f.csv",
      ]).status == 0)
    #expect(
      try String(contentsOfFile: dir + "/f.csv", encoding: .utf8)
        == String(contentsOfFile: dir + "/p/families.csv", encoding: .utf8))
    chmod(dir + "/secret.key", 0o644)
    let open = try runUptake([
      "pseudonymise", "--data", dir + "/c/families.csv", "--columns", "family_id", "--key-file", dir + "/secret.key",
      "--out", dir + "/g.csv",
    ])
    #expect(open.status == 1 && open.stderr.contains("chmod 600"))
    let same = try runUptake([
      "pseudonymise", "--data", dir + "/c", "--columns", "child_id", "--key-file", dir + "/k2", "--out", dir + "/c",
    ])
    #expect(same.status != 0 && same.stderr.contains("inputs are never overwritten"))
  }
}

@Suite("Personal-data column names")
struct PersonalDataNameTests {
  @Test("a folder holding a workbook or another file is refused before anything is written (it was left behind)")
  func otherFiles() throws {
    let dir = try temporaryFolder("pseudonymise-others")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/c", withIntermediateDirectories: true)
    try "child_id,x\nC1,1\n".write(toFile: dir + "/c/children.csv", atomically: true, encoding: .utf8)
    try Data("PK".utf8).write(to: URL(fileURLWithPath: dir + "/c/areas.xlsx"))
    let run = try runUptake([
      "pseudonymise", "--data", dir + "/c", "--columns", "child_id", "--key-file", dir + "/k.key", "--out", dir + "/p",
    ])
    #expect(
      run.status == 1 && run.stderr.contains("does not rewrite: areas.xlsx")
        && run.stderr.contains("nothing was written"),
      "\(run.stderr)")
    #expect(
      !FileManager.default.fileExists(atPath: dir + "/p") && !FileManager.default.fileExists(atPath: dir + "/k.key"))
  }

  @Test("names, dates of birth, contact details and free text are recognised; ordinary features are not")
  func names() {
    for sensitive in [
      "date_of_birth", "DOB", "child_dob", "Surname", "first_name", "address_line_1", "Postcode",
      "parent_email", "phone", "nhs_number", "notes", "free_text", "name",
    ] {
      #expect(PersonalData.isSensitive(column: sensitive), "\(sensitive)")
    }
    for ordinary in [
      "months_at_address", "first_language", "imd_decile", "hub_name_count", "birth_order", "age_months",
      "interpreter_needed", "lone_parent",
    ] {
      #expect(!PersonalData.isSensitive(column: ordinary), "\(ordinary)")
    }
  }

  @Test("a mistyped column stops the run before a key or a copy exists; ids are trimmed, case kept unless --fold-case")
  func mistakesAndNormalising() throws {
    let dir = try temporaryFolder("pseudonymise-rules")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "child_id,x\n C1,1\nC1 ,2\nc1,3\nEnglish,4\n".write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let typo = try runUptake([
      "pseudonymise", "--data", dir + "/in.csv", "--columns", "child_ref", "--key-file", dir + "/k.key", "--out",
      dir + "/out.csv",
    ])
    #expect(
      typo.status == 1 && typo.stderr.contains("has a column child_ref; did you mean child_id?"), "\(typo.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/k.key"))
    for (flags, distinct) in [([String](), 2), (["--fold-case"], 1)] {
      let r = try runUptake(
        [
          "pseudonymise", "--data", dir + "/in.csv", "--columns", "child_id", "--key-file", dir + "/k.key", "--out",
          dir + "/out.csv",
        ] + flags)
      #expect(r.status == 0, "\(r.stderr)")
      let tokens = try readCSV(dir + "/out.csv").rows.prefix(3).map { $0[0] }
      #expect(Set(tokens).count == distinct, "\(flags): \(tokens)")
    }
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.key", withDestinationPath: dir + "/k.key")
    let link = try runUptake([
      "pseudonymise", "--data", dir + "/in.csv", "--columns", "child_id", "--key-file", dir + "/link.key", "--out",
      dir + "/out2.csv",
    ])
    #expect(link.status == 1 && link.stderr.contains("is a symbolic link"))
  }

  @Test("a header longer than 1 MB is read whole: every row keeps the header's width")
  func longHeader() throws {
    let dir = try temporaryFolder("pseudonymise-header")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let names = (0..<120_000).map { "column_\($0)" }
    let header = "child_id," + names.joined(separator: ",")
    let row = "C1," + Array(repeating: "1", count: names.count).joined(separator: ",")
    try (header + "\n" + row + "\n").write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    #expect(header.utf8.count > 1 << 20)
    let r = try runUptake([
      "pseudonymise", "--data", dir + "/in.csv", "--columns", "child_id", "--key-file", dir + "/k.key", "--out",
      dir + "/out.csv",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = try String(contentsOfFile: dir + "/out.csv", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2 && lines.allSatisfy { $0.split(separator: ",").count == names.count + 1 })
  }

  @Test("runs started together with no key yet end with one key, and every output's tokens are under it")
  func keyRace() throws {
    let dir = try temporaryFolder("key-race")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "id,x\nC1,1\nC2,2\n".write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let started = try (0..<6).map { i in
      try RunningProcess(
        uptakeBinary,
        [
          "pseudonymise", "--data", dir + "/in.csv", "--columns", "id", "--key-file", dir + "/new.key", "--out",
          dir + "/p\(i).csv",
        ])
    }
    let runs = started.map { $0.finish() }
    let check = try runUptake([
      "pseudonymise", "--data", dir + "/in.csv", "--columns", "id", "--key-file", dir + "/new.key", "--out",
      dir + "/check.csv",
    ])
    #expect(check.status == 0 && !check.stdout.contains("created key file"))
    let expected = try String(contentsOfFile: dir + "/check.csv", encoding: .utf8)
    for (i, run) in runs.enumerated() where run.status == 0 {
      // A run that found another's lock stops cleanly; every run that wrote used the key on disk.
      #expect(try String(contentsOfFile: dir + "/p\(i).csv", encoding: .utf8) == expected)
    }
  }
}
