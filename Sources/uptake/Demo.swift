import ArgumentParser
import Foundation
import Uptake

extension UptakeCommand {
  struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run the whole chain on a built-in synthetic council.",
      discussion: """
        Synthesises a council, builds point-in-time features, trains both learners on the earliest cohorts,
        compares them on the next, scores the latest cohort into a contact list with a capacity per ward (one
        child per family, three reasons each), explains the top family, and prints where every output went.

        Examples:
          uptake demo
          uptake demo --out demo-output --children 100000 --capacity 10
        """
    )

    @Option(name: .long, help: "Folder for every output (created when missing).")
    var out: String = "demo-output"
    @Option(name: .long, parsing: .unconditional, help: "Children in the synthetic council.")
    var children: Int = 60_000
    @Option(name: .long, parsing: .unconditional, help: "Seed: the same seed gives the same council and models.")
    var seed: UInt64 = 7
    @Option(name: .long, parsing: .unconditional, help: "Families to contact per ward.")
    var capacity: Int = 5
    @Option(name: .long, help: "Where to put the trained models and their cards (default: OUT/models).")
    var models: String?

    func validate() throws {
      try Limits.check(children, "--children", 2_000...1_000_000)
      try Limits.check(capacity, "--capacity", 1...10_000)
    }

    @OptionGroup var progress: ProgressOptions

    func run() throws {
      progress.showing { _ in
        let clock = ContinuousClock()
        let began = clock.now
        do {
          let result = try DemoRun(
            out: out, children: children, seed: seed, capacityPerWard: capacity, modelsDirectory: models
          ).run { print($0) }
          print("")
          print("outputs:")
          print("  synthetic council and its uptake.yaml: \(result.councilFolder)/")
          for c in result.comparisons {
            let card = (c.modelPath as NSString).deletingPathExtension + ".md"
            print("  \(c.learner.rawValue) model: \(c.modelPath) (model card \(card))")
          }
          print("  evaluation report and transparency record: \(result.reportPath)")
          print("  contact list: \(result.contactListPath) (\(result.contactListRows) families)")
          if let path = result.explanationPath { print("  top family's explanation: \(path)") }
          print("")
          print("next:")
          print("  your own data: notebooks-md/04-your-own-data.md (uptake init, check, train on a council's exports)")
          print(
            "  the monthly loop: notebooks-md/05-monthly-loop.md (uptake changes between data drops, suggested "
              + "actions, a randomised hold-back with score --hold-back --ledger, and uptake impact)")
          print(String(format: "done in %.1f s", (clock.now - began).seconds))
        } catch {
          fail("\(error)")
        }
      }
    }
  }
}
