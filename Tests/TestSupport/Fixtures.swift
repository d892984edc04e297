import Foundation

/// A fresh temporary folder, removed by the caller.
public func temporaryFolder(_ name: String) throws -> String {
  let path = NSTemporaryDirectory() + "uptake-\(name)-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// A CSV file as rows of fields (simple: the contact lists quote reasons only when they hold commas).
public func readCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  var records: [[String]] = []
  var field = "", record: [String] = [], quoted = false
  var iterator = Array(text).makeIterator()
  var pending: Character? = nil
  while let c = pending ?? iterator.next() {
    pending = nil
    if quoted {
      if c == "\"" {
        if let next = iterator.next() {
          if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
        } else {
          quoted = false
        }
      } else {
        field.append(c)
      }
    } else if c == "\"" {
      quoted = true
    } else if c == "," {
      record.append(field); field = ""
    } else if c == "\n" {
      record.append(field); records.append(record); record = []; field = ""
    } else {
      field.append(c)
    }
  }
  return (records.first ?? [], Array(records.dropFirst()))
}

/// The shared real data sets copied into the repository for tests.
public let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Data/real").path

/// CSV text as rows of fields (the header first).
public func parseCSV(_ text: String) throws -> (header: [String], rows: [[String]]) {
  let path = NSTemporaryDirectory() + "uptake-parse-\(UUID().uuidString).csv"
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  defer { try? FileManager.default.removeItem(atPath: path) }
  return try readCSV(path)
}
