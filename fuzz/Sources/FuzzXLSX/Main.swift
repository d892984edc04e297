import FuzzDriver

/// SwiftPM links this executable's entry as `FuzzXLSX_main`.
@_cdecl("FuzzXLSX_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzXLSX)
}
