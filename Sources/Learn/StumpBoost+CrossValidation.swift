/// Rounds chosen by cross-validation, with every row's out-of-fold margin at that round.
public struct StumpCrossValidation: Sendable {
  /// Mean out-of-fold log-loss after each round trained (index 0: the base rate alone).
  public let loss: [Double]
  /// The round of least mean out-of-fold loss.
  public let bestRounds: Int
  /// Every row's out-of-fold margin with `bestRounds` rounds.
  public let margins: [Double]
  /// Mean rows each fold's models were boosted on (within a fold, every bag's share).
  public let boostedRows: Int
}

extension StumpBoost.Configuration {
  /// Cross-validates the number of rounds (as LightGBM's `cv` does): each fold's model (or bags) is boosted on the
  /// other folds, the log-loss of every row under its own fold's model recorded after each round;
  /// the round of least loss within `rounds` is chosen, and each row's margin is its fold model's at that round.
  /// `earlyStopping` is not used: one curve over every row is far less noisy than each fold stopping on a small share
  /// of its own (which stopped too soon on grouped data: guImmun test AUC 0.632 against 0.640), and the curve can
  /// fall again after a long flat stretch (guImmun: flat from round 175 to 425, then falling to 1,500), so no
  /// patience is safe.
  /// - Parameters:
  ///   - folds: a fold index in `0..<count` per row (whole families together).
  ///   - groups: a group per row, for the bags' shares.
  /// - Throws: `LearnError` for bad settings or data, or a fold whose training rows have one class only.
  public func crossValidate(
    _ columns: [FeatureColumn], labels: [Bool], folds: [Int], groups: [Int]?, threads: Int? = nil,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws -> StumpCrossValidation {
    try validate(columns)
    let n = labels.count
    guard folds.count == n, columns.allSatisfy({ $0.count == n }) else {
      throw LearnError.shapeMismatch("every feature and the folds must have \(n) rows, one per label")
    }
    let k = (folds.max() ?? 0) + 1
    let threadCount = max(1, threads ?? Parallel.availableCores)
    let weights = [Double](repeating: 1, count: n)
    let all = try BinnedMatrix.fitting(
      columns, maxBins: maxBins, minCategoryCount: minCategoryCount, seed: seed, threads: threadCount)
    let trainRows = (0..<k).map { f in folds.indices.filter { folds[$0] != f } }
    let testRows = (0..<k).map { f in folds.indices.filter { folds[$0] == f } }
    let tests = testRows.map { all.selecting($0) }
    let testLabels = testRows.map { rows in rows.map { labels[$0] ? 1.0 : 0.0 } }
    // One model per (fold, bag), each recording its own fold's summed loss after every round. Side by side on one
    // thread each when there are enough of them for the threads; otherwise one after another on every thread.
    let tasks = k * bags
    let sideBySide = tasks >= 2 * threadCount || n * columns.count < Self.sideBySideCells
    let told = RoundCounter(total: tasks * rounds, report: progress)
    let runs = Parallel.map(tasks, threads: sideBySide ? threadCount : 1) {
      task -> Result<(trainer: StumpTrainer, loss: [Double]), Error> in
      Result {
        let (f, bag) = (task / bags, task % bags)
        let rows =
          bags > 1
          ? GroupSplit.split(
            rows: trainRows[f].count, groups: groups.map { g in trainRows[f].map { g[$0] } },
            fraction: Self.bagHoldOut, seed: bagSeed(bag)
          ).0.map { trainRows[f][$0] }
          : trainRows[f]
        var trainer = try trainer(
          all, rows: rows, stopping: [], labels: labels, weights: weights, threads: sideBySide ? 1 : threadCount)
        let chunks = Parallel.ranges(
          count: trainer.data.rows, chunks: trainer.data.rows >= 65_536 ? trainer.threads : 1)
        trainer.updateGradients(chunks)
        let test = tests[f]
        var margins = [Double](repeating: trainer.baseMargin, count: test.rows)
        func foldLoss() -> Double {
          var total = 0.0
          for i in 0..<test.rows { total += LogisticMath.logLoss(margins[i], testLabels[f][i]) }
          return total
        }
        var loss = [foldLoss()]
        for _ in 0..<rounds {
          guard let stump = trainer.step(chunks) else { break }
          let column = stump.feature * test.rows
          for i in 0..<test.rows { margins[i] += stump.binValues[Int(test.bins[column + i])] }
          loss.append(foldLoss())
          if progress != nil { told.add() }
        }
        return (trainer, loss)
      }
    }
    let trainers = try runs.map { try $0.get().trainer }
    // A bag that found no more splits keeps its last margins: its loss stays at its last value.
    var lossSum = [Double](repeating: 0, count: rounds + 1)
    if bags == 1 {
      for run in runs {
        let loss = try run.get().loss
        for r in 0...rounds { lossSum[r] += loss[min(r, loss.count - 1)] }
      }
    } else {
      // The fold's model is the bags' average: its loss needs their margins together, round by round.
      for f in 0..<k {
        let fold = trainers[(f * bags)..<((f + 1) * bags)]
        var margins = [Double](repeating: 0, count: tests[f].rows)
        for trainer in fold { for i in margins.indices { margins[i] += trainer.baseMargin / Double(bags) } }
        for r in 0...rounds {
          if r > 0 {
            for trainer in fold where trainer.stumps.count >= r {
              let stump = trainer.stumps[r - 1]
              let column = stump.feature * tests[f].rows
              for i in margins.indices {
                margins[i] += stump.binValues[Int(tests[f].bins[column + i])] / Double(bags)
              }
            }
          }
          for i in margins.indices { lossSum[r] += LogisticMath.logLoss(margins[i], testLabels[f][i]) }
        }
      }
    }
    let loss = lossSum.map { $0 / Double(n) }
    let best = loss.indices.min { loss[$0] < loss[$1] || (loss[$0] == loss[$1] && $0 < $1) } ?? 0
    var outOfFold = [Double](repeating: 0, count: n)
    for f in 0..<k {
      var margins = [Double](repeating: 0, count: testRows[f].count)
      for bag in 0..<bags {
        let trainer = trainers[f * bags + bag]
        var bagMargins = [Double](repeating: trainer.baseMargin, count: margins.count)
        add(Array(trainer.stumps.prefix(best)), tests[f], &bagMargins)
        for i in margins.indices { margins[i] += bagMargins[i] / Double(bags) }
      }
      for (i, row) in testRows[f].enumerated() { outOfFold[row] = margins[i] }
    }
    let boosted = Double(trainers.reduce(0) { $0 + $1.data.rows }) / Double(tasks)
    return StumpCrossValidation(
      loss: loss, bestRounds: best, margins: outOfFold, boostedRows: Int(boosted.rounded()))
  }

  /// Below this many cells (rows × features), folds run side by side on one thread each even when there are fewer
  /// than twice as many as threads: a round on one thread is then too short for threads inside it to pay.
  static let sideBySideCells = 2_000_000

  /// Adds the stumps to the margins of `data`.
  private func add(_ stumps: [StumpSplit.Candidate], _ data: BinnedMatrix, _ margins: inout [Double]) {
    let n = data.rows
    for stump in stumps {
      let column = stump.feature * n
      for i in 0..<n { margins[i] += stump.binValues[Int(data.bins[column + i])] }
    }
  }
}
