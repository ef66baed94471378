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
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        .target(
            name: "SqlitchCore",
            dependencies: [
                "CSQLite", "CLibPQ", "CMariaDB",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "SqlitchCLI",
            dependencies: ["SqlitchCore"]
        ),
        .target(name: "SqlitchTestSupport", dependencies: ["SqlitchCore"]),
        .testTarget(name: "ParityTests", dependencies: ["SqlitchCore", "SqlitchTestSupport", "SqlitchCLI"]),
    ] + testAreas.map {
        .testTarget(name: "\($0)Tests", dependencies: ["SqlitchCore", "SqlitchTestSupport"])
    }
)
