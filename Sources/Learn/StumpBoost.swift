/// A fitted ensemble of boosted decision stumps, compiled to one lookup table per feature.
///
/// Each stump splits one feature, so all stumps on feature `j` add up to a step function `f_j` over its bins. After
/// training these are summed into `tables[j]`, centred on the training data (weighted by the sample weights) with
/// the means moved into `intercept`. Then
/// `logit p(x) = intercept + Σⱼ tables[j][bin_j(x)]`, and `φⱼ = tables[j][bin_j(x)]` is feature `j`'s exact
/// interventional SHAP value with the training data as background. Scoring costs one lookup per feature, whatever
/// the number of rounds.
public struct StumpBoost: Codable, Equatable, Sendable {
  public let configuration: Configuration
  /// How each feature is binned; new data are binned with these.
  public let binnings: [FeatureBinning]
  /// Mean training margin: the baseline of every explanation.
  public let intercept: Double
  /// Per feature, the centred log-odds contribution of each bin (value bins, then missing).
  public let tables: [[Double]]
  /// Mean `|φⱼ|` over the training rows: how much each feature moves scores on average.
  public let importance: [Double]
  /// What training did, round by round (with bags: every bag's kept stumps, and their mean rounds kept).
  public let history: TrainingHistory
  /// With outer bagging, each bag's own model (centred on all the training rows), whose average `intercept` and
  /// `tables` are: the spread across bags says how much each bin's value, and each row's margin, moves with the
  /// sample the model was trained on. nil for one model.
  public let bags: [Bag]?
  /// Pairwise interactions boosted after the main effects, each one more term of the margin (nil: none).
  public internal(set) var pairs: [Pair]? = nil

  public var featureNames: [String] { binnings.map(\.name) }
  public var featureCount: Int { binnings.count }
}

extension StumpBoost {
  /// Hyperparameters, named as in LightGBM where one exists.
  public struct Configuration: Codable, Equatable, Hashable, Sendable {
    /// Boosting rounds (one stump each); with early stopping, the most allowed.
    public var rounds: Int
    /// Shrinkage of each stump (`learning_rate`).
    public var learningRate: Double
    /// Value bins per numeric feature at most (`max_bin`), ≤ 255; a missing bin is extra.
    public var maxBins: Int
    /// Categories seen fewer times share an "other" bin.
    public var minCategoryCount: Int
    /// L2 penalty on leaf values (`lambda_l2`): a leaf's value is `−G / (H + l2)`.
    public var l2: Double
    /// Least hessian sum per side of a split (`min_sum_hessian_in_leaf`).
    public var minHessianPerSide: Double
    /// Least rows per side of a split (`min_data_in_leaf`).
    public var minRowsPerSide: Int
    /// Least gain for a split to be made (`min_gain_to_split`); a round with none ends training.
    public var minGain: Double
    /// Per-feature shape constraints by feature name, enforced at every split.
    public var monotone: [String: Monotonicity]
    public var classWeight: ClassWeight
    /// Stop when the validation loss has not improved for `patience` rounds, keeping the best round.
    public var earlyStopping: EarlyStopping?
    /// Seeds the binning sample and the internal validation split.
    public var seed: UInt64
    /// How each round picks its feature.
    public var boosting: Boosting
    /// Models averaged (outer bagging, as InterpretML's EBM): each boosted on its own seeded share of the rows (of
    /// the groups, when groups are given), stopping early on the rest when `earlyStopping` is set, side by side on
    /// the threads. Their average is still one table per feature. 1: one model on every row.
    public var bags: Int
    /// Pairs of features to add as 2-D tables after the main effects (0: none), chosen by FAST on the residuals.
    public var interactions: Int
    /// Most rounds of the pair stage (one pair's four-cell split each); nil: `rounds`.
    public var interactionRounds: Int?

    /// The pair stage's most rounds.
    public var pairRoundLimit: Int { interactionRounds ?? rounds }

    public init(
      rounds: Int = 300, learningRate: Double = 0.1, maxBins: Int = 255, minCategoryCount: Int = 10,
      l2: Double = 0, minHessianPerSide: Double = 1e-3, minRowsPerSide: Int = 20, minGain: Double = 0,
      monotone: [String: Monotonicity] = [:], classWeight: ClassWeight = .none,
      earlyStopping: EarlyStopping? = nil, seed: UInt64 = 0, bags: Int = 1, boosting: Boosting = .greedy,
      interactions: Int = 0, interactionRounds: Int? = nil
    ) {
      self.bags = bags
      self.interactions = interactions
      self.interactionRounds = interactionRounds
      self.boosting = boosting
      self.rounds = rounds
      self.learningRate = learningRate
      self.maxBins = maxBins
      self.minCategoryCount = minCategoryCount
      self.l2 = l2
      self.minHessianPerSide = minHessianPerSide
      self.minRowsPerSide = minRowsPerSide
      self.minGain = minGain
      self.monotone = monotone
      self.classWeight = classWeight
      self.earlyStopping = earlyStopping
      self.seed = seed
    }
  }

  /// How a round picks the feature of its stump.
  public enum Boosting: String, Codable, Equatable, Hashable, Sendable, CaseIterable {
    /// The split of largest gain over every feature (as LightGBM with `num_leaves=2`).
    case greedy
    /// Each feature in turn, its best split (as InterpretML's EBM, whose rounds are a pass over every feature).
    case cyclic
  }

  /// A shape constraint: the feature's contribution may only rise (or only fall) with its value.
  public enum Monotonicity: String, Codable, Equatable, Hashable, Sendable {
    case increasing, decreasing
  }

  /// Early stopping on a validation set: given to `fit`, or split off internally.
  public struct EarlyStopping: Codable, Equatable, Hashable, Sendable {
    /// Rounds without improvement before stopping.
    public var patience: Int
    /// Share of rows (or of groups, when groups are given) held out when no validation set is passed.
    public var validationFraction: Double

    public init(patience: Int = 20, validationFraction: Double = 0.2) {
      self.patience = patience
      self.validationFraction = validationFraction
    }
  }

  /// One bag of an outer-bagged model: its own intercept and centred tables, and what its training did.
  public struct Bag: Codable, Equatable, Sendable {
    public var intercept: Double
    public var tables: [[Double]]
    public var history: TrainingHistory
  }

  /// What training did.
  public struct TrainingHistory: Codable, Equatable, Sendable {
    /// Feature index of each kept round's stump.
    public var features: [Int]
    /// Gain of each kept round's split.
    public var gains: [Double]
    /// Mean weighted validation log-loss after each round trained (all rounds, also those dropped).
    public var validationLoss: [Double]
    /// Rounds kept in the model (the best validation round with early stopping).
    public var roundsKept: Int
    /// Why training ended.
    public var stopReason: StopReason
  }
}

extension StumpBoost.Configuration {
  private enum CodingKeys: String, CodingKey {
    case rounds, learningRate, maxBins, minCategoryCount, l2, minHessianPerSide, minRowsPerSide, minGain, monotone
    case classWeight, earlyStopping, seed, bags, boosting, interactions, interactionRounds
  }

  /// Writes `bags`, `boosting` and the interactions only when they are not the defaults, so a bundle from before them encodes to the
  /// same bytes (its checksum is over them).
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(rounds, forKey: .rounds)
    try c.encode(learningRate, forKey: .learningRate)
    try c.encode(maxBins, forKey: .maxBins)
    try c.encode(minCategoryCount, forKey: .minCategoryCount)
    try c.encode(l2, forKey: .l2)
    try c.encode(minHessianPerSide, forKey: .minHessianPerSide)
    try c.encode(minRowsPerSide, forKey: .minRowsPerSide)
    try c.encode(minGain, forKey: .minGain)
    try c.encode(monotone, forKey: .monotone)
    try c.encode(classWeight, forKey: .classWeight)
    try c.encodeIfPresent(earlyStopping, forKey: .earlyStopping)
    try c.encode(seed, forKey: .seed)
    if bags != 1 { try c.encode(bags, forKey: .bags) }
    if boosting != .greedy { try c.encode(boosting, forKey: .boosting) }
    if interactions != 0 {
      try c.encode(interactions, forKey: .interactions)
      try c.encodeIfPresent(interactionRounds, forKey: .interactionRounds)
    }
  }

  /// Decodes bundles written before bagging, cyclic boosting and interactions (no `bags`: one model; no `boosting`:
  /// greedy; no `interactions`: none).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      rounds: try c.decode(Int.self, forKey: .rounds), learningRate: try c.decode(Double.self, forKey: .learningRate),
      maxBins: try c.decode(Int.self, forKey: .maxBins),
      minCategoryCount: try c.decode(Int.self, forKey: .minCategoryCount), l2: try c.decode(Double.self, forKey: .l2),
      minHessianPerSide: try c.decode(Double.self, forKey: .minHessianPerSide),
      minRowsPerSide: try c.decode(Int.self, forKey: .minRowsPerSide),
      minGain: try c.decode(Double.self, forKey: .minGain),
      monotone: try c.decode([String: StumpBoost.Monotonicity].self, forKey: .monotone),
      classWeight: try c.decode(ClassWeight.self, forKey: .classWeight),
      earlyStopping: try c.decodeIfPresent(StumpBoost.EarlyStopping.self, forKey: .earlyStopping),
      seed: try c.decode(UInt64.self, forKey: .seed), bags: try c.decodeIfPresent(Int.self, forKey: .bags) ?? 1,
      boosting: try c.decodeIfPresent(StumpBoost.Boosting.self, forKey: .boosting) ?? .greedy,
      interactions: try c.decodeIfPresent(Int.self, forKey: .interactions) ?? 0,
      interactionRounds: try c.decodeIfPresent(Int.self, forKey: .interactionRounds))
  }
}
