import Foundation
import Learn
import Records

/// A synthetic council written the way councils' systems really export it (`uptake synth --messy`), to try
/// `uptake init` and `uptake check` on, and to test that such an export reads to the same features as the clean one.
///
/// The records are the clean council's, byte for byte in meaning; only the writing differs: files named as their
/// systems name them, id columns renamed (`child_ref`, `family_ref`, `dob`, `eligible_from`, `lsoa_code`), dates
/// day first (`01/03/2024`, recorded times `01/03/2024 09:30`), missing values as `N/A`, `NULL` or `-`, codes in
/// varying letter case with stray spaces, a byte-order mark, a semicolon file, a file saved as Windows-1252 (its
/// synthetic values are all ASCII, so its bytes equal UTF-8's: non-ASCII decoding is tested on hand-made files), a
/// tab-delimited UTF-16 file (Excel's "Unicode Text"), and an `.xlsx` workbook. No `uptake.yaml` and no truth file.
public enum SyntheticExport {
  /// How one clean file is exported.
  struct Style {
    var file: String
    var delimiter: String = ","
    var missing: String = ""
    var encoding: ReadSettings.Encoding = .utf8
    var byteOrderMark = false
    /// Columns whose values get varying letter case or trailing spaces (codes typed in by hand).
    var untidy: [String] = []
    /// Date columns written with a time of day.
    var timed: [String] = []
  }

  static let styles: [String: Style] = [
    "children.csv": Style(
      file: "Children register.csv", missing: "N/A", byteOrderMark: true, untidy: ["ethnicity", "sex"]),
    "families.csv": Style(file: "Families.csv", delimiter: ";", missing: "-", encoding: .windows1252),
    "areas.csv": Style(file: "LSOA lookup.xlsx"),
    "health_visits.csv": Style(
      file: "HV contacts (CSDS extract).csv", missing: "NULL", untidy: ["review", "outcome"],
      timed: ["recorded_date"]),
    "hub_sessions.csv": Style(
      file: "Family hub attendance.txt", delimiter: "\t", encoding: .utf16, untidy: ["activity"]),
    "early_education.csv": Style(file: "EYES headcount.csv", missing: "N/A"),
    "outreach_contacts.csv": Style(file: "Outreach log.csv", missing: "N/A", untidy: ["channel"]),
  ]

  /// Column names as the export systems write them.
  public static let renamed = [
    "child_id": "child_ref", "family_id": "family_ref", "date_of_birth": "dob", "eligible_2yo_from": "eligible_from",
    "lsoa": "lsoa_code",
  ]

  /// The exported file for each clean one (`children.csv` → `Children register.csv`).
  public static var fileNames: [String: String] { styles.mapValues(\.file) }

  /// Rewrites the clean council in `clean` as exports in `folder` (created when missing).
  public static func write(from clean: String, to folder: String, seed: UInt64) throws {
    try OutputFolder.make(folder)
    var rng = SplitMix64(seed: seed ^ 0x5EED_E4B0_47)
    for name in styles.keys.sorted() {
      let style = styles[name]!
      let text = try String(contentsOfFile: clean + "/" + name, encoding: .utf8)
      var rows = text.split(separator: "\n", omittingEmptySubsequences: true).map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      }
      let header = rows[0]
      rows[0] = header.map { renamed[$0] ?? $0 }
      for r in 1..<rows.count {
        for (c, column) in header.enumerated() {
          rows[r][c] = untidied(rows[r][c], column: column, style: style, rng: &rng)
        }
      }
      let path = folder + "/" + style.file
      if style.file.hasSuffix(".xlsx") {
        try ExcelWriter.write(rows: rows, sheet: "LSOA lookup", to: path)
        continue
      }
      let body = rows.map { $0.joined(separator: style.delimiter) }.joined(separator: "\r\n") + "\r\n"
      try AtomicFile.write(encoded(body, style), to: path)
    }
  }

  /// One cell as the export writes it.
  static func untidied(_ value: String, column: String, style: Style, rng: inout SplitMix64) -> String {
    if value.isEmpty { return style.missing }
    if let day = Day(iso: Substring(value)) {
      let (y, m, d) = day.civil
      let text = String(format: "%02d/%02d/%04d", d, m, y)
      return style.timed.contains(column) ? text + String(format: " %02d:%02d", 8 + Int(rng.next() % 9), 0) : text
    }
    guard style.untidy.contains(column) else { return value }
    switch rng.next() % 10 {
    case 0: return value.uppercased()
    case 1: return value + " "
    default: return value
    }
  }

  static func encoded(_ text: String, _ style: Style) -> [UInt8] {
    switch style.encoding {
    case .utf16:
      var bytes: [UInt8] = [0xFF, 0xFE]
      for unit in text.utf16 {
        bytes.append(UInt8(unit & 0xFF))
        bytes.append(UInt8(unit >> 8))
      }
      return bytes
    case .windows1252, .latin1:
      // Every synthetic value is ASCII, which Windows-1252 writes as it is.
      return Array(text.utf8)
    default:
      return (style.byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
    }
  }
}
