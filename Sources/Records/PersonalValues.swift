/// Personal data recognised by its values, for columns whose names give nothing away (`x7`, `contact`, `ref`):
/// e-mail addresses, UK telephone numbers, full UK postcodes, NHS numbers (with a valid check digit) and people's
/// full names (two to four capitalised words, the first a common given name). A column is judged personal when at
/// least five of its distinct values, and at least half of them, are of one such kind; free text and names written
/// otherwise cannot be told from values this way, so the column-name rules still carry much of the weight.
public enum PersonalValues {
  public enum Kind: String, Sendable, CaseIterable {
    case email = "e-mail addresses"
    case phone = "telephone numbers"
    case postcode = "full postcodes"
    case nhsNumber = "NHS numbers"
    case fullName = "people's names"
  }

  /// The kind of personal data most of `values` are, or nil. Looks at the first 2,000 distinct non-empty values.
  public static func kind(of values: [String]) -> Kind? {
    var seen = Set<String>()
    var counts: [Kind: Int] = [:]
    for value in values where !value.isEmpty {
      guard seen.count < 2000, seen.insert(value).inserted else { continue }
      if let kind = Kind.allCases.first(where: { matches(value, $0) }) { counts[kind, default: 0] += 1 }
    }
    guard let (kind, count) = counts.max(by: { $0.value < $1.value }), count >= 5, count * 2 >= seen.count else {
      return nil
    }
    return kind
  }

  /// What makes `column`'s values unfit to print, as words to follow its name ("holds what look like NHS
  /// numbers"), or nil: personal values of a kind above, or mostly unique text (names, free text, identifiers).
  public static func problem(with column: Column) -> String? {
    if let kind = kind(of: column) { return "holds what look like \(kind.rawValue)" }
    guard let (single, present) = mostlyUnique(column) else { return nil }
    return "holds mostly unique text (\(single) of its \(present) values appear once), like names, free text or "
      + "identifiers"
  }

  /// The kind of personal data in `column`: text columns are checked for each kind, whole-number columns for NHS
  /// numbers (ten digits with a valid check digit).
  public static func kind(of column: Column) -> Kind? {
    switch column.values {
    case .categorical(_, let levels):
      return kind(of: levels)
    case .integer(let values):
      // NHS numbers, and telephone numbers a spreadsheet stored as numbers (its leading zero lost: 7700900123).
      let present = values.prefix(5000).filter { !$0.isNaN }
      let tenDigits = present.filter { $0 >= 1e9 && $0 < 1e10 }.map { String(Int64($0)) }
      guard tenDigits.count * 2 >= present.count else { return nil }
      if kind(of: tenDigits) == .nhsNumber { return .nhsNumber }
      // UK numbers begin 01, 02, 03, 07 or 08.
      let phoneLike = tenDigits.filter { "12378".contains($0.first!) }
      guard phoneLike.count * 2 >= present.count else { return nil }
      return kind(of: phoneLike.map { "0" + $0 }) == .phone ? .phone : nil
    default:
      return nil
    }
  }

  /// For a text column of at least 50 distinct values, most of them on one row only: how many appear once, of how
  /// many values. Such a column is names, free text or identifiers, which no reason or report should print.
  public static func mostlyUnique(_ column: Column) -> (single: Int, present: Int)? {
    guard case .categorical(let codes, let levels) = column.values, levels.count >= 50 else { return nil }
    var counts = [Int](repeating: 0, count: levels.count)
    for code in codes where code >= 0 { counts[Int(code)] += 1 }
    return mostlyUnique(counts: counts, distinct: levels.count)
  }

  /// The rule, from how often each of `distinct` values occurs: at least 50 of them, and at least half of all
  /// values on one row only.
  public static func mostlyUnique(counts: some Collection<Int>, distinct: Int) -> (single: Int, present: Int)? {
    let present = counts.reduce(0, +)
    let single = counts.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
    guard distinct >= 50, single * 2 >= present else { return nil }
    return (single, present)
  }

  static func matches(_ value: String, _ kind: Kind) -> Bool {
    let text = value.trimmingSpaces
    switch kind {
    case .email:
      let parts = text.split(separator: "@", omittingEmptySubsequences: false)
      return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
        && !parts[1].hasSuffix(".") && !text.contains(" ")
    case .phone:
      // +44 (0)20 7946 0123, 0044 20 7946 0123 and 020 7946 0123 are one number.
      var digits = text.replacingOccurrences(of: "(0)", with: "").filter { !" -()".contains($0) }
      if digits.hasPrefix("+44") { digits = "0" + digits.dropFirst(3) }
      if digits.hasPrefix("0044") { digits = "0" + digits.dropFirst(4) }
      return digits.count >= 10 && digits.count <= 11 && digits.hasPrefix("0") && digits.dropFirst().first != "0"
        && digits.allSatisfy(\.isASCIIDigit)
    case .postcode:
      return isPostcode(text.uppercased())
    case .nhsNumber:
      let digits = text.filter { $0 != " " && $0 != "-" }
      guard digits.count == 10, digits.allSatisfy(\.isASCIIDigit) else { return false }
      let d = digits.map { Int($0.asciiValue! - 48) }
      let sum = (0..<9).reduce(0) { $0 + d[$1] * (10 - $1) }
      let check = 11 - sum % 11
      return check != 10 && (check == 11 ? 0 : check) == d[9]
    case .fullName:
      // "Mia Johnson", "Mary-Jane O'Neill": a few capitalised words, the first a given name. Categories such as
      // "White British" or "Month-to-month" start with no given name.
      let words = text.split(separator: " ")
      guard words.count >= 2 && words.count <= 4, let first = words.first?.split(separator: "-").first else {
        return false
      }
      return givenNames.contains(String(first))
        && words.allSatisfy { w in
          w.first!.isUppercase && w.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" || $0 == "’" }
        }
    }
  }

  /// Common given names in England and Wales (ONS baby-name lists, 1960s to 2020s: the parents and children of
  /// early-years records).
  static let givenNames: Set<String> = [
    "Aaliyah", "Aaron", "Abdul", "Abigail", "Adam", "Aisha", "Alexander", "Alfie", "Ali", "Alice", "Amelia", "Amy",
    "Andrew", "Angela", "Anna", "Anthony", "Archie", "Arthur", "Ava", "Ayesha", "Barbara", "Ben", "Benjamin", "Beth",
    "Callum", "Carl", "Caroline", "Charles", "Charlie", "Charlotte", "Chloe", "Christopher", "Claire", "Connor",
    "Craig", "Daniel", "Darren", "David", "Dean", "Deborah", "Donna", "Dylan", "Edward", "Eleanor", "Elijah",
    "Elizabeth", "Ella", "Ellie", "Emily", "Emma", "Ethan", "Evie", "Fatima", "Florence", "Freya", "Gary", "George",
    "Grace", "Hannah", "Harper", "Harry", "Harvey", "Hassan", "Helen", "Henry", "Holly", "Hussain", "Ibrahim",
    "Isabella", "Isla", "Ivy", "Jack", "Jacob", "Jade", "James", "Jamie", "Jane", "Jason", "Jennifer", "Jessica",
    "Joanne", "John", "Jordan", "Joseph", "Joshua", "Julie", "Karen", "Katie", "Kelly", "Kevin", "Kirsty", "Laura",
    "Lauren", "Leah", "Lee", "Leo", "Lewis", "Liam", "Lily", "Lisa", "Logan", "Louise", "Lucy", "Luke", "Maisie",
    "Mark", "Martin", "Mary", "Mason", "Matthew", "Maya", "Megan", "Mia", "Michael", "Michelle", "Millie",
    "Mohammed", "Muhammad", "Natalie", "Nathan", "Nicola", "Noah", "Olivia", "Oliver", "Oscar", "Paul", "Peter",
    "Poppy", "Rachel", "Rebecca", "Richard", "Robert", "Rosie", "Ruby", "Ryan", "Samantha", "Samuel", "Sarah",
    "Scott", "Sharon", "Sophia", "Sophie", "Stephen", "Steven", "Stuart", "Susan", "Teddy", "Theo", "Thomas", "Tracey",
    "Victoria", "William", "Willow", "Zainab", "Zara",
  ]

  /// A full UK postcode: outward code (A9, A99, AA9, AA99, A9A, AA9A), an optional space, inward code (9AA).
  static func isPostcode(_ text: String) -> Bool {
    let compact = Array(text.filter { $0 != " " })
    guard compact.count >= 5 && compact.count <= 7 else { return false }
    let inward = compact.suffix(3)
    guard inward.first!.isASCIIDigit, inward.dropFirst().allSatisfy(\.isASCIILetter) else { return false }
    let outward = Array(compact.dropLast(3))
    guard outward.first!.isASCIILetter else { return false }
    let letters = outward.prefix { $0.isASCIILetter }.count
    guard letters <= 2, letters < outward.count, outward[letters].isASCIIDigit else { return false }
    let rest = outward.dropFirst(letters + 1)
    return rest.count <= 1 && rest.allSatisfy { $0.isASCIIDigit || $0.isASCIILetter }
  }
}

extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
  var isASCIILetter: Bool { isASCII && isLetter }
}
