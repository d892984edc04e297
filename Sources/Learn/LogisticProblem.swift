import Linalg

/// The weighted logistic log-likelihood over a design, evaluated in row blocks that stay in cache.
///
/// Parameters are `θ = (b, β₁…β_p)`: the intercept first. The data term is
/// `L(θ) = Σ wᵢ [log(1 + e^{ηᵢ}) − yᵢ ηᵢ]` with `ηᵢ = b + xᵢᵀβ`; the solvers add the penalty.
/// Gradient and Hessian are accumulated per thread over fixed row chunks and summed in chunk order, so a
/// result depends only on the thread count.
struct LogisticProblem {
  /// Design, `n × p`, column-major, without an intercept column.
  let x: Matrix
  /// Outcomes as 0/1.
  let y: [Double]
  /// Effective weights: sample weight × class weight.
  let w: [Double]
  let totalWeight: Double
  /// `μ` in `L + μ · P(β)`.
  let penaltyMultiplier: Double
  /// `α`, the L1 share of `P`.
  let l1Ratio: Double
  let threads: Int

  /// Rows per block: 4096 rows × (p + 1) doubles of scratch stays within a core's L2 for moderate p.
  static let blockRows = 4096

  var rowCount: Int { x.rows }
  var featureCount: Int { x.columns }
  var parameterCount: Int { x.columns + 1 }

  /// Row chunks, one per thread; small problems use one thread.
  var chunks: [Range<Int>] {
    let useful = max(1, rowCount / (2 * Self.blockRows))
    return Parallel.ranges(count: rowCount, chunks: min(threads, useful))
  }

  /// `η = b + Xβ` (one BLAS call that gets all threads).
  func margins(_ theta: [Double]) -> [Double] {
    var eta = [Double](repeating: theta[0], count: rowCount)
    let beta = Array(theta.dropFirst())
    BLAS.gemv(.none, x, beta, beta: 1, &eta)
    return eta
  }

  /// `L` at margins `η + t·v` (`v` the direction's margins), summed per chunk in a fixed order.
  func dataLoss(margins eta: [Double], direction v: [Double]? = nil, step t: Double = 0) -> Double {
    let ranges = chunks
    let hasDirection = v != nil
    let direction = v ?? eta  // read only when hasDirection
    var partial = [Double](repeating: 0, count: ranges.count)
    eta.withUnsafeBufferPointer { e in
      direction.withUnsafeBufferPointer { d in
        y.withUnsafeBufferPointer { yp in
          w.withUnsafeBufferPointer { wp in
            partial.withUnsafeMutableBufferPointer { out in
              let outBase = out.baseAddress!
              Parallel.forEach(ranges) { c, range in
                var s = 0.0
                if hasDirection {
                  for i in range where wp[i] != 0 { s += wp[i] * LogisticMath.logLoss(e[i] + t * d[i], yp[i]) }
                } else {
                  for i in range where wp[i] != 0 { s += wp[i] * LogisticMath.logLoss(e[i], yp[i]) }
                }
                outBase[c] = s
              }
            }
          }
        }
      }
    }
    return partial.reduce(0, +)
  }

  /// Gradient `Σ wᵢ(pᵢ − yᵢ)[1, xᵢ]` and, if asked, Hessian `Σ wᵢ pᵢ(1 − pᵢ)[1, xᵢ][1, xᵢ]ᵀ` of `L`.
  ///
  /// Each block of rows is scaled by `√(w p (1−p))` into a cache-resident scratch and added to the Hessian
  /// with `dsyrk`; the gradient is a `dgemv` on the same block. One pass over `X` gives both.
  /// - Complexity: O(n · p²) for the Hessian, O(n · p) for the gradient.
  func gradientAndHessian(margins eta: [Double], wantHessian: Bool) -> (gradient: [Double], hessian: Matrix?) {
    let ranges = chunks
    let k = parameterCount
    let p = featureCount
    let blockRows = Self.blockRows
    var gradients = [[Double]](repeating: [Double](repeating: 0, count: k), count: ranges.count)
    var hessians = [Matrix](repeating: Matrix(rows: wantHessian ? k : 0, columns: wantHessian ? k : 0),
                            count: ranges.count)
    x.withUnsafePointer { xp in
      eta.withUnsafeBufferPointer { e in
        y.withUnsafeBufferPointer { yp in
          w.withUnsafeBufferPointer { wp in
            gradients.withUnsafeMutableBufferPointer { gs in
              hessians.withUnsafeMutableBufferPointer { hs in
                let gBase = gs.baseAddress!
                let hBase = hs.baseAddress!
                Parallel.forEach(ranges) { c, range in
                  var g = [Double](repeating: 0, count: k)
                  var h = Matrix(rows: wantHessian ? k : 0, columns: wantHessian ? k : 0)
                  var residual = [Double](repeating: 0, count: blockRows)
                  var scaled = [Double](repeating: 0, count: wantHessian ? blockRows * k : 0)
                  g.withUnsafeMutableBufferPointer { gp in
                    residual.withUnsafeMutableBufferPointer { rp in
                      scaled.withUnsafeMutableBufferPointer { sp in
                        h.withUnsafeMutablePointer { hp in
                          var start = range.lowerBound
                          while start < range.upperBound {
                            let end = min(start + blockRows, range.upperBound)
                            let m = end - start
                            var residualSum = 0.0
                            for r in 0..<m {
                              let i = start &+ r
                              let prob = LogisticMath.sigmoid(e[i])
                              let ri = wp[i] * (prob - yp[i])
                              rp[r] = ri
                              residualSum += ri
                              if wantHessian { sp[r] = (wp[i] * prob * (1 - prob)).squareRoot() }
                            }
                            gp[0] += residualSum
                            if p > 0 {
                              let block = xp.rows(start..<end)
                              BLAS.gemv(.transpose, block, rp.baseAddress!, beta: 1, gp.baseAddress! + 1)
                              if wantHessian {
                                let s = sp.baseAddress!
                                for j in 0..<p {
                                  let src = block.column(j)
                                  let dst = s + (j &+ 1) &* blockRows
                                  for r in 0..<m { dst[r] = s[r] * src[r] }
                                }
                              }
                            }
                            if wantHessian {
                              let view = MatrixPointer(base: sp.baseAddress!, rows: m, columns: k,
                                                       leadingDimension: blockRows)
                              BLAS.syrk(.lower, .transpose, view, beta: 1, hp)
                            }
                            start = end
                          }
                        }
                      }
                    }
                  }
                  gBase[c] = g
                  hBase[c] = h
                }
              }
            }
          }
        }
      }
    }
    var gradient = gradients[0]
    for c in 1..<max(1, ranges.count) { BLAS.axpy(1, gradients[c], &gradient) }
    guard wantHessian else { return (gradient, nil) }
    var hessian = hessians[0]
    for c in 1..<max(1, ranges.count) { BLAS.axpy(1, hessians[c].storage, &hessian.storage) }
    hessian.symmetrize(from: .lower)
    return (gradient, hessian)
  }

  /// Gradient of `L` via two whole-matrix BLAS calls (no Hessian); for L-BFGS and wide designs.
  func gradient(margins eta: [Double]) -> [Double] {
    var residual = [Double](repeating: 0, count: rowCount)
    for i in 0..<rowCount { residual[i] = w[i] * (LogisticMath.sigmoid(eta[i]) - y[i]) }
    var g = [Double](repeating: 0, count: parameterCount)
    g[0] = residual.reduce(0, +)
    var gb = [Double](repeating: 0, count: featureCount)
    BLAS.gemv(.transpose, x, residual, &gb)
    g.replaceSubrange(1..., with: gb)
    return g
  }

  // MARK: Penalty

  /// `μ(1−α)/2 ‖β‖²`, the smooth part of the penalty.
  func smoothPenalty(_ theta: [Double]) -> Double {
    let ridge = penaltyMultiplier * (1 - l1Ratio)
    if ridge == 0 { return 0 }
    var s = 0.0
    for j in 1..<theta.count { s += theta[j] * theta[j] }
    return 0.5 * ridge * s
  }

  /// `μα‖β‖₁`, the non-smooth part.
  func l1Penalty(_ theta: [Double]) -> Double {
    let lasso = penaltyMultiplier * l1Ratio
    if lasso == 0 { return 0 }
    var s = 0.0
    for j in 1..<theta.count { s += abs(theta[j]) }
    return lasso * s
  }

  /// The ridge coefficient `μ(1−α)` on the Hessian diagonal (never on the intercept).
  var ridge: Double { penaltyMultiplier * (1 - l1Ratio) }
  /// The lasso coefficient `μα`.
  var lasso: Double { penaltyMultiplier * l1Ratio }

  /// Adds the smooth penalty's gradient to `g`.
  func addSmoothPenaltyGradient(_ theta: [Double], to g: inout [Double]) {
    if ridge == 0 { return }
    for j in 1..<theta.count { g[j] += ridge * theta[j] }
  }

  /// Adds the smooth penalty's Hessian to `h`.
  func addSmoothPenaltyHessian(to h: inout Matrix) {
    if ridge == 0 { return }
    for j in 1..<h.rows { h[j, j] += ridge }
  }

  /// The largest absolute entry of the minimum-norm subgradient of the whole objective, divided by `W`:
  /// zero exactly at the optimum; the stopping rule of every solver.
  func optimality(_ theta: [Double], smoothGradient g: [Double]) -> Double {
    var worst = abs(g[0])
    for j in 1..<theta.count {
      let v: Double
      if lasso == 0 {
        v = abs(g[j])
      } else if theta[j] != 0 {
        v = abs(g[j] + lasso * (theta[j] > 0 ? 1 : -1))
      } else {
        v = max(abs(g[j]) - lasso, 0)
      }
      worst = max(worst, v)
    }
    return worst / totalWeight
  }
}
