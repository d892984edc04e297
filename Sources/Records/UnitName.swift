import Foundation

/// What one row of the population is — a child, a family, a pupil — named in every summary, report and list, so
/// that "1,204 children" is not printed as "1,204 families" when the rows are children (`unit:` in uptake.yaml,
/// `--unit` for a flat file).
public struct UnitName: Sendable, Equatable, Codable {
  public var singular: String
  public var plural: String

  public init(singular: String, plural: String) {
    self.singular = singular
    self.plural = plural
  }

  /// What a name must be, for errors.
  public static let rule =
    "write the singular (child, family, pupil) or singular/plural (person/people), in letters a–z, spaces and "
    + "hyphens, at most 40 each"

  /// The default: uptake's populations are children, who are grouped into families.
  public static let child = UnitName(singular: "child", plural: "children")

  /// A singular (`child`, `family`, `pupil`: plurals of common words known, others made by rule) or
  /// `singular/plural` (`person/people`): letters a–z, spaces and hyphens only, at most 40 each, since the name is
  /// printed in reports. Nil otherwise, and for a word that looks plural (`pupils`) or that YAML reads as a boolean.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces).lowercased()
    }
    let allowed = Set("abcdefghijklmnopqrstuvwxyz -")
    guard (1...2).contains(parts.count),
      parts.allSatisfy({ !$0.isEmpty && $0.count <= 40 && $0.allSatisfy(allowed.contains) })
    else { return nil }
    if parts.count == 2 {
      self.init(singular: parts[0], plural: parts[1])
      return
    }
    let word = parts[0]
    // YAML would have read these as true, false or null had they not been quoted: no name for a row.
    guard !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(word) else { return nil }
    let known = ["child": "children", "person": "people", "family": "families", "baby": "babies"]
    if let plural = known[word] {
      self.init(singular: word, plural: plural)
    } else if let singular = known.first(where: { $0.value == word })?.key {
      self.init(singular: singular, plural: word)
    } else if word.hasSuffix("s") && !word.hasSuffix("ss") {
      // Most likely a plural ("pupils"): making it plural again would print "pupilses"; ask for the singular.
      return nil
    } else if word.hasSuffix("y"), let before = word.dropLast().last, !"aeiou".contains(before) {
      self.init(singular: word, plural: word.dropLast() + "ies")
    } else if ["s", "x", "z", "ch", "sh"].contains(where: word.hasSuffix) {
      self.init(singular: word, plural: word + "es")
    } else {
      self.init(singular: word, plural: word + "s")
    }
  }

  /// `count` and the right form: "1 child", "12 children".
  public func counted(_ count: Int) -> String { "\(count) " + (count == 1 ? singular : plural) }

  /// The plural with a capital: "Children".
  public var capitalizedPlural: String { plural.prefix(1).uppercased() + plural.dropFirst() }
}
