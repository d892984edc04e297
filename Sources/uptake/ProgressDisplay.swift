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

  /// nil when stderr is not a terminal (or a dumb one, which cannot clear a line) or `quiet`.
  init?(quiet: Bool) {
    let environment = ProcessInfo.processInfo.environment
    guard !quiet, isatty(2) != 0, environment["TERM"] != "dumb" else { return nil }
    delay = Self.delay(environment["UPTAKE_PROGRESS_DELAY"])
  }

  /// `UPTAKE_PROGRESS_DELAY` as seconds (0 or more, finite); anything else is said once and the default, 1, used.
  static func delay(_ text: String?) -> TimeInterval {
    guard let text else { return 1 }
    if let seconds = TimeInterval(text), seconds.isFinite, seconds >= 0 { return seconds }
    StandardStreams.writeError(
      "uptake: warning: UPTAKE_PROGRESS_DELAY=\(Self.printable(text)) is not a number of seconds (0 or more); "
        + "progress bars wait the default 1 s\n")
    return 1
  }

  /// `text` with control characters (a file name's escape codes or line breaks) shown as `?`, so that a name cannot
  /// write to the terminal.
  static func printable(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
  }

  /// Seconds as a person reads them: "40 s", "3 min 20 s", "1 h 48 min".
  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s) s" }
    if s < 3600 { return "\(s / 60) min \(s % 60) s" }
    return "\(s / 3600) h \(s % 3600 / 60) min"
  }

  /// Columns of the terminal stderr writes to (80 when it cannot be asked).
  static var terminalWidth: Int {
    var size = winsize()
    guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
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
    let elapsed = now.timeIntervalSince(stepStart)
    // Half a second in, a rate means something; before, "?" rather than a confident "0 s".
    let eta = fraction > 0 && elapsed >= 0.5 ? Self.duration(elapsed * (1 - fraction) / fraction) : "?"
    let counts = total >= 1 << 20 ? String(format: "%3.0f%%", fraction * 100) : "\(done)/\(total)"
    // One line, never wrapped (a wrapped line's first rows cannot be cleared): the label gives way, then the bar.
    let tail = "] \(counts)  ETA \(eta) "
    let columns = Self.terminalWidth - 1
    let width = max(0, min(30, columns - tail.count - 12))
    let room = max(0, columns - tail.count - width - 2)
    var label = Self.printable(step)
    if label.count > room { label = room > 1 ? String(label.prefix(room - 1)) + "…" : "" }
    let filled = Int(fraction * Double(width))
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    StandardStreams.writeError(String(("\r\u{1B}[K\(label) [\(bar)" + tail).prefix(columns + 4)))
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
    let tracing = trace || Self.traceAsked(ProcessInfo.processInfo.environment["UPTAKE_TRACE"])
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

  /// `UPTAKE_TRACE`: 1, true or yes turn tracing on; 0, false, no or empty leave it off; anything else is said.
  static func traceAsked(_ value: String?) -> Bool {
    guard let value = value?.lowercased(), !value.isEmpty else { return false }
    if ["1", "true", "yes"].contains(value) { return true }
    if !["0", "false", "no"].contains(value) {
      StandardStreams.writeError(
        "uptake: warning: UPTAKE_TRACE=\(ProgressDisplay.printable(value)) is not 1 or 0; no trace is printed\n")
    }
    return false
  }

  /// One line of the trace on stderr: "trace: read children.csv        0.412 s".
  @Sendable static func printStage(_ stage: String, _ seconds: Double) {
    ProgressDisplay.shown?.finish()
    let stage = ProgressDisplay.printable(stage)
    let name = stage.count < 28 ? stage + String(repeating: " ", count: 28 - stage.count) : stage
    StandardStreams.writeError("trace: " + name + String(format: " %8.3f s\n", seconds))
  }
}
