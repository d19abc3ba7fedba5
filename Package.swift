// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Rotor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rotor", targets: ["rotor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // System libraries. C appears only as static inline shims for variadic functions and macros.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "RotorCore", dependencies: [
            "RotorCrypto",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "RotorCrypto", dependencies: ["COpenSSL"]),
        .target(name: "RotorHTTP", dependencies: [
            "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "RotorStore", dependencies: [
            "CSQLite", "CPostgres", "RotorCore", "RotorCrypto",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Local emulators of the vendor APIs (Vercel, Render, a key-issuing vendor, simulated apps).
        .target(name: "RotorSandbox", dependencies: [
            "RotorCrypto",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Providers/Sandbox"),
        // Notification transports: Slack incoming webhooks, signed webhooks, e-mail over SMTP(S) through libcurl.
        .target(name: "RotorNotifiers", dependencies: [
            "RotorHTTP", "RotorCrypto",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Providers/Notifiers"),
        .executableTarget(name: "rotor", dependencies: [
            "RotorCore", "RotorCrypto", "RotorHTTP", "RotorStore", "RotorSandbox",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "RotorCoreTests", dependencies: ["RotorCore"]),
        .testTarget(name: "RotorCryptoTests", dependencies: ["RotorCrypto"]),
        .testTarget(name: "RotorHTTPTests", dependencies: ["RotorHTTP"]),
        .testTarget(name: "RotorStoreTests", dependencies: ["RotorStore", "RotorCore", "RotorCrypto"]),
        .testTarget(name: "RotorSandboxTests", dependencies: [
            "RotorSandbox", "RotorHTTP",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "RotorNotifiersTests", dependencies: ["RotorNotifiers", "RotorHTTP", "RotorCrypto"]),
        .testTarget(name: "RotorCLITests", dependencies: ["RotorCore"]),
    ],
    swiftLanguageModes: [.v6]
)
