import Learn
import Linalg

/// The seeded dense problem shared with `benchmarks/logistic.py`, which rebuilds it bit for bit with numpy.
///
/// Uniforms come from SplitMix64 in row-major order: `u[k]` for `k = i·p + j` is the `(k+1)`-th output mapped to
/// [0, 1) by its top 53 bits. Features: `x[i, j] = (2u − 1)·(1 + j mod 5) + 0.3·x[i, j−1]` (correlated columns of
/// different scales). Outcome: `y[i] = v[i] < σ(−1 + Σ βⱼ xᵢⱼ)` with `βⱼ = 0.1·((j mod 7) − 3)` and `v` the next n
/// uniforms of the stream.
struct SyntheticProblem {
  let x: Matrix
  let labels: [Bool]

  init(rows n: Int, columns p: Int, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var x = Matrix(rows: n, columns: p)
    x.withUnsafeMutablePointer { xp in
      for i in 0..<n {
        var previous = 0.0
        for j in 0..<p {
          let scaled = (2 * rng.nextUnit() - 1) * Double(1 + j % 5)
          let value = j == 0 ? scaled : scaled + 0.3 * previous
          xp[i, j] = value
          previous = value
        }
      }
    }
    let beta = (0..<p).map { 0.1 * Double(($0 % 7) - 3) }
    var eta = [Double](repeating: -1, count: n)
    BLAS.gemv(.none, x, beta, beta: 1, &eta)
    labels = eta.map { e in rng.nextUnit() < 1 / (1 + (-e).exponential) }
    self.x = x
  }
}

extension Double {
  var exponential: Double {
    #if canImport(Glibc)
      return Glibc.exp(self)
    #else
      return Foundation.exp(self)
    #endif
  }
}

#if canImport(Glibc)
  import Glibc
#endif
