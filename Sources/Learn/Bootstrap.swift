/// Seeded percentile bootstrap intervals, resampling whole groups (e.g. families) when groups are given, so rows
/// that move together are not treated as independent.
public struct Bootstrap: Sendable {
  public var replicates: Int
  public var seed: UInt64
  /// Coverage of the interval, e.g. 0.95.
  public var level: Double
  /// Called after each replicate, for a progress bar: bootstrap intervals are most of an evaluation's time.
  public var onReplicate: (@Sendable () -> Void)? = nil

  public init(replicates: Int = 500, seed: UInt64 = 1, level: Double = 0.95) {
    self.replicates = replicates
    self.seed = seed
    self.level = level
  }

  /// The `(1 − level)/2` and `(1 + level)/2` percentiles of `statistic` over resamples of `rows` rows (or of the
  /// distinct `groups`). Replicates where the statistic is NaN (e.g. no events drawn) are dropped.
  public func interval(rows: Int, groups: [Int]? = nil, statistic: ([Int]) -> Double) -> ConfidenceInterval {
    var members: [[Int]]
    if let groups {
      var index: [Int: Int] = [:]
      members = []
      for i in 0..<rows {
        if let k = index[groups[i]] {
          members[k].append(i)
        } else {
          index[groups[i]] = members.count
          members.append([i])
        }
      }
    } else {
      members = (0..<rows).map { [$0] }
    }
    var rng = SplitMix64(seed: seed)
    var values: [Double] = []
    values.reserveCapacity(replicates)
    // Resamples are drawn in order from one generator (so the interval does not depend on the thread count), a batch
    // at a time, and their statistics computed side by side: the statistic (an AUC's sort) is nearly all the time.
    let batch = 8
    var done = 0
    while done < replicates {
      let samples = (0..<min(batch, replicates - done)).map { _ -> [Int] in
        var sample: [Int] = []
        sample.reserveCapacity(rows)
        for _ in 0..<members.count { sample += members[Int(rng.next() % UInt64(members.count))] }
        return sample
      }
      let onReplicate = self.onReplicate
      let statistics = Parallel.map(samples.count) { k -> Double in
        let v = statistic(samples[k])
        onReplicate?()
        return v
      }
      values += statistics.filter { !$0.isNaN }
      done += samples.count
    }
    values.sort()
    guard !values.isEmpty else { return ConfidenceInterval(lower: .nan, upper: .nan, level: level) }
    func quantile(_ q: Double) -> Double {
      let position = q * Double(values.count - 1)
      let low = Int(position.rounded(.down)), high = min(values.count - 1, low + 1)
      return values[low] + (position - Double(low)) * (values[high] - values[low])
    }
    return ConfidenceInterval(lower: quantile((1 - level) / 2), upper: quantile((1 + level) / 2), level: level)
  }
}

public struct ConfidenceInterval: Codable, Equatable, Sendable {
  public var lower: Double
  public var upper: Double
  public var level: Double

  public init(lower: Double, upper: Double, level: Double) {
    self.lower = lower
    self.upper = upper
    self.level = level
  }
}
