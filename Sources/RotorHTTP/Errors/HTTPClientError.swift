/// Why a request produced no HTTP response.
///
/// A struct over a private enum, so new causes can be added without breaking callers. Equality
/// compares the cause only (`error == .timeout`), not the request it happened to. The description
/// names the method and URL with credentials redacted (see `HTTPRedactor`), says what happened and what
/// to try next; it never holds a header value, a body or a secret.
public struct HTTPClientError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case connectTimeout
        case timeout
        case responseTooLarge(limit: Int)
        case couldNotConnect
        case tls
        case invalidURL
        case invalidHeader(name: String)
        case transport(curlCode: Int)
        case cancelled
        case shutdown
    }

    private let kind: Kind
    /// The request method, or nil when the error was not built for a particular request.
    public let method: String?
    /// The request URL with credentials redacted, or nil when the error was not built for a request.
    public let url: String?
    /// libcurl's own explanation, redacted, when there is one.
    public let detail: String?

    private init(_ kind: Kind, method: String? = nil, url: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.method = method
        self.url = url
        self.detail = detail
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
    /// The URL is malformed or uses a protocol other than http or https.
    public static var invalidURL: Self { Self(.invalidURL) }
    /// A request header name or value is empty where it may not be, or contains a line break.
    public static func invalidHeader(name: String) -> Self { Self(.invalidHeader(name: name)) }
    /// Any other libcurl failure, by its CURLcode.
    public static func transport(curlCode: Int) -> Self { Self(.transport(curlCode: curlCode)) }
    /// The transfer was abandoned before it finished because the client shut down.
    public static var cancelled: Self { Self(.cancelled) }
    /// The client was shut down before the request was submitted.
    public static var shutdown: Self { Self(.shutdown) }

    /// The same cause, told about `request`: its method and URL, and libcurl's `detail`, all passed
    /// through `HTTPRedactor` with the request's secrets.
    func about(_ request: HTTPRequest, detail: String? = nil) -> Self {
        let redactor = HTTPRedactor(secrets: request.secrets)
        return Self(kind, method: request.method.rawValue, url: redactor.redactURL(request.url),
                    detail: detail.map(redactor.redact))
    }

    /// Compares the cause only, so `error == .timeout` holds for a timeout of any request.
    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool {
        lhs.kind == rhs.kind
    }

    /// Whether repeating the request could succeed: connection failures, timeouts and connections
    /// dropped mid-transfer, yes; a bad URL, a TLS failure or an oversized response, no.
    public var isRetryable: Bool {
        switch kind {
        case .connectTimeout, .timeout, .couldNotConnect: true
        case .transport(let code): Self.retryableCurlCodes.contains(code)
        case .responseTooLarge, .tls, .invalidURL, .invalidHeader, .cancelled, .shutdown: false
        }
    }

    /// Connection-level failures worth another attempt: partial file (18), HTTP/2 framing (16), got
    /// nothing (52), send error (55), receive error (56), HTTP/2 stream (92).
    private static let retryableCurlCodes: Set<Int> = [16, 18, 52, 55, 56, 92]

    public var description: String {
        let subject = [method, url].compactMap { $0 }.joined(separator: " ")
        let prefix = subject.isEmpty ? "HTTP request" : "HTTP \(subject)"
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
        case .invalidHeader(let name): "request header '\(name)' is invalid"
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
            "Check the server's certificate chain and host name and the system CA bundle; verification is never disabled"
        case .invalidURL:
            "Use an absolute http:// or https:// URL"
        case .invalidHeader:
            "Header names must be non-empty and names and values may not contain CR or LF"
        case .transport:
            "See libcurl's error list (libcurl-errors(3)); retry if the network was interrupted"
        case .cancelled, .shutdown:
            "Use a client that has not been shut down"
        }
    }
}
