/// Histograms and the best stump for one feature: the hot part of a boosting round.
enum StumpSplit {
  /// Gradient and hessian sums per bin.
  struct Histogram {
    var gradient: [Double]
    var hessian: [Double]
  }

  /// A candidate stump: the value (before shrinkage) each bin of its feature receives.
  struct Candidate {
    var feature: Int
    var gain: Double
    var binValues: [Double]
  }

  /// Adds rows `rows` of one or two features to their partial histograms, loading each gradient pair once for
  /// both. Each feature has two interleaved partial histograms (row `i` → copy `i mod 2`) so consecutive rows in
  /// one bin do not wait on each other's stores; gradients are `Float`, sums `Double`. Two copies beat four here
  /// (interleaved A/B, 150 rounds: 3.95–4.47 s against 3.91–5.22 s): a pair's histograms then take 16 KiB of L1,
  /// not all 32 KiB (cachegrind saw one L1 miss per five updates with four).
  /// - Parameters:
  ///   - rows: the rows added.
  ///   - first: the first feature's bins (a whole column).
  ///   - second: the second feature's bins, or nil for one feature.
  ///   - gradHess: the gradient and Hessian per row.
  ///   - a: the first feature's 2 copies of 256 bins of `SIMD2<Double>`, `copyStride` apart.
  ///   - b: the second feature's copies, likewise.
  /// - Complexity: O(rows).
  @inline(__always)
  static func accumulate(
    rows: Range<Int>, first: UnsafePointer<UInt8>, second: UnsafePointer<UInt8>?,
    gradHess: UnsafePointer<SIMD2<Float>>, a: UnsafeMutablePointer<SIMD2<Double>>,
    b: UnsafeMutablePointer<SIMD2<Double>>
  ) {
    var i = rows.lowerBound
    let end = rows.upperBound
    if let second {
      while i &+ 4 <= end {
        let g0 = SIMD2<Double>(gradHess[i]), g1 = SIMD2<Double>(gradHess[i &+ 1])
        let g2 = SIMD2<Double>(gradHess[i &+ 2]), g3 = SIMD2<Double>(gradHess[i &+ 3])
        a[Int(first[i])] += g0
        a[copyStride &+ Int(first[i &+ 1])] += g1
        a[Int(first[i &+ 2])] += g2
        a[copyStride &+ Int(first[i &+ 3])] += g3
        b[Int(second[i])] += g0
        b[copyStride &+ Int(second[i &+ 1])] += g1
        b[Int(second[i &+ 2])] += g2
        b[copyStride &+ Int(second[i &+ 3])] += g3
        i &+= 4
      }
      while i < end {
        let g = SIMD2<Double>(gradHess[i])
        a[Int(first[i])] += g
        b[Int(second[i])] += g
        i &+= 1
      }
    } else {
      while i &+ 4 <= end {
        a[Int(first[i])] += SIMD2<Double>(gradHess[i])
        a[copyStride &+ Int(first[i &+ 1])] += SIMD2<Double>(gradHess[i &+ 1])
        a[Int(first[i &+ 2])] += SIMD2<Double>(gradHess[i &+ 2])
        a[copyStride &+ Int(first[i &+ 3])] += SIMD2<Double>(gradHess[i &+ 3])
        i &+= 4
      }
      while i < end {
        a[Int(first[i])] += SIMD2<Double>(gradHess[i])
        i &+= 1
      }
    }
  }

  /// Adds a feature's two partial histograms into one.
  static func reduce(_ h: UnsafePointer<SIMD2<Double>>) -> Histogram {
    var g = [Double](repeating: 0, count: 256), hh = [Double](repeating: 0, count: 256)
    for bin in 0..<256 {
      let total = h[bin] + h[copyStride &+ bin]
      g[bin] = total.x
      hh[bin] = total.y
    }
    return Histogram(gradient: g, hessian: hh)
  }

  /// Elements between partial-histogram copies (256 bins). Padding copies off 4 KiB boundaries against
  /// "4K aliasing" was measured: no difference beyond this machine's noise (interleaved A/B, 150 rounds).
  static let copyStride = 256
  /// Elements per feature: two copies.
  static let featureStride = 2 * copyStride

  /// The limits every side of a split must respect.
  struct Rules {
    var l2: Double
    var minHessian: Double
    var minRows: Int
    var monotone: StumpBoost.Monotonicity?

    @inline(__always) func score(_ g: Double, _ h: Double) -> Double { g * g / (h + l2) }
    @inline(__always) func value(_ g: Double, _ h: Double) -> Double { -g / (h + l2) }
    @inline(__always) func feasible(_ h: Double, _ rows: Int) -> Bool { h >= minHessian && rows >= minRows }
    /// Whether a lower-bins side value `left` and higher-bins side value `right` respect the constraint.
    @inline(__always) func ordered(_ left: Double, _ right: Double) -> Bool {
      switch monotone {
      case nil: return true
      case .increasing: return left <= right
      case .decreasing: return left >= right
      }
    }
  }

  /// The best split of a numeric feature: a threshold over the value bins, with missing values joining the side
  /// that gains most or taking a leaf of their own. Ties keep the first (lowest threshold).
  static func bestNumeric(
    _ hist: Histogram, counts: [Int], valueBins k: Int, rules: Rules, feature: Int
  ) -> Candidate? {
    let missing = k
    let (gM, hM, nM) = (hist.gradient[missing], hist.hessian[missing], counts[missing])
    var gAll = 0.0, hAll = 0.0, nAll = 0
    for b in 0..<k { gAll += hist.gradient[b]; hAll += hist.hessian[b]; nAll += counts[b] }
    let parent = rules.score(gAll + gM, hAll + hM)
    var best: (gain: Double, threshold: Int, missingSide: Int)? = nil  // missingSide: 0 left, 1 right, 2 own leaf
    func consider(_ gain: Double, _ t: Int, _ side: Int) {
      if gain > (best?.gain ?? 0) { best = (gain, t, side) }
    }
    var gL = 0.0, hL = 0.0, nL = 0
    for t in 0..<k {
      gL += hist.gradient[t]; hL += hist.hessian[t]; nL += counts[t]
      let (gR, hR, nR) = (gAll - gL, hAll - hL, nAll - nL)
      if t < k - 1 && nR > 0 && nL > 0 {
        // Missing joins the left side.
        if rules.feasible(hL + hM, nL + nM) && rules.feasible(hR, nR)
          && rules.ordered(rules.value(gL + gM, hL + hM), rules.value(gR, hR))
        {
          consider(rules.score(gL + gM, hL + hM) + rules.score(gR, hR) - parent, t, 0)
        }
        // Missing joins the right side (the only option when there are none).
        if rules.feasible(hL, nL) && rules.feasible(hR + hM, nR + nM)
          && rules.ordered(rules.value(gL, hL), rules.value(gR + gM, hR + hM))
        {
          consider(rules.score(gL, hL) + rules.score(gR + gM, hR + hM) - parent, t, 1)
        }
      }
      // Missing takes its own leaf (with an empty right side at t = k − 1, the split is "missing or not").
      if nM > 0 && rules.feasible(hM, nM) && rules.feasible(hL, nL) && (nR == 0 || rules.feasible(hR, nR))
        && (nR == 0 || rules.ordered(rules.value(gL, hL), rules.value(gR, hR)))
      {
        let right = nR > 0 ? rules.score(gR, hR) : 0
        consider(rules.score(gL, hL) + right + rules.score(gM, hM) - parent, t, 2)
      }
    }
    guard let best else { return nil }
    var gLeft = 0.0, hLeft = 0.0
    for b in 0...best.threshold { gLeft += hist.gradient[b]; hLeft += hist.hessian[b] }
    let (gRight, hRight) = (gAll - gLeft, hAll - hLeft)
    var values = [Double](repeating: 0, count: k + 1)
    let left: Double, right: Double, miss: Double
    switch best.missingSide {
    case 0:
      left = rules.value(gLeft + gM, hLeft + hM); right = rules.value(gRight, hRight); miss = left
    case 1:
      left = rules.value(gLeft, hLeft); right = rules.value(gRight + gM, hRight + hM); miss = right
    default:
      left = rules.value(gLeft, hLeft); right = hRight > 0 ? rules.value(gRight, hRight) : 0
      miss = rules.value(gM, hM)
    }
    for b in 0..<k { values[b] = b <= best.threshold ? left : right }
    values[missing] = miss
    return Candidate(feature: feature, gain: best.gain, binValues: values)
  }

  /// The best binary partition of a categorical feature's bins (levels, "other", missing): bins sorted by
  /// `G / (H + l2)`, then the best prefix — optimal for this loss (Fisher 1958; as in LightGBM).
  static func bestCategorical(_ hist: Histogram, counts: [Int], rules: Rules, feature: Int) -> Candidate? {
    let present = (0..<counts.count).filter { counts[$0] > 0 }
    if present.count < 2 { return nil }
    let order = present.sorted {
      let a = hist.gradient[$0] / (hist.hessian[$0] + rules.l2), b = hist.gradient[$1] / (hist.hessian[$1] + rules.l2)
      return a != b ? a < b : $0 < $1
    }
    var gAll = 0.0, hAll = 0.0, nAll = 0
    for b in present { gAll += hist.gradient[b]; hAll += hist.hessian[b]; nAll += counts[b] }
    let parent = rules.score(gAll, hAll)
    var best: (gain: Double, cut: Int)? = nil
    var gL = 0.0, hL = 0.0, nL = 0
    for c in 0..<(order.count - 1) {
      let b = order[c]
      gL += hist.gradient[b]; hL += hist.hessian[b]; nL += counts[b]
      let (gR, hR, nR) = (gAll - gL, hAll - hL, nAll - nL)
      guard rules.feasible(hL, nL) && rules.feasible(hR, nR) else { continue }
      let gain = rules.score(gL, hL) + rules.score(gR, hR) - parent
      if gain > (best?.gain ?? 0) { best = (gain, c) }
    }
    guard let best else { return nil }
    var gLeft = 0.0, hLeft = 0.0
    for c in 0...best.cut { gLeft += hist.gradient[order[c]]; hLeft += hist.hessian[order[c]] }
    let left = rules.value(gLeft, hLeft), right = rules.value(gAll - gLeft, hAll - hLeft)
    var values = [Double](repeating: right, count: counts.count)
    for c in 0...best.cut { values[order[c]] = left }
    // Bins never seen in training (rare "other", unseen missing) get no contribution.
    for b in 0..<counts.count where counts[b] == 0 { values[b] = 0 }
    return Candidate(feature: feature, gain: best.gain, binValues: values)
  }
}
