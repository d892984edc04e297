import CLAPACK

/// The one place that reads and sets OpenBLAS's thread count.
///
/// Rule (docs/architecture.md): parallelise in one place. Code that runs its own parallel loop calls BLAS inside
/// `withSingleThread` so the two kinds of threads do not fight; one big BLAS call gets all threads.
public enum BLASThreads {
  /// OpenBLAS's current thread count.
  public static var count: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(max(1, newValue))) }
  }

  /// Runs `body` with OpenBLAS on `threads` threads, then restores the previous count.
  /// Not reentrant across threads: call it from the coordinating thread only.
  public static func with<R>(threads: Int, _ body: () throws -> R) rethrows -> R {
    let previous = count
    if previous == threads { return try body() }
    count = threads
    defer { count = previous }
    return try body()
  }

  /// Runs `body` with OpenBLAS on one thread (for use around an outer parallel loop).
  public static func withSingleThread<R>(_ body: () throws -> R) rethrows -> R {
    try with(threads: 1, body)
  }
}
