// swift-tools-version: 6.1
// Benchmarks for uptake, kept out of the default build and test run. Run them with the scripts beside this file.
import PackageDescription

let package = Package(
  name: "uptake-benchmarks",
  dependencies: [.package(name: "uptake", path: "..")],
  targets: [
    .executableTarget(
      name: "logistic-bench",
      dependencies: [.product(name: "Learn", package: "uptake"), .product(name: "Linalg", package: "uptake")],
      swiftSettings: [.unsafeFlags(["-Ounchecked"])]
    ),
    .executableTarget(
      name: "csv-bench",
      dependencies: [.product(name: "Records", package: "uptake")]
    ),
    .executableTarget(
      name: "stumps-bench",
      dependencies: [.product(name: "Learn", package: "uptake"), .product(name: "Linalg", package: "uptake")]
    ),
  ]
)
