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
        // pyproject.toml, ruff.toml: [tool.alembic], [tool.ruff], [tool.vejamigrate] (docs/configuration.md).
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        .target(name: "VejaMigrateCore", dependencies: ["CPgQuery", .product(name: "TOMLKit", package: "TOMLKit")]),
        // Debian's libpg-query-dev: the PostgreSQL grammar (docs/architecture.md).
        .systemLibrary(name: "CPgQuery", path: "Sources/CPgQuery"),
        .target(name: "VejaMigrateWizard", dependencies: ["VejaMigrateCore"]),
        // `verify`'s runner: processes, temporary databases (the CLI and the wizard share it).
        .target(name: "VejaMigrateVerify", dependencies: ["VejaMigrateCore"]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .executableTarget(
            name: "vejamigrate-tui",
            dependencies: [
                "VejaMigrateCore",
                "VejaMigrateWizard",
                "VejaMigrateVerify",
                "CNcursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "vejamigrate",
            dependencies: [
                "VejaMigrateCore",
                "VejaMigrateVerify",
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
