/// Seeded splits of rows into two parts that keep groups (e.g. siblings in one family) together.
public enum GroupSplit {
  /// A seeded split into (train, validation) rows: each row (or each group, when `groups` is given) goes to
  /// validation with probability `fraction`, decided by a hash of its key and the seed, so the split is the same
  /// on every machine and does not depend on row order.
  public static func split(rows n: Int, groups: [Int]?, fraction: Double, seed: UInt64) -> ([Int], [Int]) {
    func unit(_ key: UInt64) -> Double {
      var rng = SplitMix64(seed: seed ^ (key &* 0x9E37_79B9_7F4A_7C15))
      return rng.nextUnit()
    }
    var train: [Int] = [], valid: [Int] = []
    for i in 0..<n {
      let key = UInt64(bitPattern: Int64(groups?[i] ?? i))
      if unit(key) < fraction { valid.append(i) } else { train.append(i) }
    }
    return (train, valid)
  }

  /// A seeded fold in `0..<count` per row, whole groups together when `groups` is given, by the same hash of key
  /// and seed as `split`: the same folds on every machine, whatever the row order.
  public static func folds(rows n: Int, groups: [Int]?, count: Int, seed: UInt64) -> [Int] {
    (0..<n).map { i in
      let key = UInt64(bitPattern: Int64(groups?[i] ?? i))
      var rng = SplitMix64(seed: seed ^ (key &* 0x9E37_79B9_7F4A_7C15))
      return min(count - 1, Int(rng.nextUnit() * Double(count)))
    }
  }

  /// A stable integer per text key (FNV-1a 64 of its bytes), so a split by family id does not depend on row order.
  public static func keys(_ texts: [String]) -> [Int] {
    texts.map { text in
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
      return Int(bitPattern: UInt(h))
    }
  }
}
