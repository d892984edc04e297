/// Bin edges for the profile's drift bins and the simple rule's AUC bins: placed at quantiles of an even sample, and
/// searched for every value of every feature — the inner loop of both, so the search has no data-dependent branch (a
/// mispredicted branch per halving cost more than the comparisons).
enum EdgeSearch {
  /// The present (non-NaN) values among every `step`-th of `values`, sorted; `step` is chosen so that at most about
  /// `limit` values are looked at (all of them when there are no more).
  static func sortedSample(_ values: [Double], atMost limit: Int) -> [Double] {
    let step = max(1, values.count / limit)
    var sample: [Double] = []
    sample.reserveCapacity(min(values.count, limit + 1))
    for i in stride(from: 0, to: values.count, by: step) where !values[i].isNaN { sample.append(values[i]) }
    sample.sort()
    return sample
  }

  /// The distinct values of `sorted` at its `q / divisions` quantiles for `q` in `1...count`, increasing.
  static func quantileEdges(_ sorted: [Double], count: Int, divisions: Int) -> [Double] {
    guard !sorted.isEmpty else { return [] }
    var edges: [Double] = []
    for q in 1...count {
      let v = sorted[min(sorted.count - 1, q * sorted.count / divisions)]
      if edges.last.map({ v > $0 }) ?? true { edges.append(v) }
    }
    return edges
  }

  /// The number of edges below `value`: the index of the first edge `value` does not exceed, `edges.count` above
  /// them all. `value` must not be NaN.
  @inline(__always)
  static func bin(_ value: Double, _ edges: UnsafeBufferPointer<Double>) -> Int {
    var base = 0, count = edges.count
    guard count > 0 else { return 0 }
    while count > 1 {
      let half = count &>> 1
      // The comparison as an all-ones or all-zeros mask: arithmetic the compiler cannot turn back into a branch.
      let below = Int(unsafeBitCast(edges[base &+ half &- 1] < value, to: UInt8.self))
      base &+= half & (0 &- below)
      count &-= half
    }
    return base &+ Int(unsafeBitCast(edges[base] < value, to: UInt8.self))
  }
}
