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
  /// With interactions: the mean out-of-fold log-loss after each round of the pair stage (index 0: the main effects
  /// at `bestRounds` alone), and the round of least loss (0: pairs did not help). Empty and 0 without.
  public let pairLoss: [Double]
  public let bestPairRounds: Int
}

extension StumpBoost.Configuration {
  /// Cross-validates the number of rounds (as LightGBM's `cv` does): each fold's model (or bags) is boosted on the
  /// other folds, the log-loss of every row under its own fold's model recorded after each round;
  /// the round of least loss within `rounds` is chosen, and each row's margin is its fold model's at that round.
  /// `earlyStopping` is not used: one curve over every row is far less noisy than each fold stopping on a small share
  /// of its own (which stopped too soon on grouped data: guImmun test AUC 0.632 against 0.640), and the curve can
  /// fall again after a long flat stretch (guImmun: flat from round 175 to 425, then falling to 1,500), so no
  /// patience is safe. The loss is the plain log loss: class weights shape each fit, not the choice of round.
  /// - Parameters:
  ///   - columns: the training features.
  ///   - labels: `true` is the event.
  ///   - folds: a fold index in `0..<count` per row (whole families together).
  ///   - groups: a group per row, for the bags' shares.
  ///   - threads: nil uses every core.
  ///   - progress: told (done, total) rounds as they finish.
  /// - Returns: the chosen rounds, the out-of-fold margins and the loss curve.
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
    _ = try TrainingWeights.classWeights(labels: labels, sampleWeights: weights, classWeight: classWeight)
    let all = try BinnedMatrix.fitting(
      columns, maxBins: maxBins, minCategoryCount: minCategoryCount, seed: seed, threads: threadCount)
    let trainRows = (0..<k).map { f in folds.indices.filter { folds[$0] != f } }
    let testRows = (0..<k).map { f in folds.indices.filter { folds[$0] == f } }
    let tests = testRows.map { all.selecting($0) }
    // One model per (fold, bag), boosted in lockstep: after every round the out-of-fold loss of all rows is known,
    // and the out-of-fold margins are kept whenever it is the least so far, so nothing grows with the rounds. Side by
    // side on one thread each when there are enough models for the threads; otherwise one after another on every
    // thread.
    let tasks = k * bags
    let sideBySide = tasks >= 2 * threadCount || n * columns.count < Self.sideBySideCells
    var trainers = try (0..<tasks).map { task in
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
      trainer.updateGradients(trainer.rowChunks)
      return trainer
    }
    var testMargins = (0..<tasks).map { [Double](repeating: trainers[$0].baseMargin, count: tests[$0 / bags].rows) }
    var stopped = [Bool](repeating: false, count: tasks)

    /// Every row's margin under its own fold's model (the mean of the fold's bags).
    func outOfFold() -> [Double] {
      var margins = [Double](repeating: 0, count: n)
      for f in 0..<k {
        for (i, row) in testRows[f].enumerated() {
          var sum = 0.0
          for bag in 0..<bags { sum += testMargins[f * bags + bag][i] }
          margins[row] = sum / Double(bags)
        }
      }
      return margins
    }
    // A logarithm per row per round: on the threads, in fixed chunks added in order (the same for a thread count).
    let lossChunks = Parallel.ranges(count: n, chunks: n >= 65_536 ? threadCount : 1)
    func meanLoss(_ margins: [Double]) -> Double {
      let partial = Parallel.map(lossChunks.count, threads: threadCount) { c in
        var total = 0.0
        for i in lossChunks[c] { total += LogisticMath.logLoss(margins[i], labels[i] ? 1 : 0) }
        return total
      }
      return partial.reduce(0, +) / Double(n)
    }

    /// Boosts every unstopped model one round with `step` (which moves the model's test margins and says whether it
    /// could), side by side as above; true while any model goes on.
    func lockstep(_ step: (inout StumpTrainer, inout [Double], Int) -> Bool) -> Bool {
      trainers.withUnsafeMutableBufferPointer { trainerSlots in
        testMargins.withUnsafeMutableBufferPointer { marginSlots in
          stopped.withUnsafeMutableBufferPointer { stoppedSlots in
            // Each task touches only its own slots.
            nonisolated(unsafe) let (t, m, s) = (trainerSlots, marginSlots, stoppedSlots)
            Parallel.forEach(
              Parallel.ranges(count: tasks, chunks: sideBySide ? threadCount : 1), callsBLAS: false
            ) { _, range in
              for task in range where !s[task] {
                if !step(&t[task], &m[task], task) { s[task] = true }
              }
            }
          }
        }
      }
      return !stopped.allSatisfy { $0 }
    }

    var current = outOfFold()
    var loss = [meanLoss(current)]
    var best = (round: 0, margins: current)
    // The pair stage starts from each model's tables at the chosen round (copied on write: cheap to keep).
    var bestTables = interactions > 0 ? trainers.map(\.tables) : []
    for round in 1...max(1, rounds) where rounds > 0 {
      let going = lockstep { trainer, margins, task in
        guard let stump = trainer.step(trainer.rowChunks) else { return false }
        let test = tests[task / bags]
        let column = stump.feature * test.rows
        for i in 0..<test.rows { margins[i] += stump.binValues[Int(test.bins[column + i])] }
        return true
      }
      current = outOfFold()
      loss.append(meanLoss(current))
      progress?(round, rounds)
      if loss[round] < loss[best.round] {
        best = (round, current)
        if interactions > 0 { bestTables = trainers.map(\.tables) }
      }
      if !going { break }
    }

    // Pairs: each fold's model goes on from its tables at the chosen round, its pairs chosen on its own training
    // rows' residuals, so the out-of-fold loss judges the choice of pairs as well as their rounds.
    var pairLoss: [Double] = []
    var bestPairRounds = 0
    if interactions > 0 {
      var testCells = [[[UInt16]]](repeating: [], count: tasks)
      stopped = [Bool](repeating: false, count: tasks)
      _ = testCells.withUnsafeMutableBufferPointer { cellSlots in
        nonisolated(unsafe) let cells = cellSlots
        return lockstep { trainer, margins, task in
          trainer.restore(tables: bestTables[task], trainer.rowChunks)
          trainer.choosePairs(interactions)
          cells[task] = trainer.pairs.map { $0.cells(of: tests[task]) }
          for (i, row) in testRows[task].enumerated() { margins[i] = best.margins[row] }
          return !trainer.pairs.isEmpty
        }
      }
      pairLoss = [loss[best.round]]
      var bestPairs = (round: 0, margins: best.margins)
      let limit = pairRoundLimit
      for round in 1...max(1, limit) where limit > 0 && !stopped.allSatisfy({ $0 }) {
        let going = lockstep { trainer, margins, task in
          guard let (t, values) = trainer.pairStep(trainer.rowChunks) else { return false }
          let cells = testCells[task][t]
          for i in margins.indices { margins[i] += values[Int(cells[i])] }
          return true
        }
        current = outOfFold()
        pairLoss.append(meanLoss(current))
        progress?(round, limit)
        if pairLoss[round] < pairLoss[bestPairs.round] { bestPairs = (round, current) }
        if !going { break }
      }
      bestPairRounds = bestPairs.round
      best.margins = bestPairs.margins
    }
    let boosted = Double(trainers.reduce(0) { $0 + $1.data.rows }) / Double(tasks)
    return StumpCrossValidation(
      loss: loss, bestRounds: best.round, margins: best.margins, boostedRows: Int(boosted.rounded()),
      pairLoss: pairLoss, bestPairRounds: bestPairRounds)
  }

  /// Below this many cells (rows × features), folds run side by side on one thread each even when there are fewer
  /// than twice as many as threads: a round on one thread is then too short for threads inside it to pay.
  static let sideBySideCells = 2_000_000
}
