import Dispatch
import Linalg

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one parallel loop of `Learn`: fixed chunks, so results depend only on the thread count.
public enum Parallel {
  /// Cores available to this process.
  public static var availableCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// Splits `0..<count` into `chunks` contiguous ranges of near-equal size (the first ones one longer).
  static func ranges(count: Int, chunks: Int) -> [Range<Int>] {
    let k = max(1, min(chunks, count))
    let base = count / k
    let extra = count % k
    var out: [Range<Int>] = []
    var start = 0
    for c in 0..<k {
      let len = base + (c < extra ? 1 : 0)
      out.append(start..<(start + len))
      start += len
    }
    return out
  }

  /// Calls `body(chunk, range)` for each range on its own thread. When the body calls BLAS, OpenBLAS is held to
  /// one thread meanwhile (so the two kinds of threads do not fight); loops without BLAS skip that switch, which
  /// costs a visible share of a short boosting round.
  static func forEach(_ ranges: [Range<Int>], callsBLAS: Bool = true, _ body: (Int, Range<Int>) -> Void) {
    if ranges.count <= 1 {
      if let r = ranges.first { body(0, r) }
      return
    }
    // Each chunk writes only its own outputs, so sharing the closure across threads is safe.
    nonisolated(unsafe) let work = body
    if callsBLAS {
      BLASThreads.withSingleThread {
        DispatchQueue.concurrentPerform(iterations: ranges.count) { c in work(c, ranges[c]) }
      }
    } else {
      DispatchQueue.concurrentPerform(iterations: ranges.count) { c in work(c, ranges[c]) }
    }
  }

  /// `body(0) … body(count − 1)` computed side by side (no BLAS inside) on at most `threads` threads (nil: every
  /// core), in order: for independent per-feature work.
  public static func map<T>(_ count: Int, threads: Int? = nil, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { out in
      // Each index writes only its own slot.
      nonisolated(unsafe) let base = out.start
      forEach(ranges(count: count, chunks: max(1, threads ?? availableCores)), callsBLAS: false) { _, range in
        for i in range { base[i] = body(i) }
      }
    }
    let filled = results.compactMap { $0 }
    precondition(filled.count == count, "Parallel.map: a slot was not written")
    return filled
  }
}
