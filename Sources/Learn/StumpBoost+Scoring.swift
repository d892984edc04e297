import Linalg

extension StumpBoost {
  /// Margins (log-odds) of already binned rows: `intercept + Σⱼ tables[j][bin]`.
  /// - Complexity: O(n · p), one lookup per feature per row.
  public func margins(_ binned: BinnedMatrix) -> [Double] {
    let n = binned.rows
    var out = [Double](repeating: intercept, count: n)
    binned.bins.withUnsafeBufferPointer { bins in
      out.withUnsafeMutableBufferPointer { m in
        for j in 0..<featureCount {
          let column = bins.baseAddress! + j * n
          tables[j].withUnsafeBufferPointer { table in
            for i in 0..<n { m[i] += table[Int(column[i])] }
          }
        }
      }
    }
    return out
  }

  /// Bins `columns` with the training binnings, then scores them.
  public func margins(_ columns: [FeatureColumn], threads: Int? = nil) throws -> [Double] {
    margins(try BinnedMatrix(columns, binnings: binnings, threads: threads))
  }

  /// Margins of an all-numeric design (NaN = missing) whose columns are the training features, in order.
  public func margins(_ x: Matrix) throws -> [Double] {
    try margins(FeatureColumn.columns(of: x, names: featureNames))
  }

  public func probabilities(_ columns: [FeatureColumn]) throws -> [Double] {
    try margins(columns).map(LogisticMath.sigmoid)
  }

  /// Exact per-feature contributions `φⱼ` (log-odds) of one binned row; `intercept + Σ φⱼ` is its margin.
  public func contributions(binnedRow bins: [UInt8]) -> [Double] {
    precondition(bins.count == featureCount, "expected \(featureCount) bins, got \(bins.count)")
    return (0..<featureCount).map { tables[$0][Int(bins[$0])] }
  }

  /// Contributions of every row: `n × p`, column-major, in O(n · p).
  public func contributions(_ binned: BinnedMatrix) -> Matrix {
    let n = binned.rows
    var phi = Matrix(rows: n, columns: featureCount)
    for j in 0..<featureCount {
      for i in 0..<n { phi.storage[j * n + i] = tables[j][Int(binned.bins[j * n + i])] }
    }
    return phi
  }

  /// Feature `j`'s learned shape: each bin's label and centred log-odds contribution, for reports.
  public func shape(ofFeature j: Int) -> [(bin: String, logOdds: Double)] {
    (0..<tables[j].count).map { (binnings[j].label(ofBin: $0), tables[j][$0]) }
  }
}
