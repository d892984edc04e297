import Foundation
import Linalg
import PropertyBased
import Testing

@testable import Learn

@Suite("Stump ensemble behaviour")
struct StumpBehaviourTests {
  /// `logit p = 2·[x1 > 0.5] − 1.5·[x2 ≤ −1] + 0.3·x3 − 1`, x1 uniform on [0, 1], x2, x3 uniform on [−2, 2].
  static func stepData(rows n: Int, seed: UInt64) -> (columns: [FeatureColumn], labels: [Bool], x: Matrix) {
    var rng = SplitMix64(seed: seed)
    var x = Matrix(rows: n, columns: 4)
    var labels: [Bool] = []
    for i in 0..<n {
      x[i, 0] = rng.nextUnit()
      x[i, 1] = 4 * rng.nextUnit() - 2
      x[i, 2] = 4 * rng.nextUnit() - 2
      x[i, 3] = rng.nextUnit()  // noise
      let eta = (x[i, 0] > 0.5 ? 2.0 : 0) - (x[i, 1] <= -1 ? 1.5 : 0) + 0.3 * x[i, 2] - 1
      labels.append(rng.nextUnit() < 1 / (1 + (-eta).exponential))
    }
    return (FeatureColumn.columns(of: x), labels, x)
  }

  @Test("a step function is recovered: the jump sits at the true threshold with about the true height")
  func stepRecovered() throws {
    let (columns, labels, _) = Self.stepData(rows: 20_000, seed: 1)
    let model = try StumpBoost.Configuration(rounds: 300, learningRate: 0.1).fit(columns, labels: labels)
    let shape = model.tables[0]
    guard case .numeric(let edges) = model.binnings[0].kind else { Issue.record("x1 should be numeric"); return }
    let below = (0..<edges.count).filter { edges[$0] < 0.48 }.map { shape[$0] }
    let above = (0..<edges.count).filter { $0 > 0 && edges[$0 - 1] > 0.52 }.map { shape[$0] }
    let jump = above.reduce(0, +) / Double(above.count) - below.reduce(0, +) / Double(below.count)
    #expect(abs(jump - 2) < 0.3, "jump \(jump), true 2")
    // Flat on each side of the step (within noise), and the noise feature matters least.
    #expect((below.max()! - below.min()!) < 0.5)
    #expect(model.importance[3] < 0.1 * model.importance[0])
  }

  @Test(
    "contributions are exact interventional Shapley values (brute force over all subsets), greedy, cyclic or bagged",
    arguments: [(StumpBoost.Boosting.greedy, 1), (.cyclic, 1), (.greedy, 4)])
  func bruteForceShapley(_ boosting: StumpBoost.Boosting, _ bags: Int) throws {
    let (columns, labels, _) = Self.stepData(rows: 300, seed: 2)
    let model = try StumpBoost.Configuration(rounds: 50, minRowsPerSide: 5, bags: bags, boosting: boosting)
      .fit(columns, labels: labels)
    #expect(model.history.features.count > 0)
    let binned = try BinnedMatrix(columns, binnings: model.binnings)
    let d = model.featureCount
    let background = (0..<binned.rows).map { binned.row($0) }
    /// v(S) = mean over background rows of the margin with features in S taken from `row`.
    func value(_ subset: Int, _ row: [UInt8]) -> Double {
      var total = 0.0
      for b in background {
        let hybrid = (0..<d).map { subset & (1 << $0) != 0 ? row[$0] : b[$0] }
        total += model.intercept + model.contributions(binnedRow: hybrid).reduce(0, +)
      }
      return total / Double(background.count)
    }
    func factorial(_ k: Int) -> Double { k <= 1 ? 1 : Double(k) * factorial(k - 1) }
    for i in [0, 17, 123, 299] {
      let row = binned.row(i)
      let fast = model.contributions(binnedRow: row)
      for j in 0..<d {
        var phi = 0.0
        for subset in 0..<(1 << d) where subset & (1 << j) == 0 {
          let size = subset.nonzeroBitCount
          let weight = factorial(size) * factorial(d - size - 1) / factorial(d)
          phi += weight * (value(subset | (1 << j), row) - value(subset, row))
        }
        #expect(abs(phi - fast[j]) <= 1e-9, "row \(i) feature \(j): brute force \(phi), table \(fast[j])")
      }
      #expect(abs(model.intercept + fast.reduce(0, +) - model.margins(binned)[i]) <= 1e-12)
    }
  }

  @Test(
    "monotone constraints hold on the compiled tables", arguments: [StumpBoost.Monotonicity.increasing, .decreasing])
  func monotone(_ direction: StumpBoost.Monotonicity) throws {
    let (columns, labels, _) = Self.stepData(rows: 5000, seed: 3)
    // x3's true effect is +0.3 per unit; constrain it both ways, and x2 (a downward step) as given.
    let model = try StumpBoost.Configuration(rounds: 200, monotone: ["x3": direction]).fit(columns, labels: labels)
    let k = model.binnings[2].valueBinCount
    let values = Array(model.tables[2][0..<k])
    for b in 1..<k {
      if direction == .increasing {
        #expect(values[b] >= values[b - 1] - 1e-12)
      } else {
        #expect(values[b] <= values[b - 1] + 1e-12)
      }
    }
    if direction == .decreasing { #expect(values.max()! - values.min()! < 0.05, "fighting the data leaves x3 flat") }
  }

  @Test("early stopping keeps the round with the least validation loss")
  func earlyStopping() throws {
    let (columns, labels, _) = Self.stepData(rows: 3000, seed: 4)
    let valid = Self.stepData(rows: 2000, seed: 5)
    let model = try StumpBoost.Configuration(rounds: 2000, learningRate: 0.5, earlyStopping: .init(patience: 30))
      .fit(columns, labels: labels, validation: (valid.columns, valid.labels, nil))
    let losses = model.history.validationLoss
    let best = losses.indices.min { losses[$0] < losses[$1] }!
    #expect(model.history.roundsKept == best + 1)
    #expect(losses.count < 2000, "stopped early")
    #expect(losses.count - model.history.roundsKept == 30)
    // The kept model's validation loss is the minimum.
    let kept = Metrics.logLoss(margins: try model.margins(valid.columns), labels: valid.labels)
    #expect(abs(kept - losses[best]) <= 1e-9)
  }

  @Test("the internal validation split keeps each group on one side")
  func groupedSplit() {
    let groups = (0..<5000).map { $0 / 3 }  // families of three
    let (train, valid) = GroupSplit.split(rows: 5000, groups: groups, fraction: 0.2, seed: 9)
    let trainGroups = Set(train.map { groups[$0] }), validGroups = Set(valid.map { groups[$0] })
    #expect(trainGroups.isDisjoint(with: validGroups))
    #expect(train.count + valid.count == 5000)
    let share = Double(validGroups.count) / Double(trainGroups.count + validGroups.count)
    #expect(abs(share - 0.2) < 0.03)
  }

  @Test("missing values route to the better side or a leaf of their own")
  func missingValues() throws {
    var (columns, labels, x) = Self.stepData(rows: 6000, seed: 6)
    // Make x2 missing for a third of rows, and missingness itself raise the event rate.
    var rng = SplitMix64(seed: 7)
    for i in 0..<x.rows where rng.nextUnit() < 1.0 / 3 {
      x[i, 1] = .nan
      if rng.nextUnit() < 0.5 { labels[i] = true }
    }
    columns = FeatureColumn.columns(of: x)
    let model = try StumpBoost.Configuration(rounds: 200).fit(columns, labels: labels)
    let missing = model.tables[1][model.binnings[1].missingBin]
    let present = model.tables[1][0..<model.binnings[1].valueBinCount]
    #expect(missing > present.max()!, "missing x2 carries the highest risk")
  }

  @Test("categorical features: kept levels, 'other', unseen levels at scoring")
  func categorical() throws {
    var rng = SplitMix64(seed: 8)
    let n = 4000
    let levels = ["english", "polish", "urdu", "somali", "rare"]
    let codes = (0..<n).map { _ -> Int32 in
      let u = rng.nextUnit()
      return u < 0.6 ? 0 : u < 0.75 ? 1 : u < 0.9 ? 2 : u < 0.998 ? 3 : 4
    }
    let labels = codes.map { c in rng.nextUnit() < (c == 0 ? 0.2 : c == 3 ? 0.6 : 0.35) }
    let column = FeatureColumn.categorical(name: "first_language", codes: codes, levels: levels)
    let model = try StumpBoost.Configuration(rounds: 100).fit([column], labels: labels)
    guard case .categorical(let kept) = model.binnings[0].kind else { Issue.record("categorical expected"); return }
    #expect(kept.first == "english" && !kept.contains("rare"))
    let table = model.tables[0]
    #expect(table[kept.firstIndex(of: "somali")!] > table[kept.firstIndex(of: "english")!])
    // New data with a different dictionary and an unseen level.
    let scored = try model.margins([
      .categorical(name: "first_language", codes: [0, 1, -1], levels: ["somali", "tigrinya"])
    ])
    #expect(scored[0] == model.intercept + table[kept.firstIndex(of: "somali")!])
    #expect(scored[1] == model.intercept + table[kept.count])  // unseen → "other"
  }

  @Test("bad settings and bad inputs are refused with what to do")
  func refusals() throws {
    let (columns, labels, _) = Self.stepData(rows: 200, seed: 9)
    let bad: [StumpBoost.Configuration] = [
      .init(rounds: -1), .init(learningRate: 0), .init(maxBins: 300), .init(maxBins: 1), .init(l2: -1),
      .init(minRowsPerSide: 0), .init(monotone: ["nope": .increasing]),
      .init(earlyStopping: .init(patience: 0)), .init(earlyStopping: .init(validationFraction: 1)),
    ]
    for config in bad { #expect(throws: LearnError.self) { try config.fit(columns, labels: labels) } }
    #expect(throws: LearnError.self) {
      try StumpBoost.Configuration(monotone: ["c": .increasing])
        .fit([.categorical(name: "c", codes: [0, 1], levels: ["a", "b"])], labels: [true, false])
    }
    let valid = Self.stepData(rows: 50, seed: 10)
    #expect(throws: LearnError.invalidWeight(row: 3, value: -1)) {
      try StumpBoost.Configuration(rounds: 5, earlyStopping: .init())
        .fit(
          columns, labels: labels,
          validation: (valid.columns, valid.labels, [1, 1, -1] + Array(repeating: 1, count: 47)))
    }
    #expect(throws: LearnError.self) {
      try StumpBoost.Configuration(rounds: 5).fit(columns, labels: labels, validation: (valid.columns, [true], nil))
    }
    let model = try StumpBoost.Configuration(rounds: 5).fit(columns, labels: labels)
    #expect(throws: LearnError.self) { try model.margins(Array(columns.dropLast())) }
    #expect(throws: LearnError.self) { try model.margins(columns.reversed()) }
  }

  @Test("property: probabilities are in (0, 1) and contributions sum to margins on random data")
  func additivityProperty() async throws {
    await propertyCheck(count: 15, input: Gen.int(in: 50...400), Gen.int(in: 0...1000)) { n, seed in
      let (columns, labels, _) = Self.stepData(rows: n, seed: UInt64(seed))
      guard labels.contains(true) && labels.contains(false) else { return }
      let model = try! StumpBoost.Configuration(rounds: 30, minRowsPerSide: 3).fit(columns, labels: labels)
      let binned = try! BinnedMatrix(columns, binnings: model.binnings)
      let margins = model.margins(binned)
      let phi = model.contributions(binned)
      for i in stride(from: 0, to: n, by: 7) {
        let total = (0..<model.featureCount).map { phi[i, $0] }.reduce(0, +)
        #expect(abs(model.intercept + total - margins[i]) <= 1e-12)
      }
      #expect(try! model.probabilities(columns).allSatisfy { $0 > 0 && $0 < 1 })
    }
  }
}

@Suite("Stump stop reasons")
struct StumpStopReasonTests {
  @Test("every stop reason reads back from the sentence a bundle stores, and other text is refused")
  func stopReasonsRoundTrip() throws {
    let reasons: [StumpBoost.StopReason] = [
      .init(.allRoundsTrained(rounds: 300)), .init(.allRoundsTrained(rounds: 300), keptBestRound: 120),
      .init(.noGain(afterRounds: 7)), .init(.noGain(afterRounds: 7), keptBestRound: 5),
      .init(.earlyStopping(patience: 50), keptBestRound: 81),
      .init(.bags(count: 10, fewest: 40, most: 90, earlyStopping: true)),
      .init(.bags(count: 3, fewest: 12, most: 12, earlyStopping: false)),
    ]
    for reason in reasons {
      #expect(StumpBoost.StopReason(parsing: reason.description) == reason, "\(reason)")
      let coded = try JSONEncoder().encode(reason)
      #expect(String(decoding: coded, as: UTF8.self) == "\"\(reason.description)\"")
      #expect(try JSONDecoder().decode(StumpBoost.StopReason.self, from: coded) == reason)
    }
    #expect(
      StumpBoost.StopReason(.earlyStopping(patience: 50), keptBestRound: 81).description
        == "early stopping: no validation improvement for 50 rounds; kept best round 81")
    for text in ["", "all rounds trained", "all 3 rounds trained; kept best round x", "10 bags kept 4 rounds each"] {
      #expect(StumpBoost.StopReason(parsing: text) == nil, "\(text)")
    }
  }
}
