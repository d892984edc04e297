/// Failures reported by LAPACK, turned into values that say what went wrong and what to do.
public enum LinalgError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Cholesky failed: the leading minor of this order (1-based) is not positive definite.
  case notPositiveDefinite(order: Int)
  /// A factorisation found an exactly zero pivot at this 1-based index: the matrix is singular.
  case singular(index: Int)
  /// LAPACK rejected argument number `position` (a bug in the caller, reported rather than crashing).
  case invalidArgument(routine: String, position: Int)

  public var description: String {
    switch self {
    case .notPositiveDefinite(let order):
      return "matrix is not positive definite (leading minor of order \(order)); "
        + "it may be singular or indefinite: add a ridge penalty or remove collinear columns"
    case .singular(let index):
      return "matrix is singular (zero pivot at index \(index)); remove collinear or constant columns"
    case .invalidArgument(let routine, let position):
      return "\(routine) rejected argument \(position); this is a bug in uptake, please report it"
    }
  }

  /// Maps a LAPACK `info` code to an error, or nil when it signals success.
  static func check(_ info: Int32, routine: String, positive: (Int) -> LinalgError) throws {
    if info == 0 { return }
    if info < 0 { throw LinalgError.invalidArgument(routine: routine, position: Int(-info)) }
    throw positive(Int(info))
  }
}
