import ArgumentParser
import Foundation
import RotorApp
import RotorCrypto

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create ROTOR_HOME with a master key (mode 0600) and a migrated store.",
        discussion: """
            Safe to run again: an existing master key is never overwritten. When ROTOR_MASTER_KEY is set no key file is written; keep that key in your secret manager, since without it nothing sealed in the store can be read.
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
            let key = try MasterKeyLoader.create(home: home)
            print("✅ master key: created \(keyPath) (mode 0600, id \(key.id))")
            print("   Back it up somewhere safe: without it nothing sealed in the store can be read.")
        }
        options.keyring = try options.loadKeyring()
        let app = try await RotorApp.open(options)
        print("✅ store: \(StoreURLDisplay.redacted(options.storeURL)) (\(app.store.backend), migrated)")
        await app.close()
        print("Next: rotor doctor")
    }
}
