/// The largest absolute difference between two vectors of the same length.
public func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
  precondition(a.count == b.count)
  return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// `|a − b| ≤ rtol · max(|b|, floor)`: relative, or absolute near zero.
public func close(_ a: Double, _ b: Double, rtol: Double, floor: Double = 1e-3) -> Bool {
  abs(a - b) <= rtol * max(abs(b), floor)
}
