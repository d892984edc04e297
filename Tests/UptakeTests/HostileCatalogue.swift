import Foundation
import TestSupport
import Testing
import Uptake

/// One hostile input: the files laid out in a fresh folder, the command, and what its error must say. Every case is
/// held to the same rules: a clean non-zero exit (never a signal), an error naming the file, line, column, key or flag,
/// nothing in the folder created, changed or removed (the previous output intact, no partial or lock file left), and
/// no personal value on standard error or standard output.
struct HostileCase: Sendable, CustomTestStringConvertible {
  enum Area: String, Sendable, CaseIterable {
    case outputs, inputs, numbers, nonFinite, dates, bundles, privacy, config, pseudonymise
  }

  /// What sits at a path in the case's folder.
  enum Entry: Sendable {
    case text(String)
    case bytes([UInt8])
    /// A symbolic link to this target (`DIR` stands for the folder).
    case link(String)
    /// A hard link to another entry of the folder.
    case hardLink(String)
    case fifo
    case folder
    /// The catalogue's 60-row flat file (ids P0…, a number x, a category c, outcome y).
    case flatData
    /// A model trained on `flatData`.
    case model
    /// `model` with its JSON edited and its checksum recomputed, as a tamperer would.
    case editedModel(@Sendable (inout [String: Any]) -> Void)
    /// `model` with its JSON edited and the old checksum kept.
    case changedModel(@Sendable (inout [String: Any]) -> Void)
  }

  var area: Area
  var name: String
  var files: [String: Entry]
  /// The command's arguments; `DIR` stands for the case's folder.
  var arguments: [String]
  /// Fragments standard error must contain.
  var expected: [String]
  /// Values that must appear nowhere in what the command prints.
  var personal: [String] = []
  /// Text written to standard input.
  var input: String? = nil
  /// Environment variables set for the run (e.g. a memory limit).
  var environment: [String: String] = [:]

  var testDescription: String { "\(area.rawValue): \(name)" }

  /// The files every case starts from unless it says otherwise: data, a model, and an older output that must survive.
  static let standardFiles: [String: Entry] = ["in.csv": .flatData, "m.json": .model, "out.csv": .text("OLD")]
}

/// Lays out, runs and checks catalogue cases.
enum HostileCatalogue {
  static let flatData: String = {
    var text = "id,x,c,y\n"
    for i in 0..<60 { text += "P\(i),\(i % 7),\(["a", "b", "c"][i % 3]),\(i % 3 == 0 ? "yes" : "no")\n" }
    return text
  }()

  /// The model every case copies (trained once).
  static let model: Data = {
    let dir = try! temporaryFolder("catalogue-model")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try! flatData.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    let r = try! runUptake([
      "train", "--data", dir + "/in.csv", "--target", "y", "--event", "yes", "--id", "id", "--calibration", "isotonic",
      "--out", dir + "/m.json",
    ])
    precondition(r.status == 0, r.stderr)
    return try! Data(contentsOf: URL(fileURLWithPath: dir + "/m.json"))
  }()

  /// `model` edited by `edit` with a recomputed checksum.
  static func edited(_ edit: (inout [String: Any]) -> Void, rechecksum: Bool = true) throws -> Data {
    var envelope = try JSONSerialization.jsonObject(with: model) as! [String: Any]
    var inner = envelope["model"] as! [String: Any]
    edit(&inner)
    let innerData = try JSONSerialization.data(withJSONObject: inner)
    envelope["model"] = inner
    if rechecksum { envelope["checksum"] = try JSONCoding.decoder().decode(ModelBundle.self, from: innerData).checksum }
    return try JSONSerialization.data(withJSONObject: envelope)
  }

  /// Edits the boosted stumps inside a bundle's model JSON.
  static func stumps(_ model: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
    var learner = model["learner"] as! [String: Any]
    var inner = learner["stumps"] as! [String: Any]
    var boost = inner["_0"] as! [String: Any]
    edit(&boost)
    inner["_0"] = boost
    learner["stumps"] = inner
    model["learner"] = learner
  }

  static func layOut(_ files: [String: HostileCase.Entry], in dir: String) throws {
    // Plain files first, so links can point at them.
    for (name, entry) in files.sorted(by: { $0.key < $1.key }) {
      let path = dir + "/" + name
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      switch entry {
      case .text(let text): try text.write(toFile: path, atomically: false, encoding: .utf8)
      case .bytes(let bytes): try Data(bytes).write(to: URL(fileURLWithPath: path))
      case .flatData: try flatData.write(toFile: path, atomically: false, encoding: .utf8)
      case .model: try model.write(to: URL(fileURLWithPath: path))
      case .editedModel(let edit): try edited(edit).write(to: URL(fileURLWithPath: path))
      case .changedModel(let edit): try edited(edit, rechecksum: false).write(to: URL(fileURLWithPath: path))
      case .fifo: #expect(mkfifo(path, 0o600) == 0)
      case .folder: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      case .link, .hardLink: continue
      }
    }
    for (name, entry) in files {
      let path = dir + "/" + name
      switch entry {
      case .link(let target):
        try FileManager.default.createSymbolicLink(
          atPath: path, withDestinationPath: target.replacingOccurrences(of: "DIR", with: dir))
      case .hardLink(let other): #expect(link(dir + "/" + other, path) == 0)
      default: continue
      }
    }
  }

  /// Every entry under `dir` (not following links): its kind, and for a file its size and a hash of its bytes.
  static func snapshot(_ dir: String) -> [String: String] {
    var result: [String: String] = [:]
    func walk(_ relative: String) {
      let path = relative.isEmpty ? dir : dir + "/" + relative
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
      for name in names {
        let child = relative.isEmpty ? name : relative + "/" + name
        var status = stat()
        guard lstat(dir + "/" + child, &status) == 0 else { continue }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
          result[child] = "folder"
          walk(child)
        case S_IFLNK:
          result[child] =
            "link to " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + child)) ?? "?")
        case S_IFIFO:
          result[child] = "pipe"
        case S_IFREG:
          let bytes = FileManager.default.contents(atPath: dir + "/" + child) ?? Data()
          var hash: UInt64 = 0xcbf2_9ce4_8422_2325
          for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
          result[child] = "file \(bytes.count) bytes, hash \(String(hash, radix: 16)), mode \(status.st_mode & 0o777)"
        default:
          result[child] = "other"
        }
      }
    }
    walk("")
    return result
  }

  /// Values in the catalogue's data that are personal: none may ever be printed.
  static let alwaysPersonal = [
    "Olivia Jones", "olivia.jones@example.org", "07700 900123", "2021-03-04", "943 476 0008",
  ]

  /// Runs `c` and checks every rule.
  static func check(_ c: HostileCase) throws {
    let dir = try temporaryFolder("hostile")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try layOut(c.files, in: dir)
    let before = snapshot(dir)
    let run = try runUptakeProcess(
      c.arguments.map { $0.replacingOccurrences(of: "DIR", with: dir) }, environment: c.environment, input: c.input)
    let stderr = run.stderr.replacingOccurrences(of: dir, with: "DIR")
    #expect(!run.signalled, "ended by signal \(run.status): \(stderr)")
    #expect(run.status != 0, "exit 0; stdout: \(run.stdout.prefix(300)) stderr: \(stderr)")
    for fragment in c.expected {
      #expect(stderr.contains(fragment), "wanted \"\(fragment)\" in: \(stderr)")
    }
    for value in c.personal + alwaysPersonal {
      #expect(!run.stderr.contains(value) && !run.stdout.contains(value), "personal value \"\(value)\" printed")
    }
    #expect(!stderr.contains("Fatal error") && !stderr.contains("Stack dump"), "\(stderr)")
    let after = snapshot(dir)
    for (name, state) in after where before[name] != state {
      Issue.record("\(name) changed: \(before[name] ?? "absent") -> \(state)")
    }
    for name in before.keys where after[name] == nil { Issue.record("\(name) removed") }
    var null = stat()
    #expect(lstat("/dev/null", &null) == 0 && null.st_mode & S_IFMT == S_IFCHR, "/dev/null replaced")
  }
}
