// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "uptake",
  products: [
    .library(name: "Linalg", targets: ["Linalg"]),
    .library(name: "Learn", targets: ["Learn"]),
    .library(name: "Records", targets: ["Records"]),
    .library(name: "Uptake", targets: ["Uptake"]),
    .executable(name: "uptake", targets: ["UptakeCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
  ],
  targets: [
    // MARK: - System libraries

    /// `<cblas.h>` and `<lapacke.h>` from Debian's `libopenblas-dev` and `liblapacke-dev`.
    .systemLibrary(
      name: "CLAPACK",
      path: "Sources/CLAPACK",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),

    /// `<sqlite3.h>` from Debian's `libsqlite3-dev`, for SQLite input.
    .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),

    // MARK: - Numeric core

    /// Safe Swift over BLAS/LAPACK: column-major matrices, kernels, factorisations. No Foundation.
    .target(name: "Linalg", dependencies: ["CLAPACK"]),

    /// Learners and metrics on top of `Linalg`. No file I/O.
    .target(name: "Learn", dependencies: ["Linalg"]),

    // MARK: - Records and application

    /// Dates, CSV and Excel reading, CSV writing, the project config, point-in-time features. Foundation allowed.
    .target(
      name: "Records",
      dependencies: [
        "CSQLite", .product(name: "Yams", package: "Yams"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]
    ),

    /// The application: synthetic council, model bundles, scoring, explanations, reports.
    .target(
      name: "Uptake",
      dependencies: ["Learn", "Linalg", "Records", .product(name: "Crypto", package: "swift-crypto")]
    ),

    /// The `uptake` command: parses arguments, calls `Uptake`, prints.
    .executableTarget(
      name: "UptakeCLI",
      dependencies: ["Uptake", "Learn", "Records", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      path: "Sources/uptake"
    ),

    // MARK: - Tests

    /// What the test targets share: running processes (the built `uptake` above all), tolerances, fixtures.
    .target(name: "TestSupport", path: "Tests/TestSupport"),

    .testTarget(
      name: "LinalgTests",
      dependencies: [
        "Linalg", "TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "LearnTests",
      dependencies: [
        "Learn", "Linalg", "TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      resources: [.copy("Resources")]
    ),
    .testTarget(
      name: "RecordsTests",
      dependencies: [
        "Records", "CSQLite", .product(name: "PropertyBased", package: "swift-property-based"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]
    ),
    .testTarget(
      name: "UptakeTests",
      dependencies: [
        "Uptake", "Records", "Learn", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
  ]
)
