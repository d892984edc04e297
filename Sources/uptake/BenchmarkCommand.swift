import ArgumentParser
import Foundation
import Learn
import Records
import Uptake

extension UptakeCommand {
  struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train every learner and a simple rule with one validation scheme, and print a leaderboard.",
      discussion: """
        The benchmarking run on new data: logistic regression, boosted stumps, the best single-feature rule and the
        base rate, trained and tested on the same rows. Linked records default to a temporal split (train on
        earlier as-of dates, test on the latest quarter), a flat file to 5-fold cross-validation by family.

        Examples:
          uptake benchmark --data demo-data --capacity 300 --report bench
          uptake benchmark --data Benefits.csv --target ui --event no --scheme kfold --folds 5
        """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var progress: ProgressOptions
    @OptionGroup var flat: FlatFileOptions
    @Option(name: .long, help: "temporal or kfold (default: temporal for linked records, kfold for a flat file).")
    var scheme: Scheme?
    @Option(name: .long, parsing: .unconditional, help: "Folds for kfold.")
    var folds: Int = 5
    @Option(name: .long, parsing: .unconditional, help: "Share of the latest as-of dates tested by the temporal split.")
    var testShare: Double = 0.25
    @OptionGroup var flags: EvaluationFlags
    @Option(
      name: .long, parsing: .unconditional,
      help: """
        Also boosted stumps with up to N pairwise interactions (0–100; as train --interactions), beside the stumps \
        without them (default: 0, none).
        """)
    var interactions: Int = 0

    /// How the rows are split into training and test.
    enum Scheme: String, ExpressibleByArgument, CaseIterable { case temporal, kfold }

    func validate() throws {
      guard (2...20).contains(folds) else { throw ValidationError("--folds must be 2 to 20, got \(folds)") }
      guard testShare > 0 && testShare < 1 else { throw ValidationError("--test-share must be between 0 and 1") }
      try Limits.check(interactions, "--interactions", 0...StumpBoost.Configuration.maxInteractions)
    }

    func run() throws {
      progress.showing { _ in
        let clock = ContinuousClock()
        let began = clock.now
        do {
          if let report = flags.report {
            try OutputFolder.checkBeforeWork(report, files: ["leaderboard.md", "leaderboard.html", "leaderboard.json"])
          }
          let loaded = try DataLoader.forTraining(data.request(flat: flat.flatFile))
          for note in loaded.frame.notes { warn(note) }
          let temporal = (scheme ?? (loaded.frame.asOf.isEmpty ? .kfold : .temporal)) == .temporal
          if temporal && loaded.frame.asOf.isEmpty {
            fail("--scheme temporal needs as-of dates, which a flat file does not have; use --scheme kfold")
          }
          let chosen: ValidationScheme = temporal ? .temporal(testShare: testShare) : .groupedKFold(k: folds)
          let run = try Uptake.Benchmark(
            data: loaded, scheme: chosen, capacity: flags.capacity, seed: flags.resampling.seed,
            bootstrap: flags.resampling.bootstrap(), rule: flags.rule, interactions: interactions)
          print(
            "benchmark on \(loaded.description): \(run.schemeDescription); \(run.unit.counted(run.rowsTested)) tested")
          for line in dataSummary(loaded) { print(line) }
          print(run.table)
          if let report = flags.report {
            try run.write(to: report)
            print("wrote \(report)/leaderboard.md, leaderboard.html, leaderboard.json and figures")
          }
          print(String(format: "done in %.1f s", (clock.now - began).seconds))
        } catch {
          fail("\(error)")
        }
      }
    }
  }
}
