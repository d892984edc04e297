import Foundation
import Uptake

/// Any bytes given to the model loader either load or throw a `ModelFileError`; nothing may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  _ = try? ModelBundle.load(data: Data(bytes: data, count: size), path: "fuzz.json")
  return 0
}
