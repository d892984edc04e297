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

  /// The default: uptake's populations are children, who are grouped into families.
  public static let child = UnitName(singular: "child", plural: "children")

  /// `child`, `family`, `person` (plurals of common words known), or `singular/plural` (`pupil/pupils`): lower-case
  /// letters, spaces and hyphens only, since the name is printed in reports. Nil when `text` is not such a name.
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
    let known = ["child": "children", "person": "people", "family": "families", "baby": "babies"]
    if let plural = known[word] {
      self.init(singular: word, plural: plural)
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
