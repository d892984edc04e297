import Linalg
import PropertyBased
import TestSupport
import Testing

@Suite("BLAS wrappers against naive loops")
struct BLASTests {
  @Test("level 1: dot, axpy, scal, nrm2")
  func levelOne() {
    var rng = TestRandom(seed: 1)
    for n in [0, 1, 7, 64, 1001] {
      let x = rng.vector(n), y = rng.vector(n)
      #expect(abs(BLAS.dot(x, y) - zip(x, y).map(*).reduce(0, +)) <= 1e-12 * Double(max(n, 1)))
      var z = y
      BLAS.axpy(2.5, x, &z)
      #expect(maxAbsDifference(z, zip(x, y).map { 2.5 * $0 + $1 }) <= 1e-15 * 4)
      var s = x
      BLAS.scal(-3, &s)
      #expect(s == x.map { -3 * $0 })
      #expect(abs(BLAS.nrm2(x) - x.map { $0 * $0 }.reduce(0, +).squareRoot()) <= 1e-13)
    }
  }

  @Test("nrm2 does not overflow where the naive sum of squares would")
  func nrm2Scaling() {
    #expect(abs(BLAS.nrm2([3e200, 4e200]) / 5e200 - 1) <= 1e-15)
  }

  @Test("gemv on random shapes, both orientations", arguments: [(1, 1), (5, 3), (3, 5), (17, 1), (1, 17), (64, 33)])
  func gemv(_ shape: (Int, Int)) {
    var rng = TestRandom(seed: UInt64(shape.0 * 100 + shape.1))
    let a = rng.matrix(shape.0, shape.1)
    for trans in [false, true] {
      let x = rng.vector(trans ? shape.0 : shape.1)
      let y0 = rng.vector(trans ? shape.1 : shape.0)
      var y = y0
      BLAS.gemv(trans ? .transpose : .none, alpha: 0.5, a, x, beta: 2, &y)
      let expected = zip(Naive.matrixVector(a, x, transpose: trans), y0).map { 0.5 * $0 + 2 * $1 }
      #expect(maxAbsDifference(y, expected) <= 1e-13)
    }
  }

  @Test("gemm in all four transpose combinations")
  func gemmTransposes() {
    var rng = TestRandom(seed: 3)
    let (m, n, k) = (7, 5, 9)
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      let a = ta ? rng.matrix(k, m) : rng.matrix(m, k)
      let b = tb ? rng.matrix(n, k) : rng.matrix(k, n)
      let c = BLAS.gemm(a, b, transA: ta ? .transpose : .none, transB: tb ? .transpose : .none)
      let expected = Naive.product(a, b, transA: ta, transB: tb)
      #expect(c.rows == m && c.columns == n)
      #expect(maxAbsDifference(c.storage, expected.storage) <= 1e-13)
    }
  }

  @Test("gemm and syrk on strided views (leading dimension larger than rows)")
  func views() {
    var rng = TestRandom(seed: 4)
    let big = rng.matrix(20, 12)
    // A = rows 3..<11, columns 2..<7 of `big`; B = rows 3..<11, columns 7..<12.
    let a = Matrix((3..<11).map { i in (2..<7).map { big[i, $0] } })
    let b = Matrix((3..<11).map { i in (7..<12).map { big[i, $0] } })
    var c = Matrix(rows: 5, columns: 5)
    var gram = Matrix(rows: 5, columns: 5)
    big.withUnsafePointer { bp in
      let av = bp.rows(3..<11).columns(2..<7)
      let bv = bp.rows(3..<11).columns(7..<12)
      #expect(av.leadingDimension == 20)
      c.withUnsafeMutablePointer { cp in BLAS.gemm(.transpose, .none, av, bv, cp) }
      gram.withUnsafeMutablePointer { gp in BLAS.syrk(.lower, .transpose, av, gp) }
    }
    #expect(maxAbsDifference(c.storage, Naive.product(a, b, transA: true).storage) <= 1e-13)
    gram.symmetrize(from: .lower)
    #expect(maxAbsDifference(gram.storage, Naive.product(a, a, transA: true).storage) <= 1e-13)
  }

  @Test("syrk accumulates with beta = 1, as the blocked Hessian relies on")
  func syrkAccumulates() {
    var rng = TestRandom(seed: 5)
    let a = rng.matrix(30, 4)
    var h = Matrix(rows: 4, columns: 4)
    a.withUnsafePointer { ap in
      h.withUnsafeMutablePointer { hp in
        BLAS.syrk(.lower, .transpose, ap.rows(0..<13), beta: 1, hp)
        BLAS.syrk(.lower, .transpose, ap.rows(13..<30), beta: 1, hp)
      }
    }
    h.symmetrize(from: .lower)
    #expect(maxAbsDifference(h.storage, BLAS.gram(a).storage) <= 1e-13)
  }

  @Test("property: (AB)ᵀ = BᵀAᵀ and gram(A) is symmetric with a non-negative diagonal")
  func productProperties() async {
    await propertyCheck(
      count: 60, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.int(in: 1...12),
      Gen.int(in: 0...1_000_000)
    ) { m, n, k, seed in
      var rng = TestRandom(seed: UInt64(seed))
      let a = rng.matrix(m, k), b = rng.matrix(k, n)
      let left = BLAS.gemm(a, b).transposed
      let right = BLAS.gemm(b, a, transA: .transpose, transB: .transpose)
      #expect(maxAbsDifference(left.storage, right.storage) <= 1e-13)
      let g = BLAS.gram(a)
      #expect(g == g.transposed)
      #expect((0..<k).allSatisfy { g[$0, $0] >= 0 })
    }
  }

  @Test("thread count can be set and restored")
  func threads() {
    let before = BLASThreads.count
    BLASThreads.withSingleThread { #expect(BLASThreads.count == 1) }
    #expect(BLASThreads.count == before)
  }
}

@Suite("Matrix views")
struct MatrixViewTests {
  @Test("a mutable view writes through to the matrix and reads back through its read-only view")
  func views() {
    var m = Matrix(rows: 3, columns: 2)
    m.withUnsafeMutablePointer { view in
      view[2, 1] = 7
      view.rows(1..<3)[0, 0] = 5
      #expect(view.readOnly[2, 1] == 7 && view.readOnly.columns(1..<2)[2, 0] == 7)
    }
    #expect(m[2, 1] == 7 && m[1, 0] == 5)
    m.withUnsafePointer { view in #expect(view.rows(1..<3)[0, 0] == 5 && view.column(1)[2] == 7) }
    // An empty matrix still gives BLAS a valid view.
    let empty = Matrix(rows: 0, columns: 0)
    #expect(empty.withUnsafePointer { $0.rows == 0 && $0.leadingDimension == 1 })
  }

  #if DEBUG
    @Test("an index outside a view stops a debug build instead of reading a neighbour's memory")
    func boundsInDebug() async {
      await #expect(processExitsWith: .failure) {
        let m = Matrix(rows: 3, columns: 2)
        _ = m.withUnsafePointer { $0.rows(0..<2)[2, 0] }
      }
      await #expect(processExitsWith: .failure) {
        var m = Matrix(rows: 3, columns: 2)
        m.withUnsafeMutablePointer { $0[0, 2] = 1 }
      }
    }
  #endif
}
