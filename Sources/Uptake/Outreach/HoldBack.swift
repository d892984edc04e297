import Learn
import Records

/// Which arm of a randomised hold-back a listed unit is in.
public enum Arm: String, Codable, Sendable, CaseIterable {
  /// On the list to be contacted.
  case contact
  /// On the list, but held back from contact, so that the outcome of contact can be measured against it.
  case holdBack = "hold_back"
}

/// A randomised hold-back of a contact list: within each stratum (the `--by` group × a risk band), a seeded share of
/// the units newly allocated is held back from contact. The allocation depends only on the units' ids, their strata,
/// the share and the seed — not on the order of the rows — so the same inputs and seed give the same allocation, and
/// each stratum holds back within one unit of its share.
public enum HoldBack {
  /// Upper edges of the risk bands (by probability); the last band runs to 1.
  public static let bandEdges = [0.2, 0.4, 0.6]

  /// A probability's risk band: "0–20%", "20–40%", "40–60%", "60–100%".
  public static func band(_ p: Double) -> String {
    let edges = [0.0] + bandEdges + [1.0]
    let k = bandEdges.firstIndex { p < $0 } ?? bandEdges.count
    return "\(Int(edges[k] * 100))–\(Int(edges[k + 1] * 100))%"
  }

  /// The stratum of a unit: its group (or "all") and its risk band.
  public static func stratum(group: String?, probability: Double) -> String {
    (group.map { $0.isEmpty ? "(missing)" : $0 } ?? "all") + " × " + band(probability)
  }

  /// Arms for units `ids` in `strata`: `share` of each stratum held back, chosen by a seeded hash of each id (and the
  /// stratum's rounding by a hash of its name), so that a unit's arm does not depend on the order of the rows.
  public static func allocate(ids: [String], strata: [String], share: Double, seed: UInt64) -> [Arm] {
    precondition(ids.count == strata.count && (0...1).contains(share))
    var arms = [Arm](repeating: .contact, count: ids.count)
    let members = Dictionary(grouping: ids.indices, by: { strata[$0] })
    for (stratum, rows) in members {
      let ordered = rows.sorted {
        let (a, b) = (key(ids[$0], seed), key(ids[$1], seed))
        return a != b ? a < b : ids[$0] < ids[$1]
      }
      let exact = share * Double(rows.count)
      let whole = Int(exact.rounded(.down))
      // The fraction left over is held back with its own probability, so every stratum's expected share is exact.
      let extra = Double(key("stratum " + stratum, seed) >> 11) / Double(1 << 53) < exact - Double(whole) ? 1 : 0
      for row in ordered.prefix(whole + extra) { arms[row] = .holdBack }
    }
    return arms
  }

  /// A seeded 64-bit key of a text: FNV-1a, mixed with the seed by SplitMix64.
  static func key(_ text: String, _ seed: UInt64) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    var rng = SplitMix64(seed: hash ^ (seed &* 0x9E37_79B9_7F4A_7C15))
    return rng.next()
  }
}
