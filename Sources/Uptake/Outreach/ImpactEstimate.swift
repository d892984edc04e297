import Foundation
import Learn
import Records

/// What contact did, measured on a randomised hold-back: the intention-to-treat difference in the outcome's rate
/// between the units allocated to contact and those held back (contact minus hold-back: below zero when contact lowers
/// the chance of not taking up), with family-cluster bootstrap intervals, overall, by risk band and by group; uplift at
/// shares of the list and the Qini curve (scikit-uplift's definitions, the outcome counted as taking up); and the
/// smallest effect these numbers could detect.
public struct ImpactEstimate: Sendable {
  /// One allocated unit with a known outcome.
  public struct Unit: Sendable {
    public var id: String
    public var family: String?
    public var arm: Arm
    public var probability: Double
    public var band: String
    public var group: String
    /// The outcome event happened (e.g. no funded place).
    public var event: Bool

    public init(
      id: String, family: String?, arm: Arm, probability: Double, band: String, group: String, event: Bool
    ) {
      self.id = id
      self.family = family
      self.arm = arm
      self.probability = probability
      self.band = band
      self.group = group
      self.event = event
    }
  }

  public struct Effect: Codable, Equatable, Sendable {
    public var label: String
    public var contactUnits: Int
    public var contactEvents: Int
    public var holdBackUnits: Int
    public var holdBackEvents: Int
    /// Contact's event rate minus the hold-back's (nil when an arm is empty).
    public var difference: Double?
    public var interval: ConfidenceInterval?

    public var contactRate: Double? { contactUnits > 0 ? Double(contactEvents) / Double(contactUnits) : nil }
    public var holdBackRate: Double? { holdBackUnits > 0 ? Double(holdBackEvents) / Double(holdBackUnits) : nil }
  }

  public let overall: Effect
  public let byBand: [Effect]
  public let byGroup: [Effect]
  /// (share of the list, ranked by probability, highest first; uplift in taking up: contact's take-up rate minus the
  /// hold-back's among those units), at 25%, 50%, 75% and 100%.
  public let upliftAtShare: [(share: Double, uplift: Double?)]
  /// The Qini curve: (share of units targeted by probability, extra take-ups from contact per unit of the list).
  public let qini: [(x: Double, y: Double)]
  /// The smallest difference in rates (either way) the overall comparison would detect with 80% power at the 5% level,
  /// ignoring clustering in families (which widens it).
  public let minimumDetectableEffect: Double?
  public let units: Int
  /// Bands and groups left out of `byBand` and `byGroup` for having fewer than `minimumArm` units in an arm.
  public let suppressed: Int
  /// Fewer units than this in either arm of a band or group: no comparison is shown (a handful of units gives no
  /// interval worth the name, and their rates would disclose single children's outcomes).
  public static let minimumArm = 5

  /// - Parameter bootstrap: resamples whole families (units without one alone).
  public init(units: [Unit], bootstrap: Bootstrap) {
    self.units = units.count
    overall = Self.effect("all", units, bootstrap)
    let bands = Set(units.map(\.band)).sorted { Self.bandStart($0) < Self.bandStart($1) }
    func shown(_ effects: [Effect]) -> [Effect] {
      effects.filter { min($0.contactUnits, $0.holdBackUnits) >= Self.minimumArm }
    }
    let allBands = bands.map { band in Self.effect(band, units.filter { $0.band == band }, bootstrap) }
    let groups = Set(units.map(\.group)).sorted()
    let allGroups =
      groups.count > 1 ? groups.map { g in Self.effect(g, units.filter { $0.group == g }, bootstrap) } : []
    byBand = shown(allBands)
    byGroup = shown(allGroups)
    suppressed = allBands.count + allGroups.count - byBand.count - byGroup.count
    let ranked = units.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.id < $1.id }
    upliftAtShare = [0.25, 0.5, 0.75, 1].map { share in
      (share, Self.uplift(Array(ranked.prefix(Int((share * Double(ranked.count)).rounded())))))
    }
    qini = Self.qiniCurve(ranked)
    let (nt, nc) = (overall.contactUnits, overall.holdBackUnits)
    if nt > 0 && nc > 0 {
      let p = Double(overall.contactEvents + overall.holdBackEvents) / Double(nt + nc)
      minimumDetectableEffect = (1.959_964 + 0.841_621) * (p * (1 - p) * (1 / Double(nt) + 1 / Double(nc))).squareRoot()
    } else {
      minimumDetectableEffect = nil
    }
  }

  static func bandStart(_ band: String) -> Int { Int(band.prefix { $0.isNumber }) ?? 0 }

  static func effect(_ label: String, _ units: [Unit], _ bootstrap: Bootstrap) -> Effect {
    func rates(_ rows: [Int]) -> Double {
      var n = [0, 0], e = [0, 0]
      for i in rows {
        let k = units[i].arm == .contact ? 0 : 1
        n[k] += 1
        if units[i].event { e[k] += 1 }
      }
      guard n[0] > 0 && n[1] > 0 else { return .nan }
      return Double(e[0]) / Double(n[0]) - Double(e[1]) / Double(n[1])
    }
    let contact = units.filter { $0.arm == .contact }, held = units.filter { $0.arm == .holdBack }
    let point = rates(Array(units.indices))
    var families: [String: Int] = [:]
    let groups = units.map { unit in
      let key = unit.family.map { "f " + $0 } ?? "u " + unit.id
      if let k = families[key] { return k }
      families[key] = families.count
      return families.count - 1
    }
    let interval = point.isNaN ? nil : bootstrap.interval(rows: units.count, groups: groups, statistic: rates)
    return Effect(
      label: label, contactUnits: contact.count, contactEvents: contact.filter(\.event).count,
      holdBackUnits: held.count, holdBackEvents: held.filter(\.event).count, difference: point.isNaN ? nil : point,
      interval: interval)
  }

  /// Take-up rate among contacted units minus among held-back units (scikit-uplift's `uplift_at_k`, overall).
  static func uplift(_ units: [Unit]) -> Double? {
    let contact = units.filter { $0.arm == .contact }, held = units.filter { $0.arm == .holdBack }
    guard !contact.isEmpty, !held.isEmpty else { return nil }
    return Double(contact.filter { !$0.event }.count) / Double(contact.count)
      - Double(held.filter { !$0.event }.count) / Double(held.count)
  }

  /// scikit-uplift's `qini_curve` (with take-up as the positive outcome), per unit of the list: after the top k units
  /// by probability, `(take-ups among contacted − take-ups among held back × contacted / held back) / n`.
  static func qiniCurve(_ ranked: [Unit]) -> [(x: Double, y: Double)] {
    let n = ranked.count
    guard n > 0 else { return [] }
    var points: [(x: Double, y: Double)] = [(0, 0)]
    var (nt, nc, yt, yc) = (0.0, 0.0, 0.0, 0.0)
    for (k, unit) in ranked.enumerated() {
      if unit.arm == .contact {
        nt += 1
        if !unit.event { yt += 1 }
      } else {
        nc += 1
        if !unit.event { yc += 1 }
      }
      let q = nc > 0 ? yt - yc * nt / nc : yt
      points.append((Double(k + 1) / Double(n), q / Double(n)))
    }
    return points
  }
}
