import CLAPACK

/// Safe wrappers over the BLAS kernels uptake uses. Shapes are checked with preconditions: a mismatch is a bug in
/// the caller, not bad data.
public enum BLAS {}

extension BLAS {
  /// `xᵀy`.
  /// - Complexity: O(n).
  @inlinable
  public static func dot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
    return x.withUnsafeBufferPointer { xp in
      y.withUnsafeBufferPointer { yp in dot(count: x.count, xp.start, yp.start) }
    }
  }

  /// `xᵀy` over `count` contiguous elements.
  @inlinable
  public static func dot(count: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
    count == 0 ? 0 : _ddot(count, x, y)
  }

  /// `y ← αx + y`.
  /// - Complexity: O(n).
  @inlinable
  public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count) differ")
    let n = x.count
    if n == 0 { return }
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in _daxpy(n, alpha, xp.start, yp.start) }
    }
  }

  /// `x ← αx`.
  @inlinable
  public static func scal(_ alpha: Double, _ x: inout [Double]) {
    let n = x.count
    if n == 0 { return }
    x.withUnsafeMutableBufferPointer { xp in _dscal(n, alpha, xp.start) }
  }

  /// The Euclidean norm `‖x‖₂`, computed without overflow.
  @inlinable
  public static func nrm2(_ x: [Double]) -> Double {
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { _dnrm2(x.count, $0.start) }
  }
}

// The raw calls, kept out of line of the inlinable API so CLAPACK stays an implementation detail.
@usableFromInline func _ddot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
  cblas_ddot(Int32(n), x, 1, y, 1)
}
@usableFromInline func _daxpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
  cblas_daxpy(Int32(n), a, x, 1, y, 1)
}
@usableFromInline func _dscal(_ n: Int, _ a: Double, _ x: UnsafeMutablePointer<Double>) {
  cblas_dscal(Int32(n), a, x, 1)
}
@usableFromInline func _dnrm2(_ n: Int, _ x: UnsafePointer<Double>) -> Double {
  cblas_dnrm2(Int32(n), x, 1)
}
