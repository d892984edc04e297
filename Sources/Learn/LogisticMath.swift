#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Numerically stable scalar functions of the logistic model.
public enum LogisticMath {
  /// `σ(η) = 1 / (1 + e^{-η})`, without overflow for large `|η|`.
  @inline(__always)
  public static func sigmoid(_ eta: Double) -> Double {
    if eta >= 0 { return 1 / (1 + exp(-eta)) }
    let e = exp(eta)
    return e / (1 + e)
  }

  /// `log(1 + e^η)`, exact to rounding for all `η`.
  @inline(__always)
  static func softplus(_ eta: Double) -> Double {
    eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))
  }

  /// `e^{−|η|}`, in (0, 1]: the one exponential from which both `σ(η)` and `log(1 + e^η)` follow.
  @inline(__always)
  static func expNegativeAbs(_ eta: Double) -> Double { exp(-abs(eta)) }

  @inline(__always)
  static func log1p(_ x: Double) -> Double {
    #if canImport(Glibc)
      return Glibc.log1p(x)
    #elseif canImport(Musl)
      return Musl.log1p(x)
    #else
      return Darwin.log1p(x)
    #endif
  }

  /// Log-loss of one row with outcome `y ∈ {0, 1}`: `log(1 + e^η) − yη`.
  @inline(__always)
  static func logLoss(_ eta: Double, _ y: Double) -> Double {
    softplus(eta) - y * eta
  }

  /// Two-sided p-value of a standard-normal statistic: `2 Φ(−|z|) = erfc(|z|/√2)`.
  static func twoSidedNormalPValue(_ z: Double) -> Double {
    erfc(abs(z) / 2.0.squareRoot())
  }

  static func logarithm(_ x: Double) -> Double { log(x) }
}
