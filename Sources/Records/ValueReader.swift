/// `ReadSettings` compiled for the hot loop: the missing markers as bytes, the date format and the number style.
/// Every field is trimmed of surrounding spaces before it is read, so `12 ` is 12 and `English ` is `English`.
struct ValueReader: Sendable {
  let dateFormat: ReadSettings.DateFormat
  let lenientNumbers: Bool
  /// Markers by length; only fields no longer than the longest marker are compared.
  private let markers: [[UInt8]]
  private let longestMarker: Int

  init(_ settings: ReadSettings = ReadSettings()) {
    dateFormat = settings.dateFormat
    lenientNumbers = settings.numbers == .lenient
    let trimmed = settings.missing.map { Array(ValueReader.trimmed($0)) }
    markers = trimmed.filter { !$0.isEmpty }
    longestMarker = markers.map(\.count).max() ?? 0
  }

  private static func trimmed(_ text: String) -> String.UTF8View { text.trimmingSpaces.utf8 }

  /// `s` without leading and trailing spaces and tabs.
  @inline(__always)
  static func trim(_ s: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard let base = s.baseAddress, !s.isEmpty else { return s }
    var lo = 0, hi = s.count
    while lo < hi && (base[lo] == 32 || base[lo] == 9) { lo &+= 1 }
    while hi > lo && (base[hi &- 1] == 32 || base[hi &- 1] == 9) { hi &-= 1 }
    if lo == 0 && hi == s.count { return s }
    return UnsafeBufferPointer(start: base + lo, count: hi &- lo)
  }

  /// Empty, or one of the missing markers (the field already trimmed).
  @inline(__always)
  func isMissing(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    if s.isEmpty { return true }  // an empty cell holds no value, whatever the markers say
    guard s.count <= longestMarker else { return false }
    for marker in markers where marker.count == s.count {
      var same = true
      for i in 0..<s.count where marker[i] != s[i] {
        same = false
        break
      }
      if same { return true }
    }
    return false
  }

  /// A plain number, or under `numbers: lenient` also `1,234`, `£1,234.50` or `12%`.
  @inline(__always)
  func number(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
    if let value = ValueParsing.number(s) { return value }
    return lenientNumbers ? ValueParsing.lenientNumber(s) : nil
  }

  /// A date in the declared format (ISO is always read), a time after it dropped.
  @inline(__always)
  func day(_ s: UnsafeBufferPointer<UInt8>) -> Day? {
    ValueParsing.day(s, format: dateFormat)
  }
}

extension String {
  /// Without leading and trailing spaces and tabs (what the reader trims from every field and header name).
  var trimmingSpaces: String {
    var copy = self
    return copy.withUTF8 { String(decoding: ValueReader.trim($0), as: UTF8.self) }
  }
}
