import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Changes: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare the contact lists of two drops of the records: who entered, who left and why, who stayed.",
      discussion: """
        Scores both drops with the same model and makes the same list from each (--capacity, --by,
        --one-per-family as `uptake score --open-only`: units that have taken up are not listed), then writes one row per unit on either list: status (entered, left,
        stayed), why (new_in_population or moved_up; took_up, outranked or left_population; on_both_lists), rank and
        probability before and after, took_up (the outcome can no longer happen in the later drop: a place has
        been taken up), arm (with --ledger: contact or hold_back, as an earlier list allocated it), and change_reason: the feature whose contribution moved most since the earlier drop, in
        words, with its earlier value. Prints the counts. The file is written atomically.

        Example:
          uptake changes --model model.json --before drop-2024-09 --after drop-2024-10 --as-of-from 2024-06-01 \\
            --capacity 20 --by ward --one-per-family --out changes.csv
        """
    )

    @Option(name: .long, help: "The model bundle from `uptake train`.")
    var model: String
    @Option(name: .long, help: "The earlier drop: a folder with uptake.yaml, a SQLite file, or a CSV.")
    var before: String
    @Option(name: .long, help: "The later drop, of the same shape.")
    var after: String
    @Option(name: .long, help: "The project config for both drops (default: each drop's own uptake.yaml).")
    var config: String?
    @OptionGroup var cohort: CohortOptions
    @OptionGroup var listSize: ListOptions
    @Option(
      name: .long,
      help: "An allocation ledger (score --hold-back … --ledger): adds each unit's arm, contact or hold_back.")
    var ledger: String?
    @Option(name: .long, help: "Where to write the changes (- streams the CSV to standard output).")
    var out: String = "changes.csv"
    @OptionGroup var threading: ThreadOptions

    func validate() throws {
      if before == after { throw ValidationError("--before and --after are the same data; give two drops") }
    }

    func run() throws {
      do {
        try checkOutput(out)
        let bundle = try ModelBundle.load(path: model)
        // Only units whose outcome can still happen are listed: one that has taken up leaves the list as took_up.
        let options = ContactListOptions(
          capacity: listSize.capacity, by: listSize.by, onePerFamily: listSize.onePerFamily, reasons: 0, openOnly: true)
        var lists: [ContactList] = []
        for path in [before, after] {
          let request = DataRequest(
            path: path, config: config, asOfFrom: cohort.from, asOfBefore: cohort.before,
            extras: listSize.by.map { [$0] } ?? [])
          let loaded = try DataLoader.forScoring(request, source: bundle.source)
          for note in loaded.frame.notes { warn("\(path): \(note)") }
          let scored = try ScoredData(bundle: bundle, data: loaded, threads: threading.threads)
          for note in scored.notes { warn("\(path): \(note)") }
          lists.append(try ContactList(scored, options: options))
        }
        let allocations = try ledger.map { try AllocationLedger.read($0) }
        if let ledger, allocations?.entries.isEmpty != false {
          warn("--ledger \(ledger) holds no allocation, so no unit has an arm")
        }
        if let a = lists[0].scored.data.frame.dataUntil?.day, let b = lists[1].scored.data.frame.dataUntil?.day, a > b {
          warn(
            "--before's data run to \(a), later than --after's (\(b)): the drops look swapped, so entered and left "
              + "are the other way round")
        }
        if let allocations, allocations.entries.contains(where: { $0.model != (try? bundle.checksum) }) {
          warn("the ledger holds lists scored with another model than \(model)")
        }
        let changes = ListChanges(before: lists[0], after: lists[1], ledger: allocations)
        let data = lists[1].scored.data
        try changes.write(to: out, idName: data.idName, groupName: data.groupName)
        let say = summaryPrinter(for: out)
        let unit = data.frame.unit
        say(
          "lists compared: \(lists[0].rows.count) \(unit.plural) before (\(before)), \(lists[1].rows.count) after "
            + "(\(after)); not listed as already taken up: \(lists[0].decidedLeftOut) before, "
            + "\(lists[1].decidedLeftOut) after"
            + listSize.cutDescription)
        say("  " + changes.summary)
        say("wrote \(out == CSVWriter.standardOutput ? "standard output" : out): \(changes.rows.count) rows")
      } catch {
        fail("\(error)")
      }
    }
  }
}
