import ArgumentParser
import Uptake

extension BaselineRule {
  /// `--rule FEATURE=highest|lowest`, with the format in the error when it is not that.
  static func parsed(_ text: String) throws -> BaselineRule {
    guard let rule = BaselineRule(parsing: text) else {
      throw ValidationError("expected FEATURE=highest or FEATURE=lowest, e.g. imd_decile=lowest")
    }
    return rule
  }
}
