import Foundation
import Logging
import RotorCore
import RotorCrypto
import RotorStore
import RotorTestSupport
import Testing

enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A user's world, built from real parts: a temp directory with ROTOR_HOME, playbooks, the app's .env file,
/// a vendor (an exec source script keeping its live keys in a JSON file), a loopback app whose health
/// answers 200 only for the value in the .env file that is live at the vendor, and a store (SQLite file
/// or a PostgreSQL database of its own).
final class World: Sendable {
    let dir: String
    let backend: Backend
    let storeURL: String
    let databaseName: String?
    let app: TestApp
    let rotor: RotorProcess

    var home: String { "\(dir)/.rotor" }
    var envFile: String { "\(dir)/app.env" }
    var vendorState: String { "\(dir)/vendor.json" }
    var nextValueFile: String { "\(dir)/next-value" }

    static func make(_ backend: Backend, grace: String = "1h") async throws -> World {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(dir)/Playbooks", withIntermediateDirectories: true)
        var storeURL = "sqlite:\(dir)/.rotor/rotor.db"
        var databaseName: String?
        if backend == .postgres {
            let server = try PostgresTestServer.required()
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_e2e")
            storeURL = try await server.createDatabase(named: name)
            databaseName = name
        }
        let app = try await TestApp.start(envFile: "\(dir)/app.env", vendorState: "\(dir)/vendor.json", downFlag: "\(dir)/down")
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("ROTOR_") { environment[key] = nil }
        environment["ROTOR_HOME"] = "\(dir)/.rotor"
        environment["ROTOR_STORE"] = storeURL
        environment["ROTOR_PLAYBOOKS"] = "\(dir)/Playbooks"
        environment["ROTOR_LOG_LEVEL"] = "trace"
        environment["ROTOR_ACTOR"] = "e2e-test"
        let world = World(dir: dir, backend: backend, storeURL: storeURL, databaseName: databaseName, app: app,
                          rotor: RotorProcess(environment: environment, directory: dir))
        try world.writeVendor()
        try world.writePlaybook(grace: grace)
        try "APP_NAME=demo\n# keep this comment\nAPP_TOKEN=placeholder\nTAIL=\"x y\"\n".write(toFile: world.envFile, atomically: true, encoding: .utf8)
        return world
    }

    private init(dir: String, backend: Backend, storeURL: String, databaseName: String?, app: TestApp, rotor: RotorProcess) {
        self.dir = dir
        self.backend = backend
        self.storeURL = storeURL
        self.databaseName = databaseName
        self.app = app
        self.rotor = rotor
    }

    func close() async {
        await app.stop()
        if let databaseName { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: databaseName) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: Files

    func writePlaybook(grace: String, extraCheckRetries: Int = 1, schedule: String? = nil, notify: [String] = [],
                       extra: String = "") throws {
        let playbook = """
            secret: app-token
            description: end-to-end test secret
            owner: e2e
            grace: \(grace)
            \(schedule.map { "schedule: \($0)" } ?? "")
            source:
              provider: exec
              command: ["python3", "\(dir)/vendor.py", "\(vendorState)", "\(nextValueFile)"]
              timeout: 10s
            targets:
              - provider: file
                path: \(envFile)
                format: dotenv
                key: APP_TOKEN
            checks:
              - provider: http
                url: \(app.url)/health
                headers: { X-App-Token: "{{value}}" }
                expect_status: 200
                retries: \(extraCheckRetries)
                interval: 1s
            notify: [\(notify.joined(separator: ", "))]
            \(extra)
            """
        try playbook.write(toFile: "\(dir)/Playbooks/app-token.yml", atomically: true, encoding: .utf8)
    }

    /// The vendor: mints values (or the value in `next-value`, for canaries), keeps the live ones, revokes.
    func writeVendor() throws {
        let script = #"""
            import json, os, secrets, sys
            state_path, next_path = sys.argv[1], sys.argv[2]
            request = json.load(sys.stdin)
            state = json.load(open(state_path)) if os.path.exists(state_path) else {"live": {}, "revoked": {}}
            action = request["action"]
            if action == "mint":
                key = request["idempotency_key"]
                if key in state.get("minted", {}):
                    handle = state["minted"][key]
                    value = state["live"].get(handle) or state["revoked"].get(handle)
                else:
                    if os.path.exists(next_path):
                        value = open(next_path).read().strip()
                        os.remove(next_path)
                    else:
                        value = "e2e_" + secrets.token_hex(20)
                    handle = "h_" + secrets.token_hex(6)
                    state["live"][handle] = value
                    state.setdefault("minted", {})[key] = handle
                json.dump(state, open(state_path, "w"))
                print(json.dumps({"value": value, "handle": handle}))
            elif action == "revoke":
                if os.path.exists(state_path + ".refuse-revoke"):
                    print("vendor refused the revoke (503)", file=sys.stderr)
                    sys.exit(3)
                value = request["value"]
                for handle, live in list(state["live"].items()):
                    if live == value:
                        state["revoked"][handle] = live
                        del state["live"][handle]
                json.dump(state, open(state_path, "w"))
            else:
                print("unknown action " + action, file=sys.stderr)
                sys.exit(2)
            """#
        try script.write(toFile: "\(dir)/vendor.py", atomically: true, encoding: .utf8)
    }

    /// Registers a value as live at the vendor (the value in use before Rotor).
    func vendorAdopt(_ value: String) throws {
        var state = try vendorJSON()
        var live = state["live"] as? [String: String] ?? [:]
        live["h_imported"] = value
        state["live"] = live
        if state["revoked"] == nil { state["revoked"] = [String: String]() }
        try JSONSerialization.data(withJSONObject: state).write(to: URL(fileURLWithPath: vendorState))
    }

    func vendorJSON() throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: vendorState) else { return [:] }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func isLive(_ value: String) throws -> Bool {
        ((try vendorJSON()["live"] as? [String: String]) ?? [:]).values.contains(value)
    }

    func fileValue() throws -> String? {
        let text = try String(contentsOfFile: envFile, encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("APP_TOKEN=") {
            return String(line.dropFirst("APP_TOKEN=".count))
        }
        return nil
    }

    func setFile(_ value: String) throws {
        let text = try String(contentsOfFile: envFile, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("APP_TOKEN=") ? "APP_TOKEN=\(value)" : String($0) }
        try lines.joined(separator: "\n").write(toFile: envFile, atomically: true, encoding: .utf8)
    }

    /// Makes the vendor refuse every revoke (as an outage would), or accept them again.
    func setVendorRefusesRevoke(_ refuses: Bool) throws {
        if refuses {
            FileManager.default.createFile(atPath: vendorState + ".refuse-revoke", contents: Data())
        } else {
            try? FileManager.default.removeItem(atPath: vendorState + ".refuse-revoke")
        }
    }

    func setAppDown(_ down: Bool) throws {
        if down {
            FileManager.default.createFile(atPath: "\(dir)/down", contents: Data())
        } else {
            try? FileManager.default.removeItem(atPath: "\(dir)/down")
        }
    }

    // MARK: Running rotor

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, env: [String: String] = [:]) async throws -> RotorProcess.Result {
        try await rotor.run(arguments, stdin: stdin, extraEnvironment: env)
    }

    /// init + import of a fresh value that is live at the vendor and in the file.
    func initialise(currentValue: String = "e2e_initial_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")) async throws -> String {
        let initResult = try await run(["init"])
        try #require(initResult.status == 0, "\(initResult)")
        try vendorAdopt(currentValue)
        try setFile(currentValue)
        let imported = try await run(["import", "app-token", "--handle", "h_imported"], stdin: currentValue + "\n")
        try #require(imported.status == 0, "\(imported)")
        return currentValue
    }

    // MARK: Reading the store directly

    func withStore<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction, Sealer) throws -> T) async throws -> T {
        let keyring = try MasterKeyLoader.load(home: home, environment: [:])
        let sealer = Sealer(keyring: keyring)
        var logger = Logger(label: "e2e")
        logger.logLevel = .error
        let store = try await openStore(url: storeURL, logger: logger)
        do {
            let result = try await store.transaction { try body($0, sealer) }
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// The plain value of a version.
    static func open(_ version: SecretVersionRecord, _ sealer: Sealer) throws -> String {
        let bytes = try sealer.open(SealedValue(keyID: version.masterKeyID, box: version.sealedValue),
                                    context: SealingContext.version(secret: version.secretName, versionID: version.id))
        return String(decoding: bytes, as: UTF8.self)
    }
}
