import Hummingbird

/// An error answer of the service: the status, what went wrong and what to do next.
///
/// Rendered as JSON `{"error": "…", "hint": "…"}`, or as a small HTML page for the reply-link pages.
/// The message and hint are written by this module from fixed text and names (secret names, rotation
/// ids); they never carry a token, a key or a secret value, and nothing a client sent is echoed.
public struct ServerError: Error, CustomStringConvertible, HTTPResponseError {
    /// How the error is shown.
    public enum Format: Sendable {
        case json
        case html
    }

    public var status: HTTPResponse.Status
    /// What went wrong.
    public var message: String
    /// What to do next.
    public var hint: String
    public var format: Format
    /// Extra response headers, for example `WWW-Authenticate`.
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, hint: String, format: Format = .json,
                headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.hint = hint
        self.format = format
        self.headers = headers
    }

    public var description: String { "HTTP \(status.code): \(message) (\(hint))" }

    /// The same error as an HTML page.
    func asHTML() -> ServerError {
        var copy = self
        copy.format = .html
        return copy
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response: Response
        switch format {
        case .json:
            response = JSONBody.response(["error": message, "hint": hint], status: status)
        case .html:
            response = HTMLPage(title: status.reasonPhrase, paragraphs: [message, hint]).response(status: status)
        }
        for field in headers { response.headers.append(field) }
        return response
    }
}
