import Foundation

extension StumpBoost.Configuration {
  /// Most bags a model may average (InterpretML's default is 14): each costs a model's time and memory.
  public static let maxBags = 100

  /// Share of rows (or groups) each bag leaves out when there is no early stopping to watch them.
  public static let bagHoldOut = 0.2

  /// Outer bagging: `bags` models, each boosted on its own seeded share of the rows (groups kept whole) and stopping
  /// early on the rest, side by side on the threads (one thread each), then averaged. All bags share one binning,
  /// learned from every row, and every bag is centred on every row, so the average of their tables is the model's
  /// table and the average of their margins its margin. Each bag's result depends only on its seed, not on the
  /// thread count.
  func fitBagged(
    _ columns: [FeatureColumn], labels: [Bool], weights: [Double], groups: [Int]?, threads: Int,
    progress: (@Sendable (Int, Int) -> Void)?
  ) throws -> StumpBoost {
    let n = labels.count
    // One outcome in all the rows is said as such, before any bag's share is.
    _ = try TrainingWeights.classWeights(labels: labels, sampleWeights: weights, classWeight: classWeight)
    let all = try BinnedMatrix.fitting(
      columns, maxBins: maxBins, minCategoryCount: minCategoryCount, seed: seed, threads: threads)
    let counts = StumpTrainer.binCounts(all, threads: threads)
    let binWeights = StumpTrainer.BinWeights(all, sampleWeights: weights)
    let holdOut = earlyStopping?.validationFraction ?? Self.bagHoldOut
    let told = RoundCounter(total: bags * rounds, report: progress)
    let results = Parallel.map(bags, threads: threads) { bag -> Result<StumpBoost.Bag, Error> in
      Result {
        let (trainRows, heldOut) = GroupSplit.split(rows: n, groups: groups, fraction: holdOut, seed: bagSeed(bag))
        let trainer = try boost(
          all, rows: trainRows, stopping: earlyStopping == nil ? [] : heldOut, labels: labels, weights: weights,
          told: told)
        let (intercept, tables) = StumpTrainer.centred(
          trainer.tables, intercept: trainer.baseMargin, weights: binWeights, counts: counts)
        return StumpBoost.Bag(intercept: intercept, tables: tables, history: trainer.history)
      }
    }
    let fitted = try results.map { try $0.get() }
    let scale = 1 / Double(bags)
    let intercept = fitted.reduce(0) { $0 + $1.intercept } * scale
    var tables = all.binnings.map { [Double](repeating: 0, count: $0.binCount) }
    for bag in fitted {
      for j in tables.indices { for b in tables[j].indices { tables[j][b] += bag.tables[j][b] * scale } }
    }
    let kept = fitted.map(\.history.roundsKept)
    let history = StumpBoost.TrainingHistory(
      features: fitted.flatMap(\.history.features), gains: fitted.flatMap(\.history.gains), validationLoss: [],
      roundsKept: Int((Double(kept.reduce(0, +)) * scale).rounded()),
      stopReason: .init(
        .bags(count: bags, fewest: kept.min() ?? 0, most: kept.max() ?? 0, earlyStopping: earlyStopping != nil)))
    return StumpBoost(
      configuration: self, binnings: all.binnings, intercept: intercept, tables: tables,
      importance: StumpTrainer.importance(tables, weights: binWeights), history: history, bags: fitted)
  }

  /// One boosting run, on one thread, on `rows` of already binned data, stopping early on `stopping` (when not
  /// empty and early stopping is set): a bag's model.
  func boost(
    _ all: BinnedMatrix, rows: [Int], stopping: [Int], labels: [Bool], weights: [Double], told: RoundCounter
  ) throws -> StumpTrainer {
    var trainer = try trainer(all, rows: rows, stopping: stopping, labels: labels, weights: weights, threads: 1)
    if told.report != nil { trainer.progress = { _, _ in told.add() } }
    trainer.run()
    return trainer
  }

  /// A trainer for `rows` of already binned data, with `stopping` as its early-stopping rows (when not empty and
  /// early stopping is set).
  func trainer(
    _ all: BinnedMatrix, rows: [Int], stopping: [Int], labels: [Bool], weights: [Double], threads: Int
  ) throws -> StumpTrainer {
    let trainLabels = rows.map { labels[$0] }
    // A bag's (or a fold's) own share can miss the rarer outcome that the whole data have.
    guard trainLabels.contains(true) && trainLabels.contains(false) else {
      throw LearnError.invalidConfiguration(
        bags > 1
          ? "a bag's share of the rows (\(rows.count) of them) has only one outcome; use fewer bags (--bags) or more rows"
          : "a fold's training rows have only one outcome; add rows or make fewer folds")
    }
    let trainWeights = rows.map { weights[$0] }
    let classWeights = try TrainingWeights.classWeights(
      labels: trainLabels, sampleWeights: trainWeights, classWeight: classWeight)
    var valid: StumpTrainer.Validation? = nil
    if earlyStopping != nil && !stopping.isEmpty {
      let heldLabels = stopping.map { labels[$0] }
      valid = .init(
        bins: all.selecting(stopping), labels: heldLabels.map { $0 ? 1 : 0 },
        weights: TrainingWeights.effective(
          labels: heldLabels, sampleWeights: stopping.map { weights[$0] }, classWeights: classWeights))
    }
    return StumpTrainer(
      configuration: self, data: all.selecting(rows), labels: trainLabels.map { $0 ? 1 : 0 },
      weights: TrainingWeights.effective(labels: trainLabels, sampleWeights: trainWeights, classWeights: classWeights),
      validation: valid, threads: threads)
  }

  /// Bag 0 holds out what a single model's early stopping would; every other bag a share of its own.
  func bagSeed(_ bag: Int) -> UInt64 {
    seed ^ Self.earlyStoppingSeedSalt ^ (UInt64(bag) &* 0x9E37_79B9_7F4A_7C15)
  }
}

/// Rounds trained across bags running side by side, for one progress bar.
final class RoundCounter: @unchecked Sendable {
  let total: Int
  let report: (@Sendable (Int, Int) -> Void)?
  private var done = 0
  private let lock = NSLock()

  init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
    self.total = total
    self.report = report
  }

  func add() {
    lock.lock()
    done += 1
    let now = done
    lock.unlock()
    report?(now, total)
  }
}

extension StumpBoost {
  /// How far each row's margin moves across the bags: the sample standard deviation of the bags' margins (nil for
  /// one model). Small where the rows the model saw pin the estimate down.
  public func marginSpread(_ binned: BinnedMatrix) -> [Double]? {
    guard let bags, bags.count > 1 else { return nil }
    let n = binned.rows
    var sum = [Double](repeating: 0, count: n), sumSquares = [Double](repeating: 0, count: n)
    for bag in bags {
      var margin = [Double](repeating: bag.intercept, count: n)
      for j in 0..<featureCount {
        let table = bag.tables[j]
        for i in 0..<n { margin[i] += table[Int(binned.bins[j * n + i])] }
      }
      for i in 0..<n { sum[i] += margin[i]; sumSquares[i] += margin[i] * margin[i] }
    }
    let k = Double(bags.count)
    return (0..<n).map { i in (max(0, sumSquares[i] - sum[i] * sum[i] / k) / (k - 1)).squareRoot() }
  }

  /// Each bin's standard deviation across the bags for feature `j` (nil for one model): the band around its shape.
  public func spread(ofFeature j: Int) -> [Double]? {
    guard let bags, bags.count > 1 else { return nil }
    let k = Double(bags.count)
    return tables[j].indices.map { b in
      let values = bags.map { $0.tables[j][b] }
      let mean = values.reduce(0, +) / k
      return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (k - 1)).squareRoot()
    }
  }
}
