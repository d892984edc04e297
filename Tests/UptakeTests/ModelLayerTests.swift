import Foundation
import Learn
import Records
import Testing

@testable import Uptake

/// A small labelled frame: a numeric feature with missing values, a categorical one with a rare level, a yes/no
/// one, families of one to three children, and a ward per row.
func sampleFrame(rows n: Int = 600, seed: UInt64 = 1) -> FeatureFrame {
  var rng = SplitMix64(seed: seed)
  var distance: [Double] = [], language: [Int32] = [], alone: [Bool?] = [], labels: [Bool] = []
  var families: [String] = [], wards: [Int32] = []
  var family = 0
  for i in 0..<n {
    if rng.nextUnit() < 0.6 { family += 1 }
    families.append("F\(family)")
    let d = rng.nextUnit() * 10
    distance.append(i % 17 == 0 ? .nan : d)
    let l: Int32 = i % 97 == 0 ? 3 : (rng.nextUnit() < 0.3 ? 1 : (rng.nextUnit() < 0.2 ? 2 : 0))
    language.append(l)
    let a = rng.nextUnit() < 0.3
    alone.append(a)
    wards.append(Int32(i % 5))
    let logit = -1.5 + 0.25 * d + (l == 1 ? 0.8 : 0) + (a ? 0.5 : 0)
    labels.append(rng.nextUnit() < 1 / (1 + exp(-logit)))
  }
  return FeatureFrame(
    ids: (0..<n).map { "C\($0)" }, groups: families, asOf: [],
    features: [
      Column(name: "km_to_hub", values: .number(distance)),
      Column(
        name: "language", values: .categorical(codes: language, levels: ["English", "Polish", "Urdu", "Tigrinya"])),
      Column(name: "lone_parent", values: .boolean(alone)),
    ],
    reasons: ["km_to_hub": "{value} km from the nearest hub"], protected: [], labels: labels,
    extras: [Column(name: "ward", values: .categorical(codes: wards, levels: ["W0", "W1", "W2", "W3", "W4"]))])
}

func sampleData(_ frame: FeatureFrame) -> LoadedData {
  LoadedData(
    frame: frame, source: .flatFile(target: "y", event: "1", id: nil, group: nil, exclude: []), leftOut: 0,
    leftOutReason: nil, description: "sample", idName: "id")
}

@Suite("Model bundle, encoding, scoring and explanations")
struct ModelLayerTests {
  @Test("a bundle saved and loaded is equal to the original, for both learners", arguments: LearnerKind.allCases)
  func bundleRoundTrip(_ learner: LearnerKind) throws {
    let bundle = try ModelTrainer.train(sampleData(sampleFrame()), options: .init(learner: learner, threads: 1))
    let path = NSTemporaryDirectory() + "uptake-bundle-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try bundle.save(to: path)
    let loaded = try ModelBundle.load(path: path)
    #expect(loaded == bundle)
    #expect(try loaded.checksum == bundle.checksum)
  }

  @Test(
    "contributions add up to each row's margin, and match the learner's own margins", arguments: LearnerKind.allCases)
  func contributionsAddUp(_ learner: LearnerKind) throws {
    let frame = sampleFrame()
    let bundle = try ModelTrainer.train(sampleData(frame), options: .init(learner: learner, threads: 1))
    let scored = try ScoredData(bundle: bundle, data: sampleData(frame), threads: 1)
    let phi = scored.scores.contributions
    for i in 0..<frame.rowCount {
      let sum = (0..<phi.columns).reduce(scored.scores.baseline) { $0 + phi.storage[$1 * phi.rows + i] }
      #expect(abs(sum - scored.scores.margins[i]) < 1e-9)
    }
    let explanation = Explanation(scored, row: 5)
    #expect(abs(explanation.baseline + explanation.items.reduce(0) { $0 + $1.logOdds } - explanation.margin) < 1e-9)
    #expect(explanation.items.map(\.feature).sorted() == ["km_to_hub", "language", "lone_parent"])
  }

  @Test("scoring memory does not grow with boosting rounds: one table per feature, whatever the rounds")
  func tablesIndependentOfRounds() throws {
    var sizes: [[Int]] = []
    for rounds in [20, 400] {
      let options = TrainingOptions(stumps: .init(rounds: rounds, minRowsPerSide: 5), threads: 1)
      let bundle = try ModelTrainer.train(sampleData(sampleFrame()), options: options)
      guard case .stumps(let model) = bundle.learner else { Issue.record("not stumps"); return }
      sizes.append(model.tables.map(\.count))
    }
    #expect(sizes[0] == sizes[1] && sizes[0].count == 3)
  }

  @Test("the logistic design standardises numbers, marks missing, one-hots levels and pools rare and unseen ones")
  func logisticDesign() {
    let train: [FeatureColumn] = [
      .numeric(name: "x", values: [1, 3, .nan, 5]),
      .categorical(
        name: "c", codes: [0, 0, 0, 1] + Array(repeating: 0, count: 16) + Array(repeating: 1, count: 10) + [2],
        levels: ["a", "b", "rare"]),
    ]
    let numericOnly = LogisticDesign(fitting: [train[0]])
    #expect(numericOnly.columnNames == ["x", "x (missing)"])
    let x = numericOnly.matrix([.numeric(name: "x", values: [3, .nan])])
    // Mean 3 and population sd √(8/3) of the present values; missing sits at the mean with its indicator set.
    #expect(x[0, 0] == 0 && x[1, 0] == 0 && x[0, 1] == 0 && x[1, 1] == 1)
    let design = LogisticDesign(fitting: [train[1]])
    #expect(design.columnNames == ["c=b", "c=other"])
    let m = design.matrix([.categorical(name: "c", codes: [0, 1, 2, 3, -1], levels: ["a", "b", "rare", "new"])])
    #expect((0..<5).map { m[$0, 0] } == [0, 1, 0, 0, 0])
    #expect((0..<5).map { m[$0, 1] } == [0, 0, 1, 1, 0])
  }

  @Test("new data are checked against the schema: a missing feature or a changed kind is an error; new levels a note")
  func schemaChecks() throws {
    let frame = sampleFrame()
    let schema = try FeatureSchema(frame: frame)
    var missing = frame
    missing.features.removeFirst()
    #expect(throws: ModelDataError.self) { try schema.columns(of: missing) }
    var changed = frame
    changed.features[0] = Column(name: "km_to_hub", values: .categorical(codes: [0], levels: ["far"]))
    let error = #expect(throws: ModelDataError.self) { try schema.columns(of: changed) }
    #expect(error?.message.contains("was numeric in training but is categorical here (e.g. \"far\")") == true)
    var unseen = frame
    unseen.features[1] = Column(
      name: "language",
      values: .categorical(codes: [4, 0], levels: ["English", "Polish", "Urdu", "Tigrinya", "Somali"]))
    #expect(try schema.columns(of: unseen).notes.first?.contains("\"Somali\"") == true)
    var dated = frame
    dated.features.append(Column(name: "date_of_birth", values: .date([0])))
    #expect(throws: ModelDataError.self) { try FeatureSchema(frame: dated) }
  }

  @Test(
    "contact lists are ranked by probability and keep capacity per group and one child per family",
    arguments: [(nil, false), (7, false), (3, true), (50, true)] as [(Int?, Bool)])
  func contactList(_ capacity: Int?, _ onePerFamily: Bool) throws {
    let frame = sampleFrame()
    let bundle = try ModelTrainer.train(sampleData(frame), options: .init(threads: 1))
    let scored = try ScoredData(bundle: bundle, data: sampleData(frame), threads: 1)
    for by in [nil, "ward"] as [String?] {
      let list = try ContactList(scored, options: .init(capacity: capacity, by: by, onePerFamily: onePerFamily))
      let p = list.rows.map { scored.probabilities[$0] }
      #expect(zip(p, p.dropFirst()).allSatisfy { $0 >= $1 })
      if onePerFamily {
        #expect(Set(list.rows.map { frame.groups![$0] }).count == list.rows.count)
      }
      if let capacity {
        if by == nil {
          #expect(list.rows.count == min(capacity, list.rows.count) && list.rows.count <= capacity)
        } else {
          let wards = frame.extras[0].texts(list.rows)
          #expect(Dictionary(grouping: wards, by: { $0 }).values.allSatisfy { $0.count <= capacity })
        }
      } else if !onePerFamily {
        #expect(list.rows.count == frame.rowCount)
      }
      // Everyone left out ranks no higher than the last one kept in their group (capacity is by rank).
      if let capacity, by == nil, !onePerFamily, let last = p.last {
        let kept = Set(list.rows)
        #expect((0..<frame.rowCount).filter { !kept.contains($0) }.allSatisfy { scored.probabilities[$0] <= last })
        #expect(list.rows.count == capacity)
      }
    }
  }

  @Test("reasons render the family's own value, yes/no features, and missing values in words")
  func reasons() throws {
    let frame = FeatureFrame(
      ids: ["a", "b", "c"], groups: nil, asOf: [],
      features: [
        Column(name: "km_to_hub", values: .number([4.5, .nan, 2])),
        Column(name: "missed_review", values: .number([1, 0, 1])),
        Column(name: "days_since_session", values: .number([.nan, 3, 400])),
      ],
      reasons: [
        "km_to_hub": "{value} km from the nearest hub", "missed_review": "12-month review not completed",
        "days_since_session": "last session {value} days ago",
      ],
      protected: [], labels: nil, reasonsWhenMissing: ["days_since_session": "no session on record"])
    let schema = try FeatureSchema(frame: frame)
    let text = ReasonText(frame: frame, schema: schema)
    #expect(text.render(feature: 0, row: 0) == "4.5 km from the nearest hub")
    #expect(text.render(feature: 0, row: 1) == "km to hub: not recorded")
    #expect(text.render(feature: 1, row: 0) == "12-month review not completed")
    #expect(text.render(feature: 1, row: 1) == "12-month review not completed: no")
    #expect(text.value(feature: 1, row: 1) == "no")
    #expect(text.render(feature: 2, row: 0) == "no session on record")
    #expect(text.render(feature: 2, row: 2) == "last session 400 days ago")
    #expect(ReasonText.number(0.456) == "0.46" && ReasonText.number(3) == "3")
  }
}
