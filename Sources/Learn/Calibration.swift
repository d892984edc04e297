/// How well probabilities mean what they say, and how to fix them on held-out predictions.
public struct ReliabilityTable: Codable, Equatable, Sendable {
  public struct Bin: Codable, Equatable, Sendable {
    public var lower: Double
    public var upper: Double
    public var count: Int
    /// Mean predicted probability in the bin.
    public var predicted: Double
    /// Share of events in the bin.
    public var observed: Double
  }

  /// Non-empty bins only.
  public var bins: [Bin]
  /// Expected calibration error: `Σ_b (n_b / n) |observed_b − predicted_b|` over equal-width bins.
  public var expectedCalibrationError: Double

  /// Equal-width bins on [0, 1] (`count` of them), binned as scikit-learn's `calibration_curve(strategy="uniform")`.
  public init(probabilities: [Double], labels: [Bool], count: Int = 10) {
    var n = [Int](repeating: 0, count: count)
    var predicted = [Double](repeating: 0, count: count)
    var observed = [Double](repeating: 0, count: count)
    // Inner edges k · (1/count), as numpy's linspace makes them; a probability on an edge goes to the lower bin.
    let step = 1 / Double(count)
    let inner = (1..<count).map { Double($0) * step }
    for (p, y) in zip(probabilities, labels) {
      var b = 0
      while b < inner.count && inner[b] < p { b += 1 }
      n[b] += 1
      predicted[b] += p
      if y { observed[b] += 1 }
    }
    let total = Double(max(1, labels.count))
    var ece = 0.0
    bins = (0..<count).compactMap { b in
      guard n[b] > 0 else { return nil }
      let bin = Bin(
        lower: Double(b) * step, upper: b + 1 == count ? 1 : Double(b + 1) * step, count: n[b],
        predicted: predicted[b] / Double(n[b]), observed: observed[b] / Double(n[b]))
      ece += Double(n[b]) / total * abs(bin.observed - bin.predicted)
      return bin
    }
    expectedCalibrationError = ece
  }
}

/// A monotone map from a model's margin to a calibrated probability, fitted on held-out predictions.
public enum Calibrator: Codable, Equatable, Sendable {
  /// Platt scaling: `p = σ(a · margin + b)`, fitted by maximum likelihood. Affine in the margin, so per-feature
  /// contributions stay exact (each is multiplied by `a`).
  case platt(a: Double, b: Double)
  /// Isotonic regression of the outcome on the margin (pool adjacent violators); predictions interpolate linearly
  /// between the fitted points and are clipped at the ends, as scikit-learn's `IsotonicRegression`.
  case isotonic(margins: [Double], probabilities: [Double])

  public enum Method: String, Codable, Sendable, CaseIterable { case platt, isotonic }

  /// Fits `method` on held-out `margins` and outcomes.
  public static func fit(_ method: Method, margins: [Double], labels: [Bool]) -> Calibrator {
    switch method {
    case .platt: return fitPlatt(margins: margins, labels: labels)
    case .isotonic: return fitIsotonic(margins: margins, labels: labels)
    }
  }

  public func probability(margin: Double) -> Double {
    switch self {
    case .platt(let a, let b): return LogisticMath.sigmoid(a * margin + b)
    case .isotonic(let x, let y):
      guard let first = x.first, let last = x.last else { return .nan }
      if margin <= first { return y[0] }
      if margin >= last { return y[y.count - 1] }
      var low = 0, high = x.count - 1
      while high - low > 1 {
        let mid = (low + high) / 2
        if x[mid] <= margin { low = mid } else { high = mid }
      }
      let t = (margin - x[low]) / (x[high] - x[low])
      return y[low] + t * (y[high] - y[low])
    }
  }

  /// Newton's method on the two-parameter log-likelihood (it is concave; converges in a few steps).
  static func fitPlatt(margins: [Double], labels: [Bool]) -> Calibrator {
    var a = 1.0, b = 0.0
    for _ in 0..<100 {
      var ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
      for (m, y) in zip(margins, labels) {
        let p = LogisticMath.sigmoid(a * m + b)
        let r = p - (y ? 1 : 0)
        let w = max(p * (1 - p), 1e-12)
        ga += r * m
        gb += r
        haa += w * m * m
        hab += w * m
        hbb += w
      }
      let det = haa * hbb - hab * hab
      guard det > 0 else { break }
      let da = (hbb * ga - hab * gb) / det
      let db = (haa * gb - hab * ga) / det
      a -= da
      b -= db
      if abs(da) + abs(db) < 1e-12 { break }
    }
    return .platt(a: a, b: b)
  }

  /// Pool adjacent violators over the margins sorted ascending (ties pooled first, as scikit-learn does).
  static func fitIsotonic(margins: [Double], labels: [Bool]) -> Calibrator {
    // Distinct margins with their events and count.
    var xs: [Double] = [], sums: [Double] = [], counts: [Double] = []
    Metrics.forEachTiedRun(margins, highestFirst: false) { run in
      xs.append(margins[run[run.startIndex]])
      sums.append(Double(run.reduce(0) { $0 + (labels[$1] ? 1 : 0) }))
      counts.append(Double(run.count))
    }
    // Blocks: (sum, count, first index, last index).
    var blocks: [(sum: Double, count: Double, first: Int, last: Int)] = []
    for k in xs.indices {
      blocks.append((sums[k], counts[k], k, k))
      while blocks.count > 1 {
        let b = blocks[blocks.count - 1], a = blocks[blocks.count - 2]
        guard a.sum / a.count >= b.sum / b.count else { break }
        blocks.removeLast(2)
        blocks.append((a.sum + b.sum, a.count + b.count, a.first, b.last))
      }
    }
    var fitted = [Double](repeating: 0, count: xs.count)
    for block in blocks {
      for k in block.first...block.last { fitted[k] = block.sum / block.count }
    }
    return .isotonic(margins: xs, probabilities: fitted)
  }
}
