import Foundation
import Learn
import Testing

@testable import Uptake

@Suite("Measured impact of outreach on a randomised hold-back")
struct ImpactEstimateTests {
  /// The true effect of contact on the chance of not taking up at risk `p`: largest at intermediate risk (Athey,
  /// Keleher & Spiess 2023), nothing at the ends.
  static func trueEffect(_ p: Double) -> Double { -0.25 * 4 * p * (1 - p) }

  /// One simulated trial: units in families (a third with a sibling), risks spread over the bands, half held back
  /// within each band, outcomes drawn with the true effect for the contacted.
  static func trial(seed: UInt64, units n: Int = 3_000) -> (units: [ImpactEstimate.Unit], truth: Double) {
    var rng = SplitMix64(seed: seed)
    var ids: [String] = [], families: [String] = [], risks: [Double] = []
    var family = 0
    while ids.count < n {
      let siblings = rng.nextUnit() < 0.33 ? 2 : 1
      let base = 0.05 + 0.85 * rng.nextUnit()
      for s in 0..<siblings where ids.count < n {
        ids.append("C\(family)-\(s)")
        families.append("F\(family)")
        risks.append(min(0.95, max(0.02, base + 0.05 * (rng.nextUnit() - 0.5))))
      }
      family += 1
    }
    let strata = risks.map { HoldBack.stratum(group: nil, probability: $0) }
    let arms = HoldBack.allocate(ids: ids, strata: strata, share: 0.5, seed: seed)
    let units = ids.indices.map { i in
      let p = risks[i] + (arms[i] == .contact ? trueEffect(risks[i]) : 0)
      return ImpactEstimate.Unit(
        id: ids[i], family: families[i], arm: arms[i], probability: risks[i], band: HoldBack.band(risks[i]),
        group: "all", event: rng.nextUnit() < p)
    }
    return (units, risks.map(trueEffect).reduce(0, +) / Double(n))
  }

  @Test("the 95% interval covers the true average effect in at least 90% of 50 seeded trials; bands rank as the truth")
  func coverage() {
    var covered = 0
    var bandSums: [String: (estimate: Double, truth: Double, trials: Int)] = [:]
    for seed in 1...50 {
      let (units, truth) = Self.trial(seed: UInt64(seed))
      let impact = ImpactEstimate(units: units, bootstrap: Bootstrap(replicates: 200, seed: UInt64(seed)))
      let ci = impact.overall.interval!
      if ci.lower <= truth && truth <= ci.upper { covered += 1 }
      for band in impact.byBand {
        let members = units.filter { $0.band == band.label }
        let bandTruth = members.map { Self.trueEffect($0.probability) }.reduce(0, +) / Double(members.count)
        let old = bandSums[band.label] ?? (0, 0, 0)
        bandSums[band.label] = (old.estimate + band.difference!, old.truth + bandTruth, old.trials + 1)
      }
    }
    #expect(covered >= 45, "covered in \(covered) of 50 trials")
    let bands = bandSums.keys.sorted()
    let byEstimate = bands.sorted { bandSums[$0]!.estimate < bandSums[$1]!.estimate }
    let byTruth = bands.sorted { bandSums[$0]!.truth < bandSums[$1]!.truth }
    #expect(byEstimate == byTruth, "estimated order \(byEstimate), true order \(byTruth)")
  }

  @Test("uplift and the Qini curve follow scikit-uplift's definitions on a hand-made example")
  func upliftAndQini() {
    // Four units ranked by probability: contact took up, hold-back did not, contact did not, hold-back took up.
    let units: [ImpactEstimate.Unit] = [
      .init(id: "a", family: nil, arm: .contact, probability: 0.9, band: "60–100%", group: "all", event: false),
      .init(id: "b", family: nil, arm: .holdBack, probability: 0.8, band: "60–100%", group: "all", event: true),
      .init(id: "c", family: nil, arm: .contact, probability: 0.5, band: "40–60%", group: "all", event: true),
      .init(id: "d", family: nil, arm: .holdBack, probability: 0.1, band: "0–20%", group: "all", event: false),
    ]
    let impact = ImpactEstimate(units: units, bootstrap: Bootstrap(replicates: 50))
    #expect(impact.overall.difference == 0)
    #expect(impact.upliftAtShare[1].uplift == 1, "top half: contacted a took up, held-back b did not")
    #expect(impact.upliftAtShare[3].uplift == 0)
    let q = impact.qini.map(\.y)
    // After a: 1 − 0 = 1; after b: 1 − 0·1/1 = 1; after c: 1 − 0·2/1 = 1; after d: 1 − 1·2/2 = 0; per unit of 4.
    #expect(q == [0, 0.25, 0.25, 0.25, 0])
    #expect(impact.minimumDetectableEffect! > 1, "four units detect nothing")
    // Found by a trial: bands of one or two units showed zero-width "intervals" and single children's outcomes.
    #expect(impact.byBand.isEmpty && impact.suppressed == 3)
  }
}
