import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorKeyTable
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KeysCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create many keys from JSON lines or CSV: adopt existing keys, mint the others.",
            discussion: """
                Each line names an org, a name, scopes, and an existing rk_live_ key to adopt (stored as its HMAC, like every key) or none to mint one:
                  {"org": "acme", "name": "ci", "scopes": ["read", "write"], "key": null}
                or CSV with a header line (scopes separated by spaces or ';'):
                  org,name,scopes,key
                  acme,ci,read write,
                Every line is checked first; one bad line refuses the whole import, each problem reported as FILE:LINE, and nothing is written. The keys are then written in one transaction. Minted keys go to --out, a new file of mode 0600, as JSON lines; never to standard output.

                Examples:
                  rotor keys import customers.csv --out minted.jsonl
                  export-keys | rotor keys import - --format jsonl
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The file to read, or - for standard input.") var file: String
        @Option(help: ArgumentHelp("jsonl or csv; default: by the file's extension, else by its first character.", valueName: "jsonl|csv"))
        var format: KeyImportFormat?
        @Option(help: "Where minted keys are written (a new file, mode 0600, refused if it exists).") var out: String?
        @Flag(help: "Print JSON: {\"minted\": …, \"adopted\": …, \"imported\": …}.") var json = false

        func validate() throws {
            if let out, FileManager.default.fileExists(atPath: out) {
                throw ValidationError("\(out) already exists; --out must name a new file, so no minted key overwrites another")
            }
        }

        func run() async throws {
            let source = file == "-" ? "<stdin>" : file
            let bytes = try Self.read(file)
            let parser = KeyImportParser(file: source, format: format ?? .detect(fileName: file, firstBytes: bytes.prefix(64)))
            let entries = try parser.parse(bytes)
            let mints = entries.filter { $0.adoptedKey == nil }
            if let first = mints.first, out == nil {
                throw CLIError("\(mints.count) line(s) mint a new key (the first at \(source):\(first.line)), and minted keys are "
                               + "never printed: give --out FILE to receive them in a new file of mode 0600. Nothing was imported.")
            }
            let progress = ImportProgress(total: entries.count)
            var written: String?
            do {
                let summary = try await KeysCommand.withKeyTable(global) { table, _ in
                    try await table.importKeys(entries, source: source, actor: RotorApp.actor, deliver: { minted in
                        guard let out else { return }
                        try MintedKeyFile.write(minted, to: out)
                        written = out
                    }, progress: progress.show)
                }
                progress.finish()
                report(summary)
            } catch {
                progress.finish()
                // The keys in it were never stored: a file of keys that do not work would only mislead.
                if let written { try? FileManager.default.removeItem(atPath: written) }
                throw error
            }
        }

        private func report(_ summary: KeyTable.ImportSummary) {
            if json {
                print(JSONOutput.document(["imported": summary.imported, "minted": summary.minted, "adopted": summary.adopted]))
            } else {
                print("\(Mark.ok) imported \(summary.imported) key(s): \(summary.adopted) adopted, \(summary.minted) minted"
                      + (summary.minted > 0 ? " (written to \(out ?? "?"), mode 0600; hand them over, then delete the file)" : ""))
            }
        }

        static func read(_ file: String) throws -> [UInt8] {
            if file == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError("cannot read \(file): no such file, or permission denied")
            }
            return Array(data)
        }
    }
}

extension KeyImportFormat: ExpressibleByArgument {}
