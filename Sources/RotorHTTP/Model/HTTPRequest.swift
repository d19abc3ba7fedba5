import Foundation

/// One HTTP request and the limits the client applies while performing it.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute URL, `http://` or `https://`.
    public var url: String
    /// Sent exactly as given: the client adds only `Host` and `Content-Length`, and suppresses
    /// libcurl's own `Accept`, `Content-Type` and `Expect: 100-continue`.
    public var headers: HTTPHeaders
    /// The request body, or nil for none.
    public var body: [UInt8]?
    /// Whether a failed attempt may be repeated. Defaults to the method's idempotence (true for GET,
    /// HEAD, PUT, DELETE, OPTIONS; false for POST, PATCH). Set it to true for a POST that carries an
    /// idempotency key the server honours.
    public var isIdempotent: Bool
    /// How long to wait for the TCP (and TLS) connection to be established.
    public var connectTimeout: Duration = .seconds(10)
    /// How long the whole transfer may take, connection included.
    public var timeout: Duration = .seconds(30)
    /// Whether to follow 3xx redirects (at most 5, and only to http or https). When false a redirect
    /// is returned as the response.
    public var followRedirects: Bool = false
    /// The largest response body accepted; a larger one aborts the transfer with
    /// `HTTPClientError.responseTooLarge`.
    public var maxResponseBytes: Int = 10 * 1024 * 1024
    /// Values that must never appear in logs or errors (a token, a key value). Every occurrence in the
    /// URL, in header values and in error messages is replaced by `<redacted>`.
    public var secrets: [String] = []
    /// The vendor rate-limit budget this request spends (account, then kind of request), for the
    /// `RateLimitGates` of a `RetryingHTTPClient`; nil for a request that is not gated.
    public var rateLimitBucket: String?

    /// Creates a request; the limits start at their defaults.
    public init(method: HTTPMethod = .GET, url: String, headers: HTTPHeaders = [:], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.isIdempotent = method.isIdempotent
    }

    /// A request whose body is `value` encoded as JSON, with `Content-Type: application/json` unless
    /// `headers` already names a content type.
    public static func json<T: Encodable>(
        _ method: HTTPMethod, _ url: String, _ value: T, headers: HTTPHeaders = [:]
    ) throws -> HTTPRequest {
        var request = HTTPRequest(method: method, url: url, headers: headers, body: Array(try JSONEncoder().encode(value)))
        if !request.headers.contains(name: "Content-Type") {
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        return request
    }
}
