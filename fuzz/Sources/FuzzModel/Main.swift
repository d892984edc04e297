import FuzzDriver

/// SwiftPM links this executable's entry as `FuzzModel_main`.
@_cdecl("FuzzModel_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzModel)
}
