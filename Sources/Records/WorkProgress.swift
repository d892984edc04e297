import Foundation

/// How far a long step deep in the library has got (reading a table, building features, a benchmark's folds),
/// told to whoever listens (`WorkProgress.listening`): the command line draws a bar from it without a callback
/// threaded through every function. Nothing is told when no one listens.
///
/// The listener is process-wide, not a task-local: the steps run on worker threads (which a task-local does not
/// reach), and `TaskLocal.withValue` outside a task crashed release builds of Swift 6.3.1.
public enum WorkProgress {
  /// `done` of `total` units of `step` (bytes, features, folds: whatever the step counts).
  public typealias Report = @Sendable (_ step: String, _ done: Int, _ total: Int) -> Void

  private static let listener = Listener<Report>()

  /// The listener, if any.
  public static var report: Report? { listener.current }

  /// Runs `body` with `report` told every step.
  public static func listening<T>(_ report: Report?, _ body: () throws -> T) rethrows -> T {
    try listener.with(report, body)
  }

  /// Tells the listener, if any.
  public static func tell(_ step: String, _ done: Int, of total: Int) { report?(step, done, total) }
}

/// One process-wide listener, set around a piece of work and restored after it.
final class Listener<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value?

  var current: Value? { lock.withLock { value } }

  func with<T>(_ newValue: Value?, _ body: () throws -> T) rethrows -> T {
    let previous = lock.withLock {
      let previous = value
      value = newValue
      return previous
    }
    defer { lock.withLock { value = previous } }
    return try body()
  }
}

/// Bytes read so far by the chunks of one file that are parsed side by side, summed for one progress report.
final class ChunkedByteProgress: @unchecked Sendable {
  private let lock = NSLock()
  private var done: [Int]
  private let step: String
  private let total: Int
  private let report: WorkProgress.Report

  init(step: String, total: Int, chunks: Int, report: @escaping WorkProgress.Report) {
    self.step = step
    self.total = total
    self.done = Array(repeating: 0, count: chunks)
    self.report = report
  }

  /// Chunk `chunk` has read `bytes` of its own bytes.
  func chunk(_ chunk: Int, read bytes: Int) {
    lock.lock()
    done[chunk] = bytes
    let sum = done.reduce(0, +)
    lock.unlock()
    report(step, min(sum, total), total)
  }

  /// Every chunk is read.
  func finish() { report(step, total, total) }
}
