import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create ROTOR_HOME with a master key (mode 0600) and a migrated store.",
        discussion: """
            Safe to run again: an existing master key is never overwritten. When ROTOR_MASTER_KEY is set no key file is written; keep that key in your secret manager, since without it nothing sealed in the store can be read.

            Examples:
              rotor init
              rotor --home /var/lib/rotor init --store postgres://rotor@db.internal/rotor
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var options = global.appOptions()
        let home = options.home
        let keyPath = options.masterKeyPath
        if options.masterKeyFromEnvironment {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            print("✅ master key: from ROTOR_MASTER_KEY (no key file written)")
        } else if FileManager.default.fileExists(atPath: keyPath) {
            print("✅ master key: \(keyPath) already exists, left as it is")
        } else {
            try await Self.refuseAStoreSealedByAnotherKey(options)
            let key = try MasterKeyLoader.create(home: home)
            print("✅ master key: created \(keyPath) (mode 0600, id \(key.id))")
            print("   Back it up somewhere safe: without it nothing sealed in the store can be read.")
        }
        options.keyring = try options.loadKeyring()
        try await RotorApp.with(options) { app in
            // The key must open what is there before init seals its own check value next to it.
            let coverage = try await MasterKeyCoverage.check(store: app.store, keyring: app.sealer.keyring)
            if let problem = coverage.problem { throw CLIError(problem) }
            _ = try await SealedSetting.loadOrCreate(SealedSetting.keyCheck, store: app.store, sealer: app.sealer)
            print("✅ store: \(StoreURLDisplay.redacted(options.storeURL)) (\(app.store.backend), migrated)")
        }
        print("Next: rotor doctor")
    }

    /// A shared store (PostgreSQL) set up by another Rotor home already holds values sealed under that home's
    /// key: a new key here could open none of them, and what it sealed the other home could not open.
    static func refuseAStoreSealedByAnotherKey(_ options: RotorApp.Options) async throws {
        let store = try await openStore(url: options.storeURL, logger: options.logger)
        let inUse: Set<String>
        do {
            inUse = try await MasterKeyCoverage.keyIDsInUse(store: store)
            await store.close()
        } catch {
            await store.close()
            throw error
        }
        guard !inUse.isEmpty else { return }
        throw CLIError("the store \(StoreURLDisplay.redacted(options.storeURL)) already holds values sealed under master key "
                       + "\(inUse.sorted().joined(separator: ", ")), and \(options.masterKeyPath) does not exist: no new key was "
                       + "created. Copy master.key (mode 0600) from the Rotor home that set this store up, or set "
                       + "ROTOR_MASTER_KEY to that key, then run `rotor init` again")
    }
}
