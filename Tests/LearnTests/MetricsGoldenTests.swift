import Foundation
import Learn
import TestSupport
import Testing

/// scikit-learn's values written by `Tests/Golden/generate_metrics.py`.
struct MetricsCase: Decodable, Sendable, CustomTestStringConvertible {
  struct Reliability: Decodable, Sendable {
    let observed: [Double]
    let predicted: [Double]
    let counts: [Int]
    let ece: Double
  }
  struct Platt: Decodable, Sendable {
    let a: Double
    let b: Double
  }
  let name: String
  let margins: [Double]
  let labels: [Bool]
  let auc: Double
  let averagePrecision: Double
  let logLoss: Double
  let brier: Double
  let reliability: Reliability
  let threshold: Double
  let precisionAtThreshold: Double
  let recallAtThreshold: Double
  let k: Int
  let precisionAtK: Double
  let recallAtK: Double
  let liftAtK: Double
  let isotonicGrid: [Double]
  let isotonicPredictions: [Double]
  let isotonicAtMargins: [Double]
  let platt: Platt
  var testDescription: String { name }

  var probabilities: [Double] { margins.map(LogisticMath.sigmoid) }

  static let all: [MetricsCase] = {
    struct File: Decodable { let cases: [MetricsCase] }
    let url = Bundle.module.url(forResource: "metrics_golden", withExtension: "json", subdirectory: "Resources")!
    return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
  }()
}

@Suite("Evaluation metrics against scikit-learn")
struct MetricsGoldenTests {
  func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

  @Test("AUC, average precision, log loss and Brier score match to 1e-9", arguments: MetricsCase.all)
  func scores(_ c: MetricsCase) {
    #expect(close(Metrics.auc(scores: c.margins, labels: c.labels), c.auc))
    #expect(close(Metrics.averagePrecision(scores: c.margins, labels: c.labels), c.averagePrecision))
    #expect(close(Metrics.logLoss(margins: c.margins, labels: c.labels), c.logLoss))
    #expect(close(Metrics.brier(probabilities: c.probabilities, labels: c.labels), c.brier))
  }

  @Test("the reliability table and expected calibration error match calibration_curve", arguments: MetricsCase.all)
  func reliability(_ c: MetricsCase) {
    let table = ReliabilityTable(probabilities: c.probabilities, labels: c.labels)
    #expect(table.bins.map(\.count) == c.reliability.counts)
    #expect(zip(table.bins.map(\.observed), c.reliability.observed).allSatisfy { close($0, $1) })
    #expect(zip(table.bins.map(\.predicted), c.reliability.predicted).allSatisfy { close($0, $1) })
    #expect(close(table.expectedCalibrationError, c.reliability.ece))
  }

  @Test("precision, recall and lift at a threshold and at capacity K match", arguments: MetricsCase.all)
  func capacity(_ c: MetricsCase) {
    let atThreshold = Metrics.atThreshold(probabilities: c.probabilities, labels: c.labels, threshold: c.threshold)
    #expect(close(atThreshold.precision, c.precisionAtThreshold) && close(atThreshold.recall, c.recallAtThreshold))
    let atK = Metrics.atCapacity(scores: c.margins, labels: c.labels, k: c.k)
    #expect(close(atK.precision, c.precisionAtK) && close(atK.recall, c.recallAtK) && close(atK.lift, c.liftAtK))
  }

  @Test(
    "isotonic calibration predicts as IsotonicRegression; Platt scaling finds the same coefficients",
    arguments: MetricsCase.all)
  func calibration(_ c: MetricsCase) throws {
    let isotonic = Calibrator.fit(.isotonic, margins: c.margins, labels: c.labels)
    #expect(
      zip(c.isotonicGrid.map { isotonic.probability(margin: $0) }, c.isotonicPredictions).allSatisfy { close($0, $1) })
    #expect(zip(c.margins.map { isotonic.probability(margin: $0) }, c.isotonicAtMargins).allSatisfy { close($0, $1) })
    guard case .platt(let a, let b) = Calibrator.fit(.platt, margins: c.margins, labels: c.labels) else {
      Issue.record("not Platt")
      return
    }
    #expect(close(a, c.platt.a, 1e-7) && close(b, c.platt.b, 1e-7))
  }

  @Test("curves run from the corner points and the bootstrap interval brackets the estimate")
  func curvesAndBootstrap() throws {
    let c = try #require(MetricsCase.all.first)
    let roc = Metrics.rocCurve(scores: c.margins, labels: c.labels)
    #expect(roc.first! == (0, 0) && roc.last! == (1, 1))
    let pr = Metrics.precisionRecallCurve(scores: c.margins, labels: c.labels)
    #expect(pr.last!.x == 1)
    // Trapezoids under the ROC points give the AUC (ties counted one half).
    let area = zip(roc, roc.dropFirst()).reduce(0.0) { $0 + ($1.1.x - $1.0.x) * ($1.1.y + $1.0.y) / 2 }
    #expect(close(area, c.auc))
    let interval = Bootstrap(replicates: 300, seed: 4).interval(rows: c.labels.count) { rows in
      Metrics.auc(scores: rows.map { c.margins[$0] }, labels: rows.map { c.labels[$0] })
    }
    #expect(interval.lower < c.auc && c.auc < interval.upper && interval.upper - interval.lower < 0.15)
    let again = Bootstrap(replicates: 300, seed: 4).interval(rows: c.labels.count) { rows in
      Metrics.auc(scores: rows.map { c.margins[$0] }, labels: rows.map { c.labels[$0] })
    }
    #expect(again == interval, "same seed, same interval")
  }
}
