import RotorCore
import RotorHTTP

/// One request of the `http` source as written in the playbook (`mint:` or `revoke:`), before its
/// placeholders are filled in.
struct RequestTemplate: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: [(name: String, value: String)]
    var body: ConfigValue?

    /// The fields every request template accepts.
    static let fields: [FieldSpec] = [
        FieldSpec("method", .enumeration(["GET", "POST", "PUT", "PATCH", "DELETE"]), doc: "default POST for mint, DELETE for revoke"),
        FieldSpec("url", .url, required: true, doc: "where to send the request; may use {{…}} placeholders"),
        FieldSpec("headers", .stringMap, doc: "request headers, e.g. Authorization: Bearer {{token}}"),
        FieldSpec("body", .json, doc: "a JSON body; placeholders are filled in inside string values only"),
    ]

    /// The template in a validated config value; nil when the field is absent.
    init?(_ value: ConfigValue?, defaultMethod: HTTPMethod) {
        guard let value, value.mapValue != nil else { return nil }
        method = value["method"]?.stringValue.flatMap(HTTPMethod.init(rawValue:)) ?? defaultMethod
        url = value["url"]?.stringValue ?? ""
        headers = value["headers"]?.mapValue?.compactMap { entry in entry.1.stringValue.map { (entry.0, $0) } } ?? []
        body = value["body"]
    }

    /// The request with its placeholders filled in. `action` ("mint", "revoke") names the template in errors.
    func request(_ placeholders: Placeholders, action: String) throws -> HTTPRequest {
        var request = HTTPRequest(method: method, url: try placeholders.renderURL(url, in: "\(action) url"))
        for header in headers {
            request.headers.add(name: header.name,
                                value: try placeholders.render(header.value, in: "\(action) header \(header.name)"))
        }
        if let body {
            request.body = Array(try placeholders.renderJSON(body, in: "\(action) body").jsonText.utf8)
            if !request.headers.contains(name: "Content-Type") {
                request.headers.add(name: "Content-Type", value: "application/json")
            }
        }
        if !request.headers.contains(name: "Accept") {
            request.headers.add(name: "Accept", value: "application/json")
        }
        return request
    }

    /// The method and URL template, safe to print: placeholders are not filled in.
    var summary: String { "\(method.rawValue) \(HTTPRedactor().redactURL(url))" }
}
