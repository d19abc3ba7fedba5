import Foundation

/// The JSON-over-HTTPS exchange a vendor target has with its vendor's REST API (Vercel, Render): bearer
/// authentication, path and query encoding, and every answer other than the documented success turned
/// into the adapter's own error, worded by its `Dialect`, with the call's secrets scrubbed out.
///
/// One value per target operation: it holds the resolved token, so it lives only as long as the call.
public struct VendorAPIClient<Dialect: VendorDialect>: Sendable {
    /// The API base URL without a trailing slash, e.g. `https://api.vercel.com`.
    public let base: String
    /// Words this vendor's errors.
    public let dialect: Dialect
    /// The token and the value being written: sent to the HTTP client for redaction, scrubbed from errors.
    public let secrets: [String]
    private let token: String
    private let scope: [(String, String)]
    private let client: RetryingHTTPClient
    private let redactor: HTTPRedactor
    /// Names the token's account in rate-limit bucket names without holding the token: a vendor meters
    /// each API key on its own. Hashed with the process's random seed, so it means nothing outside it.
    private let account: Int

    /// A client for one operation.
    /// - Parameters:
    ///   - base: the API base URL; trailing slashes are dropped.
    ///   - token: sent as `Authorization: Bearer …`.
    ///   - secrets: every value that must not appear in logs or errors; include the token.
    ///   - scope: query parameters every request carries after its own, e.g. Vercel's `teamId`.
    public init(base: String, token: String, secrets: [String], scope: [(String, String)] = [],
                client: RetryingHTTPClient, dialect: Dialect) {
        self.base = Self.trimmed(base)
        self.token = token
        self.secrets = secrets
        self.scope = scope
        self.client = client
        self.dialect = dialect
        self.redactor = HTTPRedactor(secrets: secrets)
        self.account = token.hashValue
    }

    /// Sends one request and returns its 2xx response.
    /// - Parameters:
    ///   - path: appended to `base`; encode each variable segment with `segment(_:)`.
    ///   - body: JSON (see `json(_:)`), sent with `Content-Type: application/json`.
    ///   - idempotent: overrides the method's default, for a POST or PATCH that is safe to repeat.
    ///   - action: what the call does, for errors: `write OPENAI_API_KEY`.
    ///   - subject: what it addresses, for errors: `project web-app`.
    /// - Throws: `Dialect.Failure` for no response or a non-2xx one; `CancellationError` as is.
    public func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                     idempotent: Bool? = nil, action: String, subject: String) async throws -> HTTPResponse {
        let parameters = query + scope
        let queryText = parameters.isEmpty ? "" : "?" + parameters.map { "\(Self.queryPart($0.0))=\(Self.queryPart($0.1))" }
            .joined(separator: "&")
        var request = HTTPRequest(method: method, url: base + path + queryText, body: body)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if body != nil { request.headers.add(name: "Content-Type", value: "application/json") }
        request.secrets = secrets
        request.rateLimitBucket = dialect.rateLimitBucket(method: method, path: path).map { "\(base) \(account) \($0)" }
        if let idempotent { request.isIdempotent = idempotent }
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw failure(VendorAPIFailure(reason: .unreachable, status: nil, message: scrub("\(error)"),
                                           action: action, subject: subject, base: base))
        }
        guard (200..<300).contains(response.status) else {
            let detail = dialect.errorDetail(in: response.body)
            throw failure(VendorAPIFailure(reason: VendorAPIFailure.reason(forStatus: response.status), status: response.status,
                                           code: detail.code.map(scrub), message: detail.message.map { scrub(String($0.prefix(300))) },
                                           action: action, subject: subject, base: base))
        }
        return response
    }

    /// The body of a 2xx answer decoded from JSON.
    /// - Parameters:
    ///   - action: the same phrase the `send` of `response` was given.
    ///   - subject: what was addressed, for a dialect whose sentence names it.
    /// - Throws: `Dialect.Failure` with reason `unexpectedResponse` when it does not decode.
    public func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, action: String, subject: String = "") throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw failure(VendorAPIFailure(reason: .unexpectedResponse, status: response.status,
                                           action: action, subject: subject, base: base))
        }
    }

    /// `text` (anything the vendor or the transport said) with every secret of this call replaced.
    public func scrub(_ text: String) -> String {
        redactor.redact(text)
    }

    /// The adapter's error for `failure`, worded by the dialect.
    public func failure(_ failure: VendorAPIFailure) -> Dialect.Failure {
        Dialect.Failure(failure.reason, status: failure.status, dialect.describe(failure))
    }

    /// `value` encoded as a JSON request body.
    public func json(_ value: some Encodable) throws -> [UInt8] {
        Array(try JSONEncoder().encode(value))
    }

    /// `text` percent-encoded as one path segment (a `/` in an id cannot reach another path).
    public func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `url` without trailing slashes, so that `base + "/path"` has exactly one.
    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    private static func queryPart(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
