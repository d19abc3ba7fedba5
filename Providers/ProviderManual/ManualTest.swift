import Foundation
import RotorCore
import RotorHTTP

/// The `test:` (or `revoke_check:`) request of a manual source: one HTTP request with a value in its headers, which
/// must answer `expect_status`. One attempt: a person is waiting for the answer (or a later pass asks again).
public struct ManualTest: Sendable {
    /// The default `expect_status` of a `revoke_check`: what vendors answer a dead key.
    public static let revokeStatus = 401

    public let url: String
    public let method: HTTPMethod
    public let headers: [(name: String, value: String)]
    public let expectStatus: Int
    public let timeout: Duration
    let client: HTTPClient

    init(fields: ConfigValue, defaultStatus: Int = 200, client: HTTPClient) {
        let map = Dictionary(fields.mapValue ?? [], uniquingKeysWith: { _, last in last })
        url = map["url"]?.stringValue ?? ""
        method = map["method"]?.stringValue.flatMap(HTTPMethod.init(rawValue:)) ?? .GET
        headers = (map["headers"]?.mapValue ?? []).compactMap { entry in entry.1.stringValue.map { (entry.0, $0) } }
        expectStatus = map["expect_status"]?.intValue ?? defaultStatus
        timeout = map["timeout"]?.stringValue.flatMap { try? DurationText.parse($0) } ?? .seconds(10)
        self.client = client
    }

    /// The URL as messages show it (credentials in it redacted).
    var shownURL: String { HTTPRedactor().redactURL(url) }

    /// Throws a ``ValueRefusal`` when the request fails or answers another status.
    func run(_ value: SecretValue) async throws {
        let status: Int
        do {
            status = try await answer(value)
        } catch {
            throw ValueRefusal("the test request to \(shownURL) failed: \(Redactor(values: [value]).scrub("\(error)")); nothing was changed")
        }
        guard status == expectStatus else {
            throw ValueRefusal("the test request to \(shownURL) answered HTTP \(status), expected \(expectStatus): "
                               + "the value does not work there; nothing was changed")
        }
    }

    /// The HTTP status the request answers with `value` in its headers. A transport failure throws (the value is never
    /// part of what a request error says: it is only in headers, which errors do not quote, and is redacted besides).
    func answer(_ value: SecretValue) async throws -> Int {
        var request = HTTPRequest(method: method, url: url)
        for header in headers {
            request.headers.add(name: header.name, value: header.value.replacingOccurrences(of: "{{value}}", with: value.revealed))
        }
        request.timeout = timeout
        request.secrets = [value.revealed]
        return try await client.execute(request).status
    }
}
