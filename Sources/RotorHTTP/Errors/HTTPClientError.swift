/// Why a request produced no HTTP response, or why a mail was not accepted by its SMTP server.
///
/// A struct over a private enum, so new causes can be added without breaking callers. Equality
/// compares the cause only (`error == .timeout`), not the request it happened to. The description
/// names the method and URL (or the SMTP server URL) with credentials redacted (see `HTTPRedactor`),
/// says what happened and what to try next; it never holds a header value, a body, a password or any
/// other secret.
public struct HTTPClientError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case connectTimeout
        case timeout
        case responseTooLarge(limit: Int)
        case couldNotConnect
        case tls
        case invalidURL
        case invalidHeader(name: String)
        case invalidMessage(reason: String)
        case plaintextCredentials
        case loginDenied
        case smtpRejected(code: Int)
        case transport(curlCode: Int)
        case cancelled
        case shutdown
    }

    private let kind: Kind
    /// The request method, or nil for a mail or when the error was not built for a particular request.
    public let method: String?
    /// The request URL (or SMTP server URL) with credentials redacted, or nil when the error was not
    /// built for a particular transfer.
    public let url: String?
    /// libcurl's own explanation (for SMTP, with the server's last reply), redacted, when there is one.
    public let detail: String?

    /// Whether the error is about a mail submission, which changes the wording, not the cause.
    private let isMail: Bool

    private init(_ kind: Kind, method: String? = nil, url: String? = nil, detail: String? = nil, isMail: Bool = false) {
        self.kind = kind
        self.method = method
        self.url = url
        self.detail = detail
        self.isMail = isMail
    }

    /// The TCP or TLS connection was not established within `HTTPRequest.connectTimeout`.
    public static var connectTimeout: Self { Self(.connectTimeout) }
    /// The transfer did not finish within `HTTPRequest.timeout`.
    public static var timeout: Self { Self(.timeout) }
    /// The response body would exceed `limit` bytes (`HTTPRequest.maxResponseBytes`); the transfer was aborted.
    public static func responseTooLarge(limit: Int) -> Self { Self(.responseTooLarge(limit: limit)) }
    /// The host could not be resolved or refused the connection.
    public static var couldNotConnect: Self { Self(.couldNotConnect) }
    /// The TLS handshake or certificate verification failed.
    public static var tls: Self { Self(.tls) }
    /// The URL is malformed, or uses a protocol other than http or https (smtp or smtps for mail).
    public static var invalidURL: Self { Self(.invalidURL) }
    /// A request or mail header name or value is empty where it may not be, or contains a line break
    /// or another control character.
    public static func invalidHeader(name: String) -> Self { Self(.invalidHeader(name: name)) }
    /// A mail could not be built as given: a malformed address, no recipient, a header Rotor sets
    /// itself. `reason` names the field, never its content.
    public static func invalidMessage(reason: String) -> Self { Self(.invalidMessage(reason: reason)) }
    /// A mail server has a password but the connection would not be encrypted (smtp:// without
    /// `SMTPServer.requireTLS`), so the password was not sent.
    public static var plaintextCredentials: Self { Self(.plaintextCredentials) }
    /// The SMTP server refused the username or password.
    public static var loginDenied: Self { Self(.loginDenied) }
    /// The SMTP server refused the sender, a recipient or the message with reply `code` (4xx: for now,
    /// 5xx: for good).
    public static func smtpRejected(code: Int) -> Self { Self(.smtpRejected(code: code)) }
    /// Any other libcurl failure, by its CURLcode.
    public static func transport(curlCode: Int) -> Self { Self(.transport(curlCode: curlCode)) }
    /// The transfer was abandoned before it finished because the client shut down.
    public static var cancelled: Self { Self(.cancelled) }
    /// The client was shut down before the request was submitted.
    public static var shutdown: Self { Self(.shutdown) }

    /// The same cause, told about `request`: its method and URL, and libcurl's `detail`, all passed
    /// through `HTTPRedactor` with the request's secrets.
    func about(_ request: HTTPRequest, detail: String? = nil) -> Self {
        about(request.subject, detail: detail)
    }

    /// The same cause, told about `subject`, with its URL and `detail` redacted by its redactor.
    func about(_ subject: TransferSubject, detail: String? = nil) -> Self {
        Self(kind, method: subject.method, url: subject.redactor.redactURL(subject.url),
             detail: detail.map(subject.redactor.redact), isMail: subject.method == nil)
    }

    /// Compares the cause only, so `error == .timeout` holds for a timeout of any request.
    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool {
        lhs.kind == rhs.kind
    }

    /// Whether repeating the request could succeed: connection failures, timeouts, connections
    /// dropped mid-transfer and SMTP's temporary (4xx) refusals, yes; a bad URL or message, a TLS
    /// failure, refused credentials, a permanent (5xx) SMTP refusal or an oversized response, no.
    public var isRetryable: Bool {
        switch kind {
        case .connectTimeout, .timeout, .couldNotConnect: true
        case .transport(let code): Self.retryableCurlCodes.contains(code)
        case .smtpRejected(let code): (400..<500).contains(code)
        case .responseTooLarge, .tls, .invalidURL, .invalidHeader, .invalidMessage, .plaintextCredentials,
             .loginDenied, .cancelled, .shutdown: false
        }
    }

    /// The SMTP reply code when the server refused the mail (`smtpRejected`), else nil.
    public var smtpReplyCode: Int? {
        if case .smtpRejected(let code) = kind { code } else { nil }
    }

    /// Connection-level failures worth another attempt: partial file (18), HTTP/2 framing (16), got
    /// nothing (52), send error (55), receive error (56), HTTP/2 stream (92).
    private static let retryableCurlCodes: Set<Int> = [16, 18, 52, 55, 56, 92]

    public var description: String {
        let subject = [method, url].compactMap { $0 }.joined(separator: " ")
        let label = isMail ? "SMTP" : "HTTP"
        let prefix = subject.isEmpty ? "\(label) request" : "\(label) \(subject)"
        let cause = detail.map { " (\($0))" } ?? ""
        return "\(prefix): \(summary)\(cause). \(advice)"
    }

    private var summary: String {
        switch kind {
        case .connectTimeout: "no connection within the connect timeout"
        case .timeout: "no complete response within the timeout"
        case .responseTooLarge(let limit): "response body larger than \(limit) bytes, transfer aborted"
        case .couldNotConnect: "could not connect"
        case .tls: "TLS handshake or certificate verification failed"
        case .invalidURL: "invalid or unsupported URL"
        case .invalidHeader(let name): "\(isMail ? "mail" : "request") header '\(name)' is invalid"
        case .invalidMessage(let reason): "the mail cannot be sent as given: \(reason)"
        case .plaintextCredentials: "refused to send the SMTP password over an unencrypted connection"
        case .loginDenied: "the SMTP server refused the username or password"
        case .smtpRejected(let code):
            (400..<500).contains(code) ? "the SMTP server refused the mail for now (reply \(code))"
                : "the SMTP server refused the mail (reply \(code))"
        case .transport(let code): "transfer failed with libcurl error \(code)"
        case .cancelled: "abandoned because the HTTP client shut down"
        case .shutdown: "the HTTP client has been shut down"
        }
    }

    private var advice: String {
        switch kind {
        case .connectTimeout:
            "Check that the host is reachable from here (firewall, http_proxy/https_proxy), or raise HTTPRequest.connectTimeout"
        case .timeout:
            "The server may be overloaded; retry later or raise HTTPRequest.timeout"
        case .responseTooLarge:
            "Check the URL, or raise HTTPRequest.maxResponseBytes if such a large response is expected"
        case .couldNotConnect:
            "Check the host name and port, that the server is running, and any proxy settings"
        case .tls:
            isMail ? "Check the server's certificate and host name, SMTPServer.caFile or the system CA bundle, and that it offers STARTTLS when requireTLS is set; verification is never disabled"
                : "Check the server's certificate chain and host name and the system CA bundle; verification is never disabled"
        case .invalidURL:
            isMail ? "Use an smtp://host:port or smtps://host:port URL" : "Use an absolute http:// or https:// URL"
        case .invalidHeader:
            "Header names must be non-empty and names and values may not contain CR, LF or other control characters"
        case .invalidMessage:
            "Use plain addresses (local@domain), at least one recipient, and no header Rotor sets itself"
        case .plaintextCredentials:
            "Use smtps://, or smtp:// with requireTLS (STARTTLS)"
        case .loginDenied:
            "Check the SMTP username and password (they are never shown) and the server's allowed authentication methods"
        case .smtpRejected(let code):
            (400..<500).contains(code) ? "The server asked to try again later; retry with backoff"
                : "Check the sender and recipient addresses and that the server relays for this sender"
        case .transport:
            "See libcurl's error list (libcurl-errors(3)); retry if the network was interrupted"
        case .cancelled, .shutdown:
            "Use a client that has not been shut down"
        }
    }
}
