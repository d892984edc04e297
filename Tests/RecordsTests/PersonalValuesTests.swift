import Testing

@testable import Records

/// Personal data recognised by its values: e-mail addresses, telephone numbers, full postcodes and NHS numbers are
/// found in columns whose names give nothing away, and ordinary categories are not mistaken for them.
@Suite("Personal data recognised by its values")
struct PersonalValuesTests {
  /// A valid NHS number from nine digits (the check digit by the modulus-11 rule), or nil when none exists.
  static func nhsNumber(_ nine: [Int]) -> String? {
    let sum = nine.enumerated().reduce(0) { $0 + $1.element * (10 - $1.offset) }
    let check = 11 - sum % 11
    if check == 10 { return nil }
    return (nine + [check == 11 ? 0 : check]).map(String.init).joined()
  }

  @Test("each kind is recognised, with the separators councils' systems write")
  func kinds() {
    var generator = SystemRandomNumberGenerator()
    var nhs: [String] = []
    while nhs.count < 40 {
      if let n = Self.nhsNumber((0..<9).map { _ in Int.random(in: 0...9, using: &generator) }) {
        // Written 3-3-4 with spaces half the time, as on NHS letters.
        nhs.append(
          nhs.count % 2 == 0 ? n : "\(n.prefix(3)) \(n.dropFirst(3).prefix(3)) \(n.suffix(4))")
      }
    }
    #expect(PersonalValues.kind(of: nhs) == .nhsNumber)
    #expect(PersonalValues.kind(of: (0..<20).map { "parent\($0)@example.org" }) == .email)
    #expect(
      PersonalValues.kind(of: (0..<20).map { $0 % 2 == 0 ? "07700 9001\($0 + 10)" : "+44 113 496 00\($0 + 10)" })
        == .phone)
    #expect(
      PersonalValues.kind(of: ["LS1 4AP", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB"])
        == .postcode)
    #expect(PersonalValues.kind(of: (10...15).map { "+44 (0)20 7946 01\($0)" }) == .phone)
    #expect(PersonalValues.kind(of: (10...15).map { "0044 20 7946 01\($0)" }) == .phone)
    // Telephone numbers a spreadsheet stored as whole numbers, their leading zero lost.
    let stored = Column(name: "contact", values: .integer((10...30).map { Double(77_009_001_00 + $0) }))
    #expect(PersonalValues.kind(of: stored) == .phone)
    // A handful of full names (a health visitor column, say): found by a trial printed in reasons and reports.
    #expect(
      PersonalValues.kind(of: [
        "Mia Johnson", "Oliver Smith", "Mary-Jane O'Neill", "Amelia Khan", "Jack Brown",
        "Fatima Begum",
      ]) == .fullName)
  }

  @Test("a value that looks personal is withheld from messages, whatever its column is called")
  func withheldValues() {
    #expect(PersonalData.shown("Jane Doe-Smith", column: "rr") == "(value withheld: personal data)")
    #expect(PersonalData.shown("parent@example.org", column: "x") == "(value withheld: personal data)")
    #expect(PersonalData.shown("N/A", column: "rr") == "\"N/A\"")
    #expect(PersonalData.shown("12%", column: "rate") == "\"12%\"")
  }

  @Test(
    "ordinary categories are not personal: area codes, districts, yes/no, languages, ten-digit codes that fail the check"
  )
  func ordinary() {
    #expect(PersonalValues.kind(of: (0..<50).map { "E0510\(String(format: "%04d", $0))" }) == nil)
    #expect(PersonalValues.kind(of: ["LS1", "LS2", "M1", "B33", "CR2", "DN55", "W1A"]) == nil)
    #expect(PersonalValues.kind(of: ["yes", "no", "Yes", "No", "unknown"]) == nil)
    #expect(PersonalValues.kind(of: ["English", "Polish", "Urdu", "Other", "Not recorded"]) == nil)
    // Categories of capitalised words: ethnicity, contracts, payment methods, providers.
    #expect(
      PersonalValues.kind(of: [
        "White British", "Asian or Asian British", "Black or Black British", "Mixed", "Any Other White Background",
        "Month-to-month", "One year", "Two year", "Electronic check", "Mailed check", "Bank transfer (automatic)",
        "Little Stars Nursery", "Rainbow Day Care", "St Mary's Primary", "Grace Academy",
      ]) == nil)
    // Ten-digit numbers with a wrong check digit: one in eleven passes by chance, far below half.
    let wrong = (0..<200).compactMap { i -> String? in
      let nine = (0..<9).map { (i * 7 + $0 * 3) % 10 }
      guard let valid = Self.nhsNumber(nine) else { return nil }
      return String(valid.dropLast()) + String((Int(String(valid.last!))! + 1) % 10)
    }
    #expect(PersonalValues.kind(of: wrong) == nil)
    // Fewer than five such values do not make a column personal.
    #expect(PersonalValues.kind(of: ["a@b.org", "c@d.org", "x", "y"]) == nil)
  }
}
