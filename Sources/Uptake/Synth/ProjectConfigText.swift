/// The `uptake.yaml` written beside the synthetic council's tables.
///
/// It follows the project-config shape of the records issue (tables, links, population, as-of date, outcome, group,
/// id, protected attributes, features with reason templates); the `Records` module reads it.
enum ProjectConfigText {
  static let synthetic = """
    # uptake project config: the synthetic council written by `uptake synth`.
    # Who: eligible two-year-olds. When: 8 weeks before each child's funded place could start.
    # Outcome: no funded early-education place starting within 120 days of eligibility.
    version: 1

    tables:
      children:
        file: children.csv
        key: child_id
      families:
        file: families.csv
        key: family_id
      areas:
        file: areas.csv
        key: lsoa
      health_visits:
        file: health_visits.csv
        event_time: event_date
        recorded_time: recorded_date
      hub_sessions:
        file: hub_sessions.csv
        event_time: attended_on
        recorded_time: recorded_date
      early_education:
        file: early_education.csv
        event_time: funded_from
      outreach_contacts:
        file: outreach_contacts.csv
        event_time: contacted_on

    links:
      - from: children.family_id
        to: families.family_id
      - from: children.lsoa
        to: areas.lsoa
      - from: health_visits.child_id
        to: children.child_id
      - from: hub_sessions.family_id
        to: families.family_id
      - from: early_education.child_id
        to: children.child_id
      - from: outreach_contacts.family_id
        to: families.family_id

    population:
      table: children
      where: eligible_2yo_from is present

    id: child_id
    group: family_id
    unit: child        # what a row is, as reports and lists count it ("1,204 children")

    as_of:
      column: eligible_2yo_from
      offset_days: -56

    outcome:
      name: no_funded_place
      table: early_education
      aggregation: count
      window:
        anchor: eligible_2yo_from
        from_days: 0
        to_days: 120
      event_when: equals 0

    protected: [ethnicity, sex, first_language]

    features:
      - name: imd_decile
        column: areas.imd_decile
        reason: "lives in an area of IMD decile {value} (1 = most deprived)"
      - name: km_to_nearest_hub
        column: areas.km_to_nearest_hub
        reason: "{value} km from the nearest family hub"
      - name: two_year_places_within_2km
        column: areas.two_year_places_within_2km
        reason: "funded two-year-old places within 2 km: {value}"
      - name: lone_parent
        column: families.lone_parent
        reason: "lone parent: {value}"
      - name: interpreter_needed
        column: families.interpreter_needed
        reason: "interpreter needed: {value}"
      - name: moves_last_12m
        column: families.moves_last_12m
        reason: "home moves in the last 12 months: {value}"
      - name: months_at_address
        column: families.months_at_address
        reason: "{value} months at the current address"
        reason_when_missing: "time at the current address not recorded"
      - name: hub_sessions_12m
        table: hub_sessions
        aggregation: count
        window: { last_days: 365 }
        reason: "family-hub sessions in the last 12 months: {value}"
      - name: days_since_hub_session
        table: hub_sessions
        aggregation: days_since_last
        reason: "last family-hub session {value} days ago"
        reason_when_missing: "no family-hub session on record"
      - name: reviews_missed
        table: health_visits
        aggregation: count
        where: { outcome: [did_not_attend, declined, no_access] }
        reason: "health-visitor reviews missed: {value}"
      - name: missed_12m_review
        table: health_visits
        aggregation: exists
        where: { review: 12_month, outcome: [did_not_attend, declined, no_access, moved_out] }
        reason: "12-month review not completed"
      - name: outreach_reached
        table: outreach_contacts
        aggregation: exists
        where: { outcome: [reached, booked] }
        reason: "reached by an earlier outreach contact"
      - name: age_months
        aggregation: age_in_months
        column: children.date_of_birth
        reason: "{value} months old"

    """
}
