import Foundation

/// The zip behind a workbook: its parts by name (OPC part names ignore case) and how relationships resolve.
struct WorkbookArchive {
  let path: String
  let archive: ZipReader
  /// Entries by lower-cased path.
  let entries: [String: ZipReader.Entry]

  init(path: String) throws {
    guard FileManager.default.fileExists(atPath: path) else {
      throw ExcelError.unreadable(file: path, reason: "there is no such file")
    }
    do {
      archive = try ZipReader(path: path)
    } catch ZipReader.Problem.notZip(let reason) {
      throw ExcelError.unreadable(file: path, reason: reason)
    }
    var entries: [String: ZipReader.Entry] = [:]
    for entry in archive.entries {
      // Two parts of one name: which one a reader takes is up to it, so the workbook is ambiguous.
      guard entries.updateValue(entry, forKey: entry.name.lowercased()) == nil else {
        throw ExcelError.damaged(file: path, part: entry.name, problem: "is in the archive twice")
      }
    }
    self.path = path
    self.entries = entries
  }

  /// Whether the archive holds `part`.
  func contains(_ part: String) -> Bool { entries[part.lowercased()] != nil }

  /// The bytes of `part`, which the workbook cannot do without.
  /// - Throws: `ExcelError.damaged` when the part is missing or cannot be decompressed.
  func required(_ part: String) throws -> Data {
    guard let entry = entries[part.lowercased()] else {
      throw ExcelError.damaged(file: path, part: part, problem: "is missing")
    }
    // A part is held in memory as it is read. XML compresses about 5 to 20 times; a part that expands more than 200
    // times its compressed size (a "zip bomb": a few kilobytes that inflate to gigabytes, slowly, whatever its header
    // claims), or past a quarter of the memory available, stops with an error instead.
    let byRatio = max(16 << 20, min(entry.compressedSize, Int.max / 400) * 200)
    let limit = min(byRatio, max(16 << 20, (MemoryBudget.available() ?? Int.max) / 4))
    do {
      return try archive.contents(of: entry, limit: limit)
    } catch ZipReader.Problem.tooLarge(let limit) {
      throw ExcelError.damaged(
        file: path, part: part,
        problem: "expands to more than \(limit >> 20) MB, far more than its compressed size or this machine allows "
          + "(a damaged or hostile file); export the sheet as CSV")
    } catch ZipReader.Problem.damagedPart(let problem), ZipReader.Problem.notZip(let problem) {
      throw ExcelError.damaged(file: path, part: part, problem: problem)
    }
  }

  /// The workbook part, as the package's root relationships name it (`xl/workbook.xml` in every workbook seen).
  func officeDocument() throws -> String {
    let fallback = "xl/workbook.xml"
    guard contains("_rels/.rels") else { return fallback }
    let root = try relationships(of: "", required: false)
    guard let target = root.values.first(where: { $0.kind == "officeDocument" })?.target else { return fallback }
    return Self.resolve(target, from: "")
  }

  /// The relationships of `part` (from `dir/_rels/name.rels`), by id.
  func relationships(of part: String, required: Bool) throws -> [String: RelationshipsPartReader.Relationship] {
    let relsPart = Self.relationshipsPart(of: part)
    guard required || contains(relsPart) else { return [:] }
    let reader = RelationshipsPartReader()
    try reader.read(try self.required(relsPart), part: relsPart, file: path)
    return reader.relationships
  }

  /// The part a relationship of kind `kind` points to, else `fallback` if the archive holds it, else nil.
  func related(
    _ kind: String, in relationships: [String: RelationshipsPartReader.Relationship], from part: String,
    fallback: String
  ) -> String? {
    if let target = relationships.values.first(where: { $0.kind == kind })?.target {
      return Self.resolve(target, from: part)
    }
    return contains(fallback) ? fallback : nil
  }

  /// Where the relationships of `part` are kept: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`, the package
  /// itself (`""`) → `_rels/.rels`.
  static func relationshipsPart(of part: String) -> String {
    let folder = folder(of: part)
    let name = part.split(separator: "/").last.map(String.init) ?? ""
    return folder + "_rels/" + name + ".rels"
  }

  /// A relationship target resolved against the folder of its source part (`worksheets/sheet1.xml` from
  /// `xl/workbook.xml` is `xl/worksheets/sheet1.xml`); a target starting with `/` is from the package root.
  static func resolve(_ target: String, from source: String) -> String {
    var segments = target.hasPrefix("/") ? [] : folder(of: source).split(separator: "/")
    for segment in target.split(separator: "/") {
      switch segment {
      case ".": continue
      case "..": _ = segments.popLast()
      default: segments.append(segment)
      }
    }
    return segments.joined(separator: "/")
  }

  /// The folder of a part with its trailing slash (`xl/` for `xl/workbook.xml`), or `""` at the root.
  static func folder(of part: String) -> String {
    guard let slash = part.lastIndex(of: "/") else { return "" }
    return String(part[...slash])
  }
}
