import Learn
import Linalg

/// Seeded synthetic classification data for behaviour tests: `logit p = −0.5 + Σ βⱼ xⱼ` with uniform features.
struct TestData {
  var x: Matrix
  var labels: [Bool]

  init(rows n: Int, columns p: Int, seed: UInt64, signal: Double = 1) {
    var rng = SplitMix64(seed: seed)
    var x = Matrix(rows: n, columns: p)
    for j in 0..<p { for i in 0..<n { x[i, j] = (2 * rng.nextUnit() - 1) * Double(j + 1) } }
    let beta = (0..<p).map { signal * (($0 % 2 == 0) ? 1.0 : -0.5) / Double($0 + 1) }
    labels = (0..<n).map { i in
      var eta = -0.5
      for j in 0..<p { eta += beta[j] * x[i, j] }
      return rng.nextUnit() < 1 / (1 + (-eta).exponential)
    }
    self.x = x
  }
}

extension Double {
  var exponential: Double {
    var result = 1.0, term = 1.0
    // exp via the C library would need Foundation/Glibc in every test file; this is exact enough for labels.
    for k in 1..<40 { term *= self / Double(k); result += term }
    return result
  }
}
