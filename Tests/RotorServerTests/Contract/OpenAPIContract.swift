import Foundation
import RotorCore
import RotorHTTP
import Synchronization

/// The OpenAPI document as the conformance tests read it: which operations it declares, and whether an
/// answer of the running server is one it documents. Every answer checked is recorded, so that a test can
/// ask at the end which documented answers it never saw.
final class OpenAPIContract: Sendable {
    let document: JSONValue
    private let seen = Mutex<Set<String>>([])

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    init(bytes: [UInt8]) throws {
        document = try JSONValue.parse(bytes)
    }

    /// Every documented operation as `METHOD /path`, such as `POST /v1/keys/verify`.
    var operations: Set<String> {
        var found: Set<String> = []
        for (path, item) in document["paths"]?.object ?? [:] {
            for method in Self.methods where item[method] != nil { found.insert("\(method.uppercased()) \(path)") }
        }
        return found
    }

    /// Every documented answer as `METHOD /path STATUS`, with the fallback answers of unmatched requests
    /// as `* * STATUS`.
    var answers: Set<String> {
        var found: Set<String> = []
        for (path, item) in document["paths"]?.object ?? [:] {
            for method in Self.methods {
                for status in item[method]?["responses"]?.object?.keys ?? [:].keys {
                    found.insert("\(method.uppercased()) \(path) \(status)")
                }
            }
        }
        for status in document["x-rotor-unmatched"]?.object?.keys ?? [:].keys { found.insert("* * \(status)") }
        return found
    }

    /// The answers checked so far, in the form of ``answers``.
    var checked: Set<String> { seen.withLock { $0 } }

    /// The documented response for `status` of the operation `method template` (nil for an unmatched request).
    private func response(method: String, template: String?, status: Int) -> (JSONValue?, String) {
        guard let template else {
            return (document["x-rotor-unmatched"]?[String(status)].flatMap(document.dereference), "* * \(status)")
        }
        // A HEAD is the GET without its body.
        let documented = method == "HEAD" ? "get" : method.lowercased()
        let operation = document["paths"]?[template]?[documented]
        let key = "\(documented.uppercased()) \(template) \(status)"
        return (operation?["responses"]?[String(status)].flatMap(document.dereference), key)
    }

    /// The ways `response` departs from the document for `method template` (nil: a request no route
    /// matches); empty when it is a documented answer. Records the answer as checked.
    func problems(method: String, template: String?, response: RotorHTTP.HTTPResponse) -> [String] {
        let (documented, key) = self.response(method: method, template: template, status: response.status)
        guard let documented else { return ["\(method) \(template ?? "(unmatched)"): status \(response.status) is not documented"] }
        seen.withLock { _ = $0.insert(key) }
        var found = headerProblems(documented, response)
        let type = response.headers["Content-Type"].map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) }
        let content = documented["content"]?.object ?? [:]
        if method == "HEAD" {
            if !response.body.isEmpty { found.append("a HEAD answer has a body") }
            return found.map { "\(key): \($0)" }
        }
        if content.isEmpty {
            if !response.body.isEmpty { found.append("a body where the document has none") }
        } else if let type, let media = content[type] {
            found += bodyProblems(type: type, schema: media["schema"], body: response.body, key: key)
        } else {
            found.append("content type \(type ?? "none") is not one of \(content.keys.sorted())")
        }
        return found.map { "\(key): \($0)" }
    }

    /// The ways a body the server accepted departs from the operation's documented request body: what
    /// the server takes, the document must allow.
    func requestProblems(method: String, template: String, body: [UInt8]) -> [String] {
        guard let schema = document["paths"]?[template]?[method.lowercased()]?["requestBody"]?["content"]?["application/json"]?["schema"]
        else { return [] }
        guard let value = try? JSONValue.parse(body) else { return ["\(method) \(template): the accepted request body is not JSON"] }
        return SchemaValidator(root: document).problems(value, schema).map { "\(method) \(template) request: \($0)" }
    }

    private func headerProblems(_ documented: JSONValue, _ response: RotorHTTP.HTTPResponse) -> [String] {
        var found: [String] = []
        for (name, header) in documented["headers"]?.object ?? [:] {
            guard let header = document.dereference(header) else { found.append("header \(name): unresolved"); continue }
            guard let value = response.headers[name] else {
                if header["required"] == .bool(true) { found.append("required header \(name) is missing") }
                continue
            }
            let parsed: JSONValue = header["schema"]?["type"]?.string == "integer" ? Int(value).map(JSONValue.integer) ?? .string(value)
                : .string(value)
            found += SchemaValidator(root: document).problems(parsed, header["schema"] ?? .object([:]), at: "header \(name)")
        }
        return found
    }

    private func bodyProblems(type: String, schema: JSONValue?, body: [UInt8], key: String) -> [String] {
        switch type {
        case "application/json":
            guard let value = try? JSONValue.parse(body) else { return ["the body is not JSON"] }
            let validator = SchemaValidator(root: document)
            // The document itself names OpenAPI's fields (`operationId`); every other body follows the naming rule.
            let naming = key.hasPrefix("GET /openapi.json") ? [] : SchemaValidator.namingProblems(value)
            return (schema.map { validator.problems(value, $0) } ?? []) + naming
        default:
            if let schema, schema["type"]?.string == "string", String(validating: body, as: UTF8.self) == nil {
                return ["the body is not UTF-8 text"]
            }
            return body.isEmpty ? ["the body is empty"] : []
        }
    }
}
