// swift-tools-version: 6.1
// libFuzzer targets for uptake's parsers, kept out of the default build. Built and run by `make fuzz`, which passes
// -sanitize=fuzzer,address (libFuzzer's driver, with AddressSanitizer) and -parse-as-library.
import PackageDescription

let package = Package(
  name: "uptake-fuzz",
  dependencies: [.package(name: "uptake", path: "..")],
  targets: [
    .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "Records", package: "uptake")]),
    .executableTarget(name: "FuzzConfig", dependencies: [.product(name: "Records", package: "uptake")]),
    .executableTarget(name: "FuzzModel", dependencies: [.product(name: "Uptake", package: "uptake")]),
  ]
)
