import Foundation
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// Every server setting comes from a flag, else the environment, else rotor.yml, else its default.
@Suite("Settings precedence")
struct SettingsPrecedenceTests {
    static let config = """
        server: { listen: "0.0.0.0:9100", public_url: "https://from-config.example.com",
                  admin_token: env:CONFIG_ADMIN_TOKEN, reply_secret: env:CONFIG_REPLY_SECRET }

        """

    /// An application whose rotor.yml is `config`, with only `environment`; `configFlag` is `--config`.
    static func withApp(_ environment: [String: String], configFlag: Bool = true,
                        _ body: (RotorApp) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-precedence-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try config.write(toFile: "\(dir)/rotor.yml", atomically: true, encoding: .utf8)
        var environment = environment
        if !configFlag { environment["ROTOR_CONFIG"] = "\(dir)/rotor.yml" }
        var logger = Logger(label: "precedence")
        logger.logLevel = .error
        let app = try await RotorApp.open(RotorApp.Options(
            home: dir, storeURL: "sqlite:\(dir)/rotor.db", playbooks: dir, configPath: configFlag ? "\(dir)/rotor.yml" : nil,
            environment: environment, logger: logger, keyring: MasterKeyring(current: MasterKey.random())))
        try await withCleanup({ await app.close() }) { try await body(app) }
    }

    /// `HOST PORT`, for comparing addresses.
    static func text(_ address: (host: String, port: Int)) -> String { "\(address.host) \(address.port)" }

    @Test func rotorYmlIsUsedWhenNothingElseSaysOtherwise() async throws {
        try await Self.withApp(["CONFIG_ADMIN_TOKEN": "admin-from-config", "CONFIG_REPLY_SECRET": "reply-from-config"]) { app in
            #expect(try Self.text(app.listenAddress()) == "0.0.0.0 9100")
            #expect(app.publicURL == "https://from-config.example.com")
            let dependencies = try await app.serviceDependencies(playbooks: [])
            #expect(dependencies.adminToken?.revealed == "admin-from-config")
            #expect(dependencies.replySecret == Array("reply-from-config".utf8))
        }
    }

    @Test func theEnvironmentBeatsRotorYmlAndAFlagBeatsBoth() async throws {
        let environment = ["ROTOR_LISTEN": "127.0.0.2:9200", "ROTOR_PUBLIC_URL": "https://from-env.example.com",
                           "ROTOR_ADMIN_TOKEN": "admin-from-env", "ROTOR_REPLY_SECRET": "reply-from-env"]
        // rotor.yml's references are not even resolved when the environment gives the value.
        try await Self.withApp(environment) { app in
            #expect(try Self.text(app.listenAddress()) == "127.0.0.2 9200")
            #expect(try Self.text(app.listenAddress(listen: "[::1]:9300")) == "::1 9300")
            #expect(try Self.text(app.listenAddress(port: 9400)) == "127.0.0.2 9400")
            #expect(try Self.text(app.listenAddress(listen: "127.0.0.3:9300", host: "127.0.0.4")) == "127.0.0.4 9300")
            #expect(app.publicURL == "https://from-env.example.com")
            let dependencies = try await app.serviceDependencies(playbooks: [])
            #expect(dependencies.adminToken?.revealed == "admin-from-env")
            #expect(dependencies.replySecret == Array("reply-from-env".utf8))
        }
    }

    @Test func rotorConfigNamesTheFileWhenNoFlagDoesAndEmptyVariablesCountAsUnset() async throws {
        let environment = ["ROTOR_LISTEN": "", "ROTOR_PUBLIC_URL": "", "CONFIG_ADMIN_TOKEN": "a", "CONFIG_REPLY_SECRET": "r"]
        try await Self.withApp(environment, configFlag: false) { app in
            let address = try app.listenAddress()
            #expect(Self.text(address) == "0.0.0.0 9100")
            #expect(app.publicURL == "https://from-config.example.com")
        }
    }

    @Test(arguments: ["nonsense", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":", "[::1:80", String(repeating: "1", count: 100_000),
                      "127.0.0.1:80\u{1B}[2J"])
    func aListenAddressThatIsNotHostAndPortIsRefusedNamingWhereItCameFrom(_ bad: String) async throws {
        try await Self.withApp(["ROTOR_LISTEN": bad]) { app in
            let error = #expect(throws: ListenAddressError.self) { try app.listenAddress() }
            #expect(error?.description.hasPrefix("ROTOR_LISTEN must be HOST:PORT") == true)
            // The value is not echoed: it may be huge, or carry escape codes for the terminal.
            #expect(error.map { $0.description.count < 200 && !$0.description.contains("\u{1B}") } == true)
        }
        try await Self.withApp([:]) { app in
            let error = #expect(throws: ListenAddressError.self) { try app.listenAddress(listen: bad) }
            #expect(error?.origin == "--listen")
        }
    }
}
