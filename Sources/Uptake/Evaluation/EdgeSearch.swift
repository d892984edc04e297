/// Where a value falls among sorted bin edges, for the profile's drift bins and the simple rule's AUC bins: the
/// inner loop of both, run for every value of every feature, so the search has no data-dependent branch (a
/// mispredicted branch per halving cost more than the comparisons).
enum EdgeSearch {
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
