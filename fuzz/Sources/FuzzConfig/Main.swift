import FuzzDriver

/// SwiftPM links this executable's entry as `FuzzConfig_main`.
@_cdecl("FuzzConfig_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzConfig)
}
