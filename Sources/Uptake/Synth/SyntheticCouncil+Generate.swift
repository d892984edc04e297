import Foundation
import Learn
import Records

extension SyntheticCouncil {
  /// What a run wrote.
  public struct Summary: Sendable {
    public var rows: [String: Int]
    public var bytes: [String: Int]
    public var eligibleChildren: Int
    /// Eligible children the outreach ledger allocated (0 without one).
    public var outreachMatched = 0
  }

  /// The files `write(to:)` makes.
  static let fileNames = [
    "areas.csv", "families.csv", "children.csv", "health_visits.csv", "hub_sessions.csv", "early_education.csv",
    "outreach_contacts.csv", "truth.csv", "uptake.yaml",
  ]

  /// Writes every table, `truth.csv` and `uptake.yaml` into `directory` (created when missing). Each file appears
  /// only when complete. Rows stream out family by family, so memory stays small at any size.
  /// - Complexity: O(children), about 15 event rows per child.
  public func write(to directory: String) throws -> Summary {
    guard children > 0 else { throw SynthError.invalid("--children must be at least 1, got \(children)") }
    try FileManager.default.createDirectoryIfMissing(directory)
    let path = { (name: String) in directory + "/" + name }
    // Every destination is checked before any file is written, so a refused one leaves the folder as it was.
    try OutputFolder.checkDestinations(
      Self.fileNames.map(path))

    let areas = makeAreas()
    let areasOut = try CSVWriter(
      path: path("areas.csv"),
      header: [
        "lsoa", "ward", "imd_decile", "km_to_nearest_hub", "two_year_places_within_2km",
      ])
    for a in areas {
      areasOut.field(a.code); areasOut.field(a.ward); areasOut.field(a.imdDecile)
      areasOut.field(a.kmToHub, decimals: 2); areasOut.field(a.placesWithin2km); areasOut.endRow()
    }
    var out = Writers(
      families: try CSVWriter(
        path: path("families.csv"),
        header: [
          "family_id", "lone_parent", "children_under_5", "interpreter_needed", "moves_last_12m", "months_at_address",
        ]),
      children: try CSVWriter(
        path: path("children.csv"),
        header: [
          "child_id", "family_id", "date_of_birth", "sex", "ethnicity", "first_language", "lsoa", "eligible_2yo_from",
          "eligibility_basis",
        ]),
      visits: try CSVWriter(
        path: path("health_visits.csv"),
        header: [
          "child_id", "review", "due_date", "outcome", "event_date", "recorded_date",
        ]),
      hubs: try CSVWriter(
        path: path("hub_sessions.csv"),
        header: [
          "family_id", "child_id", "hub_id", "activity", "attended_on", "recorded_date",
        ]),
      education: try CSVWriter(
        path: path("early_education.csv"),
        header: [
          "child_id", "provider_id", "funded_from", "term", "hours_per_week",
        ]),
      outreach: try CSVWriter(
        path: path("outreach_contacts.csv"),
        header: [
          "family_id", "contacted_on", "channel", "outcome",
        ]),
      truth: try CSVWriter(
        path: path("truth.csv"),
        header: [
          "child_id", "p_no_takeup", "logit", "intercept",
        ] + TrueModel.terms.map { "contribution_" + $0 }
          + (outreach.isEmpty
            ? [] : ["outreach_arm", "expected_effect_of_contact", "effect_of_contact", "p_no_takeup_with_arm"])))

    let calibration = Calibration(engagementSD: Family.engagementSD)
    var childNumber = 0
    var familyNumber = 0
    var eligible = 0
    while childNumber < children {
      var rng = SplitMix64(seed: seed ^ (UInt64(familyNumber) &* 0xD1B5_4A32_D192_ED03) ^ 0x5EED)
      let family = Family(number: familyNumber, areas: areas, rng: &rng)
      let kids = family.makeChildren(firstNumber: childNumber, limit: children - childNumber, start: start, rng: &rng)
      eligible += writeFamily(family, kids, areas[family.area], calibration, &out, &rng)
      childNumber += kids.count
      familyNumber += 1
    }

    var summary = Summary(rows: [:], bytes: [:], eligibleChildren: eligible)
    summary.outreachMatched = out.outreachMatched
    for writer in [areasOut, out.families, out.children, out.visits, out.hubs, out.education, out.outreach, out.truth] {
      try writer.finish()
      let name = String(writer.path.split(separator: "/").last!)
      summary.rows[name] = writer.rowsWritten
      summary.bytes[name] = writer.bytesWritten
    }
    let config = ProjectConfigText.synthetic
    try config.writeAtomically(to: path("uptake.yaml"))
    summary.rows["uptake.yaml"] = 0
    summary.bytes["uptake.yaml"] = config.utf8.count
    return summary
  }

  struct Writers {
    var families, children, visits, hubs, education, outreach, truth: CSVWriter
    /// Eligible children found in the outreach ledger.
    var outreachMatched = 0
  }

  /// Writes one family's rows and returns how many of its children are eligible two-year-olds.
  func writeFamily(
    _ family: Family, _ kids: [Child], _ area: Area, _ calibration: Calibration, _ out: inout Writers,
    _ rng: inout SplitMix64
  ) -> Int {
    let f = out.families
    f.field(family.id); f.field(family.loneParent ? "yes" : "no"); f.field(kids.count + family.olderUnder5)
    f.field(family.interpreterNeeded ? "yes" : "no"); f.field(family.moves)
    if let months = family.monthsAtAddress { f.field(months) } else { f.missing() }
    f.endRow()

    // Family-hub sessions: overdispersed counts, so attendance concentrates in a minority of families.
    let firstBirth = kids.map(\.dateOfBirth).min()!
    let windowStart = firstBirth - 60
    let windowEnd = kids.map { $0.dateOfBirth.adding(years: 3) }.max()!
    var sessions: [(attended: Day, recorded: Day)] = []
    let rate = family.hubRate(area: area) * Double(windowEnd - windowStart) / 365
    let count = rng.poisson(rng.gamma(shape: 0.6) / 0.6 * rate)
    for _ in 0..<count {
      let day = windowStart + Int(rng.nextUnit() * Double(windowEnd - windowStart))
      let child = rng.nextUnit() < 0.7 ? kids[Int(rng.next() % UInt64(kids.count))].id : nil
      let hub = rng.nextUnit() < 0.85 ? area.hub : "HUB\(Int(rng.next() % 40) + 1)"
      let activity = Self.activities[Int(rng.next() % UInt64(Self.activities.count))]
      let recorded = day + recordingLag(&rng, quick: true)
      sessions.append((day, recorded))
      guard recorded <= until else { continue }  // not in the extract yet
      let h = out.hubs
      h.field(family.id)
      if let child { h.field(child) } else { h.missing() }
      h.field(hub)
      h.field(activity)
      h.field(day)
      h.field(recorded)
      h.endRow()
    }

    var eligibleCount = 0
    var outreachReached: [Day] = []
    for kid in kids {
      let c = out.children
      c.field(kid.id); c.field(family.id); c.field(kid.dateOfBirth); c.field(kid.sex)
      if let e = family.ethnicity { c.field(e) } else { c.missing() }
      if let language = family.recordedLanguage(&rng) { c.field(language) } else { c.missing() }
      c.field(area.code)
      if let from = kid.eligibleFrom { c.field(from); c.field(kid.basis!) } else { c.missing(); c.missing() }
      c.endRow()

      // Health-visitor reviews, each recorded some time after it happened.
      var missed12Month: (recorded: Day, missed: Bool)? = nil
      for (k, review) in PublishedRates.reviewCompletion.enumerated() {
        let due = kid.dateOfBirth + review.dueDays
        let p = sigmoid(calibration.reviewIntercepts[k] + Family.reviewSlope * kid.engagement)
        let completed = rng.nextUnit() < p
        let outcome = completed ? "completed" : family.missedReviewOutcome(&rng)
        let event = due + (completed ? Int(rng.nextUnit() * 21) : Int(rng.nextUnit() * 14))
        let recorded = event + recordingLag(&rng, quick: false)
        if recorded <= until {
          let v = out.visits
          v.field(kid.id); v.field(review.review); v.field(due); v.field(outcome); v.field(event); v.field(recorded)
          v.endRow()
        }
        if review.review == "12_month" { missed12Month = (recorded, !completed) }
      }

      guard let eligibleFrom = kid.eligibleFrom else {
        writeUniversalPlace(kid, area, &out, &rng)
        continue
      }
      eligibleCount += 1
      let asOf = eligibleFrom - 56

      // Outreach before eligibility, more often for families in deprived areas.
      if rng.nextUnit() < 0.25 + 0.2 * area.deprivation {
        for _ in 0..<(1 + Int(rng.next() % 3)) {
          let day = eligibleFrom - 150 + Int(rng.nextUnit() * 200)
          let reached = rng.nextUnit() < 0.45 + 0.1 * kid.engagement
          let channel = ["phone", "letter", "text", "home_visit"][Int(rng.next() % 4)]
          let result =
            reached ? (rng.nextUnit() < 0.5 ? "reached" : "booked") : (rng.nextUnit() < 0.8 ? "no_answer" : "declined")
          if day <= until {
            let o = out.outreach
            o.field(family.id); o.field(day); o.field(channel); o.field(result)
            o.endRow()
          }
          if reached { outreachReached.append(day) }
        }
      }

      // The truth uses only what the records show before the as-of date (both dated and recorded before it),
      // plus the unobserved part of engagement.
      let hubContact = sessions.contains { $0.attended < asOf && $0.attended >= asOf - 365 && $0.recorded < asOf }
      let missed = missed12Month.map { $0.recorded < asOf && $0.missed } ?? false
      let reached = outreachReached.contains { $0 < asOf }
      let terms: [Double] = [
        area.imdDecile <= 2 ? TrueModel.imdMostDeprived : area.imdDecile <= 4 ? TrueModel.imdDeprived : 0,
        family.eal ? TrueModel.englishAdditionalLanguage : 0,
        (family.moves >= 1 ? TrueModel.movedOnce : 0) + (family.moves >= 2 ? TrueModel.movedTwiceMore : 0),
        hubContact ? 0 : TrueModel.noHubContact,
        family.eal && !hubContact ? TrueModel.ealWithoutHubContact : 0,
        missed ? TrueModel.missed12MonthReview : 0,
        area.kmToHub > 3 ? TrueModel.farFromHub : 0,
        family.loneParent ? TrueModel.loneParent : 0,
        reached ? TrueModel.reachedByOutreach : 0,
        TrueModel.unobservedEngagement * kid.unobservedEngagement,
      ]
      let logit = TrueModel.intercept + terms.reduce(0, +)
      let p = sigmoid(logit)
      // Contact changes the chance, not the random number drawn, so everything else stays as without the trial.
      let arm = outreach[kid.id]
      if arm != nil { out.outreachMatched += 1 }
      let effect = TrueModel.contactEffect(p)
      let chance = arm == .contact ? p + effect : p
      let draw = rng.nextUnit()
      let noTakeUp = draw < chance
      let t = out.truth
      t.field(kid.id); t.field(p, decimals: 6); t.field(logit, decimals: 6); t.field(TrueModel.intercept, decimals: 3)
      for term in terms { t.field(term, decimals: 6) }
      if !outreach.isEmpty {
        // The expected effect, and this child's own: −1 when contact turns not taking up into taking up (the same draw
        // falls between the two chances), else 0 — whose mean over any set of children is their true effect, however
        // they were chosen (a list of those who have not taken up yet is no random sample).
        let own = (draw < p + effect ? 1 : 0) - (draw < p ? 1 : 0)
        t.field(arm?.rawValue ?? ""); t.field(effect, decimals: 6); t.field(own); t.field(chance, decimals: 6)
      }
      t.endRow()

      // Funded two-year-old place: within 120 days of eligibility when taken up; some families start later.
      if !noTakeUp {
        writePlace(kid, area, from: eligibleFrom + (rng.nextUnit() < 0.8 ? 0 : Int(rng.nextUnit() * 110)), &out, &rng)
      } else if rng.nextUnit() < 0.3 {
        writePlace(kid, area, from: eligibleFrom + 130 + Int(rng.nextUnit() * 200), &out, &rng)
      }
      writeUniversalPlace(kid, area, &out, &rng)
    }
    return eligibleCount
  }

  func writeUniversalPlace(_ kid: Child, _ area: Area, _ out: inout Writers, _ rng: inout SplitMix64) {
    guard rng.nextUnit() < PublishedRates.threeYearTakeUp else { return }
    writePlace(kid, area, from: Day.termStart(after: kid.dateOfBirth.adding(years: 3)), &out, &rng)
  }

  func writePlace(_ kid: Child, _ area: Area, from: Day, _ out: inout Writers, _ rng: inout SplitMix64) {
    let provider = "PRV\(area.index % 97 * 13 + Int(rng.next() % 13) + 1)"
    let hours = rng.nextUnit() < 0.85 ? 15 : 30
    guard from <= until else { return }  // starts after the extract was taken
    let e = out.education
    e.field(kid.id); e.field(provider); e.field(from)
    e.field(from.termLabel); e.field(hours)
    e.endRow()
  }

  /// Days between an event and its recording: mostly within a week, some weeks later, a few much later.
  func recordingLag(_ rng: inout SplitMix64, quick: Bool) -> Int {
    let u = rng.nextUnit()
    if quick { return u < 0.9 ? Int(rng.nextUnit() * 3) : 7 + Int(rng.nextUnit() * 14) }
    return u < 0.7 ? Int(rng.nextUnit() * 7) : u < 0.95 ? 7 + Int(rng.nextUnit() * 21) : 28 + Int(rng.nextUnit() * 56)
  }

  static let activities = [
    "stay_and_play", "baby_massage", "parenting_course", "health_clinic", "speech_and_language",
    "messy_play", "breastfeeding_support",
  ]
}

/// The review intercepts that make completion rates match the published ones given the spread of engagement.
struct Calibration {
  let reviewIntercepts: [Double]

  init(engagementSD: Double) {
    reviewIntercepts = PublishedRates.reviewCompletion.map { review in
      // Solve E[σ(a + s·e)] = rate for a, e ~ N(0, sd²), by bisection over a 64-point quadrature.
      var low = -10.0, high = 10.0
      for _ in 0..<60 {
        let mid = (low + high) / 2
        if Calibration.meanCompletion(mid, sd: engagementSD) < review.rate { low = mid } else { high = mid }
      }
      return (low + high) / 2
    }
  }

  static func meanCompletion(_ a: Double, sd: Double) -> Double {
    var total = 0.0, weight = 0.0
    for k in 0..<64 {
      let z = -4 + 8 * (Double(k) + 0.5) / 64
      let w = exp(-z * z / 2)
      total += w * sigmoid(a + Family.reviewSlope * sd * z)
      weight += w
    }
    return total / weight
  }
}

public enum SynthError: Error, Equatable, CustomStringConvertible {
  case invalid(String)
  public var description: String {
    switch self {
    case .invalid(let what): return what
    }
  }
}

extension FileManager {
  /// Folders uptake creates hold data about families: readable by their owner only.
  public static var privateFolder: [FileAttributeKey: Any] { [.posixPermissions: 0o700] }

  func createDirectoryIfMissing(_ path: String) throws {
    try OutputFolder.make(path)
  }
}

extension String {
  /// Writes through a temporary file in the same folder, then renames it into place.
  func writeAtomically(to path: String) throws {
    try AtomicFile.write(Array(utf8), to: path)
  }
}
