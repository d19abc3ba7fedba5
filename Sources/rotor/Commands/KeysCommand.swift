import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorKeyTable

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the company's own customer API keys (rk_live_…).",
        discussion: """
            Raw keys are never stored: only a peppered HMAC, a display prefix and the last 4 characters. A new key is printed once; keep it, or hand it over through a pickup slot.

            Examples:
              rotor keys create --org acme --name "production" --scopes read,write
              rotor keys verify --stdin < key.txt
              rotor keys rotate key_8f2k… --grace 72h
            """,
        subcommands: [Create.self, List.self, Verify.self, Rotate.self, Revoke.self, Claim.self, Import.self]
    )

    static func withKeyTable<T>(_ global: GlobalOptions, _ body: (KeyTable, RotorApp) async throws -> T) async throws -> T {
        try await RotorApp.with(global) { app in
            let table = app.keyTable(playbooks: app.loadPlaybooks().playbooks)
            return try await body(table, app)
        }
    }

    /// A key rotation as `--json` prints it: the key replaced and its successor.
    struct RotationJSON: Encodable {
        var old: KeyJSON
        var new: KeyJSON
    }

    struct KeyJSON: Encodable {
        var id: String
        var org: String
        var name: String
        var prefix: String
        var last4: String
        var scopes: [String]
        var rateLimit: Int?
        var status: String
        var createdAt: Date
        var graceEndsAt: Date?
        var lastUsedAt: Date?
        var rotatedFrom: String?
        /// Times the key was presented after it was revoked or expired.
        var oldKeyUses: Int
        var oldKeyUsedAt: Date?
        var key: String?

        enum CodingKeys: String, CodingKey {
            case id, org, name, prefix, last4, scopes, status, key
            case rateLimit = "rate_limit"
            case createdAt = "created_at"
            case graceEndsAt = "grace_ends_at"
            case lastUsedAt = "last_used_at"
            case rotatedFrom = "rotated_from"
            case oldKeyUses = "old_key_uses"
            case oldKeyUsedAt = "old_key_used_at"
        }

        init(_ record: APIKeyRecord, key: SecretValue? = nil) {
            id = record.id
            org = record.org
            name = record.name
            prefix = record.prefix
            last4 = record.last4
            scopes = record.scopes
            rateLimit = record.rateLimit
            status = record.status.rawValue
            createdAt = record.createdAt
            graceEndsAt = record.graceEndsAt
            lastUsedAt = record.lastUsedAt
            rotatedFrom = record.rotatedFrom
            oldKeyUses = record.oldKeyUses
            oldKeyUsedAt = record.oldKeyUsedAt
            self.key = key?.revealed
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key for an org; prints it once.",
            discussion: """
                Example:
                  rotor keys create --org acme --name "production" --scopes read,write
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "The customer organisation.") var org: String
        @Option(help: "A name for the key.") var name = "default"
        @Option(help: "Comma-separated scopes.") var scopes = ""
        @Option(name: .customLong("rate-limit"), help: "Requests per minute.") var rateLimit: Int?
        @Flag(help: "Print JSON: {\"id\": …, \"key\": …}.") var json = false

        func run() async throws {
            let scopeList = scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let (record, key) = try await KeysCommand.withKeyTable(global) { table, _ in
                try await table.create(org: org, name: name, scopes: scopeList, rateLimit: rateLimit, actor: RotorApp.actor)
            }
            if json {
                print(JSONOutput.document(KeyJSON(record, key: key)))
            } else {
                print("\(Mark.ok) created \(record.id) for \(record.org)")
                print(key.revealed)
                Console.info("This is the only time the key is shown. Rotor keeps only a hash of it.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List keys (prefix and last 4 only).",
            discussion: """
                Examples:
                  rotor keys list --org acme
                  rotor keys list --status grace --json
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this org.") var org: String?
        @Option(help: "active, grace or revoked.") var status: String?
        @Option(help: "At most this many.") var limit = 1000
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let wanted = try status.map { text -> APIKeyStatus in
                guard let status = APIKeyStatus(rawValue: text) else { throw ValidationError("--status must be active, grace or revoked") }
                return status
            }
            let keys = try await KeysCommand.withKeyTable(global) { table, _ in try await table.list(org: org, status: wanted, limit: limit) }
            if json {
                print(JSONOutput.document(keys.map { KeyJSON($0) }, key: "keys"))
                return
            }
            if keys.isEmpty { print("no keys") }
            for key in keys {
                print("\(key.id)  \(key.prefix)…\(key.last4)  \(key.org)  \(key.name)  \(key.status.rawValue)"
                      + (key.graceEndsAt.map { key.status == .grace ? "  until \(ISO8601.string($0))" : "" } ?? "")
                      + KeysCommand.oldKeyUseText(key))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a key. Exit 0 valid, 1 invalid.",
            discussion: """
                Prefer --stdin: a key on the command line is visible to other users of the machine.

                Example:
                  rotor keys verify --stdin < key.txt
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key (prefer --stdin).") var key: String?
        @Flag(help: "Read the key from standard input.") var stdin = false
        @Flag(help: "Print JSON: valid, reason, status, key_id, org.") var json = false

        func validate() throws {
            if (key == nil) == !stdin { throw ValidationError("give the key as an argument or with --stdin (not both)") }
        }

        func run() async throws {
            let presented = try key ?? KeysCommand.readKeyFromStdin()
            // Shape and checksum are decided before the store is even opened: a typo costs no lookup.
            let result: KeyVerification
            if let problem = APIKeyFormat.check(presented) {
                result = .invalid(problem == .badFormat ? .badFormat : .badChecksum)
            } else {
                result = try await KeysCommand.withKeyTable(global) { table, _ in try await table.verify(presented) }
            }
            if json {
                print(JSONOutput.document(result))
            } else if result.valid {
                print("\(Mark.ok) valid: \(result.keyID ?? "?") (\(result.org ?? "?"), \(result.status?.rawValue ?? "?"))"
                      + (result.graceEndsAt.map { " until \(ISO8601.string($0))" } ?? ""))
            } else {
                print("\(Mark.failed) invalid: \(result.reason?.rawValue ?? "unknown")")
            }
            if !result.valid { throw ExitCode.failure }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rotate a key: a new key now, the old one valid through grace.",
            discussion: """
                Examples:
                  rotor keys rotate key_8f2k… --grace 72h
                  rotor keys rotate key_8f2k… --deliver pickup   # the customer claims it with the old key
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key id (key_…).") var id: String
        @Option(help: "Grace for the old key, e.g. 72h; default: the key-table policy.", transform: DurationText.parseArgument)
        var grace: Duration?
        @Option(help: "Why; recorded in the audit log.") var reason: String?
        @Option(help: ArgumentHelp("Who receives the new key: print (you, now, once) or pickup (the customer claims it with the old key).",
                                   valueName: "print|pickup"))
        var deliver: Delivery = .print
        @Flag(help: "Print JSON.") var json = false

        enum Delivery: String, ExpressibleByArgument, CaseIterable { case print, pickup }

        func run() async throws {
            let rotation = try await KeysCommand.withKeyTable(global) { table, _ in
                try await table.rotate(id: id, grace: grace, trigger: .manual, actor: RotorApp.actor, reason: reason,
                                       deliverByPickup: deliver == .pickup)
            }
            if json {
                print(JSONOutput.document(RotationJSON(old: KeyJSON(rotation.old), new: KeyJSON(rotation.new, key: rotation.newKey))))
            } else {
                print("\(Mark.ok) \(rotation.old.id) rotated; it keeps working until \(ISO8601.string(rotation.graceEndsAt))")
                if let key = rotation.newKey {
                    print("new key \(rotation.new.id):")
                    print(key.revealed)
                    Console.info("This is the only time the key is shown.")
                } else {
                    print("new key \(rotation.new.id) (\(rotation.new.prefix)…\(rotation.new.last4)) waits in a pickup slot; "
                          + "the customer claims it with the old key (`rotor keys claim --old-key-stdin`)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key at once.",
            discussion: """
                The key stops working immediately, with no grace. It asks for confirmation on a terminal; scripts pass --yes (without it, a command whose standard input is not a terminal refuses with exit 2).

                Example:
                  rotor keys revoke key_8f2k… --reason "leaked in a support ticket" --yes
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key id (key_…).") var id: String
        @Option(help: "Why; recorded in the audit log.") var reason: String
        @Flag(help: "Confirm without asking (for scripts).") var yes = false
        @Flag(help: "Print the revoked key as JSON.") var json = false

        func run() async throws {
            try Confirmation.require("Key \(TerminalText.safe(id)) stops working at once for whoever uses it.", yes: yes)
            let key = try await KeysCommand.withKeyTable(global) { table, _ in
                try await table.revoke(id: id, reason: reason, actor: RotorApp.actor)
            }
            if json {
                print(JSONOutput.document(KeyJSON(key)))
            } else {
                print("\(Mark.ok) \(key.id) (\(key.prefix)…\(key.last4)) revoked")
            }
        }
    }

    struct Claim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Claim the new key waiting for an old key (read from standard input). Works once.",
            discussion: """
                Example:
                  rotor keys claim --old-key-stdin < old-key.txt
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("old-key-stdin"), help: "Read the old key from standard input (required).") var oldKeyStdin = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if !oldKeyStdin { throw ValidationError("pass --old-key-stdin and pipe the old key in") }
        }

        func run() async throws {
            let old = try KeysCommand.readKeyFromStdin()
            let (record, key) = try await KeysCommand.withKeyTable(global) { table, _ in
                try await table.claim(oldKey: old, actor: RotorApp.actor)
            }
            if json {
                print(JSONOutput.document(KeyJSON(record, key: key)))
            } else {
                print(key.revealed)
            }
        }
    }

    /// `  ⚠️ used 3× after revocation, last 2026-…` for a key presented when it no longer worked; empty otherwise.
    static func oldKeyUseText(_ key: APIKeyRecord) -> String {
        guard key.oldKeyUses > 0 else { return "" }
        return "  \(Mark.warning) used \(key.oldKeyUses)× after it stopped working" + (key.oldKeyUsedAt.map { ", last \(ISO8601.string($0))" } ?? "")
    }

    static func readKeyFromStdin() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CLIError("no key on standard input") }
        return text
    }
}
