import Foundation
import Learn
import Linalg
import Testing

/// What the conformance suite needs from a learner. Every learner in `Learn` gets a conformer here.
struct ConformingLearner: Sendable, CustomTestStringConvertible {
  let name: String
  /// True when NaN means "missing" to the learner (it bins missing values) rather than bad input.
  var handlesMissing = false
  /// Fits and returns the model encoded as JSON (so any Codable model compares), and margins on the design.
  let fit:
    @Sendable (_ x: Matrix, _ labels: [Bool], _ seed: UInt64, _ threads: Int?) throws -> (json: Data, margins: [Double])
  var testDescription: String { name }

  static func logistic(_ name: String, _ configuration: LogisticRegression.Configuration) -> ConformingLearner {
    ConformingLearner(name: "logistic \(name)") { x, labels, _, threads in
      let model = try configuration.fit(x, labels: labels, threads: threads)
      let encoder = JSONEncoder()
      encoder.outputFormatting = .sortedKeys
      let json = try encoder.encode(model)
      #expect(try JSONDecoder().decode(LogisticRegression.self, from: json) == model, "Codable round trip")
      return (json, model.margins(x))
    }
  }

  static func stumps(_ name: String, _ configuration: StumpBoost.Configuration) -> ConformingLearner {
    ConformingLearner(name: "stumps \(name)", handlesMissing: true) { x, labels, seed, threads in
      var config = configuration
      config.seed = seed
      let model = try config.fit(FeatureColumn.columns(of: x), labels: labels, threads: threads)
      let encoder = JSONEncoder()
      encoder.outputFormatting = .sortedKeys
      let json = try encoder.encode(model)
      #expect(try JSONDecoder().decode(StumpBoost.self, from: json) == model, "Codable round trip")
      return (json, try model.margins(x))
    }
  }

  static let all: [ConformingLearner] = [
    .stumps("default", .init(rounds: 60)),
    .stumps("early stopping", .init(rounds: 80, earlyStopping: .init(patience: 5))),
    .stumps("monotone, l2, balanced", .init(rounds: 40, l2: 1, monotone: ["x1": .increasing], classWeight: .balanced)),
    .stumps("cyclic", .init(rounds: 60, boosting: .cyclic)),
    .stumps("bagged", .init(rounds: 40, bags: 3)),
    .logistic("unpenalised", .init()),
    .logistic("ridge", .init(penalty: .l2(.C(1)))),
    .logistic("lasso", .init(penalty: .l1(.lambda(0.01)))),
    .logistic("elastic net", .init(penalty: .elasticNet(.C(0.5), l1Ratio: 0.3))),
    .logistic("ridge lbfgs", .init(penalty: .l2(.C(1)), solver: .lbfgs)),
    .logistic("balanced", .init(penalty: .l2(.C(1)), classWeight: .balanced)),
  ]
}

@Suite("Learner conformance")
struct LearnerConformanceTests {
  static let data = TestData(rows: 3000, columns: 5, seed: 11)

  @Test("fitting twice gives identical output", arguments: ConformingLearner.all)
  func deterministic(_ learner: ConformingLearner) throws {
    let a = try learner.fit(Self.data.x, Self.data.labels, 1, nil)
    let b = try learner.fit(Self.data.x, Self.data.labels, 1, nil)
    #expect(a.json == b.json)
    #expect(a.margins == b.margins)
  }

  @Test("a seed fixes everything, at any thread count", arguments: ConformingLearner.all)
  func seedAndThreads(_ learner: ConformingLearner) throws {
    let one = try learner.fit(Self.data.x, Self.data.labels, 7, 1)
    let oneAgain = try learner.fit(Self.data.x, Self.data.labels, 7, 1)
    let two = try learner.fit(Self.data.x, Self.data.labels, 7, 2)
    #expect(one.json == oneAgain.json, "same seed and thread count must be bitwise identical")
    // Across thread counts only rounding may differ.
    #expect(zip(one.margins, two.margins).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0)) })
  }

  @Test("one row is a clear one-class error, not a crash", arguments: ConformingLearner.all)
  func singleRow(_ learner: ConformingLearner) {
    let x = Matrix([[1, 2, 3, 4, 5]])
    #expect(throws: LearnError.oneClassOnly(positive: true)) { try learner.fit(x, [true], 1, nil) }
  }

  @Test("one class only is a clear error", arguments: ConformingLearner.all)
  func oneClass(_ learner: ConformingLearner) {
    let labels = [Bool](repeating: false, count: Self.data.x.rows)
    #expect(throws: LearnError.oneClassOnly(positive: false)) { try learner.fit(Self.data.x, labels, 1, nil) }
  }

  @Test("a constant column is harmless", arguments: ConformingLearner.all)
  func constantColumn(_ learner: ConformingLearner) throws {
    var x = Self.data.x
    for i in 0..<x.rows { x[i, 2] = 4.5 }
    let fitted = try learner.fit(x, Self.data.labels, 1, nil)
    #expect(fitted.margins.allSatisfy { $0.isFinite })
  }

  @Test(
    "NaN or infinite input is an error naming the column and row (NaN is missing to binning learners)",
    arguments: ConformingLearner.all)
  func nonFinite(_ learner: ConformingLearner) throws {
    for bad in learner.handlesMissing ? [Double.infinity, -.infinity] : [Double.nan, .infinity, -.infinity] {
      var x = Self.data.x
      x[41, 3] = bad
      #expect {
        try learner.fit(x, Self.data.labels, 1, nil)
      } throws: { error in
        guard case LearnError.nonFinite(let column, let row, _) = error else { return false }
        return column == "x4" && row == 42 && "\(error)".contains("column x4, row 42")
      }
    }
  }

  @Test(
    "an all-missing feature: ignored by binning learners, a clear error for the others",
    arguments: ConformingLearner.all)
  func allMissing(_ learner: ConformingLearner) throws {
    var x = Self.data.x
    for i in 0..<x.rows { x[i, 0] = .nan }
    if learner.handlesMissing {
      let fitted = try learner.fit(x, Self.data.labels, 1, nil)
      #expect(fitted.margins.allSatisfy { $0.isFinite })
      return
    }
    #expect {
      try learner.fit(x, Self.data.labels, 1, nil)
    } throws: { error in
      guard case LearnError.nonFinite(let column, let row, _) = error else { return false }
      return column == "x1" && row == 1
    }
  }
}

/// Every learner through the `Learner` protocol, on features as `uptake` gives them (numbers with missing values, a
/// categorical column): the model it returns is additive, exactly.
@Suite("Learner protocol conformance")
struct LearnerProtocolTests {
  enum Case: String, CaseIterable, Sendable {
    case stumps, cyclicStumps, baggedStumps, ridge, lasso

    func model(_ columns: [FeatureColumn], _ labels: [Bool], groups: [Int]) throws -> any AdditiveModel {
      func fit<L: Learner>(_ learner: L) throws -> any AdditiveModel {
        try learner.fit(columns, labels: labels, weights: nil, groups: groups, threads: 2, progress: nil)
      }
      switch self {
      case .stumps: return try fit(StumpBoost.Configuration(rounds: 60))
      case .cyclicStumps: return try fit(StumpBoost.Configuration(rounds: 60, boosting: .cyclic))
      case .baggedStumps: return try fit(StumpBoost.Configuration(rounds: 40, bags: 3))
      case .ridge: return try fit(LogisticRegression.Configuration(penalty: .l2(.C(1))))
      case .lasso: return try fit(LogisticRegression.Configuration(penalty: .l1(.C(0.5))))
      }
    }
  }

  static func data() -> (columns: [FeatureColumn], labels: [Bool], groups: [Int]) {
    var rng = SplitMix64(seed: 21)
    var a: [Double] = [], b: [Double] = [], codes: [Int32] = [], labels: [Bool] = [], groups: [Int] = []
    for i in 0..<1_500 {
      let x = rng.nextUnit() < 0.1 ? Double.nan : 4 * rng.nextUnit() - 2
      let z = rng.nextUnit(), c = Int32(rng.nextUnit() * 3)
      a.append(x)
      b.append(z)
      codes.append(rng.nextUnit() < 0.05 ? -1 : c)
      let eta = (x.isNaN ? 0.5 : 0.8 * x) - z + [0.0, 0.6, -0.5][Int(c)]
      labels.append(rng.nextUnit() < 1 / (1 + (-eta).exponential))
      groups.append(i / 3)
    }
    return (
      [
        .numeric(name: "a", values: a), .numeric(name: "b", values: b),
        .categorical(name: "c", codes: codes, levels: ["p", "q", "r"]),
      ], labels, groups
    )
  }

  @Test(
    "margins equal the scores' margins, and the baseline plus each feature's contribution is every margin",
    arguments: Case.allCases)
  func additive(_ learner: Case) throws {
    let (columns, labels, groups) = Self.data()
    let model = try learner.model(columns, labels, groups: groups)
    let scores = try model.scores(columns, threads: 1)
    let margins = try model.margins(columns, threads: 2)
    #expect(scores.contributions.rows == 1_500 && scores.contributions.columns == 3)
    for i in 0..<1_500 {
      #expect(abs(margins[i] - scores.margins[i]) <= 1e-12 * max(1, abs(margins[i])))
      let sum = scores.baseline + (0..<3).reduce(0.0) { $0 + scores.contributions[i, $1] }
      #expect(abs(sum - scores.margins[i]) <= 1e-9)
    }
    // The model learned something, and says what it is.
    #expect(Metrics.auc(scores: margins, labels: labels) > 0.65)
    #expect(!model.summary.isEmpty)
    #expect((scores.marginSpread != nil) == (learner == .baggedStumps))
  }
}
