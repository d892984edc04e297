import Records

/// Any bytes given to the CSV reader either parse into a table or throw a `CSVError`; nothing may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let table = try? CSVReader.parse(bytes, source: "fuzz.csv") {
    // Reading every value back exercises the typed columns too.
    for column in table.columns { _ = column.texts(Array(0..<table.rowCount)) }
  }
  return 0
}
