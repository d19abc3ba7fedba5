import Logging

/// An async HTTP client on libcurl.
///
/// One libcurl multi handle runs on one thread the client owns, so many requests are in flight at once
/// and no blocking libcurl call ever runs on Swift's cooperative thread pool. Any HTTP status is a
/// response; only a transfer that produced no response throws (`HTTPClientError`, or
/// `CancellationError` when the calling task is cancelled).
///
/// - TLS peer and host verification are always on.
/// - No proxy is configured, so libcurl honours the `http_proxy`, `https_proxy` and `no_proxy`
///   environment variables itself.
/// - Requests may use only http and https; redirects, when followed, may lead only to http or https,
///   and libcurl does not resend an Authorization header to a different host. Mail goes out over smtp
///   and smtps through `sendMail(_:via:)`, on the same thread.
/// - Each attempt is logged with method, URL, status and duration, never with a body; credentials are
///   redacted by `HTTPRedactor`.
///
/// The client is Sendable without a lock of its own: its only state is the transfer loop, which guards
/// its own state with a lock.
public final class HTTPClient: Sendable {
    /// The process-wide client, started on first use. Do not shut it down.
    public static let shared = HTTPClient()

    /// The version of the libcurl in use and its TLS library, such as "7.88.1 (OpenSSL/3.0.15)".
    public static var libcurlVersion: String { CurlRuntime.versionDescription }

    let logger: Logger
    let loop: CurlMultiLoop

    /// Starts a client and its transfer thread.
    public init(logger: Logger = Logger(label: "rotor.http")) {
        self.logger = logger
        self.loop = CurlMultiLoop()
    }

    deinit {
        loop.shutdown()
    }

    /// Performs `request` and returns the response, whatever its status.
    ///
    /// - Throws: `HTTPClientError` when no response was received (connection failure, timeout, body
    ///   over `maxResponseBytes`, invalid URL or header, client shut down); `CancellationError` when the
    ///   calling task is cancelled, in which case the transfer is abandoned at once.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let redactor = HTTPRedactor(secrets: request.secrets)
        var logger = self.logger
        logger[metadataKey: "http.method"] = "\(request.method.rawValue)"
        logger[metadataKey: "http.url"] = "\(redactor.redactURL(request.url))"

        if let invalid = request.headers.first(where: { !Self.isValid(name: $0.name, value: $0.value) }) {
            let error = HTTPClientError.invalidHeader(name: redactor.redact(invalid.name)).about(request)
            logger.info("HTTP request refused", metadata: ["http.error": "\(error)"])
            throw error
        }

        logger.debug("HTTP request", metadata: ["http.request_headers": "\(redactor.describe(request.headers))"])
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await loop.perform(request)
            let metadata: Logger.Metadata = [
                "http.status": "\(response.status)",
                "http.duration_ms": "\(Self.milliseconds(clock.now - start))",
                "http.response_bytes": "\(response.body.count)",
                "http.response_headers": "\(redactor.describe(response.headers))",
            ]
            logger.log(level: response.status >= 400 ? .info : .debug, "HTTP response", metadata: metadata)
            return response
        } catch let error as CancellationError {
            logger.debug("HTTP request cancelled", metadata: ["http.duration_ms": "\(Self.milliseconds(clock.now - start))"])
            throw error
        } catch {
            logger.info("HTTP request failed", metadata: [
                "http.error": "\(error)",
                "http.duration_ms": "\(Self.milliseconds(clock.now - start))",
            ])
            throw error
        }
    }

    /// Abandons every transfer in flight (they fail with `HTTPClientError.cancelled`) and stops the
    /// client's thread. Returns at once; later calls to `execute` throw `HTTPClientError.shutdown`.
    public func shutdown() {
        loop.shutdown()
    }

    /// A header line must stay one line: a CR or LF would let a value smuggle in headers of its own.
    private static func isValid(name: String, value: String) -> Bool {
        let breaks: Set<Character> = ["\r", "\n", "\r\n", "\0"]
        return !name.isEmpty && !name.contains(where: { breaks.contains($0) || $0 == ":" || $0 == " " })
            && !value.contains(where: { breaks.contains($0) })
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int((duration.inSeconds * 1000).rounded())
    }
}
