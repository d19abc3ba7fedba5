import ArgumentParser
import Foundation

/// Where Rotor keeps its state. Shared by every command that touches the store or the master key.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("State directory.", discussion: "Default: $ROTOR_HOME, else ./.rotor", valueName: "DIR"))
    var home: String?

    @Option(name: .long, help: ArgumentHelp("Store URL: sqlite:PATH or postgres://user:pass@host:port/db.",
                                            discussion: "Default: $ROTOR_STORE, else sqlite:$ROTOR_HOME/rotor.db", valueName: "URL"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Folder (or file) of playbooks.",
                                            discussion: "Default: $ROTOR_PLAYBOOKS, else ./Playbooks", valueName: "PATH"))
    var playbooks: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (channels, server).", discussion: "Default: ./rotor.yml if it exists",
                                            valueName: "FILE"))
    var config: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var resolvedHome: String {
        home ?? environment["ROTOR_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "./.rotor"
    }

    var resolvedPlaybooks: String {
        playbooks ?? environment["ROTOR_PLAYBOOKS"].flatMap { $0.isEmpty ? nil : $0 } ?? "./Playbooks"
    }

    var resolvedStoreURL: String {
        store ?? environment["ROTOR_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "sqlite:\(resolvedHome)/rotor.db"
    }
}
