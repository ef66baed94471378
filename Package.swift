// swift-tools-version:6.0
import PackageDescription

/// Test targets mirror the library's folders; each is named after one area.
let testAreas = ["Options", "Context", "Config", "Plan", "Target", "Templates", "Reports", "Commands", "Engine"]

let package = Package(
    name: "sqlitch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sqlitch", targets: ["SqlitchCLI"]),
        .library(name: "SqlitchCore", targets: ["SqlitchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // libsqlite3, libpq and MariaDB Connector/C: their headers (libsqlite3-dev, libpq-dev,
        // libmariadb-dev) at build time; each library is loaded when its engine is first used
        // (see loader.c).
        .target(name: "CClientLibraries"),
        .target(
            name: "SqlitchCore",
            dependencies: [
                "CClientLibraries",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // ICU as the toolchain's FoundationInternationalization bundles it, for regular
            // expressions (see RegularExpression.swift).
            linkerSettings: [.linkedLibrary("_FoundationICU")]
        ),
        .executableTarget(
            name: "SqlitchCLI",
            dependencies: ["SqlitchCore"]
        ),
        .target(name: "SqlitchTestSupport", dependencies: ["SqlitchCore"]),
        .testTarget(name: "ParityTests", dependencies: ["SqlitchCore", "SqlitchTestSupport", "SqlitchCLI"]),
        // Kills, concurrent runs, hostile input and secrets, against the built binary.
        .testTarget(name: "ReliabilityTests", dependencies: ["SqlitchCore", "SqlitchTestSupport", "SqlitchCLI"]),
    ] + testAreas.map {
        .testTarget(name: "\($0)Tests", dependencies: ["SqlitchCore", "SqlitchTestSupport"])
    }
)
