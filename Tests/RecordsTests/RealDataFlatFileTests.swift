import Foundation
import Testing

@testable import Records

/// What pandas read from each shared real data set (`Tests/Golden/generate_flatfile.py`).
struct RealDataCase: Decodable, Sendable, CustomTestStringConvertible {
  struct Column: Decodable, Sendable {
    var name: String
    var numeric: Bool
    var missing: Int
    var sum: Double?
    var levels: [String]?
  }
  var file: String
  var target: String
  var event: String
  var exclude: [String]
  var rows: Int
  var leftOut: Int
  var events: Int
  var columns: [Column]
  var testDescription: String { file }

  /// `Tests/Data/real`, found from this source file so the tests need no bundle resources.
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/real")

  static let all: [RealDataCase] = {
    struct Document: Decodable { var cases: [RealDataCase] }
    let url = directory.appendingPathComponent("flatfile_expected.json")
    guard let data = try? Data(contentsOf: url), let document = try? JSONDecoder().decode(Document.self, from: data)
    else { return [] }
    return document.cases
  }()
}

@Suite("Flat-file mode on the shared real data sets")
struct RealDataFlatFileTests {
  @Test("the expectations file is present and covers the three data sets")
  func expectationsPresent() {
    #expect(RealDataCase.all.map(\.file).sorted() == ["Benefits.csv", "guImmun.csv", "wa_churn.csv"])
  }

  @Test("rows, events, feature columns, types, missing counts and sums agree with pandas", arguments: RealDataCase.all)
  func agreesWithPandas(_ expected: RealDataCase) throws {
    let path = RealDataCase.directory.appendingPathComponent(expected.file).path
    let (frame, leftOut) = try FlatFile(target: expected.target, event: expected.event, exclude: expected.exclude)
      .frame(path: path)
    #expect(frame.rowCount == expected.rows && leftOut == expected.leftOut)
    #expect(frame.labels!.filter { $0 }.count == expected.events)
    #expect(frame.features.map(\.name) == expected.columns.map(\.name))
    for (column, want) in zip(frame.features, expected.columns) {
      #expect(column.missingCount == want.missing, "\(column.name)")
      switch column.values {
      case .integer(let values), .number(let values):
        #expect(want.numeric, "\(column.name) is numeric here but text to pandas")
        let sum = values.filter { !$0.isNaN }.reduce(0, +)
        #expect(abs(sum - (want.sum ?? .nan)) <= 1e-9 * max(1, abs(sum)), "\(column.name)")
      case .boolean(let values):
        // pandas keeps yes/no and Y/N as text; uptake reads them as booleans. The levels must be a yes/no pair.
        let levels = Set((want.levels ?? []).map { $0.lowercased() })
        #expect(!want.numeric && levels.isSubset(of: ["yes", "no", "y", "n", "true", "false"]), "\(column.name)")
        #expect(values.count == frame.rowCount)
      case .categorical(_, let levels):
        #expect(!want.numeric, "\(column.name) is text here but numeric to pandas")
        #expect(levels.sorted() == want.levels, "\(column.name)")
      case .date:
        Issue.record("\(column.name) read as a date")
      }
    }
  }
}
