import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct NotificationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications",
        abstract: "Inspect the notification outbox, including the customers' in-app inboxes.",
        discussion: """
            Every message Rotor sends is first written to the outbox, one row per channel, then delivered by `rotor tick` or the daemon with retries. Rows of `outbox` channels are the customers' in-app inboxes. Messages never contain a secret value.

            Examples:
              rotor notifications list --org acme
              rotor notifications list --secret openai-api-key --limit 10 --json
            """,
        subcommands: [List.self]
    )

    /// One outbox row as `--json` prints it.
    struct NotificationJSON: Encodable {
        var id: String
        var channel: String
        var org: String?
        var secret: String?
        var kind: String
        var urgent: Bool
        var subject: String
        var body: String
        var status: String
        var attempts: Int
        var nextAttemptAt: Date
        var lastError: String?
        var createdAt: Date
        var sentAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, channel, org, secret, kind, urgent, subject, body, status, attempts
            case nextAttemptAt = "next_attempt_at"
            case lastError = "last_error"
            case createdAt = "created_at"
            case sentAt = "sent_at"
        }

        init(_ record: NotificationRecord) {
            id = record.id
            channel = record.channel
            org = record.org
            secret = record.secretName
            kind = record.kind
            urgent = record.urgent
            subject = record.subject
            body = record.body
            status = record.status.rawValue
            attempts = record.attempts
            nextAttemptAt = record.nextAttemptAt
            lastError = record.lastError
            createdAt = record.createdAt
            sentAt = record.sentAt
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List notifications, newest first, with their delivery state.",
            discussion: """
                Examples:
                  rotor notifications list
                  rotor notifications list --json
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this customer organisation's (its in-app inbox).") var org: String?
        @Option(help: "Only notifications about this secret.") var secret: String?
        @Option(help: "At most this many (1 to 10000).") var limit = 50
        @Flag(help: "Print JSON, including each message's text.") var json = false

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
            if org?.isEmpty == true { throw ValidationError("--org must not be empty") }
            if secret?.isEmpty == true { throw ValidationError("--secret must not be empty") }
        }

        func run() async throws {
            let (org, secret, limit) = (org, secret, limit)
            let records = try await RotorApp.with(global) { app in
                let stored = try await app.store.transaction { try $0.notifications(org: org, secretName: secret, limit: limit) }
                // Warnings keep their reply links and codes sealed at rest; the reader of the inbox gets working ones.
                let tokens = try await app.replyTokens()
                return stored.map { record in
                    var shown = record
                    shown.body = (try? tokens.reveal(record.body)) ?? record.body
                    return shown
                }
            }
            if json {
                print(JSONOutput.string(records.map(NotificationJSON.init)))
                return
            }
            if records.isEmpty {
                let filters = [org.map { "org \($0)" }, secret.map { "secret \($0)" }].compactMap { $0 }
                print("no notifications" + (filters.isEmpty ? "" : " for " + filters.joined(separator: " and ")))
                return
            }
            for record in records {
                let about = [record.org.map { "org \($0)" }, record.secretName].compactMap { $0 }.joined(separator: ", ")
                print("\(ISO8601.string(record.createdAt))  \(record.id)  \(record.status.rawValue)  \(record.channel)  "
                      + "\(record.kind)\(about.isEmpty ? "" : " (\(about))")")
                print("  \(record.subject)")
                switch record.status {
                case .sent:
                    if let sentAt = record.sentAt { print("  sent \(ISO8601.string(sentAt)) after \(record.attempts) attempt(s)") }
                case .pending where record.attempts > 0:
                    print("  next attempt \(ISO8601.string(record.nextAttemptAt)) (\(record.attempts) so far)")
                case .sending:
                    print("  being delivered (attempt \(record.attempts))")
                default:
                    break
                }
                if record.status != .sent, let error = record.lastError { print("  last error: \(error)") }
            }
        }
    }
}
