import Foundation
import Learn
import Records

/// One LSOA of the synthetic council.
struct Area {
  let index: Int
  let code: String
  let ward: String
  let imdDecile: Int
  let kmToHub: Double
  let placesWithin2km: Int
  let hub: String
  /// 0 (least deprived decile) to 1 (most deprived).
  var deprivation: Double { Double(10 - imdDecile) / 9 }
}

extension SyntheticCouncil {
  /// About 50 children under five per LSOA (an LSOA has ~1,500 residents, IoD2025); six LSOAs per ward; a hub
  /// per fifteen. The council leans slightly deprived; 8% of LSOAs are rural, 3.5–9.5 km from a hub.
  func makeAreas() -> [Area] {
    var rng = SplitMix64(seed: seed ^ 0xA4EA_5A4E)
    let count = max(30, children / 50)
    let decileWeights = (1...10).map { 1.0 + 0.06 * Double(10 - $0) }
    return (0..<count).map { i in
      let decile = rng.pick(weights: decileWeights) + 1
      let rural = rng.nextUnit() < 0.08
      let km = rural ? 3.5 + 6 * rng.nextUnit() : min(8, exp(log(1.2) + 0.55 * rng.normal()))
      return Area(
        index: i, code: "E01\(100_000 + i)", ward: "E05\(100_000 + i / 6)", imdDecile: decile, kmToHub: km,
        placesWithin2km: rng.poisson(max(2, 24 - 2.5 * km)), hub: "HUB\(i / 15 + 1)")
    }
  }
}

/// One family: where it lives, its circumstances and its latent engagement with services.
struct Family {
  static let engagementSD = 0.95
  /// Log-odds of completing a review per unit of engagement.
  static let reviewSlope = 0.9

  let id: String
  let area: Int
  let deprivation: Double
  let eal: Bool
  let ethnicity: String?
  let loneParent: Bool
  let interpreterNeeded: Bool
  let moves: Int
  let monthsAtAddress: Int?
  let olderUnder5: Int
  /// Shared by the family's children; centred near zero over the council.
  let engagement: Double
  let economicallyEligible: Bool

  init(number: Int, areas: [Area], rng: inout SplitMix64) {
    id = "F\(10_000_000 + number)"
    area = Int(rng.next() % UInt64(areas.count))
    let dep = areas[area].deprivation
    deprivation = dep
    eal = rng.nextUnit() < sigmoid(-1.7 + 1.3 * dep)
    if rng.nextUnit() < 0.04 {
      ethnicity = nil  // not recorded
    } else if eal {
      ethnicity =
        [
          "Asian or Asian British", "White - other", "Black or Black British", "Any other ethnic group",
          "Mixed or multiple",
        ][rng.pick(weights: [0.4, 0.3, 0.15, 0.1, 0.05])]
    } else {
      ethnicity =
        [
          "White British", "Mixed or multiple", "Asian or Asian British", "Black or Black British",
          "White - other",
        ][rng.pick(weights: [0.82, 0.07, 0.05, 0.04, 0.02])]
    }
    loneParent = rng.nextUnit() < 0.15 + 0.2 * dep
    interpreterNeeded = eal && rng.nextUnit() < 0.35
    moves = min(3, rng.poisson(0.12 + 0.3 * dep))
    if rng.nextUnit() < 0.03 {
      monthsAtAddress = nil
    } else {
      monthsAtAddress = moves > 0 ? 1 + Int(rng.nextUnit() * 11) : 12 + Int(-36 * log(1 - rng.nextUnit()))
    }
    olderUnder5 = rng.nextUnit() < 0.25 ? 1 : 0
    engagement = 0.8 * rng.normal() - 0.35 * (dep - 0.5) - 0.25 * ((eal ? 1 : 0) - 0.25)
    economicallyEligible = rng.nextUnit() < sigmoid(-2.5 + 2.4 * dep)
  }

  /// Family-hub sessions a year: more for engaged families, fewer the further the hub.
  func hubRate(area: Area) -> Double {
    exp(0.6 + 0.9 * engagement - 0.2 * max(0, area.kmToHub - 1))
  }

  func missedReviewOutcome(_ rng: inout SplitMix64) -> String {
    if moves > 0 && rng.nextUnit() < 0.3 { return "moved_out" }
    return ["did_not_attend", "declined", "no_access", "moved_out"][rng.pick(weights: [0.5, 0.15, 0.27, 0.08])]
  }

  /// First language as a council export records it: "English"/"Other", occasionally mis-cased or missing.
  func recordedLanguage(_ rng: inout SplitMix64) -> String? {
    let u = rng.nextUnit()
    if u < 0.02 { return nil }
    if u < 0.03 { return eal ? "other" : "english" }
    if u < 0.035 { return eal ? "OTHER " : "ENGLISH " }
    return eal ? "Other" : "English"
  }

  /// One to three children born in the cohort window (82% / 16% / 2%).
  func makeChildren(firstNumber: Int, limit: Int, start: Day, rng: inout SplitMix64) -> [Child] {
    let count = min(limit, 1 + rng.pick(weights: [0.82, 0.16, 0.02]))
    var born = start + Int(rng.nextUnit() * 730)
    var kids: [Child] = []
    for k in 0..<count {
      if k > 0 { born = born + 300 + Int(rng.nextUnit() * 400) }
      var basis: String? = economicallyEligible ? "economic" : nil
      if basis == nil && rng.nextUnit() < PublishedRates.eligibleShare * PublishedRates.lookedAfterShare {
        basis = "looked_after"
      }
      if basis == nil && rng.nextUnit() < PublishedRates.eligibleShare * PublishedRates.sendShare { basis = "send" }
      kids.append(
        Child(
          id: "C\(10_000_000 + firstNumber + k)", dateOfBirth: born, sex: rng.nextUnit() < 0.51 ? "M" : "F",
          eligibleFrom: basis == nil ? nil : Day.termStart(after: born.adding(years: 2)), basis: basis,
          engagement: engagement + 0.5 * rng.normal()))
    }
    return kids
  }
}

struct Child {
  let id: String
  let dateOfBirth: Day
  let sex: String
  let eligibleFrom: Day?
  let basis: String?
  /// The family's engagement plus the child's own variation.
  let engagement: Double
  /// Engagement in standard deviations: the truth's unobserved term.
  var unobservedEngagement: Double { engagement / Family.engagementSD }
}

func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

extension Day {
  /// The first term start (1 January, 1 April, 1 September) after `day`: when a funded place can begin.
  static func termStart(after day: Day) -> Day {
    let (y, m, _) = day.civil
    if m < 4 { return Day(year: y, month: 4, day: 1)! }
    if m < 9 { return Day(year: y, month: 9, day: 1)! }
    return Day(year: y + 1, month: 1, day: 1)!
  }

  /// "autumn 2023", "spring 2024", "summer 2024".
  var termLabel: String {
    let (y, m, _) = civil
    return (m >= 9 ? "autumn " : m <= 3 ? "spring " : "summer ") + String(y)
  }
}

extension SplitMix64 {
  /// A standard normal (Box–Muller).
  mutating func normal() -> Double {
    let u = max(nextUnit(), 1e-300)
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * nextUnit())
  }

  /// A Poisson count (inversion for small means, normal approximation above 50).
  mutating func poisson(_ mean: Double) -> Int {
    if mean <= 0 { return 0 }
    if mean > 50 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
    let limit = exp(-mean)
    var product = nextUnit()
    var k = 0
    while product > limit {
      product *= nextUnit()
      k += 1
    }
    return k
  }

  /// A Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)).
  mutating func gamma(shape: Double) -> Double {
    if shape < 1 { return gamma(shape: shape + 1) * pow(max(nextUnit(), 1e-300), 1 / shape) }
    let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
    while true {
      let x = normal()
      let v = pow(1 + c * x, 3)
      if v <= 0 { continue }
      if log(max(nextUnit(), 1e-300)) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
    }
  }

  /// An index drawn with the given (unnormalised) weights.
  mutating func pick(weights: [Double]) -> Int {
    var u = nextUnit() * weights.reduce(0, +)
    for (i, w) in weights.enumerated() {
      u -= w
      if u < 0 { return i }
    }
    return weights.count - 1
  }
}
