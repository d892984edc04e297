import Linalg

/// What a fit must know about each column before it starts, gathered in one pass over the design.
struct ColumnSummary {
  /// Weighted mean of each column.
  var means: [Double]
  /// True where every value in the column is the same.
  var isConstant: [Bool]
  /// The first non-finite value, as (column, 0-based row, value), if any.
  var firstNonFinite: (column: Int, row: Int, value: Double)?

  /// Scans `x` once, columns split across threads.
  /// - Complexity: O(n · p).
  init(_ x: Matrix, weights: [Double], threads: Int) {
    let n = x.rows, p = x.columns
    let totalWeight = weights.reduce(0, +)
    var means = [Double](repeating: 0, count: p)
    var constant = [Bool](repeating: true, count: p)
    var nonFiniteRow = [Int](repeating: -1, count: p)
    let ranges = Parallel.ranges(count: p, chunks: n * p > 1 << 16 ? threads : 1)
    x.withUnsafePointer { xp in
      weights.withUnsafeBufferPointer { wp in
        means.withUnsafeMutableBufferPointer { mp in
          constant.withUnsafeMutableBufferPointer { cp in
            nonFiniteRow.withUnsafeMutableBufferPointer { fp in
              let (mBase, cBase, fBase) = (mp.start, cp.start, fp.start)
              Parallel.forEach(ranges) { _, columns in
                for j in columns {
                  let col = xp.column(j)
                  let first = n > 0 ? col[0] : 0
                  var sum = 0.0
                  var same = true
                  var finite = true
                  for i in 0..<n {
                    let v = col[i]
                    sum += wp[i] * v
                    same = same && v == first
                    finite = finite && v.isFinite
                  }
                  mBase[j] = sum / totalWeight
                  cBase[j] = same
                  if !finite, let row = (0..<n).first(where: { !col[$0].isFinite }) { fBase[j] = row }
                }
              }
            }
          }
        }
      }
    }
    self.means = means
    self.isConstant = constant
    self.firstNonFinite = nonFiniteRow.enumerated().first { $0.element >= 0 }.map { j, i in (j, i, x[i, j]) }
  }
}
