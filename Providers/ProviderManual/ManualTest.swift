import Foundation
import RotorCore
import RotorHTTP

/// The `test:` request of a manual source: one HTTP request with the supplied value in its headers, which must
/// answer `expect_status`. One attempt: a person is waiting for the answer.
public struct ManualTest: Sendable {
    public let url: String
    public let method: HTTPMethod
    public let headers: [(name: String, value: String)]
    public let expectStatus: Int
    public let timeout: Duration
    let client: HTTPClient

    init(fields: ConfigValue, client: HTTPClient) {
        let map = Dictionary(fields.mapValue ?? [], uniquingKeysWith: { _, last in last })
        url = map["url"]?.stringValue ?? ""
        method = map["method"]?.stringValue.flatMap(HTTPMethod.init(rawValue:)) ?? .GET
        headers = (map["headers"]?.mapValue ?? []).compactMap { entry in entry.1.stringValue.map { (entry.0, $0) } }
        expectStatus = map["expect_status"]?.intValue ?? 200
        timeout = map["timeout"]?.stringValue.flatMap { try? DurationText.parse($0) } ?? .seconds(10)
        self.client = client
    }

    /// Throws a ``ValueRefusal`` when the request fails or answers another status.
    func run(_ value: SecretValue) async throws {
        var request = HTTPRequest(method: method, url: url)
        for header in headers {
            request.headers.add(name: header.name, value: header.value.replacingOccurrences(of: "{{value}}", with: value.revealed))
        }
        request.timeout = timeout
        request.secrets = [value.revealed]
        let shown = HTTPRedactor().redactURL(url)
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch {
            throw ValueRefusal("the test request to \(shown) failed: \(Redactor(values: [value]).scrub("\(error)")); nothing was changed")
        }
        guard response.status == expectStatus else {
            throw ValueRefusal("the test request to \(shown) answered HTTP \(response.status), expected \(expectStatus): "
                               + "the value does not work there; nothing was changed")
        }
    }
}
