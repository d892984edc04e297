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
      Synth.self, Features.self, Train.self, Score.self, Explain.self, Evaluate.self, Benchmark.self, Demo.self,
    ]
  )
}

/// Prints a one-line error to stderr and exits non-zero: only the CLI prints and sets exit codes.
func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("uptake: error: \(message)\n".utf8))
  Foundation.exit(1)
}
