import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorCrypto

struct RekeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Re-seal every stored value under a new master key. Safe to run again after an interruption.",
        discussion: """
            With master.key: a new key replaces it (the old one is kept in master.key.retired/ until nothing \
            is sealed under it, then deleted). If an earlier rekey was interrupted, running it again finishes \
            that one instead of starting another.

            With ROTOR_MASTER_KEY: nothing is written to disk. Give the new key with --new-key-file FILE (or - \
            for standard input), base64 as the variable takes it; or let rekey make one and show it on your \
            terminal (never on standard output or in logs). Then set ROTOR_MASTER_KEY to it and restart Rotor. \
            If interrupted, run the same command again with the same new key.

            Stop the daemons first: a daemon keeps sealing with the key it started with.

            Examples:
              rotor rekey
              rotor rekey --new-key-file - < new-master-key.b64   # with ROTOR_MASTER_KEY
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("new-key-file"), help: ArgumentHelp("Read the new key (base64) from FILE; - for standard input.", valueName: "FILE"))
    var newKeyFile: String?
    @Option(help: "Values re-sealed per transaction.") var batchSize = 100

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        var options = global.appOptions()
        let ring = try options.loadKeyring()
        options.keyring = ring
        let given = try newKeyFile.map(Self.readKey)
        let fault = RekeyFault(environment: options.environment)
        try await RotorApp.with(options) { app in
            try await Self.refuseWhileADaemonRuns(app)
            let target = options.masterKeyFromEnvironment
                ? try Self.environmentTarget(ring: ring, given: given)
                : try await Self.fileTarget(app: app, ring: ring, given: given)
            let coverage = try await MasterKeyCoverage.check(store: app.store, keyring: target)
            if let problem = coverage.problem { throw CLIError(problem) }
            let report = try await RekeyService(store: app.store, sealer: Sealer(keyring: target), batchSize: batchSize,
                                                afterBatch: { fault?.trip(afterBatch: $0) }).run()
            print("✅ re-sealed \(report.total) values under \(target.current.id) (\(report.versions) versions, "
                  + "\(report.pickups) key pickups, \(report.settings) settings) in \(report.batches) batches")
            if options.masterKeyFromEnvironment {
                print("Next: set ROTOR_MASTER_KEY to the new key (\(target.current.id)) wherever Rotor runs, and restart it. "
                      + "The old key (\(ring.current.id)) is no longer used by this store.")
            } else {
                try await Self.dropUnusedRetiredKeys(app: app, target: target, home: options.home)
                print("Back up \(options.masterKeyPath) now: the store's values open only with it, and it is not in any backup.")
            }
        }
    }

    /// File mode: starts a rekey (new key on disk, old one retired) unless an interrupted one is still open.
    static func fileTarget(app: RotorApp, ring: MasterKeyring, given: MasterKey?) async throws -> MasterKeyring {
        let coverage = try await MasterKeyCoverage.check(store: app.store, keyring: ring)
        if let problem = coverage.problem { throw CLIError(problem) }
        if !coverage.stale.isEmpty || !ring.others.isEmpty {
            if let given, given != ring.current {
                throw CLIError("an earlier rekey to \(ring.current.id) is not finished; run `rotor rekey` without "
                               + "--new-key-file to finish it, then again to change the key")
            }
            print("↻ finishing an interrupted rekey: values sealed under \(coverage.stale.joined(separator: ", ")) "
                  + "are re-sealed under \(ring.current.id)")
            return ring
        }
        let key = given ?? MasterKey.random()
        guard key != ring.current else { throw CLIError("the new key is the current master key; give another one") }
        let home = app.options.home
        // Retire first: a crash between the two steps leaves both keys on disk, never only the new one.
        try MasterKeyLoader.retire(ring.current, home: home)
        try MasterKeyLoader.replaceCurrent(with: key, home: home)
        print("✅ new master key \(key.id) in \(app.options.masterKeyPath) (mode 0600); the old key \(ring.current.id) "
              + "stays in master.key.retired/ until nothing is sealed under it")
        return MasterKeyring(current: key, others: [ring.current] + ring.others)
    }

    /// Environment mode: the new key from the file given, else a new one shown on the terminal before any
    /// value is sealed under it (so an interruption cannot leave values under a key nobody has seen).
    static func environmentTarget(ring: MasterKeyring, given: MasterKey?) throws -> MasterKeyring {
        if let given {
            return MasterKeyring(current: given, others: [ring.current] + ring.others)
        }
        let key = MasterKey.random()
        let shown = Terminal.show("""
            New master key (\(key.id)); store it in your secret manager now, it is shown only here:
            ROTOR_MASTER_KEY=\(MasterKeyLoader.base64(of: key))
            If this command is interrupted, save the key to a file (mode 0600) and run it again with --new-key-file FILE.

            """)
        guard shown else {
            throw CLIError("ROTOR_MASTER_KEY is set and there is no terminal to show a new key on (it never goes to "
                           + "standard output or logs): make one with `umask 077; openssl rand -base64 32 > new.key` "
                           + "and run `rotor rekey --new-key-file new.key`")
        }
        return MasterKeyring(current: key, others: [ring.current] + ring.others)
    }

    /// Deletes the retired key files nothing in the store is sealed under any more.
    static func dropUnusedRetiredKeys(app: RotorApp, target: MasterKeyring, home: String) async throws {
        let coverage = try await MasterKeyCoverage.check(store: app.store, keyring: target)
        for id in target.others.map(\.id) where !coverage.keyIDsInUse.contains(id) {
            if MasterKeyLoader.removeRetired(id: id, home: home) {
                print("🗑  retired key \(id) deleted: nothing in the store is sealed under it (backups taken before need it)")
            }
        }
    }

    /// A SQLite daemon holds the `daemon` lease while it runs; it would go on sealing with the old key.
    static func refuseWhileADaemonRuns(_ app: RotorApp) async throws {
        let now = app.clock.now
        let holder = try await app.store.transaction { try $0.lockHolder(name: "daemon") }
        if let holder, holder.until > now {
            throw CLIError("a daemon (\(holder.owner)) is running on this store; stop it before `rotor rekey`, since it keeps "
                           + "sealing with the key it started with")
        }
    }

    static func readKey(_ path: String) throws -> MasterKey {
        let text: String
        if path == "-" {
            text = readLine(strippingNewline: true) ?? ""
        } else {
            if let problem = MasterKeyLoader.permissionProblem(path: path) { throw CLIError(problem) }
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
            text = String(decoding: data, as: UTF8.self)
        }
        do {
            return try MasterKeyLoader.decode(base64: text)
        } catch {
            throw CLIError("the new key in \(path == "-" ? "standard input" : path): \(error)")
        }
    }
}
