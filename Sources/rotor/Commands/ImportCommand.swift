import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Adopt the value in use today (read from standard input) as SECRET's current version.",
        discussion: """
            The value is read from standard input, never from an argument (argv is visible to every user of the machine). A trailing newline is dropped.

            Example:
              printenv OPENAI_API_KEY | rotor import openai-api-key
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Option(help: "The source's id for this credential (e.g. the vendor's key id), so it can be revoked later.") var handle: String?
    @Flag(help: "Replace an already imported current version.") var replace = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await RotorApp.with(global) { app in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            if handle == nil, try app.providers.source(for: playbook).revokeNeedsHandle {
                throw CLIError("\(secret)'s revoke request uses {{handle}}, so a value imported without --handle could never "
                               + "be revoked; give the vendor's id for this key with --handle ID (its key list in the vendor's "
                               + "dashboard or API shows the id next to the key's last characters)")
            }
            var data = FileHandle.standardInput.readDataToEndOfFile()
            while let last = data.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { data.removeLast() }
            let summary = try await app.secrets.importCurrent(playbook, value: SecretValue(bytes: Array(data)), handle: handle,
                                                              actor: RotorApp.actor, replace: replace)
            if json {
                print(JSONOutput.string(summary))
            } else {
                print("✅ \(secret): imported \(summary.display) (fingerprint \(summary.fingerprint)) as the current version")
            }
        }
    }
}
