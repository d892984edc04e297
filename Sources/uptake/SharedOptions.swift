import ArgumentParser
import Learn
import Uptake

/// How big a contact list is and how it is cut: shared by score and changes, so both make the same list.
struct ListOptions: ParsableArguments {
  @Option(name: .long, parsing: .unconditional, help: "Keep the top K overall, or the top K per --by group.")
  var capacity: Int?
  @Option(name: .long, help: "A column to group by (e.g. ward or hub): capacity applies per group.")
  var by: String?
  @Flag(name: .long, help: "Keep each family once, as its highest-probability child.")
  var onePerFamily = false

  func validate() throws {
    try Limits.check(capacity, "--capacity", Limits.capacity)
  }

  /// ", up to 20 per ward" or ", top 20" for summaries; empty without a capacity.
  var cutDescription: String {
    capacity.map { c in by.map { ", up to \(c) per \($0)" } ?? ", top \(c)" } ?? ""
  }
}

/// The resampling behind every interval: shared by evaluate, benchmark and impact.
struct BootstrapOptions: ParsableArguments {
  @Option(
    name: .long, parsing: .unconditional, help: "Bootstrap resamples for the intervals (default: 500; impact: 1,000).")
  var bootstrap: Int?
  @Option(name: .long, parsing: .unconditional, help: "Seed for the bootstrap (and, in benchmark, for training).")
  var seed: UInt64 = 1

  func validate() throws {
    try Limits.check(bootstrap, "--bootstrap", Limits.bootstrap)
  }

  /// The bootstrap asked for, with `replicates` when `--bootstrap` is not given.
  func bootstrap(defaultReplicates replicates: Int = 500) -> Bootstrap {
    Bootstrap(replicates: bootstrap ?? replicates, seed: seed)
  }
}

/// How a model is judged: the contact capacity, the simple rule compared with, the intervals and the report folder;
/// shared by evaluate and benchmark.
struct EvaluationFlags: ParsableArguments {
  @Option(
    name: .long, parsing: .unconditional,
    help: "Rows (children, families: the unit) the team can contact (default: a tenth of the rows tested).")
  var capacity: Int?
  @Option(
    name: .long,
    help: """
      The simple rule to compare with, FEATURE=highest or FEATURE=lowest (default: the model's; in benchmark, the \
      best single feature).
      """,
    transform: BaselineRule.parsed)
  var rule: BaselineRule?
  @Option(name: .long, help: "Folder for the report: Markdown, HTML, JSON and figures.")
  var report: String?
  @OptionGroup var resampling: BootstrapOptions

  func validate() throws {
    try Limits.check(capacity, "--capacity", Limits.capacity)
  }
}
