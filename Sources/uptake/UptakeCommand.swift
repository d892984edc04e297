import ArgumentParser
import Foundation
import Records
import Uptake

/// `uptake`: find families unlikely to take up early-years services, and say why.
@main
struct UptakeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "uptake",
    abstract: "Predict which families are unlikely to take up early-years services, and explain why.",
    version: "0.1.0",
    subcommands: [
      Synth.self, Init.self, Check.self, Features.self, Train.self, Score.self, Explain.self, Evaluate.self,
      Changes.self, Impact.self, Benchmark.self, Pseudonymise.self,
      Demo.self,
    ]
  )
}

extension UptakeCommand {
  /// Sets up signals, then runs the command. Writing past a file-size limit (`ulimit -f`) then fails with an error
  /// like a full disk instead of killing the process; an interrupt removes any partial output before exiting.
  static func main() {
    signal(SIGXFSZ, SIG_IGN)
    PartialFiles.removeOnInterrupt()
    StandardStreams.checkOutputAtExit()
    Self.main(nil)
  }
}

/// Prints a one-line error to stderr and exits non-zero: only the CLI prints and sets exit codes.
func fail(_ message: String) -> Never {
  ProgressDisplay.shown?.finish()
  StandardStreams.writeError("uptake: error: \(message)\n")
  Foundation.exit(1)
}
