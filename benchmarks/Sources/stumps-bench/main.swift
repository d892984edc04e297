// Times uptake's stump ensemble on the shared synthetic problem (80/20 split) and prints one JSON object.
//
//   stumps-bench [--rows N] [--columns P] [--seed S] [--rounds R] [--threads T]
import Learn
import Linalg

#if canImport(Glibc)
  import Glibc
#endif

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let key = arguments.popFirst() {
  guard key.hasPrefix("--"), let value = arguments.popFirst() else {
    print("usage: stumps-bench [--rows N] [--columns P] [--seed S] [--rounds R] [--threads T]")
    exit(2)
  }
  options[String(key.dropFirst(2))] = value
}
let n = Int(options["rows"] ?? "1000000")!
let p = Int(options["columns"] ?? "50")!
let seed = UInt64(options["seed"] ?? "42")!
let rounds = Int(options["rounds"] ?? "300")!
let threads = options["threads"].flatMap(Int.init)

/// The problem of `benchmarks/logistic.py` (see logistic-bench's SyntheticProblem), written straight into feature
/// columns so the process holds one copy of the data, as the Python peers do.
func generate() -> (
  train: [FeatureColumn], trainLabels: [Bool], test: [FeatureColumn], testLabels: [Bool], checksum: Double
) {
  var rng = SplitMix64(seed: seed)
  var columns = [[Double]](repeating: [Double](repeating: 0, count: n), count: p)
  let beta = (0..<p).map { 0.1 * Double(($0 % 7) - 3) }
  var eta = [Double](repeating: -1, count: n)
  var checksum = 0.0
  for i in 0..<n {
    var previous = 0.0
    for j in 0..<p {
      let scaled = (2 * rng.nextUnit() - 1) * Double(1 + j % 5)
      let value = j == 0 ? scaled : scaled + 0.3 * previous
      columns[j][i] = value
      previous = value
    }
  }
  for j in 0..<p { for i in 0..<n { eta[i] += beta[j] * columns[j][i]; checksum += columns[j][i] } }
  let labels = eta.map { e in rng.nextUnit() < 1 / (1 + exp(-e)) }
  let cut = n * 4 / 5
  let train = (0..<p).map { FeatureColumn.numeric(name: "x\($0 + 1)", values: Array(columns[$0][..<cut])) }
  let test = (0..<p).map { FeatureColumn.numeric(name: "x\($0 + 1)", values: Array(columns[$0][cut...])) }
  return (train, Array(labels[..<cut]), test, Array(labels[cut...]), checksum)
}

let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
let data = generate()

let fitStart = clock.now
let model = try StumpBoost.Configuration(rounds: rounds, learningRate: 0.1, maxBins: 255)
  .fit(data.train, labels: data.trainLabels, threads: threads)
let fitTime = seconds(clock.now - fitStart)

let scoreStart = clock.now
let margins = try model.margins(data.test, threads: threads)
let scoreTime = seconds(clock.now - scoreStart)

let contribStart = clock.now
let binned = try BinnedMatrix(data.test, binnings: model.binnings, threads: threads)
let phi = model.contributions(binned)
let contribTime = seconds(clock.now - contribStart)
// Sanity: contributions and intercept reproduce the margins.
var worst = 0.0
for i in stride(from: 0, to: binned.rows, by: 997) {
  var s = model.intercept
  for j in 0..<p { s += phi[i, j] }
  worst = max(worst, abs(s - margins[i]))
}

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let auc = Metrics.auc(scores: margins, labels: data.testLabels)
print(
  """
  {"rows": \(n), "columns": \(p), "checksum": \(data.checksum), "fit_seconds": \(fitTime), \
  "score_seconds": \(scoreTime), "contrib_seconds": \(contribTime), "test_auc": \(auc), \
  "rounds_kept": \(model.history.roundsKept), "peak_rss_mb": \(Double(usage.ru_maxrss) / 1024), \
  "contrib_check": \(worst)}
  """)
