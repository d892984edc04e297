/// Columns whose values are personal data that must never appear in a log, an error or a report: dates of birth,
/// names, contact details, NHS numbers and free text. Matched on the column name, with case, `_`, `-` and spaces
/// ignored: `date_of_birth`, `child_dob`, `surname`, `address_line_1`, `parent_email`, `notes`…
public enum PersonalData {
  static let exact: Set<String> = [
    "name", "address", "street", "town", "mobile", "telephone", "tel", "note", "notes", "comment", "comments",
    "freetext",
    "description", "carer", "mother", "father", "parent", "guardian",
  ]
  static let suffixes = [
    "dob", "dateofbirth", "birthdate", "firstname", "lastname", "surname", "forename", "forenames", "fullname",
    "childname", "parentname", "postcode", "email", "phone", "phonenumber", "nhsnumber", "nhsno",
    // Any "…name" (mothers_name, given_name, carer_name), and addresses (not months_at_address).
    "name", "homeaddress", "emailaddress", "postaladdress", "currentaddress", "mobilenumber", "mobileno", "phoneno",
    "telno", "upn", "ninumber", "nino", "uprn",
  ]
  static let prefixes = ["address", "dateofbirth", "dob", "nhsnumber"]

  public static func isSensitive(column: String) -> Bool {
    let key = String(column.lowercased().filter { $0.isLetter || $0.isNumber })
    let letters = String(key.filter(\.isLetter))
    return exact.contains(letters) || suffixes.contains { key.hasSuffix($0) } || prefixes.contains { key.hasPrefix($0) }
  }

  /// The value as it may be shown in a message about `column`: withheld when the column is personal by its name, or
  /// the value itself looks like a name, an e-mail address, a telephone, postcode or NHS number (a name typed into a
  /// number column was printed in its error).
  public static func shown(_ value: String, column: String) -> String {
    isSensitive(column: column) || PersonalValues.Kind.allCases.contains { PersonalValues.matches(value, $0) }
      ? "(value withheld: personal data)" : "\"\(value)\""
  }
}
