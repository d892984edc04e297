import Foundation
import Testing

@testable import Learn

@Suite("Stumps: pairwise interactions")
struct StumpInteractionTests {
  /// Six features; the outcome depends on `a` alone and on `c` and `e` only together (an exclusive or, which no sum of
  /// one shape per feature can learn): the pair (c, e) is planted.
  static func plantedPair(rows n: Int, seed: UInt64) -> (columns: [FeatureColumn], labels: [Bool]) {
    var rng = SplitMix64(seed: seed)
    var values = [[Double]](repeating: [], count: 6)
    var labels: [Bool] = []
    for _ in 0..<n {
      let x = (0..<6).map { _ in (rng.nextUnit() * 20).rounded(.down) / 20 }
      for j in 0..<6 { values[j].append(x[j]) }
      let together = (x[2] > 0.5) == (x[4] > 0.5) ? 1.2 : -1.2
      let eta = 2 * (x[0] - 0.5) + together
      labels.append(rng.nextUnit() < 1 / (1 + (-eta).exponential))
    }
    return (["a", "b", "c", "d", "e", "f"].enumerated().map { .numeric(name: $1, values: values[$0]) }, labels)
  }

  @Test("FAST finds the planted pair first, and the pair lowers the training loss a main-effects model leaves")
  func plantedPairRecovered() throws {
    let (columns, labels) = Self.plantedPair(rows: 6_000, seed: 11)
    let main = try StumpBoost.Configuration(rounds: 200, seed: 2).fit(columns, labels: labels, threads: 2)
    let model = try StumpBoost.Configuration(rounds: 200, seed: 2, interactions: 3)
      .fit(columns, labels: labels, threads: 2)
    let pairs = try #require(model.pairs)
    #expect(pairs.first?.features == [2, 4], "strongest pair \(pairs.map(\.features))")
    #expect(model.pairNames.first == "c & e")
    #expect(pairs[0].importance > 5 * (pairs.dropFirst().map(\.importance).max() ?? 0))
    #expect(
      model.tables == main.tables.indices.map { j in main.tables[j] }, "the main effects are boosted first, as before")
    func loss(_ m: StumpBoost) throws -> Double {
      let margins = try m.margins(columns)
      return zip(margins, labels).map { LogisticMath.logLoss($0, $1 ? 1 : 0) }.reduce(0, +) / Double(labels.count)
    }
    #expect(try loss(model) < loss(main) - 0.05, "the exclusive or is worth far more than noise")
  }

  @Test("the pair stage is greedy: asking for more pairs leaves the planted one its rounds (in turn, it got a share)")
  func greedyPairs() throws {
    let (columns, labels) = Self.plantedPair(rows: 6_000, seed: 17)
    let model = try StumpBoost.Configuration(rounds: 150, seed: 2, interactions: 10, interactionRounds: 40)
      .fit(columns, labels: labels, threads: 2)
    let pairs = try #require(model.pairs)
    let planted = try #require(pairs.first { $0.features == [2, 4] })
    // In turn it would get 4 of the first 40 rounds; greedily it takes most of them (later rounds fit noise, which the
    // out-of-fold curve or early stopping then cuts).
    #expect(planted.rounds >= 24, "the planted pair took \(planted.rounds) of 40 rounds: \(pairs.map(\.rounds))")
    #expect(pairs.allSatisfy { $0.rounds >= 1 } && pairs.reduce(0) { $0 + $1.rounds } <= 40)
  }

  @Test("with pairs, each row's contributions (features, then pairs) still add up to its margin, and sum to zero")
  func contributionsAddUp() throws {
    let (columns, labels) = Self.plantedPair(rows: 3_000, seed: 12)
    let model = try StumpBoost.Configuration(rounds: 100, seed: 1, interactions: 2)
      .fit(columns, labels: labels, threads: 2)
    let scores = try model.scores(columns, threads: 2)
    let pairCount = try #require(model.pairs).count
    #expect(pairCount == 2 && scores.pairs == model.pairs!.map(\.features))
    #expect(scores.contributions.columns == 6 + pairCount)
    #expect(scores.termNames(model.featureNames).suffix(2) == model.pairNames[...])
    let binned = try BinnedMatrix(columns, binnings: model.binnings)
    for i in stride(from: 0, to: 3_000, by: 37) {
      let row = (0..<scores.contributions.columns).map { scores.contributions[i, $0] }
      #expect(abs(scores.baseline + row.reduce(0, +) - scores.margins[i]) < 1e-9)
      #expect(model.contributions(binnedRow: binned.row(i)) == row)
    }
    for t in 0..<pairCount {
      let column = (0..<3_000).map { scores.contributions[$0, 6 + t] }
      #expect(abs(column.reduce(0, +) / 3_000) < 1e-9, "a pair's term is centred on the training rows")
    }
  }

  @Test("cross-validation picks the pair stage's rounds on the out-of-fold loss, and the pairs lower it")
  func crossValidatedPairs() throws {
    let (columns, labels) = Self.plantedPair(rows: 4_000, seed: 13)
    let folds = GroupSplit.folds(rows: labels.count, groups: nil, count: 4, seed: 3)
    let configuration = StumpBoost.Configuration(rounds: 150, seed: 1, interactions: 2)
    let cv = try configuration.crossValidate(columns, labels: labels, folds: folds, groups: nil, threads: 2)
    #expect(cv.pairLoss.first == cv.loss[cv.bestRounds])
    #expect(cv.bestPairRounds > 0 && cv.pairLoss[cv.bestPairRounds] == cv.pairLoss.min())
    #expect(cv.pairLoss[cv.bestPairRounds] < cv.pairLoss[0] - 0.03, "the planted pair generalises")
    // The out-of-fold margins are the fold models' at both chosen rounds.
    var fitted = configuration
    fitted.rounds = cv.bestRounds
    fitted.interactionRounds = cv.bestPairRounds
    let train = folds.indices.filter { folds[$0] != 1 }, test = folds.indices.filter { folds[$0] == 1 }
    let model = try fitted.fit(columns.map { $0.selecting(train) }, labels: train.map { labels[$0] }, threads: 1)
    let margins = try model.margins(columns.map { $0.selecting(test) })
    // Binning is learned on all rows in cross-validation and on the fold's rows here: equal on this coarse grid.
    for (i, row) in test.enumerated() { #expect(abs(margins[i] - cv.margins[row]) < 1e-9) }
  }

  @Test("with early stopping (the path above the cross-fitting limit) the pair stage stops on the held-out loss too")
  func earlyStoppedPairs() throws {
    let (columns, labels) = Self.plantedPair(rows: 6_000, seed: 16)
    let configuration = StumpBoost.Configuration(
      rounds: 400, earlyStopping: .init(patience: 20), seed: 5, interactions: 2, interactionRounds: 2_000)
    let model = try configuration.fit(columns, labels: labels, threads: 2)
    let pairs = try #require(model.pairs)
    #expect(pairs.first?.features == [2, 4])
    let rounds = pairs.reduce(0) { $0 + $1.rounds }
    #expect(rounds > 0 && rounds < 2_000, "stopped by the held-out loss, not the limit: \(rounds)")
  }

  @Test("coarse bins: at most 32, neighbouring number bins together, missing alone, common categories kept apart")
  func coarseBins() {
    let numeric = FeatureBinning(name: "x", kind: .numeric(upperEdges: (1...99).map(Double.init)))
    let counts = (0..<numeric.binCount).map { $0 == numeric.missingBin ? 7 : 10 }
    let map = StumpBoost.Pair.coarseBins(numeric, counts: counts, limit: 32)
    #expect(map.count == numeric.binCount)
    #expect(Int(map.max()!) < 32 && map[numeric.missingBin] == map.max()!)
    #expect(zip(map, map.dropFirst()).dropLast().allSatisfy { $0 <= $1 && $1 - $0 <= 1 }, "runs of neighbours")
    let sizes = Dictionary(grouping: map.dropLast(), by: { $0 }).values.map(\.count)
    #expect(sizes.max()! - sizes.min()! <= 2, "about equal rows per coarse bin: \(sizes)")

    let levels = (0..<40).map { "l\($0)" }
    let categorical = FeatureBinning(name: "c", kind: .categorical(levels: levels))
    let frequency = (0..<categorical.binCount).map { $0 < 40 ? 100 - $0 : 1 }
    let cmap = StumpBoost.Pair.coarseBins(categorical, counts: frequency, limit: 32)
    #expect(Set(cmap[0..<30]).count == 30, "the 30 most common levels keep their own cell")
    #expect(Set(cmap[30..<41]).count == 1, "the rest share one")
    #expect(cmap[categorical.missingBin] == 31)
    let small = FeatureBinning(name: "s", kind: .categorical(levels: ["a", "b"]))
    #expect(StumpBoost.Pair.coarseBins(small, counts: [5, 5, 0, 0], limit: 32) == [0, 1, 2, 3])
  }

  @Test("interactions are refused with bags, beyond the limit, and never pair a monotone feature")
  func settings() throws {
    let (columns, labels) = Self.plantedPair(rows: 2_000, seed: 14)
    #expect(throws: LearnError.self) {
      try StumpBoost.Configuration(rounds: 10, bags: 3, interactions: 1).fit(columns, labels: labels)
    }
    #expect(throws: LearnError.self) {
      try StumpBoost.Configuration(rounds: 10, interactions: 101).fit(columns, labels: labels)
    }
    let model = try StumpBoost.Configuration(rounds: 60, monotone: ["c": .increasing], interactions: 3)
      .fit(columns, labels: labels, threads: 2)
    #expect(model.pairs?.allSatisfy { !$0.features.contains(2) } == true)
  }

  @Test("a model with pairs survives encoding; one without writes no interaction keys")
  func coding() throws {
    let (columns, labels) = Self.plantedPair(rows: 2_000, seed: 15)
    let model = try StumpBoost.Configuration(rounds: 40, interactions: 2).fit(columns, labels: labels, threads: 2)
    let decoded = try JSONDecoder().decode(StumpBoost.self, from: JSONEncoder().encode(model))
    #expect(decoded == model)
    let plain = try StumpBoost.Configuration(rounds: 40).fit(columns, labels: labels, threads: 2)
    let text = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
    #expect(!text.contains("interaction") && !text.contains("pairs"))
  }
}
