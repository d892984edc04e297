import ArgumentParser
import Foundation
import Records

/// Progress bars with an estimate of the time left, on stderr, one step at a time (reading a file, building
/// features, training, bootstrap intervals, benchmark folds). Shown only on a terminal (never in logs or pipes), never
/// with `--quiet`, and only once a step has run a second (`UPTAKE_PROGRESS_DELAY` seconds, as git's
/// `GIT_PROGRESS_DELAY`), so that quick runs print nothing extra. A finished step's line is cleared.
final class ProgressDisplay: @unchecked Sendable {
  private let lock = NSLock()
  private let delay: TimeInterval
  private var step = ""
  private var stepStart = Date()
  private var lastDrawn = Date.distantPast
  private var drawn = false

  /// nil when stderr is not a terminal or `quiet`.
  init?(quiet: Bool) {
    guard !quiet, isatty(2) != 0 else { return nil }
    let environment = ProcessInfo.processInfo.environment["UPTAKE_PROGRESS_DELAY"]
    delay = environment.flatMap(TimeInterval.init).map { max(0, $0) } ?? 1
  }

  /// `done` of `total` of `step`; a new step starts its own clock.
  func update(_ step: String, _ done: Int, of total: Int) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    if step != self.step {
      clear()
      self.step = step
      stepStart = now
    }
    let finished = done >= total
    guard now.timeIntervalSince(stepStart) >= delay, now.timeIntervalSince(lastDrawn) > 0.1 || finished else {
      if finished { clear() }
      return
    }
    lastDrawn = now
    let fraction = Double(min(done, total)) / Double(max(1, total))
    let width = 30
    let filled = Int(fraction * Double(width))
    let elapsed = now.timeIntervalSince(stepStart)
    let eta = fraction > 0 ? String(format: "%.0f s", elapsed * (1 - fraction) / fraction) : "?"
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let counts = total >= 1 << 20 ? String(format: "%3.0f%%", fraction * 100) : "\(done)/\(total)"
    StandardStreams.writeError("\r\u{1B}[K\(step) [\(bar)] \(counts)  ETA \(eta) ")
    drawn = true
    if finished { clear() }
  }

  /// Clears the bar, if one is shown.
  func finish() {
    lock.lock()
    defer { lock.unlock() }
    clear()
  }

  /// The display drawing now, cleared before a warning or an error is written (`warn`, `fail`).
  nonisolated(unsafe) static weak var shown: ProgressDisplay?

  /// Runs `body` with every step deep in the library (`WorkProgress`) drawn here.
  func showing<T>(_ body: () throws -> T) rethrows -> T {
    Self.shown = self
    defer {
      finish()
      Self.shown = nil
    }
    return try WorkProgress.listening({ [self] step, done, total in update(step, done, of: total) }) { try body() }
  }

  private func clear() {
    guard drawn else { return }
    StandardStreams.writeError("\r\u{1B}[K")
    drawn = false
  }
}

/// `--quiet` and `--trace`, for every command that may run long.
struct ProgressOptions: ParsableArguments {
  @Flag(help: "Show no progress bars (they show on a terminal, for steps longer than a second, never in a pipe).")
  var quiet = false

  @Flag(
    help: "Print each stage's time (read, features, checks, fit, profile, rule, write) to stderr; or UPTAKE_TRACE=1.")
  var trace = false

  /// Runs `body` with progress shown as `ProgressDisplay` says and stage times printed when asked; `body` gets the
  /// display for its own counted steps.
  func showing<T>(_ body: (ProgressDisplay?) throws -> T) rethrows -> T {
    let tracing = trace || ProcessInfo.processInfo.environment["UPTAKE_TRACE"] == "1"
    let started = DispatchTime.now().uptimeNanoseconds
    let report: Trace.Report? = tracing ? Self.printStage : nil
    defer {
      if tracing { Self.printStage("total", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9) }
    }
    return try Trace.listening(report) {
      guard let display = ProgressDisplay(quiet: quiet) else { return try body(nil) }
      return try display.showing { try body(display) }
    }
  }

  /// One line of the trace on stderr: "trace: read children.csv        0.412 s".
  @Sendable static func printStage(_ stage: String, _ seconds: Double) {
    ProgressDisplay.shown?.finish()
    let name = stage.count < 28 ? stage + String(repeating: " ", count: 28 - stage.count) : stage
    StandardStreams.writeError("trace: " + name + String(format: " %8.3f s\n", seconds))
  }
}
