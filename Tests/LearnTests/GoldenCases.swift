import Foundation
import Learn
import Linalg
import Testing

/// The golden references written by `Tests/Golden/generate_logistic.py` (statsmodels / scikit-learn).
struct GoldenFile: Decodable {
  struct Dataset: Decodable {
    let featureNames: [String]
    let x: [[Double]]
    let y: [Int]
  }
  struct Expected: Decodable {
    let intercept: Double
    let coefficients: [Double]
    let standardErrors: [Double]?
    let standardErrorKind: String?
  }
  struct Case: Decodable, CustomTestStringConvertible, Sendable {
    let name: String
    let note: String
    let dataset: String
    let standardise: Bool
    let penalty: String
    let strength: [String: Double]?
    let l1Ratio: Double
    let classWeight: String
    let sampleWeights: [Double]?
    let expected: Expected
    var testDescription: String { name }
  }
  let versions: [String: String]
  let datasets: [String: Dataset]
  let cases: [Case]

  static let shared: GoldenFile = {
    let url = Bundle.module.url(forResource: "logistic_golden", withExtension: "json", subdirectory: "Resources")!
    return try! JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url))
  }()

  /// The design of a case, standardised as the generator did when asked.
  func design(for c: Case) -> (x: Matrix, labels: [Bool], names: [String]) {
    let d = datasets[c.dataset]!
    var x = Matrix(d.x)
    if c.standardise {
      for j in 0..<x.columns {
        let col = x.column(j)
        let mean = col.reduce(0, +) / Double(col.count)
        let sd = (col.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(col.count)).squareRoot()
        for i in 0..<x.rows { x[i, j] = (x[i, j] - mean) / sd }
      }
    }
    return (x, d.y.map { $0 == 1 }, d.featureNames)
  }

  func configuration(for c: Case) -> LogisticRegression.Configuration {
    let strength: Strength? = c.strength.map { s in s["C"].map(Strength.C) ?? .lambda(s["lambda"]!) }
    let penalty: Penalty
    switch c.penalty {
    case "none": penalty = .none
    case "l2": penalty = .l2(strength!)
    case "l1": penalty = .l1(strength!)
    default: penalty = .elasticNet(strength!, l1Ratio: c.l1Ratio)
    }
    return .init(penalty: penalty, classWeight: c.classWeight == "balanced" ? .balanced : .none, tolerance: 1e-11)
  }
}
