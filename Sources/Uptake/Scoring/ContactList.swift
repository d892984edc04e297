import Foundation
import Learn
import Records

/// What goes on a contact list.
public struct ContactListOptions: Sendable {
  /// Keep the top K overall, or the top K of each `by` group.
  public var capacity: Int?
  /// An extra column (e.g. ward or hub) the capacity applies to, written beside each row.
  public var by: String?
  /// Keep each family once, as its highest-probability child.
  public var onePerFamily: Bool
  /// Reasons per row: the features that raise the probability most, in words.
  public var reasons: Int

  public init(capacity: Int? = nil, by: String? = nil, onePerFamily: Bool = false, reasons: Int = 3) {
    self.capacity = capacity
    self.by = by
    self.onePerFamily = onePerFamily
    self.reasons = reasons
  }
}

/// A ranked list of units to contact first: highest probability of not taking up first, within capacity.
public struct ContactList: Sendable {
  /// Frame rows, in rank order.
  public let rows: [Int]
  public let scored: ScoredData
  public let options: ContactListOptions

  /// Ranks every scored unit, then applies one-per-family and the capacity (overall or per `by` group).
  /// Ties in probability keep the input order, so the same input gives the same list.
  public init(_ scored: ScoredData, options: ContactListOptions) {
    self.scored = scored
    self.options = options
    let p = scored.probabilities
    var order = Metrics.ranking(p)
    if options.onePerFamily, let families = scored.data.frame.groups {
      var seen = Set<String>()
      order = order.filter { families[$0].isEmpty || seen.insert(families[$0]).inserted }
    }
    if let capacity = options.capacity {
      if let by = options.by, let column = scored.data.frame.extras.first(where: { $0.name == by }) {
        let groups = column.texts(Array(0..<p.count))
        var taken: [String: Int] = [:]
        order = order.filter { row in
          let n = taken[groups[row], default: 0]
          taken[groups[row]] = n + 1
          return n < capacity
        }
      } else {
        order = Array(order.prefix(capacity))
      }
    }
    rows = order
  }

  /// Up to `count` features with positive contributions for `row` (in column-major `phi`), largest first (ties:
  /// lower index).
  /// - Complexity: O(p · count), no sorting.
  static func topFeatures(_ phi: UnsafeBufferPointer<Double>, rows n: Int, row: Int, count: Int) -> [Int] {
    let p = n == 0 ? 0 : phi.count / n
    var top: [(feature: Int, value: Double)] = []
    top.reserveCapacity(count + 1)
    for j in 0..<p {
      let c = phi[j * n + row]
      guard c > 0 else { continue }
      if top.count == count, let last = top.last, c <= last.value { continue }
      var k = top.count
      while k > 0 && top[k - 1].value < c { k -= 1 }
      top.insert((j, c), at: k)
      if top.count > count { top.removeLast() }
    }
    return top.map(\.feature)
  }

  /// Writes `rank, <id>, family_id, probability, <by>, reason_1…N` as CSV, atomically.
  public func write(to path: String) throws {
    let frame = scored.data.frame
    let byColumn = options.by.flatMap { by in frame.extras.first { $0.name == by } }
    var header = ["rank", scored.data.idName]
    if frame.groups != nil { header.append("family_id") }
    header.append("probability")
    if let byColumn { header.append(byColumn.name) }
    header += (0..<options.reasons).map { "reason_\($0 + 1)" }
    let writer = try CSVWriter(path: path, header: header)
    let text = ReasonText(frame: frame, schema: scored.bundle.schema)
    let p = scored.probabilities
    let n = scored.scores.rowCount
    scored.scores.contributions.storage.withUnsafeBufferPointer { phi in
      for (rank, row) in rows.enumerated() {
        writer.field(rank + 1)
        writer.field(frame.ids[row])
        if let groups = frame.groups { writer.field(groups[row]) }
        writer.field(p[row], decimals: 4)
        if let byColumn { writer.field(ReasonText.format(byColumn, row: row)) }
        let top = Self.topFeatures(phi, rows: n, row: row, count: options.reasons)
        for k in 0..<options.reasons {
          if k < top.count { writer.field(text.render(feature: top[k], row: row)) } else { writer.missing() }
        }
        writer.endRow()
      }
    }
    try writer.finish()
  }
}
