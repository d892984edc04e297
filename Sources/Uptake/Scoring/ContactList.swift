import Foundation
import Learn
import Records

/// What goes on a contact list.
public struct ContactListOptions: Sendable {
  /// Keep the top K overall, or the top K of each `by` group.
  public var capacity: Int?
  /// An extra column (e.g. ward or hub) the capacity applies to, written beside each row with the rank within it.
  public var by: String?
  /// Keep each family once, as its highest-probability child.
  public var onePerFamily: Bool
  /// At most this many reasons per row: the features that raise the probability most, in words.
  public var reasons: Int
  /// Leave out units whose probability is below this.
  public var minProbability: Double?
  /// Column names written in words ("Rank in ward", "Chance of no funded place") rather than as identifiers.
  public var friendlyHeaders: Bool
  /// Probabilities written as percentages ("87.4%").
  public var percent: Bool
  /// Leave out units whose outcome can no longer happen (a child who has taken up a place): the monthly list.
  public var openOnly: Bool

  public init(
    capacity: Int? = nil, by: String? = nil, onePerFamily: Bool = false, reasons: Int = 3,
    minProbability: Double? = nil, friendlyHeaders: Bool = false, percent: Bool = false, openOnly: Bool = false
  ) {
    self.openOnly = openOnly
    self.capacity = capacity
    self.by = by
    self.onePerFamily = onePerFamily
    self.reasons = reasons
    self.minProbability = minProbability
    self.friendlyHeaders = friendlyHeaders
    self.percent = percent
  }
}

/// A ranked list of units to contact first: highest probability of the outcome first, within capacity.
public struct ContactList: Sendable {
  /// A feature is a reason only when it raises the unit's log-odds by at least this much: about 2 percentage points
  /// of probability at 0.3. Smaller pushes are not reasons anyone should act on, so a row may have fewer reasons than
  /// asked for (never a filler).
  public static let reasonThreshold = 0.1

  /// Frame rows, in rank order.
  public let rows: [Int]
  /// Each listed row's rank within its `by` group (1 = highest in the group), parallel to `rows`; nil without `by`.
  public let groupRanks: [Int]?
  public let scored: ScoredData
  /// What a row is ("child"), in the list's column meanings and guide.
  var unit: UnitName { scored.data.frame.unit }
  public let options: ContactListOptions
  /// Each listed row's suggested action and what-if probability (none without modifiable features).
  let actions: SuggestedActions
  /// Each listed row's arm of a randomised hold-back (nil: no hold-back), written as the `arm` column.
  public var arms: [Arm]? = nil
  /// Units left out because their outcome can no longer happen (with `openOnly`).
  public let decidedLeftOut: Int

  /// Ranks every scored unit, then applies the minimum probability, one-per-family and the capacity (overall or per
  /// `by` group). Ties in probability keep the input order, so the same input gives the same list.
  /// - Throws: only if the model cannot score the listed units with a modifiable feature at its common value.
  public init(_ scored: ScoredData, options: ContactListOptions) throws {
    self.scored = scored
    self.options = options
    let p = scored.probabilities
    var order = Metrics.ranking(p)
    let ruledOut = scored.data.frame.eventRuledOut
    if options.openOnly && !ruledOut.isEmpty { order = order.filter { !ruledOut[$0] } }
    decidedLeftOut = options.openOnly ? ruledOut.filter { $0 }.count : 0
    if let floor = options.minProbability { order = order.filter { p[$0] >= floor } }
    if options.onePerFamily, let families = scored.data.frame.groups {
      var seen = Set<String>()
      order = order.filter { families[$0].isEmpty || seen.insert(families[$0]).inserted }
    }
    if let groups = Self.groupValues(scored, options) {
      var taken: [String: Int] = [:]
      var ranks: [Int] = []
      order = order.filter { row in
        let n = taken[groups[row], default: 0]
        guard n < options.capacity ?? Int.max else { return false }
        taken[groups[row]] = n + 1
        ranks.append(n + 1)
        return true
      }
      groupRanks = ranks
    } else {
      if let capacity = options.capacity { order = Array(order.prefix(capacity)) }
      groupRanks = nil
    }
    rows = order
    actions = try SuggestedActions(scored, rows: order)
  }

  /// Each unit's `by` group as text, when the list is split by one.
  static func groupValues(_ scored: ScoredData, _ options: ContactListOptions) -> [String]? {
    guard let by = options.by, let column = scored.data.frame.extras.first(where: { $0.name == by }) else { return nil }
    return column.texts(Array(0..<scored.probabilities.count))
  }

  /// For each of `listed` (row numbers, ascending), up to `count` features whose contributions (in column-major `phi`
  /// of `n` rows) are at least `threshold`, largest first (ties: lower index): `listed[k]`'s are at
  /// `k * count ..< (k + 1) * count`, −1 where there are fewer. Only listed rows are looked at: a list held to a
  /// capacity needs reasons for its rows, not for every unit scored.
  /// - Complexity: O(listed · p · count), each feature's column read in row order.
  static func topFeatures(
    _ phi: UnsafeBufferPointer<Double>, rows n: Int, listed: [Int], count: Int, threshold: Double = reasonThreshold
  ) -> [Int32] {
    let p = n == 0 ? 0 : phi.count / n
    var features = [Int32](repeating: -1, count: listed.count * count)
    guard count > 0 else { return features }
    var values = [Double](repeating: -.infinity, count: listed.count * count)
    // Feature by feature down the column-major matrix, so it is read in order: row by row across it, each of the
    // p values of a row lay a column apart, a cache miss each.
    features.withUnsafeMutableBufferPointer { top in
      values.withUnsafeMutableBufferPointer { best in
        for j in 0..<p {
          let column = phi.baseAddress! + j * n
          for (slot, row) in listed.enumerated() {
            let c = column[row]
            let base = slot * count
            guard c >= threshold, c > best[base + count - 1] else { continue }
            // Insert after equal values, so that ties keep the earlier feature first.
            var k = count - 1
            while k > 0 && best[base + k - 1] < c {
              best[base + k] = best[base + k - 1]
              top[base + k] = top[base + k - 1]
              k -= 1
            }
            best[base + k] = c
            top[base + k] = Int32(j)
          }
        }
      }
    }
    return features
  }
}
