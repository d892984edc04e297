import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Draft uptake.yaml from a folder of CSV or .xlsx exports.",
      discussion: """
        Finds the tables, their read settings (encoding, delimiter, date format), keys (columns unique on every
        row), links (columns sharing a name and values with another table's key), event-time columns and plain
        columns to use as features. Who is predicted, at what date and for which outcome are left as commented
        placeholders: fill them in, then run uptake check. An existing file is never overwritten.

        Examples:
          uptake init --data council-export
          uptake init --data council-export --out council-export/uptake-draft.yaml
        """
    )

    @Option(name: .long, help: "The folder of exported tables.")
    var data: String

    @Option(name: .long, help: "Where to write the draft (default: uptake.yaml in the folder).")
    var out: String?

    func run() throws {
      let path = out ?? data + "/uptake.yaml"
      if FileManager.default.fileExists(atPath: path) {
        fail("\(path) already exists; uptake init never overwrites it: move it away, or pass --out ANOTHER.yaml")
      }
      do {
        let draft = try ConfigDraft(folder: data)
        try AtomicFile.write(Array(draft.yaml.utf8), to: path)
        print("wrote \(path): \(draft.tables.count) tables, \(draft.links.count) links")
        for t in draft.tables {
          let read = t.read.yamlFlow.map { " read \($0)" } ?? ""
          print(
            "  \(t.name): \(t.file), \(t.rows) rows" + (t.key.map { ", key \($0)" } ?? "")
              + (t.eventTime.map { ", events dated by \($0)" } ?? "") + read)
          if let evidence = t.dateEvidence { print("    \(evidence)") }
        }
        for l in draft.links { print("  link \(l.from) → \(l.to)") }
        for s in draft.skipped { warn("skipped \(s)") }
        for n in draft.notes { print("  note: \(n)") }
        print("next: fill in population, id, as_of and outcome in \(path), then run uptake check --data \(data)")
      } catch {
        fail("\(error)")
      }
    }
  }
}
