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
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
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
        // Providers: one folder per adapter. RotorCore knows only their protocols.
        .target(name: "ProviderRandom", dependencies: ["RotorCore", "RotorCrypto"], path: "Providers/Random"),
        .target(name: "ProviderFile", dependencies: ["RotorCore"], path: "Providers/File"),
        .target(name: "ProviderExec", dependencies: ["RotorCore"], path: "Providers/Exec"),
        .target(name: "ProviderHTTP", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/HTTP"),
        .target(name: "ProviderVercel", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/Vercel"),
        .target(name: "ProviderRender", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/Render"),
        .target(name: "ProviderPostgres", dependencies: ["RotorCore", "RotorCrypto", "CPostgres"], path: "Providers/PostgresRole"),
        .target(name: "RotorKeyTable", dependencies: [
            "RotorCore", "RotorCrypto",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Providers/KeyTable"),
        .target(name: "RotorProviders", dependencies: [
            "RotorCore", "RotorCrypto", "RotorHTTP", "RotorKeyTable",
            "ProviderRandom", "ProviderFile", "ProviderExec", "ProviderHTTP", "ProviderVercel", "ProviderRender", "ProviderPostgres",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Providers/Registry"),
        // Local emulators of the vendor APIs (Vercel, Render, a key-issuing vendor, simulated apps).
        .target(name: "RotorSandbox", dependencies: [
            "RotorCrypto",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ], path: "Providers/Sandbox"),
        // Notification transports: Slack incoming webhooks, signed webhooks, e-mail over SMTP(S) through libcurl.
        .target(name: "RotorNotifiers", dependencies: [
            "RotorHTTP", "RotorCrypto", "RotorCore",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Providers/Notifiers"),
        // The HTTP service: reply links and text replies, the emergency trigger, customer key verification.
        .target(name: "RotorServer", dependencies: [
            "RotorCore", "RotorCrypto", "RotorKeyTable", "RotorNotifiers",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "rotor", dependencies: [
            "RotorServer", "RotorNotifiers",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            "RotorCore", "RotorCrypto", "RotorHTTP", "RotorStore", "RotorSandbox", "RotorProviders", "RotorKeyTable",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "RotorCoreTests", dependencies: ["RotorCore"]),
        .testTarget(name: "RotorCryptoTests", dependencies: ["RotorCrypto"]),
        .testTarget(name: "RotorHTTPTests", dependencies: ["RotorHTTP", "RotorTestSupport"]),
        .testTarget(name: "RotorStoreTests", dependencies: ["RotorStore", "RotorCore", "RotorCrypto", "RotorTestSupport"]),
        .testTarget(name: "RotorSandboxTests", dependencies: [
            "RotorSandbox", "RotorHTTP",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "RotorNotifiersTests", dependencies: [
            "RotorNotifiers", "RotorHTTP", "RotorCrypto", "RotorCore", "RotorStore", "RotorTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "VendorAdapterTests", dependencies: [
            "ProviderVercel", "ProviderRender", "RotorSandbox", "RotorCore", "RotorHTTP", "RotorTestSupport",
        ]),
        .testTarget(name: "SourceProviderTests", dependencies: [
            "ProviderHTTP", "ProviderPostgres", "RotorSandbox", "RotorCore", "RotorHTTP", "RotorCrypto", "RotorTestSupport",
        ]),
        .testTarget(name: "RotorServerTests", dependencies: [
            "RotorServer", "RotorCore", "RotorCrypto", "RotorStore", "RotorKeyTable", "RotorNotifiers", "RotorTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "RotorSchedulerTests", dependencies: [
            "RotorCore", "RotorCrypto", "RotorStore", "RotorProviders", "RotorKeyTable", "RotorTestSupport",
        ]),
        // Shared by the test suites: PostgreSQL databases of their own, a loopback HTTP server, captured logs,
        // the rotor binary as a user runs it.
        .target(name: "RotorTestSupport", dependencies: [
            "CPostgres", "RotorHTTP", "RotorCore",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/RotorTestSupport"),
        .testTarget(name: "RotorCLITests", dependencies: [
            "RotorTestSupport", "RotorCore", "RotorCrypto", "RotorStore", "RotorSandbox",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
