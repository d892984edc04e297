// Reads a CSV with uptake's reader, best of N, and prints one JSON object: csv-bench FILE [REPEATS]
// Also times the floor any reader has: the file's bytes mapped and every one of them looked at (newlines counted
// with memchr, the file split in two halves on both cores), so the reader's cost is reported as a ratio to it.
import Dispatch
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
/// Seconds to map `path` and count its newlines on both cores: the floor a reader that looks at every byte has.
func byteScanSeconds(_ path: String) -> (seconds: Double, newlines: Int) {
  let fd = open(path, O_RDONLY)
  precondition(fd >= 0, "cannot open \(path)")
  defer { close(fd) }
  var info = stat()
  fstat(fd, &info)
  let size = Int(info.st_size)
  let start = clock.now
  guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { fatalError("mmap") }
  defer { munmap(base, size) }
  nonisolated(unsafe) let bytes = base.assumingMemoryBound(to: UInt8.self)
  nonisolated(unsafe) var counts = [0, 0]
  counts.withUnsafeMutableBufferPointer { out in
    nonisolated(unsafe) let out = out
    DispatchQueue.concurrentPerform(iterations: 2) { half in
      var p = bytes + size * half / 2
      let end = bytes + size * (half + 1) / 2
      var count = 0
      while p < end, let hit = memchr(p, 0x0A, end - p) {
        count += 1
        p = hit.assumingMemoryBound(to: UInt8.self) + 1
      }
      out[half] = count
    }
  }
  let d = clock.now - start
  return (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, counts[0] + counts[1])
}
var scan = (seconds: Double.infinity, newlines: 0)
for _ in 0..<repeats {
  let s = byteScanSeconds(arguments[1])
  if s.seconds < scan.seconds { scan = s }
}

// Sanity: the sum of the first numeric column, for comparison with pandas.
var checksum = 0.0
if let first = table?.columns.first, case .number(let v) = first.values { checksum = v.reduce(0, +) }
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(
  "{\"seconds\": \(best), \"rows\": \(table!.rowCount), \"columns\": \(table!.columns.count), \"checksum\": \(checksum), \"peak_rss_mb\": \(Double(usage.ru_maxrss) / 1024), \"byte_scan_seconds\": \(scan.seconds), \"newlines\": \(scan.newlines)}"
)
