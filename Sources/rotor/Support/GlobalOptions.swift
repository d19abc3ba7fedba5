import ArgumentParser
import Foundation
import Logging
import RotorApp
import RotorCore
import RotorCrypto

/// Where Rotor keeps its state. Shared by every command that touches the store or the master key. Only parses
/// the flags: the defaults (ROTOR_HOME and the rest) are `RotorApp.Options`'s. They may also come before the
/// subcommand (``GlobalArgumentOrder``, whose list of names must follow these flags).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("State directory.", discussion: "Default: $ROTOR_HOME, else ./.rotor", valueName: "DIR"),
            completion: .directory)
    var home: String?

    @Option(name: .long, help: ArgumentHelp("Store URL: sqlite:PATH or postgres://user:pass@host:port/db.",
                                            discussion: "Default: $ROTOR_STORE, else sqlite:$ROTOR_HOME/rotor.db", valueName: "URL"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Folder (or file) of playbooks.",
                                            discussion: "Default: $ROTOR_PLAYBOOKS, else ./Playbooks", valueName: "PATH"),
            completion: .file())
    var playbooks: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (channels, server).", discussion: "Default: $ROTOR_CONFIG, else ./rotor.yml if it exists",
                                            valueName: "FILE"),
            completion: .file(extensions: ["yml", "yaml"]))
    var config: String?

    /// The application's options: these flags over the process environment. Starts the CLI's logging first, so
    /// the application logs to standard error at ROTOR_LOG_LEVEL.
    func appOptions(clock: any RotorClock = SystemClock(), keyring: MasterKeyring? = nil) -> RotorApp.Options {
        CLILogging.bootstrap()
        return RotorApp.Options(home: home, storeURL: store, playbooks: playbooks, configPath: config,
                                environment: ProcessInfo.processInfo.environment, clock: clock,
                                logger: Logger(label: "rotor"), keyring: keyring)
    }
}
