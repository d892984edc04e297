import Foundation

/// `.build/<config>/`, where SwiftPM puts both the test bundle and the executable.
public var productsDirectory: URL {
  Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }.map { $0.bundleURL.deletingLastPathComponent() }
    ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
}

/// The built `uptake` executable.
public var uptakeBinary: String { productsDirectory.appendingPathComponent("uptake").path }

/// Runs the built `uptake` as a user would. With `fileSizeLimitKB`, runs under `ulimit -f` so that writing past that
/// size fails as on a full disk; `environment` adds variables for this run only; `input` becomes standard input.
public func runUptakeProcess(
  _ arguments: [String], fileSizeLimitKB: Int? = nil, environment: [String: String] = [:], input: String? = nil
) throws -> ProcessResult {
  if let limit = fileSizeLimitKB {
    return try runProcess(
      "/bin/sh", ["-c", "ulimit -f \(limit); exec " + shellQuoted([uptakeBinary] + arguments)],
      environment: environment, input: input)
  }
  return try runProcess(uptakeBinary, arguments, environment: environment, input: input)
}

/// `runUptakeProcess` as (status, stdout, stderr).
public func runUptake(
  _ arguments: [String], fileSizeLimitKB: Int? = nil, environment: [String: String] = [:], input: String? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
  let run = try runUptakeProcess(arguments, fileSizeLimitKB: fileSizeLimitKB, environment: environment, input: input)
  return (run.status, run.stdout, run.stderr)
}
