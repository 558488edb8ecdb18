// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vejamigrate",
    products: [
        .library(name: "VejaMigrateCore", targets: ["VejaMigrateCore"]),
        .library(name: "VejaMigrateWizard", targets: ["VejaMigrateWizard"]),
        .executable(name: "vejamigrate", targets: ["vejamigrate"]),
        .executable(name: "vejamigrate-tui", targets: ["vejamigrate-tui"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "VejaMigrateCore", dependencies: ["CPgQuery"]),
        // Debian's libpg-query-dev: the PostgreSQL grammar (docs/architecture.md).
        .systemLibrary(name: "CPgQuery", path: "Sources/CPgQuery"),
        .target(name: "VejaMigrateWizard", dependencies: ["VejaMigrateCore"]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .executableTarget(
            name: "vejamigrate-tui",
            dependencies: [
                "VejaMigrateCore",
                "VejaMigrateWizard",
                "CNcursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "vejamigrate",
            dependencies: [
                "VejaMigrateCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // In-process timings for `make bench` (docs/performance.md).
        .executableTarget(name: "vejamigrate-bench", dependencies: ["VejaMigrateCore", "VejaMigrateWizard"]),
        // Golden files are read through #filePath, not bundled.
        .testTarget(name: "VejaMigrateCoreTests", dependencies: ["VejaMigrateCore"], exclude: ["Golden", "FuzzRegressions"]),
        .testTarget(name: "VejaMigrateWizardTests", dependencies: ["VejaMigrateWizard", "VejaMigrateCore"], exclude: ["Golden"]),
    ]
)
