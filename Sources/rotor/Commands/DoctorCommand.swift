import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorCrypto

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that the master key and the store are usable. One line per check; exit 1 if any fails.",
        discussion: """
            Then, like `terraform validate` with a credentials check: every credential reference the playbooks and rotor.yml name (env:, file:, secret:) is resolved, and each provider that can reaches its vendor with one read-only call (Vercel: list the project's variables; Render: look up the service or env group; 1Password: read the item; postgres-role: connect with the admin credential). A failing line says what to do. No credential or value is ever printed. --offline skips the calls to vendors.

            Examples:
              rotor doctor
              rotor doctor --offline --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Resolve credential references but make no call to providers.") var offline = false

    struct Check: Encodable {
        let name: String
        let ok: Bool
        let detail: String
    }

    func run() async throws {
        var checks: [Check] = []
        var options = global.appOptions()
        let keyPath = options.masterKeyPath
        let fromEnvironment = options.masterKeyFromEnvironment
        var keyring: MasterKeyring?
        if !fromEnvironment, let problem = MasterKeyLoader.permissionProblem(path: keyPath) {
            checks.append(Check(name: "master key", ok: false, detail: problem))
        } else {
            do {
                let loaded = try options.loadKeyring()
                keyring = loaded
                let origin = fromEnvironment ? "ROTOR_MASTER_KEY" : "\(keyPath), mode 0600"
                checks.append(Check(name: "master key", ok: true, detail: "\(loaded.current.id) (\(origin))"))
            } catch {
                checks.append(Check(name: "master key", ok: false, detail: "\(error)"))
            }
        }
        let storeName = StoreURLDisplay.redacted(options.storeURL)
        if let keyring {
            do {
                options.keyring = keyring
                let app = try await RotorApp.open(options)
                let version = try await app.store.transaction { try $0.schemaVersion() }
                checks.append(Check(name: "store", ok: true,
                                    detail: "\(storeName) reachable, schema version \(version) (\(app.store.backend))"))
                checks.append(await Self.keyCoverage(app))
                checks += await providerChecks(app)
                await app.close()
            } catch {
                checks.append(Check(name: "store", ok: false, detail: "\(storeName): \(error)"))
            }
        } else {
            checks.append(Check(name: "store", ok: false, detail: "\(storeName): not checked, the master key is not usable"))
        }

        if json {
            print(JSONOutput.string(checks))
        } else {
            for check in checks { print("\(check.ok ? "✅" : "❌") \(check.name): \(check.detail)") }
        }
        if checks.contains(where: { !$0.ok }) { throw ExitCode.failure }
    }

    /// The playbooks' and rotor.yml's credential references, resolved, and unless --offline one read-only call
    /// per provider that can make one.
    func providerChecks(_ app: RotorApp) async -> [Check] {
        let playbooks = app.loadPlaybooks().playbooks
        var found = await app.credentialChecks(playbooks: playbooks)
        if !offline { found += await app.providerChecks(playbooks: playbooks) }
        return found.map { Check(name: $0.name, ok: $0.ok, detail: $0.detail) }
    }

    /// Whether the master key opens every value in the store: a second `rotor init` against a shared store, or
    /// the wrong ROTOR_MASTER_KEY, passes the other checks and fails here.
    static func keyCoverage(_ app: RotorApp) async -> Check {
        do {
            let coverage = try await MasterKeyCoverage.check(store: app.store, keyring: app.sealer.keyring)
            if let problem = coverage.problem { return Check(name: "master key opens the store", ok: false, detail: problem) }
            let stale = coverage.stale.isEmpty ? "" : "; some are still sealed under \(coverage.stale.joined(separator: ", ")): run `rotor rekey` to finish"
            return Check(name: "master key opens the store", ok: true,
                         detail: "every sealed value is under a key this Rotor holds\(stale)")
        } catch {
            return Check(name: "master key opens the store", ok: false, detail: "\(error)")
        }
    }
}
