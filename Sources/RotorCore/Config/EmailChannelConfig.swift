/// `type: email`: plain-text mail through an SMTP server (libcurl).
public struct EmailChannelConfig: Sendable, Equatable {
    /// `smtps://host:465` (TLS from the first byte) or `smtp://host:587` (STARTTLS when `requireTLS`).
    public var smtp: String
    /// The SMTP AUTH login, or nil to send without authenticating.
    public var username: String?
    /// Where the SMTP AUTH password comes from; set exactly when `username` is.
    public var password: CredentialReference?
    /// The sender address (envelope and `From:`).
    public var from: String
    /// The recipients; at least one.
    public var to: [String]
    /// A PEM file of CA certificates to verify the server with instead of the system's, or nil.
    public var caFile: String?
    /// For `smtp://`: refuse to send unless the server offers STARTTLS. Default true.
    public var requireTLS: Bool

    /// An e-mail channel; TLS is required unless `requireTLS` says otherwise.
    public init(smtp: String, username: String? = nil, password: CredentialReference? = nil, from: String, to: [String],
                caFile: String? = nil, requireTLS: Bool = true) {
        self.smtp = smtp
        self.username = username
        self.password = password
        self.from = from
        self.to = to
        self.caFile = caFile
        self.requireTLS = requireTLS
    }
}
