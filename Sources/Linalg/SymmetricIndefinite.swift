import CLAPACK

/// The Bunch–Kaufman factorisation `A = L D Lᵀ` of a symmetric, possibly indefinite matrix (LAPACK `dsytrf`).
///
/// The fallback when Cholesky reports a matrix that is positive semi-definite only to rounding.
public struct SymmetricIndefinite: Sendable {
  let factor: Matrix
  let pivots: [Int32]

  /// Factors the lower triangle of `a`.
  /// - Throws: `LinalgError.singular(index:)` when `D` has an exactly zero block.
  /// - Complexity: O(n³/3).
  public init(factoring a: Matrix) throws {
    precondition(a.rows == a.columns, "LDLᵀ needs a square matrix, got \(a.rows)×\(a.columns)")
    let n = a.rows
    var f = a
    var ipiv = [Int32](repeating: 0, count: n)
    if n > 0 {
      let info = f.storage.withUnsafeMutableBufferPointer { fp in
        ipiv.withUnsafeMutableBufferPointer { pp in
          LAPACKE_dsytrf(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), fp.baseAddress, Int32(n),
            pp.baseAddress)
        }
      }
      try LinalgError.check(info, routine: "dsytrf") { .singular(index: $0) }
    }
    factor = f
    pivots = ipiv
  }

  public var order: Int { factor.rows }

  /// Solves `A x = b`.
  /// - Complexity: O(n²).
  public func solve(_ b: [Double]) -> [Double] {
    precondition(b.count == order, "solve: right-hand side has \(b.count) rows, expected \(order)")
    var x = b
    if order == 0 { return x }
    factor.storage.withUnsafeBufferPointer { fp in
      pivots.withUnsafeBufferPointer { pp in
        x.withUnsafeMutableBufferPointer { xp in
          _ = LAPACKE_dsytrs(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(order), 1, fp.baseAddress,
            Int32(order), pp.baseAddress, xp.baseAddress, Int32(order))
        }
      }
    }
    return x
  }
}
