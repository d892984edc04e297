import Foundation
import Learn

/// How every report writes a number: "–" for a figure that does not exist (NaN), never "nan". A report type adopts
/// it to write `f(x)`, `pct(x)` and `ci(interval)` in its sections.
protocol ReportNumbers {}

extension ReportNumbers {
  /// `x` with `digits` decimals.
  func f(_ x: Double, _ digits: Int = 3) -> String {
    x.isNaN ? "–" : String(format: "%.\(digits)f", x)
  }

  /// A share as a percentage with one decimal ("12.5%").
  func pct(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.1f%%", 100 * x) }

  /// An interval "lower–upper", as decimals or percentages.
  func ci(_ i: ConfidenceInterval, percent: Bool = false) -> String {
    if i.lower.isNaN || i.upper.isNaN { return "–" }
    return percent ? "\(pct(i.lower))–\(pct(i.upper))" : "\(f(i.lower))–\(f(i.upper))"
  }
}
