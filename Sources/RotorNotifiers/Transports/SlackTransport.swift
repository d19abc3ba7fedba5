import Logging
import RotorHTTP

/// Delivers notifications to a Slack channel through an incoming webhook.
///
/// Posts `{"text": …, "blocks": […]}` (see `SlackMessage`); Slack answers 200 `ok`. A 4xx other than
/// 429 (a revoked webhook, an archived channel, a payload Slack refuses) is permanent; 429, 5xx and
/// connection failures are retryable. The webhook URL is a credential: only its host is ever shown.
public struct SlackTransport: NotificationTransport {
    private let url: String
    private let delivery: HTTPDelivery

    /// Creates a transport posting to `webhookURL` (`https://hooks.slack.com/services/…`).
    public init(webhookURL: String, client: HTTPClient, logger: Logger = Logger(label: "rotor.notify")) {
        url = webhookURL
        delivery = HTTPDelivery(channel: "slack", label: "Slack webhook", endpoint: RedactedEndpoint(webhookURL),
                                client: client, logger: logger)
    }

    public func deliver(_ notification: NotificationMessage) async throws {
        let request: HTTPRequest
        do {
            request = try HTTPRequest.json(.POST, url, SlackMessage(notification))
        } catch {
            throw DeliveryError(channel: "slack", retryable: false,
                                message: "Slack message for \(notification.kind) could not be encoded as JSON: \(error)")
        }
        try await delivery.post(request, notification: notification)
    }
}
