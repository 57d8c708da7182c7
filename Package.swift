// swift-tools-version:6.2
import PackageDescription

// Every Swift target builds in Swift 6 language mode with warnings treated as errors,
// so strict-concurrency diagnostics cannot accumulate unnoticed.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "estgate",
    products: [
        .executable(name: "estgate", targets: ["estgate"]),
        .executable(name: "estgate-bench", targets: ["estgate-bench"]),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "Logging", swiftSettings: strict),
        .target(name: "ArgumentParsing", swiftSettings: strict),
        .target(name: "PKI", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(name: "HTTPServer", dependencies: ["COpenSSL", "Logging"], swiftSettings: strict),
        .target(name: "Store", dependencies: ["CSQLite", "Logging"], swiftSettings: strict),
        .target(name: "Workflows", dependencies: ["Store", "Logging", "COpenSSL"], swiftSettings: strict),
        .target(
            name: "EST",
            dependencies: ["PKI", "HTTPServer", "Store", "Workflows", "Logging"],
            swiftSettings: strict
        ),
        .target(
            name: "Admin",
            dependencies: ["PKI", "Store", "Workflows", "Logging", "ArgumentParsing"],
            swiftSettings: strict
        ),
        .target(name: "ESTClient", dependencies: ["COpenSSL", "PKI"], swiftSettings: strict),
        .executableTarget(
            name: "estgate",
            dependencies: ["EST", "Admin", "PKI", "Store", "Workflows", "Logging", "ArgumentParsing"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "estgate-bench",
            dependencies: ["ESTClient", "PKI", "Store", "Workflows", "Logging", "ArgumentParsing"],
            swiftSettings: strict
        ),
        .target(name: "TestSupport", dependencies: ["Logging"], swiftSettings: strict),
        .testTarget(name: "LoggingTests", dependencies: ["Logging"], swiftSettings: strict),
        .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"], swiftSettings: strict),
        .testTarget(name: "PKITests", dependencies: ["PKI", "COpenSSL", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport", "Logging"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: ["Workflows", "Store", "Logging", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AdminTests",
            dependencies: ["Admin", "ArgumentParsing", "PKI", "Store", "Workflows", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "ESTClientTests", dependencies: ["ESTClient", "PKI", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ESTTests", dependencies: ["EST", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ESTEndToEndTests",
            dependencies: ["estgate", "TestSupport", "Store", "PKI", "ESTClient"],
            swiftSettings: strict
        ),
    ]
)
