/// Where and how `HTTPClient.sendMail(_:via:)` submits mail.
///
/// The password never appears in a description, a debug description, a mirror (`dump`), a log line or
/// an error. It is only sent over TLS: `smtps://`, or `smtp://` with `requireTLS` (STARTTLS).
public struct SMTPServer: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `smtps://host:port` (TLS from the first byte, usually port 465) or `smtp://host:port` (usually
    /// 587 or 25; encrypted with STARTTLS when `requireTLS` is set). A path names the EHLO domain.
    public var url: String
    /// The login for SMTP AUTH, or nil to send without authenticating.
    public var username: String?
    /// The password for SMTP AUTH. Never logged or shown.
    public var password: String?
    /// For `smtp://`: insist on STARTTLS and fail rather than send in clear when the server does not
    /// offer it (CURLOPT_USE_SSL = CURLUSESSL_ALL). `smtps://` is always encrypted.
    public var requireTLS: Bool
    /// A PEM file of CA certificates to verify the server with instead of the system bundle (for a
    /// private CA or a test server). Verification itself is never turned off.
    public var caFile: String?
    /// How long to wait for the TCP (and, for smtps, TLS) connection.
    public var connectTimeout: Duration
    /// How long the whole submission may take, connection included.
    public var timeout: Duration

    /// Creates a server description; by default TLS is required and a submission may take 30 s.
    public init(
        url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = true,
        caFile: String? = nil, connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// Whether the connection starts with TLS, rather than upgrading with STARTTLS.
    var isImplicitTLS: Bool { url.lowercased().hasPrefix("smtps:") }

    /// The server as errors and log lines name it: its URL with the password (and a URL password)
    /// redacted.
    var subject: TransferSubject {
        TransferSubject(method: nil, url: url, redactor: HTTPRedactor(secrets: [password].compactMap { $0 }))
    }

    /// The URL (credentials redacted), the login and whether TLS is required; never the password.
    public var description: String {
        var parts = [subject.redactor.redactURL(url)]
        if let username { parts.append("user \(subject.redactor.redact(username))") }
        if password != nil { parts.append("password \(HTTPRedactor.placeholder)") }
        if requireTLS, !isImplicitTLS { parts.append("STARTTLS required") }
        return "SMTPServer(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    /// Shows the same fields as the type itself, with the password replaced.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "url": subject.redactor.redactURL(url),
            "username": username as Any,
            "password": (password == nil ? nil : HTTPRedactor.placeholder) as Any,
            "requireTLS": requireTLS,
            "caFile": caFile as Any,
            "connectTimeout": connectTimeout,
            "timeout": timeout,
        ], displayStyle: .struct)
    }
}
