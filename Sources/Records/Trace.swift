import Foundation

/// A stage breakdown of a run (`--trace`, `UPTAKE_TRACE=1`): each named stage's wall time, told as it ends to
/// whoever listens (`Trace.listening`; process-wide, as `WorkProgress`), so that a slow step is found by reading,
/// not guessing. Costs a lock and nothing else per stage when no one listens.
public enum Trace {
  /// A stage's name and its wall time in seconds.
  public typealias Report = @Sendable (_ stage: String, _ seconds: Double) -> Void

  private static let listener = Listener<Report>()

  /// The listener, if any.
  public static var report: Report? { listener.current }

  /// Runs `body` with `report` told every stage's time.
  public static func listening<T>(_ report: Report?, _ body: () throws -> T) rethrows -> T {
    try listener.with(report, body)
  }

  /// Runs `body` as the stage `stage`, timed when someone listens.
  public static func stage<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
    guard let report else { return try body() }
    let start = DispatchTime.now().uptimeNanoseconds
    defer { report(stage, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
    return try body()
  }
}
