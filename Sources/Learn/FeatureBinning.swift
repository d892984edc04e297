/// How one feature's values map to `UInt8` bins; part of a fitted model, so new data bin exactly as training did.
///
/// Numeric: value bins `0..<k` split at `upperEdges` (`value ≤ upperEdges[b]` ⇒ bin ≤ b), then a missing bin `k`.
/// Categorical: one bin per level kept (seen at least `minCategoryCount` times, most frequent first), an "other"
/// bin for rare and unseen levels, then a missing bin.
public struct FeatureBinning: Codable, Equatable, Hashable, Sendable {
  public enum Kind: Codable, Equatable, Hashable, Sendable {
    case numeric(upperEdges: [Double])
    case categorical(levels: [String])
  }

  public let name: String
  public let kind: Kind

  /// Bins that hold values (numeric ranges, or kept levels plus "other").
  public var valueBinCount: Int {
    switch kind {
    case .numeric(let edges): return edges.count + 1
    case .categorical(let levels): return levels.count + 1
    }
  }

  public var missingBin: Int { valueBinCount }
  public var binCount: Int { valueBinCount + 1 }
  public var isCategorical: Bool { if case .categorical = kind { return true } else { return false } }

  /// The bin of a numeric value (NaN → missing bin). Binary search over the edges.
  /// - Complexity: O(log bins).
  @inlinable
  public func bin(_ value: Double) -> UInt8 {
    guard case .numeric(let edges) = kind else { preconditionFailure("bin(_:) on categorical feature \(name)") }
    if value.isNaN { return UInt8(edges.count + 1) }
    var low = 0, high = edges.count
    while low < high {
      let mid = (low + high) >> 1
      if value <= edges[mid] { high = mid } else { low = mid + 1 }
    }
    return UInt8(low)
  }

  /// A readable label for a bin, for reports and reasons.
  public func label(ofBin b: Int) -> String {
    if b == missingBin { return "missing" }
    switch kind {
    case .numeric(let edges):
      if edges.isEmpty { return "any value" }
      if b == 0 { return "≤ \(edges[0].formattedShort)" }
      if b == edges.count { return "> \(edges[b - 1].formattedShort)" }
      return "(\(edges[b - 1].formattedShort), \(edges[b].formattedShort)]"
    case .categorical(let levels):
      return b < levels.count ? levels[b] : "other"
    }
  }
}

extension Double {
  /// Up to 6 significant digits, no trailing zeros: for bin labels.
  var formattedShort: String {
    if self == rounded() && abs(self) < 1e15 { return String(Int64(self)) }
    var s = String(self)
    if s.count > 10, let dot = s.firstIndex(of: ".") {
      let keep = s.distance(from: s.startIndex, to: dot) + 5
      s = String(s.prefix(keep))
      while s.hasSuffix("0") { s.removeLast() }
    }
    return s
  }
}

extension FeatureBinning {
  /// Quantile bin edges for a numeric column, as histogram GBMs build them.
  ///
  /// With at most `maxBins` distinct values, each distinct value gets its own bin (edges at midpoints). Otherwise
  /// edges sit between the values at ranks `m·k/maxBins` of the sorted sample, so bins hold about equal counts.
  /// Only the rows in `sampleRows` (all rows when nil) are used.
  /// - Complexity: O(m) radix sort of the `m` sampled non-missing values.
  static func numeric(
    name: String, values: [Double], maxBins: Int, sampleRows: [Int]? = nil
  ) -> FeatureBinning {
    var present: [Double]
    if let sampleRows {
      present = []
      present.reserveCapacity(sampleRows.count)
      for i in sampleRows where !values[i].isNaN { present.append(values[i]) }
    } else {
      present = values.filter { !$0.isNaN }
    }
    RadixSort.sort(&present)
    var distinct: [Double] = []
    for v in present where distinct.last != v { distinct.append(v) }
    if distinct.count <= 1 { return FeatureBinning(name: name, kind: .numeric(upperEdges: [])) }
    var edges: [Double] = []
    if distinct.count <= maxBins {
      for k in 0..<(distinct.count - 1) { edges.append(midpoint(distinct[k], distinct[k + 1])) }
    } else {
      let m = present.count
      for k in 1..<maxBins {
        let value = present[min(m - 1, k * m / maxBins)]
        // The edge goes just above `value`: between it and the next larger distinct value.
        guard let next = firstGreater(than: value, in: distinct) else { continue }
        let edge = midpoint(value, next)
        if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
      }
    }
    return FeatureBinning(name: name, kind: .numeric(upperEdges: edges))
  }

  /// A seeded sample of `size` distinct row indices in increasing order (all rows when `count ≤ size`), shared
  /// by every feature, so each feature's quantiles come from the same rows (LightGBM samples 200,000 the same way).
  static func sampleRows(count: Int, size: Int, seed: UInt64) -> [Int]? {
    guard count > size else { return nil }
    var rng = SplitMix64(seed: seed)
    var chosen = [Bool](repeating: false, count: count)
    var picked = 0
    while picked < size {
      let i = Int(rng.next() % UInt64(count))
      if !chosen[i] { chosen[i] = true; picked += 1 }
    }
    return (0..<count).filter { chosen[$0] }
  }

  /// Categorical bins: levels seen at least `minCount` times (most frequent first, ties by code), at most
  /// `maxBins − 1` of them; the rest share "other".
  static func categorical(
    name: String, codes: [Int32], levels: [String], maxBins: Int, minCount: Int
  ) -> (binning: FeatureBinning, binOfCode: [UInt8]) {
    var counts = [Int](repeating: 0, count: levels.count)
    for c in codes where c >= 0 && Int(c) < levels.count { counts[Int(c)] += 1 }
    let kept = (0..<levels.count).filter { counts[$0] >= minCount }
      .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
      .prefix(maxBins - 1)
    let binning = FeatureBinning(name: name, kind: .categorical(levels: kept.map { levels[$0] }))
    var binOfCode = [UInt8](repeating: UInt8(kept.count), count: levels.count)  // "other"
    for (b, code) in kept.enumerated() { binOfCode[code] = UInt8(b) }
    return (binning, binOfCode)
  }

  private static func midpoint(_ a: Double, _ b: Double) -> Double {
    let m = a + (b - a) / 2
    return m < b ? m : a  // adjacent doubles: keep `a` so that a ≤ edge < b
  }

  private static func firstGreater(than value: Double, in sorted: [Double]) -> Double? {
    var low = 0, high = sorted.count
    while low < high {
      let mid = (low + high) >> 1
      if sorted[mid] <= value { low = mid + 1 } else { high = mid }
    }
    return low < sorted.count ? sorted[low] : nil
  }
}
