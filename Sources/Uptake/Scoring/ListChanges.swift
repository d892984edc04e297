import Foundation
import Learn
import Records

/// How a contact list changed between two drops of the records, both scored with one model: who entered the list, who
/// left it (and why), who stayed, with each unit's rank and probability before and after and the term whose
/// contribution moved most, in words.
public struct ListChanges: Sendable {
  public enum Status: String, Sendable, CaseIterable {
    case entered, left, stayed
  }

  /// Why a unit entered or left the list.
  public enum Why: String, Sendable, CaseIterable {
    /// Entered: not in the earlier drop's population (new, or its as-of date reached since).
    case newInPopulation = "new_in_population"
    /// Entered: in both drops, and now ranked within capacity (its score rose, or units above it left).
    case movedUp = "moved_up"
    /// Left: the outcome can no longer happen (the child has taken up a place).
    case tookUp = "took_up"
    /// Left: still in the population, but others now rank above it within capacity.
    case outranked
    /// Left: not in the later drop's population (moved away, aged out, outside the cohort asked for).
    case leftPopulation = "left_population"
    /// Stayed on the list.
    case onBothLists = "on_both_lists"
  }

  public struct Row: Sendable {
    public var id: String
    public var familyId: String?
    public var status: Status
    public var why: Why
    public var rankBefore: Int?
    public var rankAfter: Int?
    public var probabilityBefore: Double?
    public var probabilityAfter: Double?
    /// The unit's outcome can no longer happen in the later drop (it has taken up).
    public var tookUp: Bool
    /// The term whose contribution changed most between the drops, in words, and by how much (log-odds); nil for a
    /// unit in one drop only or whose score did not move.
    public var reason: String?
    public var logOddsChange: Double?
    /// The unit's arm in the allocation ledger, when one was given and holds the unit.
    public var arm: Arm?
  }

  /// One row per unit on either list: stayed first (by rank after), then entered (by rank after), then left (by rank
  /// before).
  public let rows: [Row]

  public func count(_ status: Status) -> Int { rows.filter { $0.status == status }.count }
  public func count(_ why: Why) -> Int { rows.filter { $0.why == why }.count }

  /// Compares the lists made from two drops. The model must be the same (a change of model would move every score).
  /// `ledger`: each unit's arm, so the team sees who was contacted (or held back) on an earlier list.
  public init(before: ContactList, after: ContactList, ledger: AllocationLedger? = nil) {
    let arms = ledger?.latest.mapValues(\.arm) ?? [:]
    let (a, b) = (before.scored, after.scored)
    let rowAfter = Dictionary(b.data.frame.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let rowBefore = Dictionary(a.data.frame.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let rankBefore = Dictionary(before.rows.enumerated().map { (a.data.frame.ids[$1], $0 + 1) }, uniquingKeysWith: min)
    let rankAfter = Dictionary(after.rows.enumerated().map { (b.data.frame.ids[$1], $0 + 1) }, uniquingKeysWith: min)
    let textAfter = ReasonText(frame: b.data.frame, schema: b.bundle.schema, pairs: b.scores.pairs)
    let textBefore = ReasonText(frame: a.data.frame, schema: a.bundle.schema, pairs: a.scores.pairs)
    let ruledOut = b.data.frame.eventRuledOut

    func row(_ id: String) -> Row {
      let (i, j) = (rowBefore[id], rowAfter[id])
      let (rb, ra) = (rankBefore[id], rankAfter[id])
      let status: Status = rb == nil ? .entered : (ra == nil ? .left : .stayed)
      let tookUp = j.map { !ruledOut.isEmpty && ruledOut[$0] } ?? false
      let why: Why
      switch status {
      case .entered: why = i == nil ? .newInPopulation : .movedUp
      case .stayed: why = .onBothLists
      case .left: why = j == nil ? .leftPopulation : (tookUp ? .tookUp : .outranked)
      }
      var out = Row(
        id: id, familyId: j.flatMap { b.data.frame.groups?[$0] } ?? i.flatMap { a.data.frame.groups?[$0] },
        status: status, why: why, rankBefore: rb, rankAfter: ra, probabilityBefore: i.map { a.probabilities[$0] },
        probabilityAfter: j.map { b.probabilities[$0] }, tookUp: tookUp, reason: nil, logOddsChange: nil,
        arm: arms[id])
      if status == .left && tookUp {
        out.reason = "taken up since the last list (the records show the outcome can no longer happen)"
      } else if let i, let j, let (term, change) = Self.largestChange(a.scores, i, b.scores, j) {
        let now = textAfter.render(term: term, row: j, raises: change > 0)
        let was = textBefore.value(term: term, row: i), is_ = textAfter.value(term: term, row: j)
        out.reason = "since the last list: " + now + (was != is_ ? " (was \(was.isEmpty ? "not recorded" : was))" : "")
        out.logOddsChange = change
      } else if i != nil && j != nil {
        out.reason = "score unchanged since the last list"
        out.logOddsChange = 0
      }
      return out
    }
    let stayed = after.rows.map { b.data.frame.ids[$0] }.filter { rankBefore[$0] != nil }
    let entered = after.rows.map { b.data.frame.ids[$0] }.filter { rankBefore[$0] == nil }
    let left = before.rows.map { a.data.frame.ids[$0] }.filter { rankAfter[$0] == nil }
    rows = (stayed + entered + left).map(row)
  }

  /// The term whose contribution moved most between a unit's two scores (ties: the lower term), with the change;
  /// nil when none moved.
  static func largestChange(_ a: Scores, _ i: Int, _ b: Scores, _ j: Int) -> (Int, Double)? {
    let terms = min(a.contributions.columns, b.contributions.columns)
    var best: (Int, Double)? = nil
    for t in 0..<terms {
      let change = b.contributions[j, t] - a.contributions[i, t]
      if abs(change) > 1e-12 && abs(change) > abs(best?.1 ?? 0) { best = (t, change) }
    }
    return best
  }

  /// "entered 4 (new in the population 1, moved up 3), left 6 (took up 3, outranked 2, left the population 1), stayed
  /// 14".
  public var summary: String {
    "entered \(count(.entered)) (new in the population \(count(.newInPopulation)), moved up \(count(.movedUp))), "
      + "left \(count(.left)) (took up \(count(.tookUp)), outranked \(count(.outranked)), left the population "
      + "\(count(.leftPopulation))), stayed \(count(.stayed))"
      + (rows.contains { $0.arm != nil && $0.why == .tookUp }
        ? "; of those who took up, \(rows.filter { $0.arm == .contact && $0.why == .tookUp }.count) were allocated to "
          + "contact and \(rows.filter { $0.arm == .holdBack && $0.why == .tookUp }.count) held back" : "")
      + (rows.contains { $0.status == .stayed && $0.tookUp }
        ? "; \(rows.filter { $0.status == .stayed && $0.tookUp }.count) still on the list have taken up since" : "")
  }

  /// Writes one CSV row per unit, atomically: status, why, the id (and family), ranks and probabilities before and
  /// after, took_up, the change's reason and its log-odds.
  public func write(to path: String, idName: String, groupName: String?) throws {
    let hasFamilies = rows.contains { $0.familyId != nil }
    let hasArms = rows.contains { $0.arm != nil }
    let writer = try CSVWriter(
      path: path,
      header: ["status", "why", idName] + (hasFamilies ? [groupName ?? "family_id"] : [])
        + [
          "rank_before", "rank_after", "probability_before", "probability_after", "took_up",
        ] + (hasArms ? ["arm"] : []) + ["change_reason", "change_log_odds"])
    for row in rows {
      writer.field(row.status.rawValue)
      writer.field(row.why.rawValue)
      writer.field(row.id)
      if hasFamilies { row.familyId.map { writer.field($0) } ?? writer.missing() }
      for rank in [row.rankBefore, row.rankAfter] { rank.map { writer.field($0) } ?? writer.missing() }
      for p in [row.probabilityBefore, row.probabilityAfter] {
        p.map { writer.field($0, decimals: 4) } ?? writer.missing()
      }
      writer.field(row.tookUp ? "yes" : "no")
      if hasArms { row.arm.map { writer.field($0.rawValue) } ?? writer.missing() }
      row.reason.map { writer.field($0) } ?? writer.missing()
      row.logOddsChange.map { writer.field($0, decimals: 4) } ?? writer.missing()
      writer.endRow()
    }
    try writer.finish()
  }
}
