import CLAPACK

/// The LU factorisation with partial pivoting `PA = LU` of a general square matrix (LAPACK `dgetrf`).
public struct LU: Sendable {
  let factor: Matrix
  let pivots: [Int32]

  /// - Throws: `LinalgError.singular(index:)` when `U` has an exactly zero diagonal element.
  /// - Complexity: O(2n³/3).
  public init(factoring a: Matrix) throws {
    precondition(a.rows == a.columns, "LU needs a square matrix, got \(a.rows)×\(a.columns)")
    let n = a.rows
    var f = a
    var ipiv = [Int32](repeating: 0, count: n)
    if n > 0 {
      let info = f.storage.withUnsafeMutableBufferPointer { fp in
        ipiv.withUnsafeMutableBufferPointer { pp in
          LAPACKE_dgetrf(LAPACK_COL_MAJOR, Int32(n), Int32(n), fp.baseAddress, Int32(n), pp.baseAddress)
        }
      }
      try LinalgError.check(info, routine: "dgetrf") { .singular(index: $0) }
    }
    factor = f
    pivots = ipiv
  }

  public var order: Int { factor.rows }

  /// Solves `op(A) X = B` for every column of `b`.
  /// - Complexity: O(n² · columns).
  public func solve(_ b: Matrix, transpose: Transpose = .none) -> Matrix {
    precondition(b.rows == order, "solve: right-hand side has \(b.rows) rows, expected \(order)")
    var x = b
    if order == 0 || b.columns == 0 { return x }
    factor.storage.withUnsafeBufferPointer { fp in
      pivots.withUnsafeBufferPointer { pp in
        x.storage.withUnsafeMutableBufferPointer { xp in
          _ = LAPACKE_dgetrs(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: transpose == .none ? "N" : "T")), Int32(order),
            Int32(b.columns), fp.baseAddress, Int32(order), pp.baseAddress, xp.baseAddress,
            Int32(order))
        }
      }
    }
    return x
  }

  /// Solves `A x = b`.
  public func solve(_ b: [Double]) -> [Double] {
    solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
  }
}
