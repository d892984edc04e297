import Foundation

/// How far a long step deep in the library has got (reading a table, building features, a benchmark's folds),
/// told to whoever set `WorkProgress.$report` around the work: the command line draws a bar from it without a
/// callback threaded through every function. Nothing is told when no one listens.
public enum WorkProgress {
  /// `done` of `total` units of `step` (bytes, features, folds: whatever the step counts).
  public typealias Report = @Sendable (_ step: String, _ done: Int, _ total: Int) -> Void

  @TaskLocal public static var report: Report?

  /// Tells the listener, if any.
  public static func tell(_ step: String, _ done: Int, of total: Int) { report?(step, done, total) }
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
