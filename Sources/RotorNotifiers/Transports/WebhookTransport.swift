import Foundation
import Logging
import RotorHTTP

/// Delivers notifications as signed JSON posts to any HTTP endpoint.
///
/// The body is `{"id"?, "kind", "urgent", "subject", "text", "links", "fields", "sent_at"}`; the
/// `X-Rotor-Timestamp` and `X-Rotor-Signature` headers let the receiver check it with
/// `WebhookSignature.verify`, and `X-Rotor-Delivery` repeats the notification's id for deduplication.
/// 2xx is delivered; 408, 425, 429, 5xx and connection failures are retryable; other statuses are
/// permanent. Only the URL's scheme and host are ever shown, and the secret never is.
public struct WebhookTransport: NotificationTransport {
    /// The header that repeats `NotificationMessage.id`, when it has one.
    public static let deliveryHeader = "X-Rotor-Delivery"

    private let url: String
    private let signingSecret: [UInt8]
    private let now: @Sendable () -> Date
    private let delivery: HTTPDelivery

    /// Creates a transport posting to `url`, signing with `signingSecret` (32 random bytes is a good
    /// choice; an empty secret is refused at delivery) at the time `now` gives.
    public init(
        url: String, signingSecret: [UInt8], client: HTTPClient, now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger = Logger(label: "rotor.notify")
    ) {
        self.url = url
        self.signingSecret = signingSecret
        self.now = now
        delivery = HTTPDelivery(channel: "webhook", label: "Webhook", endpoint: RedactedEndpoint(url),
                                client: client, logger: logger)
    }

    public func deliver(_ notification: NotificationMessage) async throws {
        guard !signingSecret.isEmpty else {
            throw DeliveryError(channel: "webhook", retryable: false,
                                message: "Webhook delivery to \(delivery.endpoint.display) refused: the signing secret is empty. Configure signing_secret for this channel")
        }
        let sentAt = now()
        let timestamp = Int(sentAt.timeIntervalSince1970.rounded(.down))
        let body: [UInt8]
        do {
            body = try WebhookPayload(notification, sentAt: sentAt).encoded()
        } catch {
            throw DeliveryError(channel: "webhook", retryable: false,
                                message: "Webhook body for \(notification.kind) could not be encoded as JSON: \(error)")
        }
        var headers: HTTPHeaders = [
            "Content-Type": "application/json",
            WebhookSignature.timestampHeader: String(timestamp),
            WebhookSignature.signatureHeader: WebhookSignature.sign(secret: signingSecret, timestamp: timestamp, body: body),
        ]
        if let id = notification.id {
            headers.add(name: Self.deliveryHeader, value: id)
        }
        try await delivery.post(HTTPRequest(method: .POST, url: url, headers: headers, body: body), notification: notification)
    }
}
