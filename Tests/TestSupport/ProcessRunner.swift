import Foundation

/// How a child process ended: `signalled` is true when a signal stopped it (a trap is a crash, never an answer), in
/// which case `status` is the signal's number.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var signalled: Bool
  public var stdout: String
  public var stderr: String
}

/// A started child process whose standard output and error are being collected.
public final class RunningProcess: @unchecked Sendable {
  public let process: Process
  private let out = Pipe(), err = Pipe()
  private let inputPath: String?
  /// Standard error is drained on another thread, so a long error stream cannot block the child while stdout is read.
  private var errData = Data()
  private let drained = DispatchSemaphore(value: 0)

  /// Starts `executable` with `arguments`; `environment` adds to this process's variables; `input`, when given, is
  /// written to a file that becomes standard input (otherwise standard input is empty). `collectingErrors: false`
  /// drops standard error, for a program (a browser) whose helpers may hold it open after it exits.
  public init(
    _ executable: String, _ arguments: [String], workingDirectory: String? = nil, environment: [String: String] = [:],
    input: String? = nil, collectingErrors: Bool = true
  ) throws {
    process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let input {
      let path = NSTemporaryDirectory() + "uptake-stdin-\(UUID().uuidString)"
      try input.write(toFile: path, atomically: true, encoding: .utf8)
      inputPath = path
      process.standardInput = FileHandle(forReadingAtPath: path)
    } else {
      inputPath = nil
      process.standardInput = FileHandle.nullDevice
    }
    process.standardOutput = out
    process.standardError = collectingErrors ? err : FileHandle.nullDevice
    try process.run()
    guard collectingErrors else {
      drained.signal()
      return
    }
    let handle = err.fileHandleForReading
    DispatchQueue.global().async {
      self.errData = handle.readDataToEndOfFile()
      self.drained.signal()
    }
  }

  /// Sends `signal` to the child.
  public func kill(_ signal: Int32) { Foundation.kill(process.processIdentifier, signal) }

  /// Waits for the child to end and returns what it printed.
  public func finish() -> ProcessResult {
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    drained.wait()
    process.waitUntilExit()
    if let inputPath { try? FileManager.default.removeItem(atPath: inputPath) }
    return ProcessResult(
      status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, stdout: stdout,
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// Runs `executable` to the end (see `RunningProcess.init`).
public func runProcess(
  _ executable: String, _ arguments: [String], workingDirectory: String? = nil, environment: [String: String] = [:],
  input: String? = nil
) throws -> ProcessResult {
  try RunningProcess(
    executable, arguments, workingDirectory: workingDirectory, environment: environment, input: input
  ).finish()
}

/// Runs a command line with `/bin/sh -c` (pipes, redirections, `ulimit`).
public func runShell(
  _ command: String, workingDirectory: String? = nil, environment: [String: String] = [:]
) throws -> ProcessResult {
  try runProcess("/bin/sh", ["-c", command], workingDirectory: workingDirectory, environment: environment)
}

/// `words` quoted for `sh -c`, each in single quotes.
public func shellQuoted(_ words: [String]) -> String {
  words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
}
