extension StumpBoost {
  /// A pairwise interaction: one table over two features' coarse bins, boosted after the main effects on what they
  /// left unexplained (as InterpretML's EBM does with its pairs). Its value for a row is one term of the margin,
  /// reported as one joint reason; the model stays additive over its terms, so explanations stay exact.
  public struct Pair: Codable, Equatable, Sendable {
    /// The two features' indices, the lower first.
    public var features: [Int]
    /// Per feature, the coarse bin of each of its bins: at most `Configuration.maxInteractionBins`, so that each
    /// cell of the table holds enough rows to learn from.
    public var coarseBins: [[UInt8]]
    /// Centred log-odds per cell, row-major: coarse bins (a, b) are at `a * width + b`.
    public var table: [Double]
    /// Mean `|contribution|` over the training rows, as the features' importance.
    public var importance: Double
    /// How much a four-cell split explained of the residuals when the pair was chosen (FAST's gain).
    public var strength: Double
    /// Boosting rounds spent on this pair.
    public var rounds: Int

    /// Coarse bins of the second feature: the length of a row of the table.
    public var width: Int { (coarseBins.last?.max()).map { Int($0) + 1 } ?? 0 }
    /// Coarse bins of the first feature.
    public var height: Int { (coarseBins.first?.max()).map { Int($0) + 1 } ?? 0 }

    /// The table's cell for a row's bins of the two features.
    @inline(__always)
    public func cell(_ first: UInt8, _ second: UInt8) -> Int {
      Int(coarseBins[0][Int(first)]) * width + Int(coarseBins[1][Int(second)])
    }

    /// The pair's value for every row of `binned`.
    func values(_ binned: BinnedMatrix) -> [Double] {
      let n = binned.rows, width = self.width
      let (first, second) = (features[0] * n, features[1] * n)
      let (mapA, mapB) = (coarseBins[0], coarseBins[1])
      return (0..<n).map { i in
        table[Int(mapA[Int(binned.bins[first + i])]) * width + Int(mapB[Int(binned.bins[second + i])])]
      }
    }

    /// Groups a feature's bins into at most `limit` coarse bins, the missing bin always its own: numbers into runs of
    /// neighbouring bins with about equal rows each; categories by keeping the most common apart and putting the
    /// rest together.
    static func coarseBins(_ binning: FeatureBinning, counts: [Int], limit: Int) -> [UInt8] {
      let total = binning.binCount, values = binning.valueBinCount
      if total <= limit { return (0..<total).map { UInt8($0) } }
      var map = [UInt8](repeating: 0, count: total)
      let groups = limit - 1
      if binning.isCategorical {
        let order = (0..<values).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        let kept = Set(order.prefix(groups - 1))
        var next = 0
        for b in 0..<values where kept.contains(b) {
          map[b] = UInt8(next)
          next += 1
        }
        for b in 0..<values where !kept.contains(b) { map[b] = UInt8(next) }
        map[values] = UInt8(next + 1)
      } else {
        let rows = counts[0..<values].reduce(0, +)
        var group = 0, cumulative = 0
        for b in 0..<values {
          map[b] = UInt8(group)
          cumulative += counts[b]
          if group < groups - 1 && cumulative * groups >= (group + 1) * rows && b + 1 < values { group += 1 }
        }
        map[values] = UInt8(group + 1)
      }
      return map
    }
  }

  /// The names of the model's pairs, "a & b", in order.
  public var pairNames: [String] {
    (pairs ?? []).map { featureNames[$0.features[0]] + " & " + featureNames[$0.features[1]] }
  }
}

extension StumpBoost.Configuration {
  /// Coarse bins per feature in a pair's table at most (InterpretML's `max_interaction_bins` is 32 too).
  public static let maxInteractionBins = 32
  /// Pairs a model may add at most.
  public static let maxInteractions = 100
}

/// A four-cell split of a pair's table: a cut on each feature, and the (unshrunk) value of each quadrant.
struct QuadrantSplit {
  var gain: Double
  /// The value each cell receives, row-major as the table.
  var cellValues: [Double]

  /// The best cut on each of two features for residuals summed per cell (FAST: Lou, Caruana, Gehrke & Hooker, KDD
  /// 2013): over every pair of cuts, the four quadrants' sums come from one table of cumulative sums, and the gain
  /// is `Σ_q G_q²/(H_q+λ) − G²/(H+λ)`. Quadrants must each hold `minRows` rows and `minHessian`. nil when no cut
  /// pair is allowed.
  static func best(
    _ sums: [SIMD2<Double>], counts: [Int], height: Int, width: Int, rules: StumpSplit.Rules
  ) -> QuadrantSplit? {
    guard height > 1, width > 1 else { return nil }
    // Inclusive cumulative sums: cumulative[a * width + b] is the sum over cells (≤ a, ≤ b).
    var cumulative = sums, rows = counts
    for a in 0..<height {
      for b in 0..<width {
        let k = a * width + b
        if b > 0 { cumulative[k] += cumulative[k - 1]; rows[k] += rows[k - 1] }
        if a > 0 { cumulative[k] += cumulative[k - width]; rows[k] += rows[k - width] }
        if a > 0 && b > 0 { cumulative[k] -= cumulative[k - width - 1]; rows[k] -= rows[k - width - 1] }
      }
    }
    let last = height * width - 1
    let total = cumulative[last], totalRows = rows[last]
    func score(_ s: SIMD2<Double>) -> Double { s.x * s.x / (s.y + rules.l2) }
    var best: (gain: Double, a: Int, b: Int, quadrants: [SIMD2<Double>])? = nil
    for a in 0..<(height - 1) {
      for b in 0..<(width - 1) {
        let lowLow = cumulative[a * width + b]
        let lowHigh = cumulative[a * width + width - 1] - lowLow
        let highLow = cumulative[(height - 1) * width + b] - lowLow
        let highHigh = total - lowLow - lowHigh - highLow
        let nLowLow = rows[a * width + b]
        let nLowHigh = rows[a * width + width - 1] - nLowLow
        let nHighLow = rows[(height - 1) * width + b] - nLowLow
        let nHighHigh = totalRows - nLowLow - nLowHigh - nHighLow
        let quadrants = [lowLow, lowHigh, highLow, highHigh]
        guard min(nLowLow, nLowHigh, nHighLow, nHighHigh) >= rules.minRows,
          quadrants.allSatisfy({ $0.y >= rules.minHessian && $0.y + rules.l2 > 0 })
        else { continue }
        let gain = quadrants.reduce(0) { $0 + score($1) } - score(total)
        if gain > (best?.gain ?? -.infinity) { best = (gain, a, b, quadrants) }
      }
    }
    guard let best else { return nil }
    var values = [Double](repeating: 0, count: height * width)
    for a in 0..<height {
      for b in 0..<width {
        let q = best.quadrants[(a > best.a ? 2 : 0) + (b > best.b ? 1 : 0)]
        values[a * width + b] = -q.x / (q.y + rules.l2)
      }
    }
    return QuadrantSplit(gain: best.gain, cellValues: values)
  }
}

/// A pair being boosted: its features' coarse bins, each training row's cell, and the running (uncentred) table.
struct PairTerm {
  var features: [Int]
  var coarseBins: [[UInt8]]
  var height: Int
  var width: Int
  /// The cell of each training row.
  var cells: [UInt16]
  var table: [Double]
  var strength: Double
  var rounds = 0

  /// The cell of each row of `data`.
  func cells(of data: BinnedMatrix) -> [UInt16] {
    let n = data.rows, (first, second) = (features[0], features[1])
    return (0..<n).map { i in
      UInt16(
        Int(coarseBins[0][Int(data.bins[first * n + i])]) * width + Int(coarseBins[1][Int(data.bins[second * n + i])]))
    }
  }
}

extension StumpTrainer {
  /// Chooses the `count` pairs of features whose residuals (the current gradients) a four-cell split explains best
  /// (FAST), every pair of features ranked side by side on the threads; ties go to the lower indices. Features
  /// under a monotone constraint take part in no pair: a pair's term could bend their shape.
  mutating func choosePairs(_ count: Int) {
    let n = data.rows, p = data.columns
    let limit = StumpBoost.Configuration.maxInteractionBins
    let coarse = (0..<p).map { StumpBoost.Pair.coarseBins(data.binnings[$0], counts: counts[$0], limit: limit) }
    let sizes = coarse.map { Int($0.max() ?? 0) + 1 }
    let eligible = (0..<p).filter { configuration.monotone[data.binnings[$0].name] == nil }
    var candidates: [(Int, Int)] = []
    for (k, a) in eligible.enumerated() { for b in eligible[(k + 1)...] { candidates.append((a, b)) } }
    let coarseColumns = (0..<p).map { j in
      (0..<n).map { coarse[j][Int(data.bins[j * n + $0])] }
    }
    let rules = pairRules
    let gains = Parallel.map(candidates.count, threads: threads) { c -> Double in
      let (a, b) = candidates[c]
      let (sums, rows) = Self.cellSums(
        gradHess, cellCount: sizes[a] * sizes[b],
        cell: { i in Int(coarseColumns[a][i]) * sizes[b] + Int(coarseColumns[b][i]) }, rows: n)
      return QuadrantSplit.best(sums, counts: rows, height: sizes[a], width: sizes[b], rules: rules)?.gain ?? 0
    }
    let chosen = candidates.indices.filter { gains[$0] > configuration.minGain }
      .sorted { gains[$0] != gains[$1] ? gains[$0] > gains[$1] : $0 < $1 }
      .prefix(count)
    pairs = chosen.map { c in
      let (a, b) = candidates[c]
      var term = PairTerm(
        features: [a, b], coarseBins: [coarse[a], coarse[b]], height: sizes[a], width: sizes[b], cells: [],
        table: [Double](repeating: 0, count: sizes[a] * sizes[b]), strength: gains[c])
      term.cells = (0..<n).map { UInt16(Int(coarseColumns[a][$0]) * sizes[b] + Int(coarseColumns[b][$0])) }
      return term
    }
  }

  var pairRules: StumpSplit.Rules {
    StumpSplit.Rules(
      l2: configuration.l2, minHessian: configuration.minHessianPerSide, minRows: configuration.minRowsPerSide,
      monotone: nil)
  }

  /// Gradient and hessian sums, and rows, per cell.
  static func cellSums(
    _ gradHess: [SIMD2<Float>], cellCount: Int, cell: (Int) -> Int, rows n: Int
  ) -> ([SIMD2<Double>], [Int]) {
    var sums = [SIMD2<Double>](repeating: .zero, count: cellCount)
    var rows = [Int](repeating: 0, count: cellCount)
    for i in 0..<n {
      let c = cell(i)
      sums[c] += SIMD2<Double>(gradHess[i])
      rows[c] += 1
    }
    return (sums, rows)
  }

  /// One round of the pair stage: the four-cell split of largest gain over the chosen pairs (ties to the earlier
  /// pair), shrunk, added to its table and to the training margins. Greedy, as the main effects: a strong pair gets the
  /// rounds it needs whatever the number of pairs asked for (in turn, ten pairs left the strongest a third of the
  /// rounds one pair had, and the model worse). Returns the pair and the values its cells received, or nil when no
  /// pair has a split of gain above `minGain`.
  mutating func pairStep(_ rowChunks: [Range<Int>]) -> (pair: Int, cellValues: [Double])? {
    let rules = pairRules, n = data.rows, gradHess = self.gradHess, pairs = self.pairs
    let splits = Parallel.map(pairs.count, threads: n >= 65_536 ? threads : 1) { t -> QuadrantSplit? in
      let term = pairs[t]
      let (sums, rows) = term.cells.withUnsafeBufferPointer { cells in
        Self.cellSums(gradHess, cellCount: term.height * term.width, cell: { Int(cells[$0]) }, rows: n)
      }
      return QuadrantSplit.best(sums, counts: rows, height: term.height, width: term.width, rules: rules)
    }
    var best: (t: Int, split: QuadrantSplit)? = nil
    for (t, split) in splits.enumerated() {
      guard let split, split.gain > configuration.minGain, split.gain > best?.split.gain ?? -.infinity else { continue }
      best = (t, split)
    }
    guard let (t, split) = best else { return nil }
    let values = split.cellValues.map { $0 * configuration.learningRate }
    for c in values.indices { self.pairs[t].table[c] += values[c] }
    self.pairs[t].rounds += 1
    applyCells(pairs[t].cells, values, rowChunks)
    return (t, values)
  }

  /// Margins move by each row's cell value, and the gradients are refreshed in the same pass.
  mutating func applyCells(_ cells: [UInt16], _ values: [Double], _ chunks: [Range<Int>]) {
    cells.withUnsafeBufferPointer { cell in
      values.withUnsafeBufferPointer { v in
        labels.withUnsafeBufferPointer { y in
          weights.withUnsafeBufferPointer { w in
            gradHess.withUnsafeMutableBufferPointer { gh in
              margins.withUnsafeMutableBufferPointer { m in
                nonisolated(unsafe) let (out, grad) = (m.start, gh.start)
                Parallel.forEach(chunks, callsBLAS: false) { _, range in
                  for i in range {
                    let margin = out[i] + v[Int(cell[i])]
                    out[i] = margin
                    grad[i] = Self.gradient(margin, y[i], w[i])
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Keeps `kept` as the main effects and recomputes the training margins and gradients from them (early stopping
  /// keeps an earlier round's tables than the last one boosted, and the pair stage starts from those).
  mutating func restore(tables kept: [[Double]], _ rowChunks: [Range<Int>]) {
    tables = kept
    margins = Self.margins(data, tables: kept, base: baseMargin)
    if let validation { validationMargins = Self.margins(validation.bins, tables: kept, base: baseMargin) }
    updateGradients(rowChunks)
  }

  /// `base + Σⱼ tables[j][bin]` per row.
  static func margins(_ data: BinnedMatrix, tables: [[Double]], base: Double) -> [Double] {
    let n = data.rows
    var out = [Double](repeating: base, count: n)
    for j in 0..<data.columns {
      for i in 0..<n { out[i] += tables[j][Int(data.bins[j * n + i])] }
    }
    return out
  }

  /// The pair stage after the main effects: pairs chosen on the residuals, then boosted greedily for at most the
  /// configured pair rounds, keeping the round of least validation loss when there is a validation set.
  mutating func runPairs() {
    let rowChunks = self.rowChunks
    restore(tables: tables, rowChunks)
    choosePairs(configuration.interactions)
    let limit = configuration.pairRoundLimit
    guard !pairs.isEmpty, limit > 0 else { return }
    let validationCells = validation.map { v in pairs.map { $0.cells(of: v.bins) } }
    var best = (loss: history.validationLoss.min() ?? .infinity, round: 0, pairs: pairs)
    let patience = configuration.earlyStopping?.patience ?? Int.max
    for round in 1...limit {
      guard let (t, values) = pairStep(rowChunks) else { break }
      if let validation, let validationCells {
        var loss = 0.0, total = 0.0
        for i in 0..<validation.bins.rows {
          validationMargins[i] += values[Int(validationCells[t][i])]
          loss += validation.weights[i] * LogisticMath.logLoss(validationMargins[i], validation.labels[i])
          total += validation.weights[i]
        }
        if loss / total < best.loss { best = (loss / total, round, pairs) }
        if round - best.round >= patience { break }
      }
    }
    if validation != nil && configuration.earlyStopping != nil { pairs = best.pairs }
  }

  /// The pairs' tables centred on the training rows (weighted by `sampleWeights`), with their means, which go into
  /// the intercept; cells no training row falls in contribute nothing. Pairs that no round improved are left out.
  func compiledPairs(sampleWeights: [Double]) -> (pairs: [StumpBoost.Pair], shift: Double) {
    var shift = 0.0
    let total = sampleWeights.reduce(0, +)
    let compiled = pairs.filter { $0.rounds > 0 }.map { term -> StumpBoost.Pair in
      var weight = [Double](repeating: 0, count: term.table.count)
      for i in 0..<term.cells.count { weight[Int(term.cells[i])] += sampleWeights[i] }
      let mean = zip(weight, term.table).reduce(0) { $0 + $1.0 * $1.1 } / total
      shift += mean
      let table = term.table.indices.map { weight[$0] > 0 ? term.table[$0] - mean : 0 }
      let importance = zip(weight, table).reduce(0) { $0 + $1.0 * abs($1.1) } / total
      return StumpBoost.Pair(
        features: term.features, coarseBins: term.coarseBins, table: table, importance: importance,
        strength: term.strength, rounds: term.rounds)
    }
    return (compiled, shift)
  }
}
