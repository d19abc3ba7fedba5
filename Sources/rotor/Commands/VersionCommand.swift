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

    @OptionGroup var output: OutputOptions
    @Flag(help: "Print JSON.") var json = false

    /// The versions as `--json` prints them: one key per component (`rotor`, `libcurl`, `openssl`, …).
    struct Versions: Encodable {
        let components: [(String, String)]
        init(_ components: [(String, String)]) { self.components = components }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            for (name, version) in components { try container.encode(version, forKey: JSONKey(name)) }
        }
    }

    func run() throws {
        let versions: [(String, String)] = [
            ("rotor", RotorVersion.string),
            ("libcurl", HTTPClient.libcurlVersion),
            ("openssl", CryptoLibrary.version),
            ("sqlite", StoreLibraries.sqliteVersion),
            ("libpq", StoreLibraries.libpqVersion),
        ]
        if json {
            print(JSONOutput.document(Versions(versions)))
        } else {
            for (name, version) in versions { print("\(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(version)") }
        }
    }
}
