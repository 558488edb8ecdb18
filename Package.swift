// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vejamigrate",
    products: [
        .library(name: "VejaMigrateCore", targets: ["VejaMigrateCore"]),
        .executable(name: "vejamigrate", targets: ["vejamigrate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "VejaMigrateCore"),
        .executableTarget(
            name: "vejamigrate",
            dependencies: [
                "VejaMigrateCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "VejaMigrateCoreTests", dependencies: ["VejaMigrateCore"]),
    ]
)
