import FuzzDriver

/// SwiftPM links this executable's entry as `FuzzCSV_main`.
@_cdecl("FuzzCSV_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzCSV)
}
