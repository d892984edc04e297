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
        shape), scores every unit, and writes: rank, rank_in_<by> (with --by), the id, family_id (when known),
        probability, the --by group, the anchor date and age in months (linked records), the config's list_columns
        and --columns, and reason_1..N: the features that raise this unit's probability most, each by at least 0.1
        on the log-odds scale (a row may have fewer); with a model trained with --interactions a reason can name
        two features together ("… and …"), the pair's joint effect beyond each one's own. A target column in the input is ignored. --format xlsx
        writes a workbook with a "How to read this list" sheet and one sheet per --by group. The file is written
        atomically.

        Examples:
          uptake score --model model.json --data next-term --capacity 5 --by ward --one-per-family
          uptake score --model model.json --data next-term --capacity 20 --by ward --format xlsx --headers friendly \
            --percent --out outreach.xlsx
          uptake score --model benefits.json --data Benefits.csv --capacity 100 --out top-100.csv
        """
    )

    @Option(name: .long, help: "The model bundle from `uptake train`.")
    var model: String
    @OptionGroup var data: DataOptions
    @OptionGroup var progress: ProgressOptions
    @OptionGroup var listSize: ListOptions
    @Option(name: .long, parsing: .unconditional, help: "Reasons per row.")
    var reasons: Int = 3
    @Flag(
      name: .long,
      help: """
        List only units whose outcome can still happen: leave out those the records show have taken up (a place \
        recorded), even before their outcome window is over. For the monthly list.
        """)
    var openOnly = false
    @Option(
      name: .long, parsing: .unconditional,
      help: """
        Hold back this share (0 to 1) of the list from contact, at random within each --by group × risk band, and \
        add an arm column (contact, hold_back): what `uptake impact` compares later.
        """)
    var holdBack: Double?
    @Option(
      name: .long, parsing: .unconditional, help: "Seed of the hold-back: the same list and seed give the same arms.")
    var seed: UInt64 = 1
    @Option(
      name: .long,
      help: """
        Append the list's allocations to this ledger (.csv, or .sqlite / .db), created when missing; a unit already \
        in it keeps its arm.
        """)
    var ledger: String?
    @Flag(name: .long, help: "Allocate every listed unit afresh, even those the ledger already has (a new trial).")
    var reallocate = false
    @Option(name: .long, help: "The list's id in the ledger (default: today's date and the list's number).")
    var listId: String?
    @Option(name: .long, parsing: .unconditional, help: "Leave out units whose probability is below this (0 to 1).")
    var minProbability: Double?
    @Option(
      name: .long, parsing: .upToNextOption,
      help: "More columns of the population (or a table it links to, or the flat file) to write on each row.")
    var columns: [String] = []
    @Option(name: .long, help: "plain (identifiers, default) or friendly (\"Rank in ward\", \"Chance of …\").")
    var headers: HeaderStyle = .plain
    @Flag(name: .long, help: "Write probabilities as percentages (87.4%).")
    var percent = false
    @Option(
      name: .long,
      help: "csv or xlsx (a workbook: a guide sheet, one sheet per --by group); default: as --out's extension says.")
    var format: ListFormat?
    @Option(name: .long, help: "Where to write the contact list (- streams the CSV to standard output).")
    var out: String = "contact-list.csv"
    @OptionGroup var threading: ThreadOptions

    func validate() throws {
      guard (0...20).contains(reasons) else { throw ValidationError("--reasons must be 0 to 20, got \(reasons)") }
      if let minProbability, !(0...1).contains(minProbability) {
        throw ValidationError("--min-probability must be from 0 to 1, got \(minProbability)")
      }
      if format == .xlsx && out == CSVWriter.standardOutput {
        throw ValidationError("--format xlsx writes a workbook file; name it with --out (e.g. --out list.xlsx)")
      }
      // A workbook named .csv, or CSV text named .xlsx, would not open in the spreadsheet the team uses.
      if let format, let named = ListFormat(naming: out), format != named {
        throw ValidationError(
          "--format \(format.rawValue) does not match --out \(out); name the file .\(format.rawValue), or leave --format "
            + "out to write what the name says")
      }
      if let by = listSize.by, columns.contains(by) {
        throw ValidationError("--columns \(by): it is already the --by column")
      }
      if let holdBack, !(holdBack > 0 && holdBack < 1) {
        throw ValidationError("--hold-back must be a share between 0 and 1 (e.g. 0.2), got \(holdBack)")
      }
      if holdBack == nil, ledger != nil || reallocate || listId != nil {
        throw ValidationError("--ledger, --reallocate and --list-id record a hold-back; give --hold-back SHARE too")
      }
      if let ledger, AllocationLedger.samePath(ledger, out) {
        throw ValidationError("--ledger and --out are the same file (\(out)); the list would replace the ledger")
      }
      if let listId, listId.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--list-id is empty; give the list a name (e.g. --list-id 2024-09-ward-list)")
      }
    }

    enum HeaderStyle: String, ExpressibleByArgument, CaseIterable { case plain, friendly }
    enum ListFormat: String, ExpressibleByArgument, CaseIterable {
      case csv, xlsx

      /// The format a file name's extension says (`.csv`, `.xlsx`, any case); nil for another name.
      init?(naming path: String) {
        let name = path.lowercased()
        guard let format = Self.allCases.first(where: { name.hasSuffix("." + $0.rawValue) }) else { return nil }
        self = format
      }
    }

    /// `--format`, else what `--out`'s extension says, else CSV.
    var listFormat: ListFormat { format ?? ListFormat(naming: out) ?? .csv }

    func run() throws {
      progress.showing { _ in
        let clock = ContinuousClock()
        let began = clock.now
        do {
          try checkOutput(out)
          let bundle = try Trace.stage("load model") { try ModelBundle.load(path: model) }
          let loaded = try DataLoader.forScoring(
            data.request(extras: (listSize.by.map { [$0] } ?? []) + columns), source: bundle.source)
          let read = clock.now
          for note in loaded.frame.notes { warn(note) }
          let scored = try Trace.stage("score") {
            try ScoredData(bundle: bundle, data: loaded, threads: threading.threads)
          }
          if listSize.onePerFamily && loaded.frame.groups == nil {
            warn("--one-per-family: the data have no family column, so every row is kept")
          }
          for note in scored.notes { warn(note) }
          var list = try Trace.stage("rank and reasons") {
            try ContactList(
              scored,
              options: ContactListOptions(
                capacity: listSize.capacity, by: listSize.by, onePerFamily: listSize.onePerFamily, reasons: reasons,
                minProbability: minProbability,
                friendlyHeaders: headers == .friendly, percent: percent, openOnly: openOnly))
          }
          var allocation: ListAllocation? = nil
          let earlier = try ledger.map { try AllocationLedger.read($0, forAppending: true) } ?? AllocationLedger()
          if let holdBack {
            // Row numbers name no one: the same row of a later file can be another person.
            if let flat = bundle.source.flatFile, flat.id == nil {
              throw DataError(
                "a hold-back records each unit by its id, but the model's data have none (rows are numbered); train "
                  + "with --id COLUMN, a column that names each unit in every later file")
            }
            let today = Day.today
            let id = listId ?? "\(today)-\(earlier.listIds.count + 1)"
            guard !earlier.listIds.contains(id) else {
              throw DataError(
                "list id \(id) is already in the ledger \(ledger ?? ""); give this list another --list-id")
            }
            if let ledger { try AtomicFile.checkDestination(ledger) }
            let made = ListAllocation(
              list: list, share: holdBack, seed: seed, ledger: earlier, reallocate: reallocate, listId: id,
              date: today, model: try bundle.checksum)
            list.arms = made.arms
            allocation = made
          }
          // The ledger before the list: a list is never handed out with allocations the ledger does not hold (if the
          // list then cannot be written, scoring again with the same seed gives the same arms).
          if let ledger, let allocation {
            _ = try earlier.appending(allocation.newEntries, to: ledger)
          }
          try Trace.stage("write list") {
            switch listFormat {
            case .csv: try list.write(to: out)
            case .xlsx: try list.writeWorkbook(to: out, about: about(bundle, loaded))
            }
          }
          let done = clock.now
          let say = summaryPrinter(for: out)
          say(
            "scored \(loaded.frame.unit.counted(loaded.frame.rowCount)) from \(loaded.description) with the \(bundle.learner.kind.rawValue) "
              + "model" + (loaded.leftOut > 0 ? " (left out: \(loaded.leftOutReason ?? ""))" : ""))
          if openOnly {
            say(
              loaded.frame.eventRuledOut.isEmpty
                ? "  --open-only: these data have no outcome to tell who has taken up, so every unit is listed"
                : "  not listed: \(list.decidedLeftOut) who have taken up (the outcome can no longer happen); the "
                  + "probabilities are the model's for every unit, so among those still open the chance is higher")
          }
          if let allocation, let holdBack {
            say(
              "  hold-back: \(allocation.count(.holdBack)) of \(list.rows.count) held back (share \(holdBack), at random "
                + "within \(listSize.by.map { "\($0) × " } ?? "")risk band, seed \(seed))"
                + (allocation.kept > 0 ? "; \(allocation.kept) kept the arm an earlier list gave them" : ""))
            if allocation.count(.holdBack) == 0 {
              warn(
                "--hold-back \(holdBack): no unit is held back (each stratum is too small for its share, or every "
                  + "unit kept an earlier contact arm), so this list can measure nothing")
            }
            if let ledger {
              say("  ledger: \(allocation.newEntries.count) allocations added to \(ledger)")
            }
          }
          if let end = loaded.frame.dataUntil, loaded.frame.censoredCount > 0 {
            say(
              "  data until \(end.description); \(loaded.frame.censoredCount) of these \(loaded.frame.unit.plural) have an outcome window "
                + "not over yet, scored all the same")
          }
          say(
            "wrote \(out == CSVWriter.standardOutput ? "standard output" : out): \(list.rows.count) rows"
              + listSize.cutDescription
              + (listSize.onePerFamily ? ", one per family" : "")
              + (minProbability.map { String(format: ", probability at least %.3f", $0) } ?? "")
              + ", up to \(reasons) reasons each")
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
}

extension UptakeCommand.Score {
  /// The workbook guide's lines about this list: the model, the data, and when it was made.
  func about(_ bundle: ModelBundle, _ loaded: LoadedData) -> [(String, String)] {
    var lines = [
      ("Made", Day.today.description + " by uptake score"),
      (
        "Model",
        "\((model as NSString).lastPathComponent), \(bundle.learner.kind.rawValue), trained "
          + bundle.training.trainedAt
      ),
      ("Data", loaded.description),
    ]
    if let end = loaded.frame.dataUntil { lines.append(("Records up to", end.day.description)) }
    return lines
  }
}

/// A warning on stderr that does not stop the command.
func warn(_ message: String) {
  ProgressDisplay.shown?.finish()
  StandardStreams.writeError("uptake: warning: \(message)\n")
}
