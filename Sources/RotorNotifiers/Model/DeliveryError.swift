/// Why a notification was not delivered, and whether trying again later could help.
///
/// The message names the channel and its destination with everything after the host removed (a
/// Slack webhook URL is a credential, and other webhook URLs often are), and never holds a password,
/// a signing secret or a token.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    /// True when a later attempt could succeed (a timeout, a 5xx or 429, a temporary SMTP refusal);
    /// false when only a change of configuration or message will (a 4xx, a refused recipient or login).
    public var retryable: Bool
    /// What happened, where, and what to do next.
    public var message: String
    /// The channel type: `slack`, `webhook` or `email`.
    public var channel: String
    /// The HTTP status or SMTP reply code when the server answered, else nil.
    public var status: Int?

    /// Creates an error.
    public init(channel: String, retryable: Bool, message: String, status: Int? = nil) {
        self.channel = channel
        self.retryable = retryable
        self.message = message
        self.status = status
    }

    public var description: String {
        "\(message) (\(retryable ? "retryable" : "permanent"))"
    }
}
