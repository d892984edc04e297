// swift-tools-version: 6.1
// libFuzzer targets for uptake's parsers, kept out of the default build. Built and run by `make fuzz`, which passes
// -sanitize=fuzzer,address (libFuzzer's driver, with AddressSanitizer) and -parse-as-library.
import PackageDescription

let package = Package(
  name: "uptake-fuzz",
  dependencies: [
    .package(name: "uptake", path: ".."),
    .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
  ],
  targets: [
    .target(name: "FuzzDriver"),
    .executableTarget(name: "FuzzCSV", dependencies: ["FuzzDriver", .product(name: "Records", package: "uptake")]),
    .executableTarget(name: "FuzzConfig", dependencies: ["FuzzDriver", .product(name: "Records", package: "uptake")]),
    .executableTarget(
      name: "FuzzModel",
      dependencies: [
        "FuzzDriver", .product(name: "Uptake", package: "uptake"), .product(name: "Records", package: "uptake"),
      ]),
    .executableTarget(
      name: "FuzzXLSX",
      dependencies: [
        "FuzzDriver", .product(name: "Records", package: "uptake"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
  ]
)
