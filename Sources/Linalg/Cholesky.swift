import CLAPACK

/// The Cholesky factorisation `A = LLᵀ` of a symmetric positive-definite matrix (LAPACK `dpotrf`).
///
/// Solves (`dpotrs`) and the inverse (`dpotri`) reuse the factor; the inverse of a Newton Hessian is the
/// covariance of maximum-likelihood estimates.
public struct Cholesky: Sendable {
  /// The lower factor `L` in the lower triangle; the strict upper triangle is unspecified.
  public let factor: Matrix

  /// Factors the lower triangle of `a` (the upper one is not read).
  /// - Throws: `LinalgError.notPositiveDefinite(order:)` when a leading minor is not positive.
  /// - Complexity: O(n³/3).
  public init(factoring a: Matrix) throws {
    precondition(a.rows == a.columns, "Cholesky needs a square matrix, got \(a.rows)×\(a.columns)")
    var f = a
    let n = a.rows
    if n > 0 {
      let info = f.storage.withUnsafeMutableBufferPointer {
        LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), $0.baseAddress, Int32(n))
      }
      try LinalgError.check(info, routine: "dpotrf") { .notPositiveDefinite(order: $0) }
    }
    factor = f
  }

  public var order: Int { factor.rows }

  /// Solves `A X = B` for every column of `b`.
  /// - Complexity: O(n² · columns).
  public func solve(_ b: Matrix) -> Matrix {
    precondition(b.rows == order, "solve: right-hand side has \(b.rows) rows, expected \(order)")
    var x = b
    if order == 0 || b.columns == 0 { return x }
    factor.storage.withUnsafeBufferPointer { fp in
      x.storage.withUnsafeMutableBufferPointer { xp in
        // Cannot fail: the factor is valid and the arguments are checked above.
        _ = LAPACKE_dpotrs(
          LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(order), Int32(b.columns),
          fp.baseAddress, Int32(order), xp.baseAddress, Int32(order))
      }
    }
    return x
  }

  /// Solves `A x = b`.
  public func solve(_ b: [Double]) -> [Double] {
    solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
  }

  /// `A⁻¹`, both triangles filled.
  /// - Complexity: O(n³).
  public func inverse() throws -> Matrix {
    var inv = factor
    if order > 0 {
      let info = inv.storage.withUnsafeMutableBufferPointer {
        LAPACKE_dpotri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(order), $0.baseAddress, Int32(order))
      }
      try LinalgError.check(info, routine: "dpotri") { .singular(index: $0) }
    }
    inv.symmetrize(from: .lower)
    return inv
  }

  /// `log det A = 2 Σ log Lᵢᵢ`.
  public var logDeterminant: Double {
    var s = 0.0
    for i in 0..<order { s += _log(factor[i, i]) }
    return 2 * s
  }
}
