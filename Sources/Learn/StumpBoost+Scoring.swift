import Linalg

extension StumpBoost {
  /// Margins (log-odds) of already binned rows: `intercept + Σⱼ tables[j][bin]`, plus each pair's cell.
  /// - Complexity: O(n · (p + pairs)), one lookup per term per row.
  public func margins(_ binned: BinnedMatrix) -> [Double] {
    let n = binned.rows
    var out = [Double](repeating: intercept, count: n)
    binned.bins.withUnsafeBufferPointer { bins in
      out.withUnsafeMutableBufferPointer { m in
        for j in 0..<featureCount {
          let column = bins.start + j * n
          tables[j].withUnsafeBufferPointer { table in
            for i in 0..<n { m[i] += table[Int(column[i])] }
          }
        }
      }
    }
    for pair in pairs ?? [] {
      let values = pair.values(binned)
      for i in 0..<n { out[i] += values[i] }
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

  /// Exact contributions (log-odds) of one binned row: each feature's `φⱼ`, then each pair's; `intercept + Σ` is its
  /// margin.
  public func contributions(binnedRow bins: [UInt8]) -> [Double] {
    precondition(bins.count == featureCount, "expected \(featureCount) bins, got \(bins.count)")
    return (0..<featureCount).map { tables[$0][Int(bins[$0])] }
      + (pairs ?? []).map { $0.table[$0.cell(bins[$0.features[0]], bins[$0.features[1]])] }
  }

  /// Contributions of every row: `n × (p + pairs)`, column-major (the features in order, then the pairs), in
  /// O(n · (p + pairs)).
  public func contributions(_ binned: BinnedMatrix) -> Matrix {
    let n = binned.rows
    var phi = Matrix(rows: n, columns: featureCount + (pairs?.count ?? 0))
    for j in 0..<featureCount {
      for i in 0..<n { phi.storage[j * n + i] = tables[j][Int(binned.bins[j * n + i])] }
    }
    for (t, pair) in (pairs ?? []).enumerated() {
      let values = pair.values(binned), column = (featureCount + t) * n
      for i in 0..<n { phi.storage[column + i] = values[i] }
    }
    return phi
  }

  /// Feature `j`'s learned shape: each bin's label and centred log-odds contribution, for reports.
  public func shape(ofFeature j: Int) -> [(bin: String, logOdds: Double)] {
    (0..<tables[j].count).map { (binnings[j].label(ofBin: $0), tables[j][$0]) }
  }
}
