import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The sheets of `xl/workbook.xml` in workbook order, and its date system: what a sheet name resolves through.
final class WorkbookPartReader: ExcelPartReader {
  /// A sheet's name and the relationship id that leads to its part.
  struct Sheet { var name: String, relationship: String }
  var sheets: [Sheet] = []
  /// `<workbookPr date1904="1"/>`: serials count from 1904-01-01 (workbooks from old Macs).
  var date1904 = false

  override func start(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
    switch name {
    case "workbookPr":
      date1904 = ["1", "true"].contains(attributes["date1904"]?.lowercased() ?? "")
    case "sheet":
      guard let sheetName = attributes["name"], let id = ExcelPartReader.attribute("id", in: attributes) else { return }
      sheets.append(Sheet(name: decodingExcelEscapes(sheetName), relationship: id))
    default:
      break
    }
  }
}

/// A `.rels` part: where each relationship id of its source part points.
final class RelationshipsPartReader: ExcelPartReader {
  /// A relationship's kind (the last segment of its type URI: `worksheet`, `sharedStrings`, ...) and its target.
  struct Relationship { var kind: Substring, target: String }
  var relationships: [String: Relationship] = [:]

  override func start(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
    guard name == "Relationship", let id = attributes["Id"], let type = attributes["Type"],
      let target = attributes["Target"], attributes["TargetMode"] != "External"
    else { return }
    let kind = type.split(separator: "/").last ?? ""
    relationships[id] = Relationship(kind: kind, target: target)
  }
}

/// `xl/styles.xml`: for each cell style (`s=` on a cell, an index into `cellXfs`), whether it shows a date.
final class StylesPartReader: ExcelPartReader {
  /// Custom number formats by id.
  var formats: [Int: String] = [:]
  /// The number format id of each `cellXfs` entry, in order.
  var styleFormats: [Int] = []
  private var inCellFormats = false

  /// Whether each style shows a date; computed once, looked up per cell.
  var dateStyles: [Bool] {
    var cache: [Int: Bool] = [:]
    return styleFormats.map { id in
      if let known = cache[id] { return known }
      let isDate = ExcelDates.isDate(formatID: id, code: formats[id])
      cache[id] = isDate
      return isDate
    }
  }

  override func start(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
    switch name {
    case "numFmt":
      if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
        formats[id] = code
      }
    case "cellXfs":
      inCellFormats = true
    case "xf" where inCellFormats:
      styleFormats.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
    default:
      break
    }
  }

  override func end(_ name: Substring, _ parser: XMLParser) {
    if name == "cellXfs" { inCellFormats = false }
  }
}

/// `xl/sharedStrings.xml`: the text of each shared string, as UTF-8 bytes ready to be written to CSV.
///
/// A string is the text of its `<t>`, or of its rich-text runs' `<t>` joined; phonetic guides (`<rPh>`, Japanese
/// readings) are not part of the text.
final class SharedStringsPartReader: ExcelPartReader {
  var strings: [[UInt8]] = []
  private var phonetic = 0

  override func start(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {
    switch name {
    case "si":
      text = ""
    case "t":
      collecting = phonetic == 0
    case "rPh":
      phonetic += 1
    case "sst":
      if let count = attributes["uniqueCount"].flatMap({ Int($0) }) { strings.reserveCapacity(min(count, 1 << 20)) }
    default:
      break
    }
  }

  override func end(_ name: Substring, _ parser: XMLParser) {
    switch name {
    case "si":
      strings.append(Array(decodingExcelEscapes(text).utf8))
    case "t":
      collecting = false
    case "rPh":
      phonetic -= 1
    default:
      break
    }
  }
}
