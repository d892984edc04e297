import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Score data into a ranked contact list, with reasons in plain words.",
      discussion: """
        Reads PATH the way the model was trained (a folder of linked records, a SQLite file, or a CSV of the same
        shape), scores every unit, and writes a CSV: rank, the id, family_id (when known), probability, the --by
        group, and reason_1..N (the features that raise this family's probability most). A target column in the
        input is ignored. The file is written atomically.

        Examples:
          uptake score --model model.json --data next-term --capacity 5 --by ward --one-per-family
          uptake score --model benefits.json --data Benefits.csv --capacity 100 --out top-100.csv
        """
    )

    @Option(name: .long, help: "The model bundle from `uptake train`.")
    var model: String
    @OptionGroup var data: DataOptions
    @Option(name: .long, help: "Keep the top K overall, or the top K per --by group.")
    var capacity: Int?
    @Option(name: .long, help: "A column to group by (e.g. ward or hub): capacity applies per group.")
    var by: String?
    @Flag(name: .long, help: "Keep each family once, as its highest-probability child.")
    var onePerFamily = false
    @Option(name: .long, help: "Reasons per row.")
    var reasons: Int = 3
    @Option(name: .long, help: "Where to write the contact list (- streams the CSV to standard output).")
    var out: String = "contact-list.csv"
    @Option(name: .long, help: "Threads (default: every core).")
    var threads: Int?

    func validate() throws {
      try Limits.check(capacity, "--capacity", Limits.capacity)
      try Limits.check(threads, "--threads", Limits.threads)
      guard (0...20).contains(reasons) else { throw ValidationError("--reasons must be 0 to 20, got \(reasons)") }
    }

    func run() throws {
      let clock = ContinuousClock()
      let began = clock.now
      do {
        try checkOutput(out)
        let bundle = try ModelBundle.load(path: model)
        let loaded = try DataLoader.forScoring(data.request(extras: by.map { [$0] } ?? []), source: bundle.source)
        let read = clock.now
        for note in loaded.frame.notes { warn(note) }
        let scored = try ScoredData(bundle: bundle, data: loaded, threads: threads)
        if onePerFamily && loaded.frame.groups == nil {
          warn("--one-per-family: the data have no family column, so every row is kept")
        }
        for note in scored.notes { warn(note) }
        let list = ContactList(
          scored, options: ContactListOptions(capacity: capacity, by: by, onePerFamily: onePerFamily, reasons: reasons))
        try list.write(to: out)
        let done = clock.now
        let say = summaryPrinter(for: out)
        say(
          "scored \(loaded.frame.rowCount) units from \(loaded.description) with the \(bundle.learner.kind.rawValue) "
            + "model" + (loaded.leftOut > 0 ? " (left out: \(loaded.leftOutReason ?? ""))" : ""))
        if let end = loaded.frame.dataUntil, loaded.frame.censoredCount > 0 {
          say(
            "  data until \(end.description); \(loaded.frame.censoredCount) of these units have an outcome window "
              + "not over yet, scored all the same")
        }
        say(
          "wrote \(out == CSVWriter.standardOutput ? "standard output" : out): \(list.rows.count) rows"
            + (capacity.map { c in by.map { ", up to \(c) per \($0)" } ?? ", top \(c)" } ?? "")
            + (onePerFamily ? ", one per family" : "") + ", \(reasons) reasons each")
        say(
          String(
            format: "time: reading and features %.2f s, scoring and writing %.2f s", (read - began).seconds,
            (done - read).seconds))
      } catch {
        fail("\(error)")
      }
    }
  }
}

/// A warning on stderr that does not stop the command.
func warn(_ message: String) {
  FileHandle.standardError.write(Data("uptake: warning: \(message)\n".utf8))
}
