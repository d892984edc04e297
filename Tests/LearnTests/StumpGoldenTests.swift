import Foundation
import Learn
import Testing

/// The LightGBM references written by `Tests/Golden/generate_stumps.py`.
struct StumpGolden: Decodable {
  struct Column: Decodable {
    let name: String
    let kind: String
    let values: [Double?]?
    let codes: [Int32]?
    let levels: [String]?

    var feature: FeatureColumn {
      kind == "numeric"
        ? .numeric(name: name, values: values!.map { $0 ?? .nan })
        : .categorical(name: name, codes: codes!, levels: levels!)
    }
  }
  struct Dataset: Decodable, CustomTestStringConvertible, Sendable {
    let name: String
    let columns: [Column]
    let labels: [Bool]
    let testRows: [Int]
    let lightgbmTestAUC: Double
    let groups: [Int]?
    var testDescription: String { name }

    /// (train, test) as feature columns and labels.
    func split() -> (train: [FeatureColumn], trainLabels: [Bool], test: [FeatureColumn], testLabels: [Bool]) {
      let isTest = Set(testRows)
      let train = (0..<labels.count).filter { !isTest.contains($0) }
      func pick(_ rows: [Int]) -> [FeatureColumn] {
        columns.map { c in
          switch c.feature {
          case .numeric(let n, let v): return .numeric(name: n, values: rows.map { v[$0] })
          case .categorical(let n, let codes, let levels):
            return .categorical(name: n, codes: rows.map { codes[$0] }, levels: levels)
          }
        }
      }
      return (pick(train), train.map { labels[$0] }, pick(testRows), testRows.map { labels[$0] })
    }
  }
  let datasets: [Dataset]

  static let shared: StumpGolden = {
    let url = Bundle.module.url(forResource: "stumps_golden", withExtension: "json", subdirectory: "Resources")!
    return try! JSONDecoder().decode(StumpGolden.self, from: Data(contentsOf: url))
  }()
}

@Suite("Stump ensembles match LightGBM (num_leaves=2) on real data")
struct StumpGoldenTests {
  @Test("test AUC within 0.005 of LightGBM at 300 rounds, learning rate 0.1", arguments: StumpGolden.shared.datasets)
  func auc(_ data: StumpGolden.Dataset) throws {
    let (train, trainLabels, test, testLabels) = data.split()
    let model = try StumpBoost.Configuration(rounds: 300, learningRate: 0.1).fit(train, labels: trainLabels)
    let auc = Metrics.auc(scores: try model.margins(test), labels: testLabels)
    #expect(abs(auc - data.lightgbmTestAUC) <= 0.005, "\(data.name): uptake \(auc), LightGBM \(data.lightgbmTestAUC)")
  }
}
