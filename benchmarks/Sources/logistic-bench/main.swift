// Times uptake's logistic regression on the shared synthetic problem and prints one JSON object.
//
//   logistic-bench [--rows N] [--columns P] [--seed S] [--C c] [--tolerance t] [--repeats R] [--threads T]
import Learn
import Linalg

#if canImport(Glibc)
  import Glibc
#endif

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let key = arguments.popFirst() {
  guard key.hasPrefix("--"), let value = arguments.popFirst() else {
    print(
      "usage: logistic-bench [--rows N] [--columns P] [--seed S] [--C c] [--tolerance t] [--repeats R] [--threads T]")
    exit(2)
  }
  options[String(key.dropFirst(2))] = value
}
let rows = Int(options["rows"] ?? "1000000")!
let columns = Int(options["columns"] ?? "50")!
let seed = UInt64(options["seed"] ?? "42")!
let c = Double(options["C"] ?? "1.0")!
let tolerance = Double(options["tolerance"] ?? "1e-8")!
let repeats = Int(options["repeats"] ?? "3")!
let threads = options["threads"].flatMap(Int.init)

let clock = ContinuousClock()
let generationStart = clock.now
let problem = SyntheticProblem(rows: rows, columns: columns, seed: seed)
let generationTime = clock.now - generationStart

// Sanity result before timing: the data must be the ones the Python peer builds.
let checksum = problem.x.storage.reduce(0, +)
let positives = problem.labels.filter { $0 }.count

let configuration = LogisticRegression.Configuration(penalty: .l2(.C(c)), tolerance: tolerance)
var best = Double.infinity
var model: LogisticRegression? = nil
for _ in 0..<repeats {
  let start = clock.now
  model = try configuration.fit(problem.x, labels: problem.labels, threads: threads)
  let elapsed = clock.now - start
  best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}
let fitted = model!
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
let json = """
  {"rows": \(rows), "columns": \(columns), "checksum": \(checksum), "positives": \(positives), \
  "generation_seconds": \(seconds(generationTime)), "fit_seconds": \(best), "solver": "\(fitted.convergence.solver.rawValue)", \
  "iterations": \(fitted.convergence.iterations), "optimality": \(fitted.convergence.optimality), \
  "converged": \(fitted.convergence.converged), "threads": \(threads ?? 0), \
  "intercept": \(fitted.intercept), "coefficients": [\(fitted.coefficients.map { "\($0)" }.joined(separator: ", "))]}
  """
print(json)
