/// Errors from fitting and using learners. Each message says what was wrong and what to do about it.
public enum LearnError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The design has no rows, or no usable rows (all weights zero).
  case noRows
  /// Shapes of the inputs disagree.
  case shapeMismatch(String)
  /// A value is NaN or infinite. `row` is 1-based.
  case nonFinite(column: String, row: Int, value: Double)
  /// A sample weight is negative, NaN or infinite. `row` is 1-based.
  case invalidWeight(row: Int, value: Double)
  /// Only one outcome class is present (after dropping zero-weight rows).
  case oneClassOnly(positive: Bool)
  /// A configuration value is out of range or inconsistent.
  case invalidConfiguration(String)
  /// The Hessian could not be factored even by the indefinite fallback: the design is singular.
  case singularDesign(String)
  /// Standard errors cannot honestly be given for this fit.
  case inferenceUnavailable(String)

  public var description: String {
    switch self {
    case .noRows:
      return "no rows to fit: the data are empty or every sample weight is zero"
    case .shapeMismatch(let what):
      return "inputs do not match: \(what)"
    case .nonFinite(let column, let row, let value):
      return "column \(column), row \(row): value \(value) is not a finite number; "
        + "impute or drop missing values before fitting, or use a learner that bins missing values"
    case .invalidWeight(let row, let value):
      return "sample weight in row \(row) is \(value); weights must be finite and non-negative"
    case .oneClassOnly(let positive):
      return "every row has outcome \(positive ? "1 (event)" : "0 (no event)"); a classifier needs both "
        + "classes: check the outcome definition or the population filter"
    case .invalidConfiguration(let what):
      return "invalid configuration: \(what)"
    case .singularDesign(let what):
      return "the design matrix is singular (\(what)): some columns are collinear; "
        + "drop one of them or add a ridge penalty (penalty l2)"
    case .inferenceUnavailable(let why):
      return "standard errors are not available: \(why)"
    }
  }
}
