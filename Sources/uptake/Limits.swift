import ArgumentParser

/// Every number a user gives on the command line has a documented range: outside it, one clear line, never a run
/// that traps or never ends (a thread count of zero, rounds in the quintillions).
enum Limits {
  static func check(_ value: Int?, _ flag: String, _ range: ClosedRange<Int>) throws {
    guard let value else { return }
    guard range.contains(value) else {
      throw ValidationError("\(flag) must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
    }
  }

  static func check(_ value: Double, _ flag: String, above lower: Double, atMost upper: Double) throws {
    guard value.isFinite, value > lower, value <= upper else {
      throw ValidationError("\(flag) must be above \(lower) and at most \(upper), got \(value)")
    }
  }

  static let threads = 1...256
  static let capacity = 1...10_000_000
  static let bootstrap = 50...100_000
}
