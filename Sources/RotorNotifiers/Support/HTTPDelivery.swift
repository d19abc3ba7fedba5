import Logging
import RotorHTTP

/// Posts a notification's request once and turns the outcome into delivered or a `DeliveryError`;
/// what Slack and webhook delivery share.
struct HTTPDelivery: Sendable {
    /// `slack` or `webhook`, as `DeliveryError.channel` says.
    let channel: String
    /// "Slack webhook", "Webhook": how messages name the channel.
    let label: String
    let endpoint: RedactedEndpoint
    let client: HTTPClient
    let logger: Logger

    /// Sends `request` (its secrets are set here). 2xx is delivered; 408, 425, 429 and 5xx are worth
    /// another attempt; any other status is final. Transport failures follow
    /// `HTTPClientError.isRetryable`.
    func post(_ request: HTTPRequest, notification: NotificationMessage) async throws {
        var request = request
        request.secrets += endpoint.secrets
        var logger = self.logger
        logger[metadataKey: "notify.channel"] = "\(channel)"
        logger[metadataKey: "notify.destination"] = "\(endpoint.display)"
        logger[metadataKey: "notify.kind"] = "\(notification.kind)"
        logger[metadataKey: "notify.urgent"] = "\(notification.urgent)"

        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as HTTPClientError {
            let failure = DeliveryError(channel: channel, retryable: error.isRetryable,
                                        message: "\(label) delivery to \(endpoint.display) failed: \(error)")
            logger.warning("notification not delivered", metadata: ["notify.error": "\(failure)"])
            throw failure
        }
        if (200..<300).contains(response.status) {
            logger.info("notification delivered", metadata: ["notify.status": "\(response.status)"])
            return
        }
        let retryable = [408, 425, 429].contains(response.status) || response.status >= 500
        let said = Self.excerpt(response.bodyText, redactor: HTTPRedactor(secrets: request.secrets))
        let advice = retryable ? "The receiver is unavailable or throttling; a later attempt may succeed"
            : response.status < 400 ? "The receiver redirected; configure the final URL"
            : "The receiver refused the request; check the URL (and for webhooks the signing secret) and the receiver's logs"
        let failure = DeliveryError(
            channel: channel, retryable: retryable,
            message: "\(label) delivery to \(endpoint.display) failed: HTTP \(response.status)\(said.map { " (\($0))" } ?? ""). \(advice)",
            status: response.status)
        logger.warning("notification not delivered", metadata: ["notify.error": "\(failure)"])
        throw failure
    }

    /// The start of a response body on one line, secrets removed: Slack answers errors with a short
    /// code such as `invalid_payload` or `no_service`, which says what to fix.
    static func excerpt(_ body: String, redactor: HTTPRedactor) -> String? {
        let line = body.unicodeScalars.map { $0.properties.isWhitespace || $0.value < 32 ? " " : String($0) }.joined()
            .split(separator: " ").joined(separator: " ")
        guard !line.isEmpty else { return nil }
        // Redacted before it is cut, so a secret that straddles the cut cannot leave half of itself.
        let redacted = redactor.redact(line)
        return redacted.count > 200 ? String(redacted.prefix(200)) + "…" : redacted
    }
}
