import Foundation
import TestSupport
import Testing

/// One walkthrough in `notebooks-md/`: its console blocks' commands, each with the output lines it must print.
struct Notebook: Sendable, CustomTestStringConvertible {
  struct Step: Sendable {
    var command: String
    var expected: [String]
  }

  var name: String
  var steps: [Step]
  var testDescription: String { name }

  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("notebooks-md").path

  static let all: [Notebook] = {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".md") }.sorted() ?? []
    return names.compactMap { name in
      guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8) else { return nil }
      return Notebook(name: name, steps: parse(text))
    }
  }()

  /// Lines of ```console blocks: `$ command` starts a step, the lines after it are its expected output.
  static func parse(_ text: String) -> [Step] {
    var steps: [Step] = []
    var inConsole = false
    for line in text.components(separatedBy: "\n") {
      if line.hasPrefix("```") {
        inConsole = !inConsole && line == "```console"
        continue
      }
      guard inConsole else { continue }
      if line.hasPrefix("$ ") {
        steps.append(Step(command: String(line.dropFirst(2)), expected: []))
      } else if !line.isEmpty, !steps.isEmpty {
        steps[steps.count - 1].expected.append(line)
      }
    }
    return steps
  }

  /// A line with every number (sign, digits, point) replaced by `#` and runs of spaces collapsed, so timings and
  /// column widths may change but words may not.
  static func normalised(_ line: String) -> String {
    var out = ""
    var inNumber = false
    let chars = Array(line)
    for (i, c) in chars.enumerated() {
      let startsNumber = (c == "+" || c == "-") && i + 1 < chars.count && chars[i + 1].isNumber && !inNumber
      if c.isNumber || startsNumber || (inNumber && c == ".") {
        if !inNumber { out.append("#") }
        inNumber = true
        continue
      }
      inNumber = false
      if c == " ", out.hasSuffix(" ") { continue }
      out.append(c)
    }
    return out.trimmingCharacters(in: .whitespaces)
  }
}

@Suite("Walkthroughs in notebooks-md run and print what they show", .serialized)
struct NotebookTests {
  @Test("output lines compare with numbers and spacing ignored, words kept")
  func normalising() {
    #expect(Notebook.normalised("trained stumps in 0.09 s") == Notebook.normalised("trained stumps in 12.5 s"))
    #expect(Notebook.normalised("C10006848  +1.022   x") == Notebook.normalised("C10007139 -0.5 x"))
    #expect(Notebook.normalised("trained stumps in 0.09 s") != Notebook.normalised("trained logistic in 0.09 s"))
    let steps = Notebook.parse("text\n```console\n$ a\nout 1\n$ b\n```\n```sh\n$ c\n```\n")
    #expect(steps.map(\.command) == ["a", "b"] && steps[0].expected == ["out 1"])
  }

  @Test("there are at least three walkthroughs, each with commands")
  func present() {
    #expect(Notebook.all.count >= 3)
    #expect(Notebook.all.allSatisfy { $0.steps.count >= 2 })
  }

  @Test("every command succeeds and prints its shown output, in order", arguments: Notebook.all)
  func runs(_ notebook: Notebook) throws {
    let dir = try temporaryFolder("notebook")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for file in ["Benefits.csv", "wa_churn.csv", "guImmun.csv"] {
      try FileManager.default.copyItem(atPath: realData + "/" + file, toPath: dir + "/" + file)
    }
    let path = productsDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    for step in notebook.steps {
      let run = try runShell(step.command, workingDirectory: dir, environment: ["PATH": path])
      #expect(run.status == 0, "\(notebook.name): `\(step.command)` failed: \(run.stderr)")
      let printed = run.stdout.components(separatedBy: "\n").map(Notebook.normalised)
      var position = 0
      for line in step.expected {
        let want = Notebook.normalised(line)
        guard let found = printed[position...].firstIndex(of: want) else {
          Issue.record("\(notebook.name): `\(step.command)` did not print \"\(line)\"")
          break
        }
        position = found + 1
      }
    }
  }
}
