import Foundation
import Hummingbird

/// What the handlers read from a request, with the provider-shaped failure to throw when it is
/// not there.
extension Request {
    /// The token of an `Authorization: Bearer …` header, or nil.
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The query parameter `name`, percent-decoded, or nil when absent.
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name)
    }

    /// Whether the query has a parameter `name` at all (`?upsert` with no value counts).
    func hasQuery(_ name: String) -> Bool {
        uri.queryParameters[name[...]] != nil
    }

    /// The header `name`, or nil.
    func header(_ name: String) -> String? {
        HTTPFields.Element.Name(name).flatMap { headers[$0] }
    }

    /// The body as JSON, or nil when the body is empty.
    ///
    /// - Throws: `malformed` when the body is not JSON.
    func jsonBody(context: some RequestContext, malformed: APIFailure) async throws -> JSONValue? {
        var request = self
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let bytes = Array(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw malformed
        }
    }
}

extension RequestContext {
    /// The path parameter `name`, percent-decoded.
    func pathParameter(_ name: String) -> String {
        let raw = parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}

extension Request {
    /// The query parameters, the first value of each name.
    var queryDictionary: [String: String] {
        var values: [String: String] = [:]
        for (name, value) in uri.queryParameters where values[String(name)] == nil {
            values[String(name)] = String(value)
        }
        return values
    }
}
