// Reads a CSV with uptake's reader, best of N, and prints one JSON object: csv-bench FILE [REPEATS]
import Records

#if canImport(Glibc)
  import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  print("usage: csv-bench FILE [REPEATS]")
  exit(2)
}
let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
let clock = ContinuousClock()
var best = Double.infinity
var table: Table? = nil
for _ in 0..<repeats {
  let start = clock.now
  table = try CSVReader.read(path: arguments[1])
  let d = clock.now - start
  best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
}
// Sanity: the sum of the first numeric column, for comparison with pandas.
var checksum = 0.0
if let first = table?.columns.first, case .number(let v) = first.values { checksum = v.reduce(0, +) }
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(
  "{\"seconds\": \(best), \"rows\": \(table!.rowCount), \"columns\": \(table!.columns.count), \"checksum\": \(checksum), \"peak_rss_mb\": \(Double(usage.ru_maxrss) / 1024)}"
)
