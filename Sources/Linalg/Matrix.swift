/// A dense matrix of `Double` stored column-major, the layout BLAS and LAPACK expect.
///
/// Element `(i, j)` lives at `storage[i + j * rows]`; the leading dimension is `rows`.
/// Sub-blocks and strided views for BLAS calls are `MatrixPointer`s (see `withUnsafePointer`).
public struct Matrix: Equatable, Hashable, Sendable, Codable {
  public let rows: Int
  public let columns: Int
  /// Column-major elements, `rows * columns` of them.
  public var storage: [Double]

  /// A matrix with every element set to `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.storage = Array(repeating: value, count: rows * columns)
  }

  /// A matrix over existing column-major elements.
  public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
    precondition(elements.count == rows * columns, "Expected \(rows * columns) elements, got \(elements.count)")
    self.rows = rows
    self.columns = columns
    self.storage = elements
  }

  /// A matrix from row-major elements (the order people write matrices in).
  public init(rows: Int, columns: Int, rowMajor elements: [Double]) {
    precondition(elements.count == rows * columns, "Expected \(rows * columns) elements, got \(elements.count)")
    self.init(rows: rows, columns: columns)
    for i in 0..<rows {
      for j in 0..<columns { storage[i &+ j &* rows] = elements[i &* columns &+ j] }
    }
  }

  /// A matrix from an array of rows, all the same length.
  public init(_ rowArrays: [[Double]]) {
    let columns = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == columns }, "All rows must have the same length")
    self.init(rows: rowArrays.count, columns: columns, rowMajor: rowArrays.flatMap { $0 })
  }

  /// The `n × n` identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.storage[i &* (n &+ 1)] = 1 }
    return m
  }

  public subscript(row: Int, column: Int) -> Double {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Index (\(row), \(column)) out of range")
      return storage[row &+ column &* rows]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Index (\(row), \(column)) out of range")
      storage[row &+ column &* rows] = newValue
    }
  }

  /// Column `j` as a new array.
  public func column(_ j: Int) -> [Double] {
    precondition(j >= 0 && j < columns, "Column \(j) out of range")
    return Array(storage[(j &* rows)..<((j &+ 1) &* rows)])
  }

  /// Row `i` as a new array.
  public func row(_ i: Int) -> [Double] {
    precondition(i >= 0 && i < rows, "Row \(i) out of range")
    return (0..<columns).map { storage[i &+ $0 &* rows] }
  }

  /// The transpose, as a new matrix.
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for j in 0..<columns {
      for i in 0..<rows { t.storage[j &+ i &* columns] = storage[i &+ j &* rows] }
    }
    return t
  }

  /// Copies the triangle `from` into the other triangle, making the matrix exactly symmetric.
  public mutating func symmetrize(from triangle: Triangle) {
    precondition(rows == columns, "Only a square matrix can be symmetrized")
    let n = rows
    for j in 0..<n {
      for i in (j &+ 1)..<max(n, j &+ 1) {
        switch triangle {
        case .lower: storage[j &+ i &* n] = storage[i &+ j &* n]
        case .upper: storage[i &+ j &* n] = storage[j &+ i &* n]
        }
      }
    }
  }

  /// `self += other`, element by element (BLAS `daxpy`), in place.
  public mutating func add(_ other: Matrix) {
    precondition(
      rows == other.rows && columns == other.columns, "add: \(other.rows)×\(other.columns) to \(rows)×\(columns)")
    BLAS.axpy(1, other.storage, &storage)
  }

  /// Calls `body` with a read-only strided view of the whole matrix.
  @inlinable
  public func withUnsafePointer<R>(_ body: (MatrixPointer) throws -> R) rethrows -> R {
    try storage.withUnsafeBufferPointer { buffer in
      try body(
        MatrixPointer(
          base: buffer.start, rows: rows, columns: columns,
          leadingDimension: max(rows, 1)))
    }
  }

  /// Calls `body` with a mutable strided view of the whole matrix.
  @inlinable
  public mutating func withUnsafeMutablePointer<R>(_ body: (MutableMatrixPointer) throws -> R) rethrows -> R {
    let (r, c) = (rows, columns)
    return try storage.withUnsafeMutableBufferPointer { buffer in
      try body(
        MutableMatrixPointer(
          base: buffer.start, rows: r, columns: c, leadingDimension: max(r, 1)))
    }
  }
}

/// Which triangle of a symmetric matrix holds the data.
public enum Triangle: Sendable {
  case upper, lower
}

/// Whether a BLAS operand is used as stored or transposed.
public enum Transpose: Sendable {
  case none, transpose
}
