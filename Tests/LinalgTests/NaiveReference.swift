import Linalg

/// Textbook triple loops: slow, obviously right, the reference every BLAS/LAPACK wrapper is checked against.
enum Naive {
  static func product(_ a: Matrix, _ b: Matrix, transA: Bool = false, transB: Bool = false) -> Matrix {
    let opA = transA ? a.transposed : a
    let opB = transB ? b.transposed : b
    var c = Matrix(rows: opA.rows, columns: opB.columns)
    for i in 0..<opA.rows {
      for j in 0..<opB.columns {
        var s = 0.0
        for k in 0..<opA.columns { s += opA[i, k] * opB[k, j] }
        c[i, j] = s
      }
    }
    return c
  }

  static func matrixVector(_ a: Matrix, _ x: [Double], transpose: Bool) -> [Double] {
    product(a, Matrix(rows: x.count, columns: 1, columnMajor: x), transA: transpose).storage
  }
}

/// A seeded generator for test data, so every failing case can be replayed.
struct TestRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 * 2 - 1 }
  mutating func matrix(_ rows: Int, _ columns: Int) -> Matrix {
    Matrix(rows: rows, columns: columns, columnMajor: (0..<(rows * columns)).map { _ in uniform() })
  }
  mutating func vector(_ n: Int) -> [Double] { (0..<n).map { _ in uniform() } }
  /// A well-conditioned symmetric positive-definite matrix `AᵀA + nI`.
  mutating func spd(_ n: Int) -> Matrix {
    let a = matrix(n + 3, n)
    var s = Naive.product(a, a, transA: true)
    for i in 0..<n { s[i, i] += Double(n) }
    return s
  }
}
