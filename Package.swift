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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
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
            .product(name: "Metrics", package: "swift-metrics"),
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
        // Providers: only what a playbook names as `provider:`; folder = module = Provider<Name>.
        // RotorCore knows only their protocols; providers never know each other.
        .target(name: "ProviderRandom", dependencies: ["RotorCore", "RotorCrypto"], path: "Providers/ProviderRandom"),
        .target(name: "ProviderFile", dependencies: ["RotorCore"], path: "Providers/ProviderFile"),
        .target(name: "ProviderRotor", dependencies: ["RotorCore"], path: "Providers/ProviderRotor"),
        .target(name: "ProviderOnePassword", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/ProviderOnePassword"),
        .target(name: "ProviderExec", dependencies: ["RotorCore"], path: "Providers/ProviderExec"),
        .target(name: "ProviderHTTP", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/ProviderHTTP"),
        .target(name: "ProviderVercel", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/ProviderVercel"),
        .target(name: "ProviderManual", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/ProviderManual"),
        .target(name: "ProviderRender", dependencies: ["RotorCore", "RotorHTTP"], path: "Providers/ProviderRender"),
        .target(name: "ProviderGitHubApp", dependencies: ["RotorCore", "RotorCrypto", "RotorHTTP"], path: "Providers/ProviderGitHubApp"),
        .target(name: "ProviderPostgresRole", dependencies: ["RotorCore", "RotorCrypto", "CPostgres"],
                path: "Providers/ProviderPostgresRole"),
        // The customer key table: key format, verification, rotation with pickups, its policy (`key-table`).
        .target(name: "RotorKeyTable", dependencies: [
            "RotorCore", "RotorCrypto",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // Notification channels: Slack incoming webhooks, signed webhooks, e-mail over SMTP(S) through libcurl,
        // and delivery from the persisted outbox.
        .target(name: "RotorNotifiers", dependencies: [
            "RotorHTTP", "RotorCrypto", "RotorCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // Local emulators of the vendor APIs (Vercel, Render, a key-issuing vendor, simulated apps).
        .target(name: "RotorSandbox", dependencies: [
            "RotorCrypto",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The HTTP service: reply links and text replies, the emergency trigger, customer key verification.
        .target(name: "RotorServer", dependencies: [
            "RotorCore", "RotorCrypto", "RotorKeyTable", "RotorNotifiers", "RotorReport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], resources: [.embedInCode("Resources/openapi.json"), .embedInCode("Resources/Dashboard")]),
        // The compliance report over a period (HTML, CSV, PDF through a headless Chromium) and the SVG plots.
        .target(name: "RotorReport", dependencies: ["RotorCore"]),
        // The composition root: builds store, providers, channels, scheduler and server from configuration,
        // for the CLI, the daemon and the end-to-end tests alike.
        .target(name: "RotorApp", dependencies: [
            "RotorCore", "RotorCrypto", "RotorHTTP", "RotorStore", "RotorKeyTable", "RotorNotifiers", "RotorServer", "RotorReport",
            "ProviderRandom", "ProviderFile", "ProviderExec", "ProviderHTTP", "ProviderVercel", "ProviderRender",
            "ProviderPostgresRole", "ProviderRotor", "ProviderOnePassword", "ProviderManual", "ProviderGitHubApp",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "rotor", dependencies: [
            "RotorApp", "RotorServer", "RotorReport",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            "RotorCore", "RotorCrypto", "RotorHTTP", "RotorStore", "RotorSandbox", "RotorKeyTable",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], linkerSettings: [
            // The release binary starts and idles lighter (see `make bench`, start-up and idle RSS): lld packs the
            // relative relocations of a static-stdlib binary (DT_RELR, glibc 2.36+) instead of 2.7 MB of them
            // touched at every start, and no dynamic symbol table of all of Rotor's own symbols is exported.
            .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
                         .when(configuration: .release)),
        ]),
        // `make bench`: in-process verification, the hello-world reference route, cross-process visibility.
        .executableTarget(name: "rotor-bench", dependencies: [
            "RotorApp", "RotorCore", "RotorCrypto", "RotorHTTP", "RotorKeyTable", "RotorStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `make bench-bulk`: bulk import and scheduler rotation of customer keys on both backends.
        .executableTarget(name: "rotor-bench-bulk", dependencies: [
            "RotorApp", "RotorCore", "RotorCrypto", "RotorKeyTable",
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "RotorCoreTests", dependencies: [
            "RotorCore", "RotorCrypto", "RotorStore", "RotorTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
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
            "ProviderVercel", "ProviderRender", "ProviderOnePassword", "ProviderGitHubApp", "RotorSandbox", "RotorCore", "RotorCrypto",
            "RotorHTTP", "RotorTestSupport",
        ]),
        .testTarget(name: "SourceProviderTests", dependencies: [
            "ProviderHTTP", "ProviderPostgresRole", "ProviderManual", "RotorSandbox", "RotorCore", "RotorHTTP", "RotorCrypto",
            "RotorStore", "RotorTestSupport",
        ]),
        .testTarget(name: "ProviderExecTests", dependencies: [
            "ProviderExec", "RotorCore", "RotorTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ProviderFileTests", dependencies: [
            "ProviderFile", "RotorCore", "RotorTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RotorServerTests", dependencies: [
            "RotorServer", "RotorApp", "RotorCore", "RotorCrypto", "RotorStore", "RotorKeyTable", "RotorNotifiers", "RotorHTTP",
            "RotorSandbox", "RotorTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ]),
        .testTarget(name: "RotorReportTests", dependencies: [
            "RotorReport", "RotorCore", "RotorStore", "RotorTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RotorSchedulerTests", dependencies: [
            "RotorCore", "RotorCrypto", "RotorApp", "RotorKeyTable", "RotorTestSupport", "RotorSandbox", "RotorHTTP",
        ]),
        // Shared by the test suites: PostgreSQL databases of their own, a loopback HTTP server, captured logs,
        // the rotor binary as a user runs it.
        .target(name: "RotorTestSupport", dependencies: [
            "CPostgres", "RotorHTTP", "RotorCore",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/RotorTestSupport"),
        .testTarget(name: "RotorCLITests", dependencies: [
            "RotorTestSupport", "RotorCore", "RotorCrypto", "RotorStore", "RotorSandbox", "RotorNotifiers", "RotorHTTP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Yams", package: "Yams"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
