import Records

/// Any text given to the `uptake.yaml` parser either parses or throws a `ConfigError`; nothing may crash. Every
/// table it names has the same header, so deep checks (links, features) are reached too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = try? ProjectConfig.parse(text, file: "fuzz.yaml") { _ in
    [
      "child_id", "family_id", "date_of_birth", "lsoa", "event_date", "recorded_date", "outcome", "review",
      "imd_decile",
    ]
  }
  return 0
}
