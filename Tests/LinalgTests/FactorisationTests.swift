import Linalg
import PropertyBased
import TestSupport
import Testing

@Suite("Cholesky, LDLᵀ and LU against naive products")
struct FactorisationTests {
  @Test("Cholesky: LLᵀ = A, solve and inverse", arguments: [1, 2, 5, 30])
  func cholesky(_ n: Int) throws {
    var rng = TestRandom(seed: UInt64(n))
    let a = rng.spd(n)
    let chol = try Cholesky(factoring: a)
    var l = chol.factor
    for j in 0..<n { for i in 0..<j { l[i, j] = 0 } }
    #expect(maxAbsDifference(Naive.product(l, l, transB: true).storage, a.storage) <= 1e-12 * Double(n))
    let b = rng.vector(n)
    let x = chol.solve(b)
    #expect(maxAbsDifference(Naive.matrixVector(a, x, transpose: false), b) <= 1e-12)
    let inv = try chol.inverse()
    #expect(maxAbsDifference(Naive.product(a, inv).storage, Matrix.identity(n).storage) <= 1e-12)
  }

  @Test("Cholesky reports the order of the failing minor")
  func notPositiveDefinite() {
    let a = Matrix([[4, 2, 0], [2, 1, 0], [0, 0, 1]])  // second leading minor is 0
    #expect(throws: LinalgError.notPositiveDefinite(order: 2)) { try Cholesky(factoring: a) }
    let indefinite = Matrix([[1, 0], [0, -1]])
    #expect(throws: LinalgError.notPositiveDefinite(order: 2)) { try Cholesky(factoring: indefinite) }
  }

  @Test("LDLᵀ solves symmetric indefinite systems")
  func symmetricIndefinite() throws {
    let a = Matrix([[0, 1, 2], [1, -3, 0.5], [2, 0.5, 1]])
    let b = [1.0, -2, 0.25]
    let x = try SymmetricIndefinite(factoring: a).solve(b)
    #expect(maxAbsDifference(Naive.matrixVector(a, x, transpose: false), b) <= 1e-13)
  }

  @Test("LDLᵀ and LU report singular matrices with the pivot index")
  func singular() {
    let a = Matrix([[1, 2], [2, 4]])
    #expect(throws: LinalgError.singular(index: 2)) { try LU(factoring: a) }
    #expect(throws: LinalgError.self) { try SymmetricIndefinite(factoring: Matrix([[0, 0], [0, 0]])) }
  }

  @Test("LU solves A x = b and Aᵀ x = b")
  func lu() throws {
    var rng = TestRandom(seed: 9)
    let a = rng.matrix(6, 6)
    let lu = try LU(factoring: a)
    let b = Matrix(rows: 6, columns: 2, columnMajor: rng.vector(12))
    let x = lu.solve(b)
    #expect(maxAbsDifference(Naive.product(a, x).storage, b.storage) <= 1e-11)
    let xt = lu.solve(b, transpose: .transpose)
    #expect(maxAbsDifference(Naive.product(a, xt, transA: true).storage, b.storage) <= 1e-11)
  }

  @Test("property: Cholesky solve inverts A on random SPD matrices")
  func choleskyProperty() async {
    await propertyCheck(count: 50, input: Gen.int(in: 1...25), Gen.int(in: 0...1_000_000)) { n, seed in
      var rng = TestRandom(seed: UInt64(seed))
      let a = rng.spd(n)
      let b = rng.vector(n)
      let x = try! Cholesky(factoring: a).solve(b)
      #expect(maxAbsDifference(Naive.matrixVector(a, x, transpose: false), b) <= 1e-11)
      #expect(try! Cholesky(factoring: a).logDeterminant.isFinite)
    }
  }

  @Test("empty matrices factor and solve trivially")
  func empty() throws {
    let chol = try Cholesky(factoring: Matrix(rows: 0, columns: 0))
    #expect(chol.solve([Double]()) == [])
  }
}
