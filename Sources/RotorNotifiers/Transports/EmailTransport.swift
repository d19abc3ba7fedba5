import Foundation
import Logging
import RotorCrypto
import RotorHTTP

/// Delivers notifications as plain-text e-mail through an SMTP or SMTPS server.
///
/// Urgent notifications get "[URGENT] " before the subject and `X-Priority: 1` / `Importance: high`.
/// The body is the text, then the fields and links, one per line. A refused recipient or login is
/// permanent; an unreachable server, a timeout or a temporary (4xx) refusal is retryable. The SMTP
/// password is never shown.
public struct EmailTransport: NotificationTransport {
    private let server: SMTPServer
    private let from: String
    private let to: [String]
    private let client: HTTPClient
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// Creates a transport that sends from `from` to every address in `to` through `server`.
    public init(
        server: SMTPServer, from: String, to: [String], client: HTTPClient,
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "rotor.notify")
    ) {
        self.server = server
        self.from = from
        self.to = to
        self.client = client
        self.now = now
        self.logger = logger
    }

    public func deliver(_ notification: NotificationMessage) async throws {
        let message = mail(for: notification)
        var logger = self.logger
        logger[metadataKey: "notify.channel"] = "email"
        logger[metadataKey: "notify.destination"] = "\(server)"
        logger[metadataKey: "notify.kind"] = "\(notification.kind)"
        logger[metadataKey: "notify.urgent"] = "\(notification.urgent)"
        do {
            try await client.sendMail(message, via: server)
            logger.info("notification delivered", metadata: ["notify.message_id": "\(message.messageID)"])
        } catch let error as HTTPClientError {
            let failure = DeliveryError(channel: "email", retryable: error.isRetryable,
                                        message: "E-mail delivery failed: \(error)", status: error.smtpReplyCode)
            logger.warning("notification not delivered", metadata: ["notify.error": "\(failure)"])
            throw failure
        }
    }

    /// The e-mail for `notification`.
    func mail(for notification: NotificationMessage) -> MailMessage {
        var headers: HTTPHeaders = ["X-Rotor-Kind": notification.kind]
        if notification.urgent {
            headers.add(name: "X-Priority", value: "1")
            headers.add(name: "Importance", value: "high")
        }
        return MailMessage(
            from: from, to: to, subject: (notification.urgent ? "[URGENT] " : "") + notification.subject,
            textBody: Self.body(notification), extraHeaders: headers,
            messageID: notification.id.map { Self.messageID(for: $0, from: from) }, date: now())
    }

    /// The text, then "name: value" for each field and "label: url" for each link, sorted.
    static func body(_ notification: NotificationMessage) -> String {
        var sections = [notification.text]
        if !notification.fields.isEmpty {
            sections.append(notification.fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        }
        if !notification.links.isEmpty {
            sections.append(notification.links.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// The same Message-ID for every attempt at the same notification: a digest of its id, so that
    /// whatever the id holds, the header stays well formed.
    static func messageID(for id: String, from: String) -> String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "rotor.invalid"
        return "<rotor.\(Hex.encode(SHA256.hash(Array(id.utf8)).prefix(16)))@\(domain)>"
    }
}
