/// An unowned, strided, column-major view of a block of doubles: what BLAS calls a matrix with a leading dimension.
///
/// Element `(i, j)` is at `base[i + j * leadingDimension]`. Used for row blocks and sub-matrices without copying.
/// The memory must outlive every use of the view; get one from `Matrix.withUnsafePointer`.
public struct MatrixPointer: @unchecked Sendable {
  public let base: UnsafeMutablePointer<Double>
  public let rows: Int
  public let columns: Int
  public let leadingDimension: Int

  @inlinable
  public init(base: UnsafeMutablePointer<Double>, rows: Int, columns: Int, leadingDimension: Int) {
    precondition(rows >= 0 && columns >= 0 && leadingDimension >= max(rows, 1), "Invalid matrix view shape")
    self.base = base
    self.rows = rows
    self.columns = columns
    self.leadingDimension = leadingDimension
  }

  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get { base[row &+ column &* leadingDimension] }
    nonmutating set { base[row &+ column &* leadingDimension] = newValue }
  }

  /// Rows `range` of every column, sharing memory.
  @inlinable
  public func rows(_ range: Range<Int>) -> MatrixPointer {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Row range out of bounds")
    return MatrixPointer(
      base: base + range.lowerBound, rows: range.count, columns: columns,
      leadingDimension: leadingDimension)
  }

  /// Columns `range` of every row, sharing memory.
  @inlinable
  public func columns(_ range: Range<Int>) -> MatrixPointer {
    precondition(range.lowerBound >= 0 && range.upperBound <= columns, "Column range out of bounds")
    return MatrixPointer(
      base: base + range.lowerBound &* leadingDimension, rows: rows, columns: range.count,
      leadingDimension: leadingDimension)
  }

  /// Start of column `j`; its `rows` elements are contiguous.
  @inlinable
  public func column(_ j: Int) -> UnsafeMutablePointer<Double> { base + j &* leadingDimension }
}
