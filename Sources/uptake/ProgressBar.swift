import Foundation
import Records

/// A one-line progress bar with an ETA on stderr, shown only when stderr is a terminal (never in logs or pipes).
final class ProgressBar: @unchecked Sendable {
  private let label: String
  private let start = Date()
  private var lastDrawn = Date.distantPast
  private let lock = NSLock()

  /// nil when stderr is not a terminal.
  init?(label: String) {
    guard isatty(2) != 0 else { return nil }
    self.label = label
  }

  func update(_ done: Int, of total: Int) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    guard now.timeIntervalSince(lastDrawn) > 0.1 || done == total else { return }
    lastDrawn = now
    let fraction = Double(done) / Double(max(1, total))
    let width = 30
    let filled = Int(fraction * Double(width))
    let elapsed = now.timeIntervalSince(start)
    let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let line = String(format: "\r%@ [%@] %d/%d  ETA %.0f s ", label, bar, done, total, eta)
    StandardStreams.writeError(line)
  }

  func finish() {
    StandardStreams.writeError("\r\u{1B}[K")
  }
}
