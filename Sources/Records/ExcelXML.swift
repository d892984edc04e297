import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The base of the SAX readers of a workbook's XML parts: collects the text of the elements a reader asks for and
/// carries the first error out of the parser's callbacks, which cannot throw.
///
/// SAX rather than a DOM: a sheet of 100,000 rows is streamed cell by cell instead of being built as a tree.
///
/// FoundationXML's parser on Linux recovers from malformed XML (a mismatched tag, a document cut short) and may still
/// report success, so every error it reports is taken as a damaged part, and so is a document whose elements are not
/// all closed: a sheet must never silently lose rows.
class ExcelPartReader: NSObject, XMLParserDelegate {
  /// The workbook and the part being read, for messages.
  var file = ""
  var part = ""
  /// The first problem found; parsing is aborted when it is set.
  var failure: ExcelError?
  /// How many elements are open, and whether any was seen: a complete document ends at depth 0 after its root.
  private var depth = 0
  private var sawRoot = false
  /// The text collected since `collecting` was last switched on.
  var text = ""
  /// Whether character data is being collected into `text`.
  var collecting = false

  /// Called with the element's name without its namespace prefix (`x:c` is `c`).
  func start(_ name: Substring, _ attributes: [String: String], _ parser: XMLParser) {}

  /// Called with the element's name without its namespace prefix.
  func end(_ name: Substring, _ parser: XMLParser) {}

  /// Records the first error and stops the parser.
  func fail(_ error: ExcelError, _ parser: XMLParser) {
    if failure == nil { failure = error }
    parser.abortParsing()
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
    attributes attributeDict: [String: String] = [:]
  ) {
    depth += 1
    sawRoot = true
    start(Self.localName(elementName), attributeDict, parser)
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
  ) {
    depth -= 1
    end(Self.localName(elementName), parser)
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
    let code = (parseError as NSError).code
    fail(
      .damaged(file: file, part: part, problem: "is not well-formed XML (line \(parser.lineNumber), error \(code))"),
      parser)
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if collecting { text += string }
  }

  func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
    if collecting { text += String(decoding: CDATABlock, as: UTF8.self) }
  }

  /// `name` without its namespace prefix: most writers use none, some (.NET's) write `x:row`.
  static func localName(_ name: String) -> Substring {
    guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name[...] }
    return name[name.index(after: colon)...]
  }

  /// The value of the attribute whose name without prefix is `local` (`r:id` for `id`), for attributes whose prefix
  /// the writer chose.
  static func attribute(_ local: String, in attributes: [String: String]) -> String? {
    if let value = attributes[local] { return value }
    return attributes.first { localName($0.key) == local && $0.key.contains(":") }?.value
  }

  /// Runs this reader over `data`, one part of workbook `file`.
  /// - Throws: the reader's own `ExcelError`, or `ExcelError.damaged` when the part is not well-formed XML.
  func read(_ data: Data, part: String, file: String) throws {
    self.file = file
    self.part = part
    // Excel writes every part as UTF-8 XML. Anything else is refused before libxml2 sees it: its push parser, which
    // Foundation's XMLParser drives, crashed (a segmentation fault) on a part starting with a UTF-16 mark followed by
    // bytes that are not UTF-16 XML (found by `make fuzz`).
    var start = data.startIndex
    if data.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
    while start < data.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(data[start]) { start += 1 }
    guard start < data.endIndex, data[start] == UInt8(ascii: "<"), !data.contains(0) else {
      throw ExcelError.damaged(
        file: file, part: part,
        problem: "is not UTF-8 XML (Excel writes every part so); open the workbook in Excel and save it again")
    }
    // Excel never writes a document type declaration; one here can only declare entities (expanded, dropped or
    // resolved differently by each XML parser, which silently changed cell text in a trial), so it is refused.
    if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
      throw ExcelError.damaged(
        file: file, part: part,
        problem: "declares a document type or entities, which Excel never writes (a hand-made or hostile file)")
    }
    // From a stream, which the parser reads in 128 KB chunks: given the whole Data at once it pushes it to libxml2 as
    // one chunk, and a part over 10 MB (about 20,000 rows of 10 columns) then fails with libxml2's error 1.
    let parser = XMLParser(stream: InputStream(data: data))
    parser.shouldProcessNamespaces = false
    parser.shouldResolveExternalEntities = false
    parser.delegate = self
    let parsed = parser.parse()
    if let failure { throw failure }
    guard parsed, parser.parserError == nil else {
      let code = parser.parserError.map { ", error \(($0 as NSError).code)" } ?? ""
      throw ExcelError.damaged(
        file: file, part: part, problem: "is not well-formed XML (line \(parser.lineNumber)\(code))")
    }
    guard sawRoot, depth == 0 else {
      throw ExcelError.damaged(file: file, part: part, problem: "ends before its last element is closed (cut short)")
    }
  }
}

/// Text with OOXML's `_xHHHH_` escapes decoded (`_x000D_` is a carriage return, `_x005F_` an underscore): Excel
/// writes characters XML cannot hold this way.
func decodingExcelEscapes(_ text: String) -> String {
  guard text.contains("_x") else { return text }
  let scalars = Array(text.unicodeScalars)
  var out = String.UnicodeScalarView()
  var i = 0
  while i < scalars.count {
    if scalars[i] == "_", i + 6 < scalars.count, scalars[i + 1] == "x", scalars[i + 6] == "_",
      let code = UInt32(String(String.UnicodeScalarView(scalars[i + 2..<i + 6])), radix: 16),
      let scalar = Unicode.Scalar(code)
    {
      out.append(scalar)
      i += 7
    } else {
      out.append(scalars[i])
      i += 1
    }
  }
  return String(out)
}
