import Hummingbird

/// An error answer of an emulated API: the status, the provider-shaped JSON body and any extra
/// headers (`Retry-After`). Handlers and the state throw it; it becomes the HTTP response.
///
/// Bodies and descriptions name resources (project, service, key id) and never carry a secret value.
struct APIFailure: Error, HTTPResponseError, CustomStringConvertible {
    let status: HTTPResponse.Status
    let body: JSONValue?
    var headers: [(String, String)] = []

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response.json(body, status: status, headers: headers)
    }

    var description: String {
        "sandbox answered \(status.code): \(body?.serialized ?? "(no body)")"
    }

    /// Vercel's shape: `{"error":{"code":…,"message":…, extra…}}`.
    static func vercel(_ status: Int, _ code: String, _ message: String, extra: [(String, JSONValue)] = []) -> APIFailure {
        APIFailure(status: .init(code: status), body: ["error": .object([("code", .string(code)), ("message", .string(message))] + extra)])
    }

    /// Render's shape: `{"id":…,"message":…}`.
    static func render(_ status: Int, _ id: String, _ message: String) -> APIFailure {
        APIFailure(status: .init(code: status), body: ["id": .string(id), "message": .string(message)])
    }

    /// The vendor's and the sandbox's own shape: `{"error":{"code":…,"message":…}}`.
    static func plain(_ status: Int, _ code: String, _ message: String) -> APIFailure {
        APIFailure(status: .init(code: status), body: ["error": ["code": .string(code), "message": .string(message)]])
    }

    /// OpenAI's shape: `{"error":{"message":…,"type":…,"param":null,"code":…}}`.
    static func openAI(_ status: Int, _ type: String, _ message: String, code: String? = nil) -> APIFailure {
        APIFailure(status: .init(code: status), body: [
            "error": ["message": .string(message), "type": .string(type), "param": nil, "code": .optional(code)],
        ])
    }

    /// 1Password Connect's shape: `{"status":…,"message":…}`.
    static func onePassword(_ status: Int, _ message: String) -> APIFailure {
        APIFailure(status: .init(code: status), body: ["status": .int(status), "message": .string(message)])
    }
}
