import Learn
import Records

#if canImport(Glibc)
  import Glibc
#endif

/// A synthetic English council's early-years records with a known truth: what `uptake synth` writes.
///
/// Families live in LSOAs with an IMD decile, a distance to the nearest family hub and nearby two-year-old places.
/// Each family has a latent engagement level that its children share; it drives health-visitor review completion and
/// family-hub attendance. Eligible two-year-olds fail to take up a funded place with probability
/// `σ(TrueModel.logit)`, whose drivers are all visible in the records at the as-of date (8 weeks before
/// eligibility) except the unobserved part of engagement — so a model can approach the oracle but not reach it.
/// Every figure the generator aims at is in `PublishedRates`, with its source.
public struct SyntheticCouncil: Sendable {
  public var children: Int
  public var seed: UInt64
  /// First possible date of birth; births spread over the two years that follow.
  public var start: Day
  /// The day the extract is taken: no event dated or recorded after it is written. Default: four years after `start`
  /// (the first births' eligible cohorts have known outcomes, the latest are still open, as in a real extract), but
  /// never later than yesterday, so no event lies in the future.
  public let until: Day
  /// A hold-back's arms by child id (from an allocation ledger): children allocated to contact have their chance of
  /// not taking up lowered by `TrueModel.contactEffect`, drawn with the same random numbers, so the council is
  /// otherwise the same; truth.csv then gives each child's arm and true effect. Empty: no outreach trial.
  public var outreach: [String: Arm] = [:]

  public init(
    children: Int = 20_000, seed: UInt64 = 1, start: Day = Day(year: 2021, month: 1, day: 1)!, dataUntil: Day? = nil
  ) {
    self.children = children
    self.seed = seed
    self.start = start
    self.until = dataUntil ?? min(start.adding(years: 4), Day.today - 1)
  }

  /// The files written, in the order they are written.
  public static let files = [
    "areas.csv", "families.csv", "children.csv", "health_visits.csv", "hub_sessions.csv", "early_education.csv",
    "outreach_contacts.csv", "truth.csv", "uptake.yaml",
  ]
}

/// The published English figures the synthetic council is calibrated to (`../shared/domain.md`).
public enum PublishedRates {
  /// Share of a birth cohort eligible for the funded two-year-old place: ~27% (DfE).
  public static let eligibleShare = 0.27
  /// Basis of eligibility: 95.6% economic, 2.8% looked-after/adopted, 0.7% high-level SEND (DfE 2024); the
  /// remainder is folded into economic.
  public static let lookedAfterShare = 0.028
  public static let sendShare = 0.007
  /// Two-year-old take-up 72–75% (2018–2024): non-take-up 25–30%.
  public static let nonTakeUp = 0.27
  /// Healthy Child Programme review completion, England: new birth visit within 14 days 85.2% (2024/25),
  /// 6–8 weeks 81.8% (2023/24), 12 months by 15 months 88.4%, 2–2½ years 80.8% (2024/25). Antenatal contact
  /// coverage is not published nationally; 70% is assumed.
  public static let reviewCompletion: [(review: String, dueDays: Int, rate: Double)] = [
    ("antenatal", -60, 0.70), ("new_birth", 12, 0.852), ("6_8_week", 49, 0.818), ("12_month", 365, 0.884),
    ("2_2half_year", 820, 0.808),
  ]
  /// Universal 15 hours for three- and four-year-olds: 90–95% take-up.
  public static let threeYearTakeUp = 0.92
}

/// The true data-generating model of non-take-up, in log-odds. `truth.csv` writes each term per child.
public enum TrueModel {
  public static let intercept = -2.7
  /// Threshold effect of deprivation: IMD decile 1–2 (most deprived) and 3–4.
  public static let imdMostDeprived = 1.1
  public static let imdDeprived = 0.15
  public static let englishAdditionalLanguage = 0.6
  public static let movedOnce = 0.5
  public static let movedTwiceMore = 0.3
  /// No family-hub session recorded in the 12 months before the as-of date.
  public static let noHubContact = 0.7
  /// The interaction: EAL families with no hub contact miss out more than the two effects add up to.
  public static let ealWithoutHubContact = 0.5
  /// The 12-month review not completed (as recorded before the as-of date).
  public static let missed12MonthReview = 0.6
  /// Threshold effect of distance: more than 3 km to the nearest hub.
  public static let farFromHub = 0.9
  public static let loneParent = 0.2
  /// An earlier outreach contact that reached the family before the as-of date.
  public static let reachedByOutreach = -0.4
  /// The unobserved part of family engagement (per standard deviation).
  public static let unobservedEngagement = -0.55

  /// The true effect of contact on the chance of not taking up, by the chance without it: largest at intermediate
  /// risk (as Athey, Keleher & Spiess 2023 found for nudges), nothing at the ends; −0.15 at 0.5.
  public static func contactEffect(_ p: Double) -> Double { -0.15 * 4 * p * (1 - p) }

  public static let terms = [
    "imd", "eal", "moves", "no_hub_contact", "eal_x_no_hub_contact", "missed_12m_review", "far_from_hub",
    "lone_parent", "reached_by_outreach", "unobserved_engagement",
  ]
}
