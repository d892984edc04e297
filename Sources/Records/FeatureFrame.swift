/// What a model sees: one row per unit of the population, with its id, group, protected attributes, features and
/// (when known) outcome. Produced by `FeatureEngine` from linked records, consumed by both learners' encoders.
public struct FeatureFrame: Sendable {
  public var ids: [String]
  public var groups: [String]?
  public var asOf: [Day]
  /// Named feature columns, in config order.
  public var features: [Column]
  /// Reason templates by feature name.
  public var reasons: [String: String]
  /// Data-quality findings worth a warning (keys with no match in a linked table, events dated after today).
  public var notes: [String] = []
  /// Reasons for a missing value, by feature name, where the config gives one.
  public var reasonsWhenMissing: [String: String] = [:]
  public var protected: [Column]
  /// The outcome per row, when the config defines one.
  public var labels: [Bool]?
  /// Columns asked for beside the features (e.g. the ward a contact list is split by); never used by a model.
  public var extras: [Column] = []
  /// Columns the config allows although they are named like personal data (`personal: { allow: [...] }`).
  public var personalAllowed: Set<String> = []
  /// Rows whose outcome is not known yet: their outcome window ends after `dataUntil`. Empty when none is.
  public var censored: [Bool] = []
  /// Per unit, whether the outcome event can no longer happen by the end of the data: a known non-event, or an open
  /// window already past the event's count (a child with a funded place recorded has taken up). Empty without an
  /// outcome.
  public var eventRuledOut: [Bool] = []
  /// The actions of modifiable features (`modifiable: true`, `action:` in uptake.yaml), by feature name.
  public var actions: [String: String] = [:]
  /// The day up to which the records are complete, and where that date came from ("the latest event date").
  public var dataUntil: DataUntil? = nil
  /// The date each unit's as-of date is counted from (e.g. `eligible_2yo_from`, when as-of is 56 days before it):
  /// its column name and the offset, so that `anchor = asOf − offsetDays`. Nil for a fixed or overridden as-of date.
  public var anchor: (name: String, offsetDays: Int)? = nil
  /// The feature that is the unit's age in months at its as-of date (`aggregation: age_in_months`), if any.
  public var ageFeature: String? = nil
  /// Features that are protected attributes (see `ProjectConfig.protectedFeatures`).
  public var protectedFeatures: [String] = []
  /// Features whose reason is a service need, printed as written whatever the value (`reason_style: need`).
  public var needReasons: Set<String> = []
  /// What a row is: a child (the default), a family, ...
  public var unit: UnitName = .child

  /// The end of the data, stated in every summary.
  public struct DataUntil: Sendable, Equatable {
    public var day: Day
    /// "data_until in uptake.yaml", "--data-until", "the latest event date" or "today".
    public var source: String
    public init(day: Day, source: String) {
      self.day = day
      self.source = source
    }
    public var description: String { "\(day) (\(source))" }
  }

  public init(
    ids: [String], groups: [String]?, asOf: [Day], features: [Column], reasons: [String: String],
    protected: [Column], labels: [Bool]?, extras: [Column] = [], reasonsWhenMissing: [String: String] = [:],
    notes: [String] = []
  ) {
    self.notes = notes
    self.reasonsWhenMissing = reasonsWhenMissing
    self.ids = ids
    self.groups = groups
    self.asOf = asOf
    self.features = features
    self.reasons = reasons
    self.protected = protected
    self.labels = labels
    self.extras = extras
  }

  public var rowCount: Int { ids.count }
  public func isCensored(_ row: Int) -> Bool { !censored.isEmpty && censored[row] }
  public var censoredCount: Int { censored.reduce(0) { $0 + ($1 ? 1 : 0) } }
  public func feature(_ name: String) -> Column? { features.first { $0.name == name } }
  /// Unit `row`'s anchor date, when the frame has one.
  public func anchorDay(_ row: Int) -> Day? { anchor.map { asOf[row] + (-$0.offsetDays) } }
}

extension FeatureFrame {
  /// The rows `rows` only, in that order.
  public func selecting(_ rows: [Int]) -> FeatureFrame {
    var out = FeatureFrame(
      ids: rows.map { ids[$0] }, groups: groups.map { g in rows.map { g[$0] } },
      asOf: asOf.isEmpty ? [] : rows.map { asOf[$0] }, features: features.map { $0.subset(rows) },
      reasons: reasons, protected: protected.map { $0.subset(rows) }, labels: labels.map { l in rows.map { l[$0] } },
      extras: extras.map { $0.subset(rows) }, reasonsWhenMissing: reasonsWhenMissing, notes: notes)
    out.censored = censored.isEmpty ? [] : rows.map { censored[$0] }
    out.eventRuledOut = eventRuledOut.isEmpty ? [] : rows.map { eventRuledOut[$0] }
    out.actions = actions
    out.personalAllowed = personalAllowed
    out.dataUntil = dataUntil
    out.anchor = anchor
    out.ageFeature = ageFeature
    out.protectedFeatures = protectedFeatures
    out.unit = unit
    out.needReasons = needReasons
    return out
  }

  /// The rows whose outcome is known (all of them when none is censored).
  public var knownOutcomes: FeatureFrame {
    censored.isEmpty ? self : selecting((0..<rowCount).filter { !censored[$0] })
  }
}

extension FeatureFrame {
  /// The first id that appears more than once, and how often, or nil when every id is unique.
  public var duplicateId: (id: String, count: Int)? {
    // Sorted 64-bit hashes first: unique ids (the usual case) are confirmed without a dictionary of a million
    // strings; equal hashes (a duplicate, or a collision) send it to the exact count below.
    var hashes = ids.map { id -> UInt64 in
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
      return h
    }
    hashes.sort()
    guard zip(hashes, hashes.dropFirst()).contains(where: { $0 == $1 }) else { return nil }
    var seen: [String: Int] = [:]
    var first: String? = nil
    for id in ids {
      seen[id, default: 0] += 1
      if first == nil, seen[id] == 2 { first = id }
    }
    return first.map { ($0, seen[$0]!) }
  }
}
