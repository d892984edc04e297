import CLAPACK

extension BLAS {
  /// `y ← α·op(A)·x + β·y` on a strided view; `op` is identity or transpose.
  /// - Complexity: O(rows · columns).
  public static func gemv(
    _ trans: Transpose, alpha: Double = 1, _ a: MatrixPointer, _ x: UnsafePointer<Double>,
    beta: Double = 0, _ y: UnsafeMutablePointer<Double>
  ) {
    if a.rows == 0 || a.columns == 0 {
      let count = trans == .none ? a.rows : a.columns
      if beta == 0 { y.update(repeating: 0, count: count) } else { for i in 0..<count { y[i] *= beta } }
      return
    }
    cblas_dgemv(
      CblasColMajor, cblasTranspose(trans), Int32(a.rows), Int32(a.columns), alpha, a.base,
      Int32(a.leadingDimension), x, 1, beta, y, 1)
  }

  /// `y ← α·op(A)·x + β·y` on a `Matrix`.
  public static func gemv(
    _ trans: Transpose, alpha: Double = 1, _ a: Matrix, _ x: [Double], beta: Double = 0, _ y: inout [Double]
  ) {
    let (inCount, outCount) = trans == .none ? (a.columns, a.rows) : (a.rows, a.columns)
    precondition(
      x.count == inCount && y.count == outCount,
      "gemv: \(a.rows)×\(a.columns) (\(trans)) cannot map \(x.count) to \(y.count)")
    a.withUnsafePointer { ap in
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          gemv(
            trans, alpha: alpha, ap, xp.start, beta: beta,
            yp.start)
        }
      }
    }
  }

  /// `C ← α·op(A)·op(B) + β·C` on strided views.
  /// - Complexity: O(m · n · k).
  public static func gemm(
    _ transA: Transpose, _ transB: Transpose, alpha: Double = 1, _ a: MatrixPointer, _ b: MatrixPointer,
    beta: Double = 0, _ c: MutableMatrixPointer
  ) {
    let (m, k) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    let (kb, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
    precondition(
      k == kb && c.rows == m && c.columns == n,
      "gemm: op(A) \(m)×\(k), op(B) \(kb)×\(n) and C \(c.rows)×\(c.columns) do not conform")
    if m == 0 || n == 0 { return }
    if k == 0 {
      for j in 0..<n { for i in 0..<m { c[i, j] = beta == 0 ? 0 : beta * c[i, j] } }
      return
    }
    cblas_dgemm(
      CblasColMajor, cblasTranspose(transA), cblasTranspose(transB), Int32(m), Int32(n), Int32(k),
      alpha, a.base, Int32(a.leadingDimension), b.base, Int32(b.leadingDimension), beta, c.base,
      Int32(c.leadingDimension))
  }

  /// `op(A)·op(B)` as a new matrix.
  public static func gemm(
    _ a: Matrix, _ b: Matrix, transA: Transpose = .none, transB: Transpose = .none
  )
    -> Matrix
  {
    let m = transA == .none ? a.rows : a.columns
    let n = transB == .none ? b.columns : b.rows
    var c = Matrix(rows: m, columns: n)
    a.withUnsafePointer { ap in
      b.withUnsafePointer { bp in
        c.withUnsafeMutablePointer { cp in gemm(transA, transB, ap, bp, cp) }
      }
    }
    return c
  }

  /// Symmetric rank-k update `C ← α·AᵀA + β·C` (`trans = .transpose`) or `α·AAᵀ + β·C`, writing one triangle.
  ///
  /// Half the flops of `gemm` for a Gram matrix; used for the Newton Hessian `Xᵀ W X` on `√w·X`.
  /// - Complexity: O(n² · k).
  public static func syrk(
    _ triangle: Triangle, _ trans: Transpose, alpha: Double = 1, _ a: MatrixPointer, beta: Double = 0,
    _ c: MutableMatrixPointer
  ) {
    let (n, k) = trans == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    precondition(c.rows == n && c.columns == n, "syrk: C must be \(n)×\(n), is \(c.rows)×\(c.columns)")
    if n == 0 { return }
    if k == 0 {
      for j in 0..<n { for i in 0..<n { c[i, j] = beta == 0 ? 0 : beta * c[i, j] } }
      return
    }
    cblas_dsyrk(
      CblasColMajor, triangle == .upper ? CblasUpper : CblasLower, cblasTranspose(trans), Int32(n),
      Int32(k), alpha, a.base, Int32(a.leadingDimension), beta, c.base, Int32(c.leadingDimension))
  }

  /// The Gram matrix `AᵀA` (both triangles filled).
  public static func gram(_ a: Matrix) -> Matrix {
    var c = Matrix(rows: a.columns, columns: a.columns)
    a.withUnsafePointer { ap in c.withUnsafeMutablePointer { cp in syrk(.lower, .transpose, ap, cp) } }
    c.symmetrize(from: .lower)
    return c
  }
}

func cblasTranspose(_ t: Transpose) -> CBLAS_TRANSPOSE {
  t == .none ? CblasNoTrans : CblasTrans
}
