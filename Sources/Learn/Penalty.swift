/// How strongly a penalty is applied, in one of two common conventions.
///
/// With effective weights `wᵢ` (sample weight × class weight), `W = Σ wᵢ`, log-loss `ℓᵢ` and penalty `P(β)`:
/// - `.C(c)` — scikit-learn's convention: minimise `c · Σ wᵢ ℓᵢ + P(β)`, i.e. `Σ wᵢ ℓᵢ + P(β)/c`.
///   Larger `C` means weaker regularisation.
/// - `.lambda(λ)` — statsmodels' `GLM.fit_regularized` and glmnet's per-sample convention: minimise
///   `(1/W) Σ wᵢ ℓᵢ + λ · P(β)`. Larger `λ` means stronger regularisation.
/// The two are the same problem when `λ = 1 / (C · W)`.
public enum Strength: Codable, Equatable, Hashable, Sendable {
  case C(Double)
  case lambda(Double)

  /// The multiplier `μ` of `P(β)` in `Σ wᵢ ℓᵢ + μ · P(β)`.
  func multiplier(totalWeight: Double) -> Double {
    switch self {
    case .C(let c): return 1 / c
    case .lambda(let l): return l * totalWeight
    }
  }

  var isValid: Bool {
    switch self {
    case .C(let c): return c > 0 && c.isFinite
    case .lambda(let l): return l >= 0 && l.isFinite
    }
  }
}

/// The penalty on the coefficients. The intercept is never penalised.
///
/// `P(β) = α‖β‖₁ + (1 − α)/2 ‖β‖₂²` with `α = 0` for `.l2`, `1` for `.l1`, and `l1Ratio` for `.elasticNet`
/// (scikit-learn's `l1_ratio`, statsmodels' `L1_wt`, glmnet's `alpha`).
public enum Penalty: Codable, Equatable, Hashable, Sendable {
  case none
  case l2(Strength)
  case l1(Strength)
  case elasticNet(Strength, l1Ratio: Double)

  /// The strength, or nil without a penalty.
  public var strength: Strength? {
    switch self {
    case .none: return nil
    case .l2(let s), .l1(let s), .elasticNet(let s, _): return s
    }
  }

  /// `α`, the L1 share of the penalty.
  public var l1Ratio: Double {
    switch self {
    case .none, .l2: return 0
    case .l1: return 1
    case .elasticNet(_, let r): return r
    }
  }

  /// True when the penalty has an L1 part, so the objective is not smooth.
  public var hasL1: Bool { l1Ratio > 0 }

  /// The same kind of penalty with strength `strength` (none stays none).
  public func with(_ strength: Strength) -> Penalty {
    switch self {
    case .none: return .none
    case .l2: return .l2(strength)
    case .l1: return .l1(strength)
    case .elasticNet(_, let ratio): return .elasticNet(strength, l1Ratio: ratio)
    }
  }
}

/// Extra weight per outcome class, multiplied into the sample weights.
public enum ClassWeight: Codable, Equatable, Hashable, Sendable {
  case none
  /// scikit-learn's `"balanced"` (≥ 1.6): class `c` gets `S / (2 · S_c)`, where `S_c` is the sum of the sample
  /// weights in class `c` and `S` their total; without sample weights these are row counts, `n / (2 · n_c)`.
  case balanced
  case custom(negative: Double, positive: Double)

  /// The weights of the (negative, positive) classes given each class's total sample weight.
  func weights(negativeTotal: Double, positiveTotal: Double) -> (negative: Double, positive: Double) {
    switch self {
    case .none: return (1, 1)
    case .balanced:
      let total = negativeTotal + positiveTotal
      return (total / (2 * negativeTotal), total / (2 * positiveTotal))
    case .custom(let neg, let pos): return (neg, pos)
    }
  }
}
