import ArgumentParser
import Foundation
import Learn
import Records
import Uptake

extension UptakeCommand {
  struct Impact: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure what outreach did, from a hold-back ledger and later data with the outcomes.",
      discussion: """
        Reads the allocation ledger written by `uptake score --hold-back … --ledger FILE` and later data with each
        unit's outcome (read with the model's outcome definition), and prints the intention-to-treat difference in
        the outcome's rate between the units allocated to contact and those held back, with a 95% interval from
        resampling whole families; --report DIR adds impact.md, impact.html, impact.json and figures: the effect by
        risk band and by group, uplift for the highest-risk shares of the list, the Qini curve, and the smallest
        effect the numbers could detect. Units whose outcome is not known yet are left out and counted.

        Example:
          uptake impact --model model.json --ledger allocations.csv --data drop-2025-03 --report impact
        """
    )

    @Option(name: .long, help: "The model bundle that made the lists (its outcome definition reads the data).")
    var model: String
    @Option(name: .long, help: "The allocation ledger (.csv, or .sqlite / .db).")
    var ledger: String
    @OptionGroup var data: DataOptions
    @Option(name: .long, help: "A column of the data to give the effect by (default: the lists' --by groups).")
    var by: String?
    @Option(name: .long, help: "Folder for impact.md, impact.html, impact.json and figures/.")
    var report: String?
    @OptionGroup var resampling: BootstrapOptions

    func run() throws {
      do {
        if let report { try OutputFolder.checkBeforeWork(report, files: ["impact.md", "impact.html", "impact.json"]) }
        let bundle = try ModelBundle.load(path: model)
        let allocations = try AllocationLedger.read(ledger)
        guard FileManager.default.fileExists(atPath: ledger), !allocations.entries.isEmpty else {
          throw DataError("ledger \(ledger) holds no allocation; write one with uptake score --hold-back … --ledger")
        }
        let latest = allocations.latest
        guard latest.values.contains(where: { $0.arm == .holdBack }) else {
          throw DataError(
            "ledger \(ledger) has no unit held back, so there is nothing to compare contact with; score with "
              + "--hold-back SHARE")
        }
        if let flat = bundle.source.flatFile, flat.id == nil {
          throw DataError(
            "the model's data have no id column (rows are numbered), so the ledger's units cannot be found again in "
              + "later data; train with --id COLUMN")
        }
        let reallocated = Dictionary(grouping: allocations.entries, by: \.unit).values.filter { $0.count > 1 }.count
        let checksum = try bundle.checksum
        let otherModels = Set(latest.values.map(\.model)).subtracting([checksum])
        if !otherModels.isEmpty {
          warn(
            "the ledger's lists were scored with \(otherModels.count == 1 ? "another model" : "other models") than "
              + "\(model); the outcome is read with this one's definition")
        }
        let loaded = try DataLoader.forEvaluation(data.request(extras: by.map { [$0] } ?? []), source: bundle.source)
        let frame = loaded.frame
        guard let labels = frame.labels else { throw DataError("the data have no outcome to measure") }
        let byColumn = by.flatMap { name in frame.extras.first { $0.name == name } }
        let groupOfRow = byColumn.map { $0.texts(Array(0..<frame.rowCount)) }
        let rowOf = Dictionary(frame.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var units: [ImpactEstimate.Unit] = []
        var missing = 0
        for entry in latest.values.sorted(by: { $0.unit < $1.unit }) {
          guard let row = rowOf[entry.unit] else {
            missing += 1
            continue
          }
          let parts = entry.stratum.components(separatedBy: " × ")
          let group = groupOfRow.map { $0[row].isEmpty ? "(missing)" : $0[row] } ?? parts.first ?? "all"
          units.append(
            .init(
              id: entry.unit, family: entry.family, arm: entry.arm, probability: entry.probability,
              band: HoldBack.band(entry.probability), group: group, event: labels[row]))
        }
        guard !units.isEmpty else {
          throw DataError(
            "none of the ledger's \(latest.count) units is in \(loaded.description) with a known outcome; give later data "
              + "that include them (their outcome windows must be over)")
        }
        let impact = ImpactEstimate(units: units, bootstrap: resampling.bootstrap(defaultReplicates: 1_000))
        let outcome =
          loaded.outcomeName.map(ReasonText.humanised) ?? bundle.source.flatFile.map { "\($0.target) = \($0.event)" }
          ?? "the outcome"
        let leftOut =
          missing > 0
          ? "\(missing) not in these data with a known outcome"
            + (loaded.leftOutReason.map { " (the data left out \($0))" } ?? "") : nil
        let document = ImpactReport(
          impact: impact, dataDescription: loaded.description, ledger: ledger, lists: allocations.listIds,
          outcome: outcome, leftOut: leftOut)
        print(
          "impact of outreach: \(units.count) allocated units with a known outcome, from \(allocations.listIds.count) list(s)"
        )
        if let leftOut { print("  left out:   \(leftOut)") }
        if reallocated > 0 {
          print("  allocation: each unit's latest; \(reallocated) units were allocated again by a later list")
        }
        print("  overall:    " + document.headline)
        func line(_ kind: String, _ e: ImpactEstimate.Effect) -> String {
          "  \(kind) \(e.label): " + ImpactReport.percent(e.difference)
            + (e.interval.map { " (\(ImpactReport.percent($0.lower)) to \(ImpactReport.percent($0.upper)))" } ?? "")
            + " [\(e.contactUnits) contacted, \(e.holdBackUnits) held back]"
        }
        for e in impact.byBand { print(line("band", e)) }
        for e in impact.byGroup { print(line(by ?? "group", e)) }
        if impact.suppressed > 0 {
          print(
            "  not shown:  \(impact.suppressed) bands or groups with fewer than \(ImpactEstimate.minimumArm) in an arm "
              + "(too few to compare, and their outcomes would identify children)")
        }
        if let mde = impact.minimumDetectableEffect {
          print(String(format: "  detectable: about %.1f percentage points either way (80%% power)", mde * 100))
        }
        if let report {
          let written = try document.write(to: report)
          print("wrote \(report)/impact.md, impact.html, impact.json and \(written.count - 3) figures")
        }
      } catch {
        fail("\(error)")
      }
    }
  }
}
