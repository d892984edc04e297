import Records

/// The arms of one contact list's units: those already in the ledger keep their arm (unless reallocated); the rest are
/// randomised within strata (the `--by` group × risk band), and become the ledger's new entries.
public struct ListAllocation: Sendable {
  /// Parallel to the list's rows.
  public let arms: [Arm]
  public let strata: [String]
  /// What the ledger gains: the units allocated now.
  public let newEntries: [AllocationLedger.Entry]
  /// Units that kept the arm an earlier list gave them.
  public let kept: Int

  public init(
    list: ContactList, share: Double, seed: UInt64, ledger: AllocationLedger, reallocate: Bool, listId: String,
    date: Day, model: String
  ) {
    let frame = list.scored.data.frame
    let groups = ContactList.groupValues(list.scored, list.options)
    let ids = list.rows.map { frame.ids[$0] }
    let strata = list.rows.map { row in
      HoldBack.stratum(group: groups?[row], probability: list.scored.probabilities[row])
    }
    self.strata = strata
    let earlier = reallocate ? [:] : ledger.latest
    let fresh = ids.indices.filter { earlier[ids[$0]] == nil }
    let drawn = HoldBack.allocate(
      ids: fresh.map { ids[$0] }, strata: fresh.map { strata[$0] }, share: share, seed: seed)
    var arms = ids.map { earlier[$0]?.arm ?? .contact }
    for (k, i) in fresh.enumerated() { arms[i] = drawn[k] }
    self.arms = arms
    kept = ids.count - fresh.count
    let rows = list.rows
    newEntries = fresh.map { i in
      AllocationLedger.Entry(
        listId: listId, date: date, model: model, seed: seed, unit: ids[i], family: frame.groups?[rows[i]],
        stratum: strata[i], arm: arms[i], probability: list.scored.probabilities[rows[i]])
    }
  }

  public func count(_ arm: Arm) -> Int { arms.filter { $0 == arm }.count }
}
