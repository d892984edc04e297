/// Columns whose values are personal data that must never appear in a log, an error or a report: dates of birth,
/// names, contact details, NHS numbers and free text. Matched on the column name.
public enum PersonalData {
  static let markers = [
    "birth", "dob", "name", "address", "postcode", "post_code", "phone", "mobile", "email", "nhs", "note", "comment",
    "free_text", "freetext", "description",
  ]

  public static func isSensitive(column: String) -> Bool {
    let lower = column.lowercased()
    return markers.contains { lower.contains($0) }
  }

  /// The value as it may be shown in a message about `column`.
  public static func shown(_ value: String, column: String) -> String {
    isSensitive(column: column) ? "(value withheld: personal data)" : "\"\(value)\""
  }
}
