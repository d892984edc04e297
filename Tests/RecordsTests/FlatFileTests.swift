import Foundation
import Testing

@testable import Records

@Suite("Flat-file mode")
struct FlatFileTests {
  static let text = "id,outcome,age,family,note\nA,yes,30,f1,x\nB,,41,f1,y\nC,no,NA,f2,z\nD,yes,25,f3,\n"

  func table() throws -> Table {
    try CSVReader.parse(Array(Self.text.utf8), source: "flat.csv", types: ["outcome": .categorical])
  }

  @Test("the target names the outcome; rows without it are left out and counted; other columns are features")
  func frame() throws {
    let (frame, leftOut) = try FlatFile(target: "outcome", event: "yes", id: "id", group: "family", exclude: ["note"])
      .frame(table())
    #expect(leftOut == 1)
    #expect(frame.ids == ["A", "C", "D"] && frame.groups! == ["f1", "f2", "f3"])
    #expect(frame.labels! == [true, false, true])
    #expect(frame.features.map(\.name) == ["age"])
  }

  @Test("without an id column, ids are 1-based data-row numbers")
  func rowNumbers() throws {
    let (frame, _) = try FlatFile(target: "outcome", event: "no").frame(table())
    #expect(frame.ids == ["1", "3", "4"])
  }

  @Test("a wrong target or event value is a clear error")
  func errors() throws {
    #expect {
      try FlatFile(target: "outcom", event: "yes").frame(table())
    } throws: { "\($0)".contains("has no column outcom; did you mean outcome?") }
    #expect {
      try FlatFile(target: "outcome", event: "maybe").frame(table())
    } throws: { "\($0)".contains("never holds maybe") && "\($0)".contains("no, yes") }
  }
}
