import PropertyBased
import Testing

@testable import Learn

@Suite("Binning")
struct BinningTests {
  @Test("the branch-free search agrees with the reference bin(_:) on random values and edges (property)")
  func branchFreeSearch() async {
    await propertyCheck(count: 100, input: Gen.int(in: 0...254), Gen.int(in: 0...100_000)) { edgeCount, seed in
      var rng = SplitMix64(seed: UInt64(seed))
      let edges = (0..<edgeCount).map { _ in rng.nextUnit() * 10 - 5 }.sorted()
      let distinct = edges.reduce(into: [Double]()) { if $0.last != $1 { $0.append($1) } }
      let binning = FeatureBinning(name: "x", kind: .numeric(upperEdges: distinct))
      var values = (0..<500).map { _ in rng.nextUnit() * 12 - 6 }
      values += distinct  // exactly on an edge: belongs to the lower bin
      values += [.nan, .infinity, -.infinity]
      var out = [UInt8](repeating: 0, count: values.count)
      values.withUnsafeBufferPointer { v in
        out.withUnsafeMutableBufferPointer { o in
          BinnedMatrix.binNumeric(v.baseAddress!, count: values.count, edges: distinct, into: o.baseAddress!)
        }
      }
      #expect(out == values.map { binning.bin($0) })
    }
  }

  @Test("quantile edges: few distinct values get a bin each; many get about equal counts")
  func quantileEdges() {
    let few = FeatureBinning.numeric(name: "a", values: [3, 1, 2, 2, .nan, 3, 1], maxBins: 255)
    #expect(few.kind == .numeric(upperEdges: [1.5, 2.5]))
    #expect(few.bin(1) == 0 && few.bin(2) == 1 && few.bin(3) == 2 && few.bin(.nan) == 3)
    let many = FeatureBinning.numeric(name: "b", values: (0..<10_000).map(Double.init), maxBins: 10)
    guard case .numeric(let edges) = many.kind else { Issue.record("numeric expected"); return }
    #expect(edges.count == 9)
    var counts = [Int](repeating: 0, count: 10)
    for v in 0..<10_000 { counts[Int(many.bin(Double(v)))] += 1 }
    #expect(counts.allSatisfy { abs($0 - 1000) <= 1 })
  }

  @Test("a constant or all-missing column has one value bin and a missing bin")
  func degenerate() {
    let constant = FeatureBinning.numeric(name: "c", values: [4, 4, 4], maxBins: 255)
    #expect(constant.binCount == 2 && constant.bin(4) == 0 && constant.bin(.nan) == 1)
    let missing = FeatureBinning.numeric(name: "m", values: [.nan, .nan], maxBins: 255)
    #expect(missing.binCount == 2 && missing.bin(.nan) == 1)
  }

  @Test("bin labels read as ranges, categories, other and missing")
  func labels() {
    let numeric = FeatureBinning(name: "km", kind: .numeric(upperEdges: [1, 2.5]))
    #expect((0..<4).map { numeric.label(ofBin: $0) } == ["≤ 1", "(1, 2.5]", "> 2.5", "missing"])
    let categorical = FeatureBinning(name: "lang", kind: .categorical(levels: ["english", "polish"]))
    #expect((0..<4).map { categorical.label(ofBin: $0) } == ["english", "polish", "other", "missing"])
  }
}

@Suite("Radix sort")
struct RadixSortTests {
  @Test("sorts like the standard library, with negatives, zeros, infinities and duplicates (property)")
  func matchesStandardSort() async {
    await propertyCheck(count: 50, input: Gen.int(in: 0...3000), Gen.int(in: 0...100_000)) { n, seed in
      var rng = SplitMix64(seed: UInt64(seed))
      var values = (0..<n).map { _ -> Double in
        switch rng.next() % 6 {
        case 0: return Double(Int(rng.next() % 7)) - 3  // many duplicates
        case 1: return -0.0
        case 2: return rng.next() % 2 == 0 ? .infinity : -.infinity
        default: return (rng.nextUnit() - 0.5) * 1e6
        }
      }
      let expected = values.sorted()
      RadixSort.sort(&values)
      #expect(values.map(\.bitPattern) == expected.map(\.bitPattern) || values == expected)
    }
  }
}
