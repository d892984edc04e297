import Foundation
import Records

/// A contact list's columns and how it is written: CSV for tools, or an `.xlsx` workbook for an outreach team, with
/// one sheet per `--by` group and a sheet saying how to read it.
extension ContactList {
  /// One cell, typed so that CSV gets exact numbers and a workbook gets numbers it can sort.
  enum Cell {
    case text(String)
    case integer(Int)
    case decimal(Double, Int)
    case day(Day)
    case missing

    var excel: ExcelWriter.Cell {
      switch self {
      case .integer, .decimal: return .number(string)
      default: return .text(string)
      }
    }

    var string: String {
      switch self {
      case .text(let s): return s
      case .integer(let n): return String(n)
      case .decimal(let x, let decimals): return String(format: "%.\(decimals)f", x)
      case .day(let d): return d.description
      case .missing: return ""
      }
    }
  }

  /// A column: its name as an identifier, in words, what it means, and its cell for the `k`-th listed row.
  struct ListColumn {
    var name: String
    var friendly: String
    var meaning: String
    var cell: (_ k: Int, _ row: Int) -> Cell
  }

  /// The outcome in words: "no funded place" (linked records), or "y = yes" (a flat file).
  var outcomeWords: String {
    if let name = scored.data.outcomeName { return ReasonText.humanised(name) }
    if let flat = scored.bundle.source.flatFile { return "\(flat.target) = \(flat.event)" }
    return "the outcome"
  }

  /// A column name as a heading: `child_id` → "Child ID", `lsoa` → "LSOA", `eligible_2yo_from` → "Eligible 2yo from".
  static func capitalised(_ text: String) -> String {
    let acronyms: Set<String> = ["id", "lsoa", "msoa", "imd", "nhs", "upn", "uprn", "eal", "hv"]
    let words = text.split(separator: " ", omittingEmptySubsequences: false).map { word in
      acronyms.contains(word.lowercased()) ? word.uppercased() : String(word)
    }
    let joined = words.joined(separator: " ")
    return joined.prefix(1).uppercased() + joined.dropFirst()
  }

  /// rank, rank_in_<by>, id, family_id, probability (and its range, from a bagged model), <by>, <anchor date>,
  /// age_months, list columns, reason_1…N.
  var columns: [ListColumn] {
    let frame = scored.data.frame
    let p = scored.probabilities
    var columns: [ListColumn] = [
      ListColumn(
        name: "rank", friendly: "Rank",
        meaning: "1 is the highest chance of \(outcomeWords) on the whole list"
      ) { k, _ in .integer(k + 1) }
    ]
    let byColumn = options.by.flatMap { by in frame.extras.first { $0.name == by } }
    if let byColumn, let groupRanks {
      let words = ReasonText.humanised(byColumn.name)
      columns.append(
        ListColumn(
          name: "rank_in_\(byColumn.name)", friendly: "Rank in \(words)",
          meaning: "1 is the highest chance of \(outcomeWords) within the \(unit.singular)'s \(words)"
        ) { k, _ in
          .integer(groupRanks[k])
        })
    }
    let idName = scored.data.idName
    columns.append(
      ListColumn(
        name: idName, friendly: Self.capitalised(ReasonText.humanised(idName)),
        meaning: "the \(unit.singular)'s id in the records (look the family up in the council's own systems)"
      ) { _, row in
        .text(frame.ids[row])
      })
    if let groups = frame.groups {
      // Named as the records name it (`family_id`, `household_ref`), so the team can look it up.
      let name = scored.data.groupName ?? "family_id"
      columns.append(
        ListColumn(
          name: name, friendly: Self.capitalised(ReasonText.humanised(name)),
          meaning: "the family's id in the records"
        ) { _, row in .text(groups[row]) })
    }
    let percent = options.percent
    columns.append(
      ListColumn(
        name: "probability", friendly: "Chance of \(outcomeWords)",
        meaning: "the model's estimate, from past records, of the chance of \(outcomeWords)"
          + (percent ? ", as a percentage" : ", from 0 to 1")
      ) { _, row in percent ? .text(String(format: "%.1f%%", p[row] * 100)) : .decimal(p[row], 4) })
    if let ranges = scored.probabilityRanges, case .stumps(let model) = scored.bundle.learner {
      let spread =
        "across the \(model.configuration.bags) bagged models (two standard deviations either side): how much the "
        + "estimate moves with the sample the model was trained on, not every source of error"
      for (name, friendly, end) in [("probability_low", "Low", "lower"), ("probability_high", "High", "upper")] {
        columns.append(
          ListColumn(
            name: name, friendly: "\(friendly) estimate", meaning: "the \(end) end of the chance's range \(spread)"
          ) { _, row in
            let x = end == "lower" ? ranges[row].lowerBound : ranges[row].upperBound
            return percent ? .text(String(format: "%.1f%%", x * 100)) : .decimal(x, 4)
          })
      }
    }
    if let arms {
      columns.append(
        ListColumn(
          name: "arm", friendly: "Contact or hold back",
          meaning:
            "contact: contact this \(unit.singular); hold_back: do not contact for now — chosen at random within "
            + "the \(unit.singular)'s group and risk band, so that comparing the two later measures what contact does"
        ) { k, _ in .text(arms[k].rawValue) })
    }
    if scored.bundle.schema.features.contains(where: { $0.action != nil }) {
      let suggestions = actions.suggestions
      columns.append(
        ListColumn(
          name: "suggested_action", friendly: "Suggested action",
          meaning: "what outreach could offer: the action of the modifiable feature (modifiable: in uptake.yaml) that "
            + "raises this \(unit.singular)'s chance most; blank when none does"
        ) { k, _ in suggestions[k].map { .text($0.action) } ?? .missing })
      columns.append(
        ListColumn(
          name: "what_if", friendly: "Chance if it changed",
          meaning: "the model's chance with that feature at its most common value: an association in the model, not "
            + "an estimate of what acting would do (families who use a service differ in ways the records do not show)"
        ) { k, _ in
          suggestions[k].map { percent ? .text(String(format: "%.1f%%", $0.whatIf * 100)) : .decimal($0.whatIf, 4) }
            ?? .missing
        })
    }
    if let byColumn {
      columns.append(
        ListColumn(
          name: byColumn.name, friendly: Self.capitalised(ReasonText.humanised(byColumn.name)),
          meaning: "the group the list is split by"
        ) { _, row in .text(ReasonText.format(byColumn, row: row)) })
    }
    if let anchor = frame.anchor {
      columns.append(
        ListColumn(
          name: anchor.name, friendly: Self.capitalised(ReasonText.humanised(anchor.name)),
          meaning:
            "the date the \(unit.singular)'s prediction counts from (the records used end \(-anchor.offsetDays) days "
            + "before it)"
        ) { _, row in frame.anchorDay(row).map { .day($0) } ?? .missing })
    }
    if let age = frame.ageFeature.flatMap(frame.feature), let months = Self.numbers(age) {
      columns.append(
        ListColumn(name: "age_months", friendly: "Age (months)", meaning: "the child's age in whole months then") {
          _, row in months[row].isNaN ? .missing : .integer(Int(months[row]))
        })
    }
    for extra in frame.extras where extra.name != options.by {
      columns.append(
        ListColumn(
          name: extra.name, friendly: Self.capitalised(ReasonText.humanised(extra.name)),
          meaning: "from the records (list_columns: in uptake.yaml, or --columns)"
        ) { _, row in
          .text(ReasonText.format(extra, row: row))
        })
    }
    return columns
  }

  static func numbers(_ column: Column) -> [Double]? {
    switch column.values {
    case .integer(let v), .number(let v): return v
    default: return nil
    }
  }

  /// The header row, as identifiers or in words.
  var header: [String] {
    columns.map { options.friendlyHeaders ? $0.friendly : $0.name }
      + (0..<options.reasons).map { options.friendlyHeaders ? "Reason \($0 + 1)" : "reason_\($0 + 1)" }
  }

  /// Every listed row's cells, in rank order, reasons last.
  func forEachRow(_ body: ([Cell]) -> Void) {
    let columns = self.columns
    let text = ReasonText(frame: scored.data.frame, schema: scored.bundle.schema, pairs: scored.scores.pairs)
    let n = scored.scores.rowCount
    let count = options.reasons
    // Reasons found and rendered in the order rows sit in memory, not in rank order: rank order jumps across every
    // feature column, a cache miss per value read.
    let inMemoryOrder = rows.enumerated().sorted(by: { $0.element < $1.element })
    let top = scored.scores.contributions.storage.withUnsafeBufferPointer {
      Self.topFeatures($0, rows: n, listed: inMemoryOrder.map(\.element), count: count)
    }
    var reasons = [Cell](repeating: .missing, count: rows.count * count)
    for (slot, (k, row)) in inMemoryOrder.enumerated() {
      for i in 0..<count {
        let feature = top[slot * count + i]
        if feature >= 0 { reasons[k * count + i] = .text(text.render(term: Int(feature), row: row)) }
      }
    }
    for (k, row) in rows.enumerated() {
      body(columns.map { $0.cell(k, row) } + reasons[k * count..<(k + 1) * count])
    }
  }

  /// Writes the list as CSV, atomically (`-`: standard output). Text a spreadsheet would run as a formula is
  /// neutralised by the writer.
  public func write(to path: String) throws {
    let writer = try CSVWriter(path: path, header: header)
    forEachRow { cells in
      for cell in cells {
        switch cell {
        case .text(let s): writer.field(s)
        case .integer(let n): writer.field(n)
        case .decimal(let x, let decimals): writer.field(x, decimals: decimals)
        case .day(let d): writer.field(d)
        case .missing: writer.missing()
        }
      }
      writer.endRow()
    }
    try writer.finish()
  }

  /// Writes the list as an `.xlsx` workbook: a "How to read this list" sheet first, then the list, one sheet per
  /// `--by` group (in the order of their names) or one sheet in all. `about` adds lines to the first sheet (the
  /// model, the data, the date).
  public func writeWorkbook(to path: String, about: [(String, String)]) throws {
    var rowsByGroup: [String: [[ExcelWriter.Cell]]] = [:]
    let groups = Self.groupValues(scored, options)
    var k = 0
    forEachRow { cells in
      let key = groups.map { $0[rows[k]] } ?? ""
      // Typed: an id such as 1E5 or 00123 stays text; only counts, ranks and probabilities are numbers.
      rowsByGroup[key, default: []].append(cells.map(\.excel))
      k += 1
    }
    let header = self.header
    let widths = header.enumerated().map { i, name in
      i >= header.count - options.reasons ? 60.0 : Double(min(max(name.count + 2, 10), 40))
    }
    var taken: Set<String> = ["how to read this list"]
    var sheets = [
      ExcelWriter.Sheet(
        name: "How to read this list", rows: guide(about: about).map { $0.map(ExcelWriter.Cell.text) },
        widths: [28, 110])
    ]
    for key in rowsByGroup.keys.sorted() {
      let title = groups == nil ? "Contact list" : (key.isEmpty ? "(no \(options.by!))" : key)
      let name = ExcelWriter.sheetName(title, taken: taken)
      taken.insert(name.lowercased())
      sheets.append(
        ExcelWriter.Sheet(name: name, rows: [header.map(ExcelWriter.Cell.text)] + rowsByGroup[key]!, widths: widths))
    }
    if rows.isEmpty {
      sheets.append(
        ExcelWriter.Sheet(name: "Contact list", rows: [header.map(ExcelWriter.Cell.text)], widths: widths))
    }
    try ExcelWriter.write(sheets: sheets, to: path)
  }

  /// The first sheet: what the list is, each column, what the reasons are and are not.
  func guide(about: [(String, String)]) -> [[String]] {
    var lines: [[String]] = [
      ["How to read this list", "What the list on the other sheets is, and what each of its columns means"],
      [
        "What it is",
        "\(unit.capitalizedPlural) ranked by the model's chance of \(outcomeWords), highest first"
          + (options.by.map { ", on one sheet per \(ReasonText.humanised($0))" } ?? "")
          + (options.capacity.map { ", at most \($0)" + (options.by == nil ? "" : " per sheet") } ?? "") + ".",
      ],
    ]
    lines += about.map { [$0.0, $0.1] }
    lines.append([
      "The chance",
      "An estimate from past records of \(unit.plural) like this one, not a certainty and not a judgement about the "
        + (unit.singular == "family" ? "family" : "\(unit.singular) or the family")
        + ". Of many \(unit.plural) with a chance of 0.8, about 8 in 10 would be expected to have the outcome.",
    ])
    lines.append([
      "Reasons",
      "The features that raise this \(unit.singular)'s chance most, in words, largest first: each raises it by at least "
        + String(format: "%.1f", Self.reasonThreshold) + " on the model's log-odds scale (about 2 percentage points). "
        + "They say what the model used, not what caused anything; a row may have fewer reasons than columns."
        + (scored.scores.pairs.isEmpty
          ? ""
          : " A reason naming two things joined by \"and\" is a pair the model learned together: their joint effect "
            + "beyond each one's own, so the same fact can appear alone and in a pair."),
    ])
    lines.append(["", ""])
    lines.append(["Column", "Meaning"])
    for column in columns {
      lines.append([options.friendlyHeaders ? column.friendly : column.name, column.meaning])
    }
    if options.reasons > 0 {
      lines.append([
        options.friendlyHeaders ? "Reason 1 … \(options.reasons)" : "reason_1 … reason_\(options.reasons)",
        "the reasons, as above",
      ])
    }
    lines.append(["", ""])
    lines.append([
      "Personal data",
      "The list holds ids only, no names or addresses; look families up in the council's own systems. Keep it as "
        + "securely as the records it came from, and delete it when the outreach is done.",
    ])
    return lines
  }
}
