import ArgumentParser
import RotorCrypto
import RotorHTTP
import RotorStore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the versions of Rotor and of the libraries it is linked with.",
        discussion: """
            Examples:
              rotor version
              rotor --version   # Rotor's version only
            """
    )

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let versions: [(String, String)] = [
            ("rotor", RotorVersion.string),
            ("libcurl", HTTPClient.libcurlVersion),
            ("openssl", CryptoLibrary.version),
            ("sqlite", StoreLibraries.sqliteVersion),
            ("libpq", StoreLibraries.libpqVersion),
        ]
        if json {
            print(JSONOutput.string(Dictionary(uniqueKeysWithValues: versions)))
        } else {
            for (name, version) in versions { print("\(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(version)") }
        }
    }
}
