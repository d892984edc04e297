import Foundation
import Testing

@testable import Learn

@Suite("Stumps: rounds by cross-validation, outer bagging")
struct StumpBaggingTests {
  /// Few distinct values per feature (every one in every fold), so binning on all rows or on a fold's rows agree.
  static func coarseData(rows n: Int, seed: UInt64) -> (columns: [FeatureColumn], labels: [Bool]) {
    var rng = SplitMix64(seed: seed)
    var a: [Double] = [], b: [Double] = [], codes: [Int32] = [], labels: [Bool] = []
    for _ in 0..<n {
      let x = Double(Int(rng.nextUnit() * 12)), z = Double(Int(rng.nextUnit() * 5)), c = Int32(rng.nextUnit() * 4)
      a.append(x)
      b.append(z)
      codes.append(c)
      let eta = 0.25 * x - 1.5 - (z == 2 ? 0.8 : 0) + [0.0, 0.7, -0.4, 0.2][Int(c)]
      labels.append(rng.nextUnit() < 1 / (1 + (-eta).exponential))
    }
    return (
      [
        .numeric(name: "a", values: a), .numeric(name: "b", values: b),
        .categorical(name: "c", codes: codes, levels: ["w", "x", "y", "z"]),
      ], labels
    )
  }

  @Test("cross-validated rounds: the least out-of-fold loss, and each row's margin its fold model's at that round")
  func crossValidatedRounds() throws {
    let (columns, labels) = Self.coarseData(rows: 3_000, seed: 4)
    let folds = GroupSplit.folds(rows: labels.count, groups: nil, count: 4, seed: 9)
    let configuration = StumpBoost.Configuration(rounds: 150, learningRate: 0.5, minRowsPerSide: 5)
    let cv = try configuration.crossValidate(columns, labels: labels, folds: folds, groups: nil, threads: 2)
    #expect(cv.loss.count == 151)
    #expect(cv.loss[cv.bestRounds] == cv.loss.min())
    #expect(cv.bestRounds > 0 && cv.bestRounds < 150, "at learning rate 0.5 the loss turns up: \(cv.bestRounds)")
    let base = LogisticMath.logarithm(Double(labels.filter { $0 }.count) / Double(labels.filter { !$0 }.count))
    #expect(abs(cv.loss[0] - labels.map { LogisticMath.logLoss(base, $0 ? 1 : 0) }.reduce(0, +) / 3_000) < 0.01)
    var fitted = configuration
    fitted.rounds = cv.bestRounds
    for f in 0..<4 {
      let train = folds.indices.filter { folds[$0] != f }, test = folds.indices.filter { folds[$0] == f }
      let model = try fitted.fit(columns.map { $0.selecting(train) }, labels: train.map { labels[$0] }, threads: 1)
      let margins = try model.margins(columns.map { $0.selecting(test) })
      for (i, row) in test.enumerated() { #expect(abs(margins[i] - cv.margins[row]) < 1e-9) }
    }
    #expect(abs(cv.boostedRows - 2_250) < 100, "four folds of 3,000 rows train on about 2,250")
  }

  @Test("a bagged model is the average of its bags: margins, contributions and the spread are exact")
  func baggedAverage() throws {
    let (columns, labels) = Self.coarseData(rows: 2_000, seed: 5)
    let model = try StumpBoost.Configuration(rounds: 60, minRowsPerSide: 5, seed: 3, bags: 6)
      .fit(columns, labels: labels, threads: 2)
    let bags = try #require(model.bags)
    #expect(bags.count == 6)
    let binned = try BinnedMatrix(columns, binnings: model.binnings)
    let margins = model.margins(binned)
    let bagMargins = bags.map { bag in
      (0..<binned.rows).map { i in
        bag.intercept + (0..<3).reduce(0.0) { $0 + bag.tables[$1][Int(binned.bins[$1 * binned.rows + i])] }
      }
    }
    let spread = try #require(model.marginSpread(binned))
    for i in stride(from: 0, to: 2_000, by: 37) {
      let values = bagMargins.map { $0[i] }
      let mean = values.reduce(0, +) / 6
      #expect(abs(margins[i] - mean) < 1e-9)
      let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 5).squareRoot()
      #expect(abs(spread[i] - sd) < 1e-9)
    }
    // Centred on every training row, so contributions average to zero and the bags differ.
    for j in 0..<3 {
      let phi = (0..<binned.rows).map { model.tables[j][Int(binned.bins[j * binned.rows + $0])] }
      #expect(abs(phi.reduce(0, +) / 2_000) < 1e-9)
      #expect(try #require(model.spread(ofFeature: j)).contains { $0 > 0 })
    }
    #expect(Set(bags.map(\.intercept)).count > 1)
  }

  @Test("bags are the same on one thread or two, and their spread shrinks as the rows grow")
  func baggedDeterministicAndShrinking() throws {
    let small = Self.coarseData(rows: 1_000, seed: 6), large = Self.coarseData(rows: 16_000, seed: 6)
    let configuration = StumpBoost.Configuration(rounds: 80, minRowsPerSide: 5, seed: 1, bags: 8)
    let one = try configuration.fit(small.columns, labels: small.labels, threads: 1)
    let two = try configuration.fit(small.columns, labels: small.labels, threads: 2)
    #expect(one == two)
    let big = try configuration.fit(large.columns, labels: large.labels, threads: 2)
    func meanSpread(_ model: StumpBoost, _ columns: [FeatureColumn]) throws -> Double {
      let s = try #require(model.marginSpread(try BinnedMatrix(columns, binnings: model.binnings)))
      return s.reduce(0, +) / Double(s.count)
    }
    let (narrow, wide) = (try meanSpread(big, large.columns), try meanSpread(one, small.columns))
    #expect(narrow < 0.6 * wide, "spread with 16,000 rows \(narrow), with 1,000 \(wide)")
    #expect(try StumpBoost.Configuration(rounds: 10).fit(small.columns, labels: small.labels).bags == nil)
  }

  @Test("a configuration from before bagging decodes as one model and encodes to the same bytes (the checksum's)")
  func olderConfigurationDecodes() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = try encoder.encode(StumpBoost.Configuration(rounds: 7))
    #expect(!String(decoding: json, as: UTF8.self).contains("bags"))
    let decoded = try JSONDecoder().decode(StumpBoost.Configuration.self, from: json)
    #expect(decoded == StumpBoost.Configuration(rounds: 7) && decoded.bags == 1)
    #expect(try encoder.encode(decoded) == json)
    let bagged = try encoder.encode(StumpBoost.Configuration(rounds: 7, bags: 3))
    #expect(try JSONDecoder().decode(StumpBoost.Configuration.self, from: bagged).bags == 3)
  }

  @Test("the order of a categorical feature's level names never changes the model")
  func levelOrderInvariant() throws {
    let (columns, labels) = Self.coarseData(rows: 2_000, seed: 7)
    guard case .categorical(let name, let codes, let levels) = columns[2] else { return }
    // The same data with the dictionary reversed: code k becomes 3 − k.
    let reversed = FeatureColumn.categorical(
      name: name, codes: codes.map { 3 - $0 }, levels: Array(levels.reversed()))
    let configuration = StumpBoost.Configuration(rounds: 100, minRowsPerSide: 5)
    let a = try configuration.fit(columns, labels: labels, threads: 1)
    let b = try configuration.fit([columns[0], columns[1], reversed], labels: labels, threads: 1)
    let ma = try a.margins(columns), mb = try b.margins([columns[0], columns[1], reversed])
    for i in 0..<2_000 { #expect(abs(ma[i] - mb[i]) < 1e-12) }
  }

  @Test("a bag whose share misses the rarer outcome is an error that says to use fewer bags (found by a trial)")
  func bagWithOneOutcome() throws {
    let (columns, _) = Self.coarseData(rows: 100, seed: 8)
    let labels = (0..<100).map { $0 == 41 }
    #expect {
      try StumpBoost.Configuration(rounds: 5, minRowsPerSide: 1, bags: 20).fit(columns, labels: labels, threads: 1)
    } throws: { error in
      "\(error)".contains("has only one outcome; use fewer bags")
    }
  }

  @Test("training keeps one table per feature, not every stump: a bagged model's history still records each round")
  func historyWithoutStumps() throws {
    let (columns, labels) = Self.coarseData(rows: 400, seed: 9)
    let model = try StumpBoost.Configuration(rounds: 2_000, learningRate: 0.5, minRowsPerSide: 5, bags: 3)
      .fit(columns, labels: labels, threads: 2)
    let bags = try #require(model.bags)
    #expect(bags.allSatisfy { $0.history.features.count == $0.history.roundsKept && $0.history.roundsKept > 0 })
    #expect(model.history.features.count == bags.reduce(0) { $0 + $1.history.roundsKept })
  }

  @Test("the model refitted on every row agrees with the fold models: its margins track their out-of-fold margins")
  func refitAgreesWithFolds() throws {
    let (columns, labels) = Self.coarseData(rows: 4_000, seed: 10)
    let folds = GroupSplit.folds(rows: labels.count, groups: nil, count: 5, seed: 3)
    var configuration = StumpBoost.Configuration(rounds: 400, minRowsPerSide: 5)
    let cv = try configuration.crossValidate(columns, labels: labels, folds: folds, groups: nil, threads: 2)
    configuration.rounds = Int((Double(cv.bestRounds) * 4_000 / Double(cv.boostedRows)).rounded())
    let refit = try configuration.fit(columns, labels: labels, threads: 2).margins(columns)
    let n = Double(labels.count)
    let meanGap = zip(refit, cv.margins).reduce(0) { $0 + abs($1.0 - $1.1) } / n
    let r = StumpShapeGoldenTests.correlation(refit, cv.margins)
    #expect(r > 0.98, "correlation \(r)")
    #expect(meanGap < 0.1, "mean |refit − out of fold| \(meanGap) log-odds")
  }
}
