import ArgumentParser
import Foundation
import Records
import Uptake

extension UptakeCommand {
  struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a synthetic council's linked early-years records, with the true take-up model.",
      discussion: """
        Writes areas, families, children, health_visits, hub_sessions, early_education and outreach_contacts
        as CSV, plus uptake.yaml (the project config) and truth.csv (each eligible child's true probability of
        not taking up a funded two-year-old place, and every driver's log-odds contribution).
        Same seed, same bytes.

        Example:
          uptake synth --out demo-data --children 20000 --seed 7
        """
    )

    @Option(name: .long, help: "Folder to write into (created when missing).")
    var out: String

    @Option(name: .long, parsing: .unconditional, help: "Number of children.")
    var children: Int = 20_000

    @Option(name: .long, parsing: .unconditional, help: "Seed: the same seed gives the same files, byte for byte.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "First possible date of birth, YYYY-MM-DD; births spread over two years.")
    var start: String = "2021-01-01"

    @Option(
      name: .long,
      help: ArgumentHelp(
        "The day the extract is taken, YYYY-MM-DD: no event dated or recorded later is written (default: four years "
          + "after --start, or yesterday if that is earlier)."))
    var dataUntil: String?

    @Flag(
      name: .long,
      help: ArgumentHelp(
        "Write the council as councils' systems export it: files named by their systems, UK dates, N/A cells, "
          + "codes in mixed case, semicolons, a tab-delimited UTF-16 file and an .xlsx; no uptake.yaml (run uptake init)."
      ))
    var messy = false

    @Option(
      name: .long,
      help: ArgumentHelp(
        "An allocation ledger (uptake score --hold-back … --ledger): children allocated to contact get a true effect "
          + "of contact on their outcome, largest at intermediate risk, and truth.csv gives each child's arm and effect."
      ))
    var outreach: String?

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
      guard (1...10_000_000).contains(children) else {
        throw ValidationError("--children must be from 1 to 10000000 (a council of ten million), got \(children)")
      }
      try checkDate(start, "--start")
      guard let first = Day(iso: Substring(start)) else { return }
      // Families' records run about ten years from the first birth: every date must stay within years 1–9999.
      guard first.civil.year <= 9989 else {
        throw ValidationError("--start \(start) is too late: the council's records would run past the year 9999")
      }
      try checkDate(dataUntil, "--data-until")
    }

    func run() throws {
      var council = SyntheticCouncil(
        children: children, seed: seed, start: Day(iso: Substring(start))!,
        dataUntil: dataUntil.flatMap { Day(iso: Substring($0)) })
      do {
        if let outreach {
          guard FileManager.default.fileExists(atPath: outreach) else {
            fail("--outreach \(outreach) does not exist; give the ledger written by uptake score --ledger")
          }
          council.outreach = try AllocationLedger.read(outreach).latest.mapValues(\.arm)
          if council.outreach.isEmpty { fail("--outreach \(outreach) holds no allocation") }
        }
      } catch {
        fail("\(error)")
      }
      let clock = ContinuousClock()
      let began = clock.now
      let summary: SyntheticCouncil.Summary
      do {
        if messy {
          let clean = NSTemporaryDirectory() + "/uptake-synth-\(getpid())"
          defer { try? FileManager.default.removeItem(atPath: clean) }
          summary = try council.write(to: clean)
          try SyntheticExport.write(from: clean, to: out, seed: seed)
        } else {
          summary = try council.write(to: out)
        }
      } catch {
        fail("\(error)")
      }
      if !council.outreach.isEmpty, summary.outreachMatched < council.outreach.count {
        warn(
          "--outreach: \(summary.outreachMatched) of the ledger's \(council.outreach.count) units are eligible children of "
            + "this council; the rest were left alone (was the list scored on a council of another --seed or "
            + "--children?)")
      }
      if quiet { return }
      if !council.outreach.isEmpty {
        print("outreach: \(summary.outreachMatched) of the ledger's \(council.outreach.count) allocations applied")
      }
      if messy {
        print("wrote \(out)/ as a council's exports (no uptake.yaml: uptake init drafts one):")
        for (clean, file) in SyntheticExport.fileNames.sorted(by: { $0.value < $1.value }) {
          print("  \(file.padding(toLength: 32, withPad: " ", startingAt: 0)) \(summary.rows[clean] ?? 0) rows")
        }
        print("eligible two-year-olds: \(summary.eligibleChildren) of \(children) children")
        print("extract taken on \(council.until): no event dated or recorded after it")
        return
      }
      let elapsed = clock.now - began
      print("wrote \(out)/ in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))")
      for name in SyntheticCouncil.files {
        let rows = summary.rows[name] ?? 0
        let megabytes = Double(summary.bytes[name] ?? 0) / 1_048_576
        let rowText = name.hasSuffix(".csv") ? "\(rows) rows" : "config"
        print(
          "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(rowText.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(format: "%8.1f MB", megabytes))"
        )
      }
      print("eligible two-year-olds: \(summary.eligibleChildren) of \(children) children")
      print("extract taken on \(council.until): no event dated or recorded after it")
    }
  }
}
