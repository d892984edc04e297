import Linalg

extension StumpBoost.Configuration {
  /// Mixed into the seed of early stopping's hold-out, so it is independent of any split made with `seed` itself.
  static let earlyStoppingSeedSalt: UInt64 = 0x5DEE_CE66_D1CE_5EED

  /// Newton boosting of the log-loss with one stump per round, chosen greedily over all features.
  ///
  /// Each round: gradients `gᵢ = wᵢ(pᵢ − yᵢ)` and hessians `hᵢ = wᵢ pᵢ(1 − pᵢ)` at the current margins; one
  /// histogram per feature (features split across threads); the split of largest gain
  /// `G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)` (ties to the lower feature index); margins move by the learning rate
  /// times the leaf value `−G/(H+λ)`, one lookup per row. (Friedman 2001; Chen & Guestrin 2016.)
  /// - Parameters:
  ///   - columns: training features (numeric with NaN as missing, or categorical codes).
  ///   - labels: `true` is the event.
  ///   - sampleWeights: non-negative weight per row.
  ///   - validation: an explicit early-stopping set; otherwise, with `earlyStopping` set, a seeded share of rows
  ///     (of groups, when `groups` is given, so siblings stay on one side) is held out.
  ///   - groups: a group id per row (e.g. family), used only for the internal validation split.
  ///   - threads: nil uses every core; the result is deterministic for a given thread count.
  ///   - progress: told (round, rounds) as each round finishes.
  /// - Returns: the fitted ensemble, compiled to one table per feature.
  /// - Throws: `LearnError` for unusable data or settings.
  /// - Complexity: O(rounds · n · p) for the histograms, plus O(n · p · log bins) binning.
  public func fit(
    _ columns: [FeatureColumn], labels: [Bool], sampleWeights: [Double]? = nil,
    validation: (columns: [FeatureColumn], labels: [Bool], sampleWeights: [Double]?)? = nil,
    groups: [Int]? = nil, threads: Int? = nil, progress: (@Sendable (_ round: Int, _ rounds: Int) -> Void)? = nil
  ) throws -> StumpBoost {
    try validate(columns)
    let n = labels.count
    guard columns.allSatisfy({ $0.count == n }) else {
      throw LearnError.shapeMismatch("every feature must have \(n) rows, one per label")
    }
    let weights = try TrainingWeights.validated(sampleWeights, rows: n)
    for column in columns {
      if case .numeric(let name, let values) = column, let i = values.firstIndex(where: { $0.isInfinite }) {
        throw LearnError.nonFinite(column: name, row: i + 1, value: values[i])
      }
    }
    if let groups, groups.count != n {
      throw LearnError.shapeMismatch("there are \(n) labels but \(groups.count) group ids")
    }
    let threadCount = max(1, threads ?? Parallel.availableCores)
    if bags > 1 {
      guard validation == nil else {
        throw LearnError.invalidConfiguration("bagged models hold out their own rows; pass no validation set")
      }
      return try fitBagged(
        columns, labels: labels, weights: weights, groups: groups, threads: threadCount, progress: progress)
    }

    // Hold out a validation share when early stopping has no explicit set.
    var trainRows = Array(0..<n)
    var heldOut: [Int] = []
    if let stopping = earlyStopping, validation == nil {
      // A seed of its own: a caller that held out its validation families with `seed` (as `uptake train` does) has
      // already removed every family this split would choose with it, which left early stopping nothing to watch.
      (trainRows, heldOut) = GroupSplit.split(
        rows: n, groups: groups, fraction: stopping.validationFraction, seed: seed ^ Self.earlyStoppingSeedSalt)
    }
    let trainColumns = heldOut.isEmpty ? columns : columns.map { $0.selecting(trainRows) }
    let trainLabels = heldOut.isEmpty ? labels : trainRows.map { labels[$0] }
    let trainWeights = heldOut.isEmpty ? weights : trainRows.map { weights[$0] }

    let classWeights = try TrainingWeights.classWeights(
      labels: trainLabels, sampleWeights: trainWeights, classWeight: classWeight)
    func effective(_ labels: [Bool], _ weights: [Double]) -> [Double] {
      TrainingWeights.effective(labels: labels, sampleWeights: weights, classWeights: classWeights)
    }

    let train = try BinnedMatrix.fitting(
      trainColumns, maxBins: maxBins, minCategoryCount: minCategoryCount, seed: seed, threads: threadCount)
    var valid: StumpTrainer.Validation? = nil
    if let validation {
      guard validation.columns.allSatisfy({ $0.count == validation.labels.count }) else {
        throw LearnError.shapeMismatch(
          "every validation feature must have \(validation.labels.count) rows, one per validation label")
      }
      let binned = try BinnedMatrix(validation.columns, binnings: train.binnings, threads: threadCount)
      let vw = try TrainingWeights.validated(validation.sampleWeights, rows: validation.labels.count)
      valid = .init(
        bins: binned, labels: validation.labels.map { $0 ? 1 : 0 }, weights: effective(validation.labels, vw))
    } else if !heldOut.isEmpty {
      let binned = try BinnedMatrix(
        columns.map { $0.selecting(heldOut) }, binnings: train.binnings, threads: threadCount)
      let hl = heldOut.map { labels[$0] }
      valid = .init(bins: binned, labels: hl.map { $0 ? 1 : 0 }, weights: effective(hl, heldOut.map { weights[$0] }))
    }

    var trainer = StumpTrainer(
      configuration: self, data: train, labels: trainLabels.map { $0 ? 1 : 0 },
      weights: effective(trainLabels, trainWeights), validation: valid, threads: threadCount)
    trainer.progress = progress
    trainer.run()
    return trainer.compile(sampleWeights: trainWeights)
  }

  /// Rejects settings that cannot work, before any data are touched.
  func validate(_ columns: [FeatureColumn]) throws {
    if rounds < 0 { throw LearnError.invalidConfiguration("rounds \(rounds) must be ≥ 0") }
    if !(learningRate > 0 && learningRate.isFinite) {
      throw LearnError.invalidConfiguration("learningRate \(learningRate) must be positive")
    }
    if !(2...255).contains(maxBins) { throw LearnError.invalidConfiguration("maxBins \(maxBins) must be in 2...255") }
    if !(l2 >= 0 && l2.isFinite) { throw LearnError.invalidConfiguration("l2 \(l2) must be ≥ 0") }
    if minRowsPerSide < 1 { throw LearnError.invalidConfiguration("minRowsPerSide must be ≥ 1") }
    if !(minHessianPerSide >= 0) || !(minGain >= 0) {
      throw LearnError.invalidConfiguration("minHessianPerSide and minGain must be ≥ 0")
    }
    if minCategoryCount < 1 { throw LearnError.invalidConfiguration("minCategoryCount must be ≥ 1") }
    if !(1...Self.maxBags).contains(bags) {
      throw LearnError.invalidConfiguration("bags \(bags) must be 1 to \(Self.maxBags)")
    }
    if !(0...Self.maxInteractions).contains(interactions) {
      throw LearnError.invalidConfiguration("interactions \(interactions) must be 0 to \(Self.maxInteractions)")
    }
    if interactions > 0 && bags > 1 {
      throw LearnError.invalidConfiguration(
        "interactions with bagging are not supported yet: use one bag, or no interactions")
    }
    if let r = interactionRounds, r < 0 { throw LearnError.invalidConfiguration("interactionRounds must be ≥ 0") }
    if let e = earlyStopping, e.patience < 1 || !(e.validationFraction > 0 && e.validationFraction < 1) {
      throw LearnError.invalidConfiguration("early stopping needs patience ≥ 1 and a validation fraction in (0, 1)")
    }
    if case .custom(let a, let b) = classWeight, !(a > 0 && b > 0 && a.isFinite && b.isFinite) {
      throw LearnError.invalidConfiguration("class weights (\(a), \(b)) must be positive and finite")
    }
    let names = Set(columns.map(\.name))
    for (name, _) in monotone {
      guard names.contains(name) else {
        throw LearnError.invalidConfiguration("monotone constraint on \(name), which is not a feature")
      }
      if case .categorical? = columns.first(where: { $0.name == name }) {
        throw LearnError.invalidConfiguration("monotone constraint on categorical feature \(name) has no order")
      }
    }
    if Set(columns.map(\.name)).count != columns.count {
      throw LearnError.invalidConfiguration("feature names must be unique")
    }
  }
}

extension FeatureColumn {
  /// The rows `rows` only, in that order.
  public func selecting(_ rows: [Int]) -> FeatureColumn {
    switch self {
    case .numeric(let name, let values): return .numeric(name: name, values: rows.map { values[$0] })
    case .categorical(let name, let codes, let levels):
      return .categorical(name: name, codes: rows.map { codes[$0] }, levels: levels)
    }
  }
}

/// The boosting loop over binned data.
struct StumpTrainer {
  /// Told after each round, for a progress bar.
  var progress: (@Sendable (Int, Int) -> Void)? = nil
  struct Validation {
    var bins: BinnedMatrix
    var labels: [Double]
    var weights: [Double]
  }

  let configuration: StumpBoost.Configuration
  let data: BinnedMatrix
  let labels: [Double]
  let weights: [Double]
  let validation: Validation?
  let threads: Int
  /// Rows per bin per feature: constant, because every stump sees all rows.
  let counts: [[Int]]
  let baseMargin: Double
  var margins: [Double]
  /// (gradient, hessian) per row, as `Float`: half the traffic of `Double`; histogram sums stay `Double`.
  var gradHess: [SIMD2<Float>]
  var validationMargins: [Double]
  /// The kept stumps summed per feature (uncentred): one value per bin, so memory does not grow with the rounds.
  var tables: [[Double]]
  /// Feature and gain of each kept stump, in order.
  var features: [Int] = []
  var gains: [Double] = []
  /// Cyclic boosting: the feature whose turn is next.
  var nextFeature = 0
  /// The pair stage's pairs.
  var pairs: [PairTerm] = []
  var history = StumpBoost.TrainingHistory(
    features: [], gains: [], validationLoss: [], roundsKept: 0, stopReason: .init(.allRoundsTrained(rounds: 0)))

  init(
    configuration: StumpBoost.Configuration, data: BinnedMatrix, labels: [Double], weights: [Double],
    validation: Validation?, threads: Int
  ) {
    self.configuration = configuration
    self.data = data
    self.labels = labels
    self.weights = weights
    self.validation = validation
    self.threads = threads
    let n = data.rows
    counts = Self.binCounts(data, threads: threads)
    var positive = 0.0, total = 0.0
    for i in 0..<n { positive += weights[i] * labels[i]; total += weights[i] }
    baseMargin = LogisticMath.logarithm(positive / (total - positive))
    margins = [Double](repeating: baseMargin, count: n)
    gradHess = [SIMD2<Float>](repeating: .zero, count: n)
    validationMargins = [Double](repeating: baseMargin, count: validation?.bins.rows ?? 0)
    tables = data.binnings.map { [Double](repeating: 0, count: $0.binCount) }
  }

  /// Rows per bin of every feature, features split across threads.
  static func binCounts(_ data: BinnedMatrix, threads: Int) -> [[Int]] {
    let n = data.rows
    var counts = data.binnings.map { [Int](repeating: 0, count: $0.binCount) }
    data.bins.withUnsafeBufferPointer { bins in
      counts.withUnsafeMutableBufferPointer { out in
        let base = out.start
        Parallel.forEach(Parallel.ranges(count: data.columns, chunks: threads), callsBLAS: false) { _, features in
          for j in features {
            var c = [Int](repeating: 0, count: 256)
            let column = bins.start + j * n
            for i in 0..<n { c[Int(column[i])] &+= 1 }
            base[j] = Array(c[0..<base[j].count])
          }
        }
      }
    }
    return counts
  }

  /// The training rows split across the threads (one chunk below 65,536 rows, where threads do not pay).
  var rowChunks: [Range<Int>] { Parallel.ranges(count: data.rows, chunks: data.rows >= 65_536 ? threads : 1) }

  mutating func run() {
    let rowChunks = self.rowChunks
    updateGradients(rowChunks)
    var best = (loss: Double.infinity, round: 0, tables: tables)
    let patience = configuration.earlyStopping?.patience ?? Int.max
    history.stopReason = .init(.allRoundsTrained(rounds: configuration.rounds))
    for round in 0..<configuration.rounds {
      guard let shrunk = step(rowChunks) else {
        history.stopReason = .init(.noGain(afterRounds: round))
        break
      }
      progress?(round + 1, configuration.rounds)
      if let validation {
        let loss = applyToValidation(shrunk, validation)
        history.validationLoss.append(loss)
        // A copy of the tables only in name: they are copied on write, one feature's table per later round.
        if loss < best.loss { best = (loss, round + 1, tables) }
        if round + 1 - best.round >= patience {
          history.stopReason = .init(.earlyStopping(patience: patience))
          break
        }
      }
    }
    // With early stopping the model keeps the round of least validation loss; without it, every round.
    if validation != nil && configuration.earlyStopping != nil && best.round < features.count {
      tables = best.tables
      features.removeLast(features.count - best.round)
      gains.removeLast(gains.count - best.round)
      history.stopReason.keptBestRound = best.round
    }
    history.features = features
    history.gains = gains
    history.roundsKept = features.count
    if configuration.interactions > 0 { runPairs() }
  }

  /// One round: the best stump, shrunk by the learning rate, kept and applied to the training rows (nil when no
  /// split has gain above `minGain`). The gradients must be current (`updateGradients` before the first round).
  mutating func step(_ rowChunks: [Range<Int>]) -> StumpSplit.Candidate? {
    let best: StumpSplit.Candidate?
    switch configuration.boosting {
    case .greedy: best = bestStump()
    case .cyclic: best = nextCyclicStump()
    }
    guard var shrunk = best else { return nil }
    for b in 0..<shrunk.binValues.count {
      shrunk.binValues[b] *= configuration.learningRate
      tables[shrunk.feature][b] += shrunk.binValues[b]
    }
    features.append(shrunk.feature)
    gains.append(shrunk.gain)
    applyStump(shrunk, rowChunks)
    return shrunk
  }

  /// `gᵢ, hᵢ` at the current margins, row chunks across threads.
  mutating func updateGradients(_ chunks: [Range<Int>]) {
    margins.withUnsafeBufferPointer { m in
      labels.withUnsafeBufferPointer { y in
        weights.withUnsafeBufferPointer { w in
          gradHess.withUnsafeMutableBufferPointer { gh in
            let out = gh.start
            Parallel.forEach(chunks, callsBLAS: false) { _, range in
              for i in range { out[i] = Self.gradient(m[i], y[i], w[i]) }
            }
          }
        }
      }
    }
  }

  @inline(__always)
  static func gradient(_ margin: Double, _ y: Double, _ w: Double) -> SIMD2<Float> {
    let p = LogisticMath.sigmoid(margin)
    return SIMD2(Float(w * (p - y)), Float(w * p * (1 - p)))
  }

  /// Rows per block of the histogram pass: a block's gradients (64 KiB) stay in L2 while every feature of the
  /// thread reads them.
  static let histogramBlockRows = 16_384

  /// Cyclic boosting (as InterpretML's EBM): the best stump on the next feature in turn, skipping features with no
  /// split of gain above `minGain`; nil when a whole cycle has none.
  mutating func nextCyclicStump() -> StumpSplit.Candidate? {
    let n = data.rows, p = data.columns
    let histogram = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: StumpSplit.featureStride)
    defer { histogram.deallocate() }
    for _ in 0..<p {
      let j = nextFeature
      nextFeature = (nextFeature + 1) % p
      histogram.initialize(repeating: .zero, count: StumpSplit.featureStride)
      data.bins.withUnsafeBufferPointer { bins in
        gradHess.withUnsafeBufferPointer { gh in
          StumpSplit.accumulate(
            rows: 0..<n, first: bins.start + j * n, second: nil, gradHess: gh.start, a: histogram,
            b: histogram)
        }
      }
      if let candidate = split(feature: j, StumpSplit.reduce(histogram)), candidate.gain > configuration.minGain {
        return candidate
      }
    }
    return nil
  }

  /// The stump of largest gain over all features (feature pairs split across threads; ties to the lower index).
  ///
  /// Each thread walks the rows in blocks and, per block, adds every one of its feature pairs to that pair's
  /// histograms, so the gradients are read from memory once per round rather than once per pair.
  func bestStump() -> StumpSplit.Candidate? {
    let n = data.rows, p = data.columns
    var perFeature = [StumpSplit.Candidate?](repeating: nil, count: p)
    let pairs = (p + 1) / 2
    let pairChunks = Parallel.ranges(count: pairs, chunks: n * p >= 65_536 ? threads : 1)
    let blockRows = Self.histogramBlockRows
    data.bins.withUnsafeBufferPointer { bins in
      gradHess.withUnsafeBufferPointer { gh in
        perFeature.withUnsafeMutableBufferPointer { out in
          let base = out.start
          Parallel.forEach(pairChunks, callsBLAS: false) { _, pairRange in
            let stride = StumpSplit.featureStride
            let histograms = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: pairRange.count * 2 * stride)
            defer { histograms.deallocate() }
            histograms.initialize(repeating: .zero, count: pairRange.count * 2 * stride)
            var start = 0
            while start < n {
              let rows = start..<min(start + blockRows, n)
              for (k, pair) in pairRange.enumerated() {
                let j = 2 * pair
                StumpSplit.accumulate(
                  rows: rows, first: bins.start + j * n,
                  second: j + 1 < p ? bins.start + (j + 1) * n : nil, gradHess: gh.start,
                  a: histograms + 2 * k * stride, b: histograms + (2 * k + 1) * stride)
              }
              start = rows.upperBound
            }
            for (k, pair) in pairRange.enumerated() {
              let j = 2 * pair
              base[j] = split(feature: j, StumpSplit.reduce(histograms + 2 * k * stride))
              if j + 1 < p { base[j + 1] = split(feature: j + 1, StumpSplit.reduce(histograms + (2 * k + 1) * stride)) }
            }
          }
        }
      }
    }
    var best: StumpSplit.Candidate? = nil
    for candidate in perFeature.compactMap({ $0 }) where candidate.gain > configuration.minGain {
      if candidate.gain > (best?.gain ?? -.infinity) { best = candidate }
    }
    return best
  }

  func split(feature j: Int, _ hist: StumpSplit.Histogram) -> StumpSplit.Candidate? {
    let binning = data.binnings[j]
    let rules = StumpSplit.Rules(
      l2: configuration.l2, minHessian: configuration.minHessianPerSide,
      minRows: configuration.minRowsPerSide, monotone: configuration.monotone[binning.name])
    return binning.isCategorical
      ? StumpSplit.bestCategorical(hist, counts: counts[j], rules: rules, feature: j)
      : StumpSplit.bestNumeric(hist, counts: counts[j], valueBins: binning.valueBinCount, rules: rules, feature: j)
  }

  /// Margins move by the stump's value for each row's bin (one lookup per row), and the gradients are refreshed
  /// in the same pass.
  mutating func applyStump(_ stump: StumpSplit.Candidate, _ chunks: [Range<Int>]) {
    let n = data.rows
    data.bins.withUnsafeBufferPointer { bins in
      stump.binValues.withUnsafeBufferPointer { values in
        labels.withUnsafeBufferPointer { y in
          weights.withUnsafeBufferPointer { w in
            gradHess.withUnsafeMutableBufferPointer { gh in
              margins.withUnsafeMutableBufferPointer { m in
                let column = bins.start + stump.feature * n
                let out = m.start
                let grad = gh.start
                Parallel.forEach(chunks, callsBLAS: false) { _, range in
                  for i in range {
                    let margin = out[i] + values[Int(column[i])]
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

  /// Moves the validation margins and returns the mean weighted validation log-loss.
  mutating func applyToValidation(_ stump: StumpSplit.Candidate, _ validation: Validation) -> Double {
    let n = validation.bins.rows
    // Side by side in fixed row chunks (the loss needs a logarithm per row per round: most of the validation cost);
    // the chunks' sums are added in order, so the result depends only on the thread count.
    let chunks = Parallel.ranges(count: n, chunks: n >= 65_536 ? threads : 1)
    var partial = [(loss: Double, total: Double)](repeating: (0, 0), count: chunks.count)
    let feature = stump.feature * n
    validationMargins.withUnsafeMutableBufferPointer { margins in
      validation.bins.bins.withUnsafeBufferPointer { bins in
        validation.weights.withUnsafeBufferPointer { weights in
          validation.labels.withUnsafeBufferPointer { labels in
            partial.withUnsafeMutableBufferPointer { out in
              nonisolated(unsafe) let (m, b, w, y, o) = (margins, bins, weights, labels, out)
              let values = stump.binValues
              Parallel.forEach(chunks, callsBLAS: false) { c, range in
                var loss = 0.0, total = 0.0
                for i in range {
                  m[i] += values[Int(b[feature + i])]
                  loss += w[i] * LogisticMath.logLoss(m[i], y[i])
                  total += w[i]
                }
                o[c] = (loss, total)
              }
            }
          }
        }
      }
    }
    let sums = partial.reduce((loss: 0.0, total: 0.0)) { ($0.loss + $1.loss, $0.total + $1.total) }
    return sums.loss / sums.total
  }

  /// Sums the stumps per feature into centred lookup tables.
  func compile(sampleWeights: [Double]) -> StumpBoost {
    let weights = BinWeights(data, sampleWeights: sampleWeights)
    let (intercept, tables) = Self.centred(tables, intercept: baseMargin, weights: weights, counts: counts)
    let (pairs, shift) = compiledPairs(sampleWeights: sampleWeights)
    return StumpBoost(
      configuration: configuration, binnings: data.binnings, intercept: intercept + shift, tables: tables,
      importance: Self.importance(tables, weights: weights), history: history, bags: nil,
      pairs: configuration.interactions > 0 ? pairs : nil)
  }

  /// Each table shifted to average zero over the rows `weights` were summed from, the means moved into the
  /// intercept, so `φⱼ` averages to zero over those rows; bins none of them falls in (unseen categories, missing
  /// when there were none) contribute nothing. Margins are unchanged for every one of those rows.
  static func centred(
    _ tables: [[Double]], intercept: Double, weights: BinWeights, counts: [[Int]]
  ) -> (intercept: Double, tables: [[Double]]) {
    var tables = tables
    var intercept = intercept
    for j in 0..<tables.count {
      var mean = 0.0
      for b in 0..<tables[j].count { mean += weights.perBin[j][b] * tables[j][b] }
      mean /= weights.total
      intercept += mean
      for b in 0..<tables[j].count { tables[j][b] = counts[j][b] == 0 ? 0 : tables[j][b] - mean }
    }
    return (intercept, tables)
  }

  /// Mean `|φⱼ|` over the rows `weights` were summed from, per feature.
  static func importance(_ tables: [[Double]], weights: BinWeights) -> [Double] {
    tables.indices.map { j in
      tables[j].indices.reduce(0.0) { $0 + weights.perBin[j][$1] * abs(tables[j][$1]) } / weights.total
    }
  }

  /// The sample weight falling in each bin of each feature, and their total: what centring and importance weigh
  /// by, counted once per set of rows (a bagged fit centres every bag on the same rows).
  struct BinWeights {
    let perBin: [[Double]]
    let total: Double

    init(_ data: BinnedMatrix, sampleWeights: [Double]) {
      let n = data.rows
      total = sampleWeights.reduce(0, +)
      perBin = (0..<data.columns).map { j in
        var binWeight = [Double](repeating: 0, count: 256)
        data.bins.withUnsafeBufferPointer { bins in
          sampleWeights.withUnsafeBufferPointer { w in
            let column = bins.start + j * n
            for i in 0..<n { binWeight[Int(column[i])] += w[i] }
          }
        }
        return binWeight
      }
    }
  }
}
