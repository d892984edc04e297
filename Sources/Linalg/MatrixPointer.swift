/// An unowned, strided, column-major, read-only view of a block of doubles: what BLAS calls a matrix with a leading
/// dimension.
///
/// Element `(i, j)` is at `base[i + j * leadingDimension]`. Used for row blocks and sub-matrices without copying.
/// The memory must outlive every use of the view; get one from `Matrix.withUnsafePointer`. Indices are checked in
/// debug builds only: the views serve the hot loops, where a release build must not pay for a check per element.
public struct MatrixPointer: @unchecked Sendable {
  public let base: UnsafePointer<Double>
  public let rows: Int
  public let columns: Int
  public let leadingDimension: Int

  @inlinable
  public init(base: UnsafePointer<Double>, rows: Int, columns: Int, leadingDimension: Int) {
    precondition(rows >= 0 && columns >= 0 && leadingDimension >= max(rows, 1), "Invalid matrix view shape")
    self.base = base
    self.rows = rows
    self.columns = columns
    self.leadingDimension = leadingDimension
  }

  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    assert(contains(row, column), "(\(row), \(column)) outside \(rows)×\(columns)")
    return base[row &+ column &* leadingDimension]
  }

  /// Whether `(row, column)` is inside the view.
  @inlinable
  public func contains(_ row: Int, _ column: Int) -> Bool {
    row >= 0 && row < rows && column >= 0 && column < columns
  }

  /// Rows `range` of every column, sharing memory.
  @inlinable
  public func rows(_ range: Range<Int>) -> MatrixPointer {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Row range out of bounds")
    return MatrixPointer(
      base: base + range.lowerBound, rows: range.count, columns: columns, leadingDimension: leadingDimension)
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
  public func column(_ j: Int) -> UnsafePointer<Double> {
    assert(j >= 0 && j < columns, "column \(j) outside \(columns)")
    return base + j &* leadingDimension
  }
}

/// The writable counterpart of `MatrixPointer`, from `Matrix.withUnsafeMutablePointer` (or over a scratch buffer).
public struct MutableMatrixPointer: @unchecked Sendable {
  public let base: UnsafeMutablePointer<Double>
  /// The same memory, read only: its shape and its index checks are this view's.
  public let readOnly: MatrixPointer

  @inlinable
  public init(base: UnsafeMutablePointer<Double>, rows: Int, columns: Int, leadingDimension: Int) {
    self.base = base
    readOnly = MatrixPointer(base: base, rows: rows, columns: columns, leadingDimension: leadingDimension)
  }

  @inlinable public var rows: Int { readOnly.rows }
  @inlinable public var columns: Int { readOnly.columns }
  @inlinable public var leadingDimension: Int { readOnly.leadingDimension }

  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get { readOnly[row, column] }
    nonmutating set {
      assert(readOnly.contains(row, column), "(\(row), \(column)) outside \(rows)×\(columns)")
      base[row &+ column &* leadingDimension] = newValue
    }
  }

  /// Rows `range` of every column, sharing memory.
  @inlinable
  public func rows(_ range: Range<Int>) -> MutableMatrixPointer {
    let view = readOnly.rows(range)
    return MutableMatrixPointer(
      base: base + range.lowerBound, rows: view.rows, columns: view.columns, leadingDimension: view.leadingDimension)
  }

  /// Start of column `j`; its `rows` elements are contiguous.
  @inlinable
  public func column(_ j: Int) -> UnsafeMutablePointer<Double> {
    UnsafeMutablePointer(mutating: readOnly.column(j))
  }
}
