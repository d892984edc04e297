import Linalg

/// The weighted logistic log-likelihood over a design, evaluated in row blocks that stay in cache.
///
/// Parameters are `θ = (b, β₁…β_p)`: the intercept first. The data term is
/// `L(θ) = Σ wᵢ [log(1 + e^{ηᵢ}) − yᵢ ηᵢ]` with `ηᵢ = b + xᵢᵀβ`; the solvers add the penalty.
/// Loss, gradient and Hessian are accumulated per thread over fixed row chunks and summed in chunk order, so a
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

  /// Rows per block: `X_b` and the `(p + 1)`-column scratch, 1 MiB each. Measured on 1M × 50 (2 cores): 256 KiB
  /// blocks took 0.87–1.07 s per fit, 1 MiB 0.71–0.84 s, 4 MiB 0.76–0.82 s; larger blocks amortise `dsyrk` packing.
  var blockRows: Int { min(16_384, max(256, 131_072 / (featureCount + 1))) }

  var rowCount: Int { x.rows }
  var featureCount: Int { x.columns }
  var parameterCount: Int { x.columns + 1 }

  /// Row chunks, one per thread; small problems use one thread.
  var chunks: [Range<Int>] {
    let useful = max(1, rowCount / (4 * blockRows))
    return Parallel.ranges(count: rowCount, chunks: min(threads, useful))
  }

  /// The same problem on one run of `run` consecutive rows out of every `stride · run`, with the penalty rescaled
  /// so that `μ/W` — the penalty per unit of weight, which fixes the optimum's scale — stays the same.
  ///
  /// Contiguous runs copy a tenth of the memory; a strided gather (every 10th row) touched every cache line of `X`
  /// and took 70 ms on 1M × 50 against about 10 ms for runs.
  func subsample(everyNth stride: Int, run: Int = 512) -> LogisticProblem {
    var rows: [Int] = []
    var start = 0
    while start < rowCount {
      rows.append(contentsOf: start..<min(start + run, rowCount))
      start += stride * run
    }
    let m = rows.count
    var columns = [Double](repeating: 0, count: m * featureCount)
    x.withUnsafePointer { xp in
      columns.withUnsafeMutableBufferPointer { out in
        let outBase = out.start
        Parallel.forEach(Parallel.ranges(count: featureCount, chunks: threads)) { _, range in
          for j in range {
            let src = xp.column(j)
            let dst = outBase + j * m
            var k = 0
            var s = 0
            while s < rowCount {
              let len = min(run, rowCount - s)
              (dst + k).update(from: src + s, count: len)
              k += len
              s += stride * run
            }
          }
        }
      }
    }
    let subWeights = rows.map { w[$0] }
    let subTotal = subWeights.reduce(0, +)
    return LogisticProblem(
      x: Matrix(rows: m, columns: featureCount, columnMajor: columns), y: rows.map { y[$0] },
      w: subWeights, totalWeight: subTotal, penaltyMultiplier: penaltyMultiplier * subTotal / totalWeight,
      l1Ratio: l1Ratio, threads: threads)
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
              let outBase = out.start
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

  /// Loss, gradient and (if asked) Hessian of `L` at the margins `η + [1 X]Δ`, in one pass over `X`.
  ///
  /// Each block of rows is read from memory once: `v = [1 X_b]Δ` (`dgemv`), the new margins, log-loss and
  /// residuals per row, the gradient `X_bᵀ r` (`dgemv`), then `√(w p(1−p))·[1 X_b]` into a cache-resident scratch
  /// added to the Hessian with `dsyrk`. Blocks are sized so `X_b` and the scratch stay in a core's L2 cache.
  /// Newton's full step is nearly always accepted, so evaluating the trial point and the next Hessian in the same
  /// pass halves the traffic over `X`; a rejected step backtracks with `directionMargins` in O(n).
  /// - Parameters:
  ///   - eta: current margins.
  ///   - delta: a step in `θ`, or nil to evaluate at `eta` itself.
  ///   - wantHessian: whether to form the Hessian (the `dsyrk` work).
  ///   - newMargins: receives `η + v`.
  ///   - directionMargins: receives `v` when `delta` is given.
  /// - Returns: the loss, gradient and (when asked) Hessian at the new margins.
  /// - Complexity: O(n · p²) with the Hessian, O(n · p) without.
  func evaluate(
    margins eta: [Double], step delta: [Double]?, wantHessian: Bool,
    newMargins: inout [Double], directionMargins: inout [Double]
  ) -> Evaluation {
    let ranges = chunks
    let step = delta ?? [Double](repeating: 0, count: parameterCount)
    if newMargins.count != rowCount { newMargins = [Double](repeating: 0, count: rowCount) }
    if delta != nil && directionMargins.count != rowCount {
      directionMargins = [Double](repeating: 0, count: rowCount)
    }
    var partials = [Evaluation](repeating: Evaluation(loss: 0, gradient: [], hessian: nil), count: ranges.count)
    withRowPointers(eta: eta, step: step, newMargins: &newMargins, directionMargins: &directionMargins) { rows in
      partials.withUnsafeMutableBufferPointer { out in
        let outBase = out.start
        Parallel.forEach(ranges) { c, range in
          let scratch = ChunkScratch(parameters: parameterCount, blockRows: blockRows, wantHessian: wantHessian)
          var start = range.lowerBound
          while start < range.upperBound {
            let end = min(start + blockRows, range.upperBound)
            accumulate(block: start..<end, rows, hasStep: delta != nil, into: scratch)
            start = end
          }
          outBase[c] = scratch.evaluation
        }
      }
    }
    var total = partials[0]
    for c in 1..<max(1, partials.count) {
      total.loss += partials[c].loss
      BLAS.axpy(1, partials[c].gradient, &total.gradient)
      if let hc = partials[c].hessian { total.hessian?.add(hc) }
    }
    total.hessian?.symmetrize(from: .lower)
    return total
  }

  /// Adds one block of rows to a chunk's loss, gradient and Hessian, writing the block's new margins (and direction
  /// margins with a step): `v = [1 X_b]Δ`, the margins, log-loss and residuals per row, `X_bᵀ r`, then
  /// `√(w p(1−p))·[1 X_b]` into the scratch, added to the Hessian with `dsyrk`.
  func accumulate(block: Range<Int>, _ rows: RowPointers, hasStep: Bool, into scratch: ChunkScratch) {
    let (start, m, p) = (block.lowerBound, block.count, featureCount)
    let x = rows.x.rows(block)
    let out = rows.newMargins + start
    if hasStep, let v = rows.directionMargins.map({ $0 + start }) {
      for r in 0..<m { v[r] = rows.step[0] }
      if p > 0 { BLAS.gemv(.none, x, rows.step + 1, beta: 1, v) }
      for r in 0..<m { out[r] = rows.eta[start &+ r] + v[r] }
    } else {
      for r in 0..<m { out[r] = rows.eta[start &+ r] }
    }
    let residual = scratch.residual.start
    let (scaled, wantHessian) = (scratch.scaled.start, scratch.wantHessian)
    // The chunk's loss runs on through its blocks in row order, so the sum does not depend on the block size.
    var loss = scratch.loss
    var residualSum = 0.0
    for r in 0..<m {
      let i = start &+ r
      let wi = rows.w[i]
      let eta = out[r]
      // One exp serves both the loss and the probability.
      let ex = LogisticMath.expNegativeAbs(eta)
      loss += wi * (max(eta, 0) + LogisticMath.log1p(ex) - rows.y[i] * eta)
      let prob = eta >= 0 ? 1 / (1 + ex) : ex / (1 + ex)
      let ri = wi * (prob - rows.y[i])
      residual[r] = ri
      residualSum += ri
      if wantHessian { scaled[r] = (wi * prob * (1 - prob)).squareRoot() }
    }
    scratch.loss = loss
    let gradient = scratch.gradient.start
    gradient[0] += residualSum
    if p > 0 {
      BLAS.gemv(.transpose, x, residual, beta: 1, gradient + 1)
      if wantHessian {
        for j in 0..<p {
          let src = x.column(j)
          let dst = scaled + (j &+ 1) &* scratch.blockRows
          for r in 0..<m { dst[r] = scaled[r] * src[r] }
        }
      }
    }
    if wantHessian {
      let view = MatrixPointer(
        base: scaled, rows: m, columns: parameterCount, leadingDimension: scratch.blockRows)
      BLAS.syrk(.lower, .transpose, view, beta: 1, scratch.hessianView)
    }
  }

  /// Calls `body` with the design, the margins, outcomes, weights and step as pointers the threads share; each thread
  /// writes only its own rows of the two outputs.
  func withRowPointers(
    eta: [Double], step: [Double], newMargins: inout [Double], directionMargins: inout [Double],
    _ body: (RowPointers) -> Void
  ) {
    x.withUnsafePointer { xp in
      eta.withUnsafeBufferPointer { e in
        y.withUnsafeBufferPointer { yp in
          w.withUnsafeBufferPointer { wp in
            step.withUnsafeBufferPointer { dp in
              newMargins.withUnsafeMutableBufferPointer { np in
                directionMargins.withUnsafeMutableBufferPointer { vp in
                  body(
                    RowPointers(
                      x: xp, eta: e.start, y: yp.start, w: wp.start, step: dp.start,
                      newMargins: np.start, directionMargins: vp.baseAddress))
                }
              }
            }
          }
        }
      }
    }
  }

  /// Loss, gradient and Hessian of `L` at `eta` (no step).
  func evaluate(margins eta: [Double], wantHessian: Bool) -> Evaluation {
    var scratch = eta
    var unused: [Double] = []
    return evaluate(
      margins: eta, step: nil, wantHessian: wantHessian, newMargins: &scratch,
      directionMargins: &unused)
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

/// What `LogisticProblem.evaluate` reads and writes, as pointers valid for one call of `withRowPointers`.
struct RowPointers: @unchecked Sendable {
  let x: MatrixPointer
  let eta: UnsafePointer<Double>
  let y: UnsafePointer<Double>
  let w: UnsafePointer<Double>
  /// `Δ`, the intercept first.
  let step: UnsafePointer<Double>
  let newMargins: UnsafeMutablePointer<Double>
  /// Nil when no step is taken (the caller's array is empty).
  let directionMargins: UnsafeMutablePointer<Double>?
}

/// One thread's working memory in `LogisticProblem.evaluate`: the loss, gradient and Hessian its chunk accumulates,
/// and the block-sized residual and scaled-design buffers, allocated once per chunk.
final class ChunkScratch {
  let parameterCount: Int
  let blockRows: Int
  let wantHessian: Bool
  var loss = 0.0
  let gradient: UnsafeMutableBufferPointer<Double>
  let residual: UnsafeMutableBufferPointer<Double>
  /// `√(w p(1−p))` in the first column, then the scaled design: `blockRows × (p + 1)`, with the Hessian only.
  let scaled: UnsafeMutableBufferPointer<Double>
  /// `(p + 1) × (p + 1)`, lower triangle, with the Hessian only.
  let hessian: UnsafeMutableBufferPointer<Double>

  init(parameters k: Int, blockRows: Int, wantHessian: Bool) {
    self.blockRows = blockRows
    self.wantHessian = wantHessian
    func zeros(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
      let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
      buffer.initialize(repeating: 0)
      return buffer
    }
    parameterCount = k
    gradient = zeros(k)
    residual = zeros(blockRows)
    scaled = zeros(wantHessian ? blockRows * k : 0)
    hessian = zeros(wantHessian ? k * k : 0)
  }

  deinit {
    for buffer in [gradient, residual, scaled, hessian] { buffer.deallocate() }
  }

  var hessianView: MutableMatrixPointer {
    MutableMatrixPointer(
      base: hessian.start, rows: parameterCount, columns: parameterCount, leadingDimension: parameterCount)
  }

  /// The chunk's sums as an `Evaluation`.
  var evaluation: Evaluation {
    Evaluation(
      loss: loss, gradient: Array(gradient.prefix(parameterCount)),
      hessian: wantHessian
        ? Matrix(
          rows: parameterCount, columns: parameterCount,
          columnMajor: Array(hessian.prefix(parameterCount * parameterCount)))
        : nil)
  }
}

/// `L`, its gradient and optionally its Hessian at one point.
struct Evaluation {
  var loss: Double
  var gradient: [Double]
  var hessian: Matrix?
}
