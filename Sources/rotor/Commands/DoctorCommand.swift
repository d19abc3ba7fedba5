import ArgumentParser
import Foundation
import RotorCrypto

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that the master key and the store are usable. One line per check; exit 1 if any fails."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    struct Check: Encodable {
        let name: String
        let ok: Bool
        let detail: String
    }

    func run() async throws {
        var checks: [Check] = []
        let home = global.resolvedHome
        let keyPath = "\(home)/master.key"
        let fromEnvironment = global.environment["ROTOR_MASTER_KEY"].map { !$0.isEmpty } ?? false
        var keyring: MasterKeyring?
        if !fromEnvironment, let problem = MasterKeyLoader.permissionProblem(path: keyPath) {
            checks.append(Check(name: "master key", ok: false, detail: problem))
        } else {
            do {
                let loaded = try MasterKeyLoader.load(home: home, environment: global.environment)
                keyring = loaded
                let origin = fromEnvironment ? "ROTOR_MASTER_KEY" : "\(keyPath), mode 0600"
                checks.append(Check(name: "master key", ok: true, detail: "\(loaded.current.id) (\(origin))"))
            } catch {
                checks.append(Check(name: "master key", ok: false, detail: "\(error)"))
            }
        }
        let storeName = StoreURLDisplay.redacted(global.resolvedStoreURL)
        if let keyring {
            do {
                let context = try await RotorContext.open(global: global, keyring: keyring)
                let version = try await context.store.transaction { try $0.schemaVersion() }
                checks.append(Check(name: "store", ok: true,
                                    detail: "\(storeName) reachable, schema version \(version) (\(context.store.backend))"))
                await context.close()
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
}
