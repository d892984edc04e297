import Foundation

/// One edit to a JSON tree, decoded from fuzz bytes: where (the n-th node, in a fixed walk order) and what.
struct BundleEdit {
  enum Action: CaseIterable {
    case specialNumber, nudgeNumber, dropLast, appendCopy, removeKey, changeType, swapElements, specialString, reverse
  }

  var node: Int
  var action: Action
  var argument: UInt8

  /// Numbers a tamperer would try: limits of Int64 and Double, bin-count edges, signs, and the strings the decoder
  /// reads as non-finite numbers.
  nonisolated(unsafe) static let specialNumbers: [Any] = [
    0, -0.0, 1, -1, 2, 255, 256, 257, 65_535, 1e15, 9_007_199_254_740_993, Int64.max, Int64.min, Int32.max,
    Int32.min, 1e308, -1e308, 5e-324, 0.5, -0.5, 1e-300, "nan", "inf", "-inf",
  ]
  static let specialStrings: [String] = [
    "", "nan", "inf", "numeric", "categorical", "boolean", "stumps", "logistic", "isotonic", "platt", "{value}",
    String(repeating: "x", count: 10_000), "=HYPERLINK(\"x\")", "\u{0}", "é",
  ]

  /// The tree with this edit applied (unchanged when the edit does not fit the node).
  func applied(to tree: Any) -> Any {
    var counter = 0
    return edit(tree, &counter)
  }

  private func edit(_ value: Any, _ counter: inout Int) -> Any {
    let here = counter
    counter += 1
    if here == node { return change(value) }
    if here > node { return value }
    if let array = value as? [Any] {
      var copy = array
      for i in copy.indices {
        copy[i] = edit(copy[i], &counter)
        if counter > node { break }
      }
      return copy
    }
    if let object = value as? [String: Any] {
      var copy = object
      for key in object.keys.sorted() {
        copy[key] = edit(object[key]!, &counter)
        if counter > node { break }
      }
      return copy
    }
    return value
  }

  private func change(_ value: Any) -> Any {
    let k = Int(argument)
    switch action {
    case .specialNumber:
      return Self.specialNumbers[k % Self.specialNumbers.count]
    case .nudgeNumber:
      guard let number = value as? Double else { return value }
      let delta = Double(Int(argument) - 128)
      return number.rounded() == number ? number + delta : number * (1 + delta / 16)
    case .dropLast:
      guard var array = value as? [Any], !array.isEmpty else { return value }
      array.removeLast(min(array.count, 1 + k % 4))
      return array
    case .appendCopy:
      guard var array = value as? [Any], let last = array.last else { return value }
      for _ in 0..<(1 + k % 300) { array.append(last) }
      return array
    case .removeKey:
      guard var object = value as? [String: Any], !object.isEmpty else { return value }
      object.removeValue(forKey: object.keys.sorted()[k % object.count])
      return object
    case .changeType:
      let replacements: [Any] = ["x", [Any](), [String: Any](), true, 0, NSNull()]
      return replacements[k % replacements.count]
    case .swapElements:
      guard var array = value as? [Any], array.count > 1 else { return value }
      array.swapAt(k % array.count, (k / 7) % array.count)
      return array
    case .specialString:
      guard value is String else { return value }
      return Self.specialStrings[k % Self.specialStrings.count]
    case .reverse:
      guard let array = value as? [Any] else { return value }
      return Array(array.reversed())
    }
  }
}

/// The edits encoded in fuzz bytes, four bytes each: two for the node, one for the action, one for its argument.
struct BundleEdits: IteratorProtocol {
  private var bytes: ArraySlice<UInt8>
  init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes.prefix(4 * 16) }  // at most 16 edits per input

  mutating func next() -> BundleEdit? {
    guard bytes.count >= 4 else { return nil }
    let b = Array(bytes.prefix(4))
    bytes = bytes.dropFirst(4)
    let actions = BundleEdit.Action.allCases
    return BundleEdit(
      node: Int(b[0]) << 8 | Int(b[1]), action: actions[Int(b[2]) % actions.count], argument: b[3])
  }
}
