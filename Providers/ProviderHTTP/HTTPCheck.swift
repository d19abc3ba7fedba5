import Foundation
import RotorCore
import RotorHTTP

/// Checks that a service works with the new value: an HTTP request (header values may use `{{value}}`)
/// must answer the expected status (and body text) `consecutive` times in a row, within `retries`.
public struct HTTPCheck: SecretCheck {
    public static let schema = ProviderSchema(kind: .check, name: "http", fields: [
        FieldSpec("url", .url, required: true, doc: "the health endpoint"),
        FieldSpec("method", .enumeration(["GET", "HEAD", "POST", "PUT"]), doc: "default GET"),
        FieldSpec("headers", .stringMap, doc: "request headers; values may use {{value}} for the new secret"),
        FieldSpec("expect_status", .int(100...599), doc: "default 200"),
        FieldSpec("expect_body_contains", .string, doc: "text the body must contain"),
        FieldSpec("timeout", .duration, doc: "per request, default 10s"),
        FieldSpec("retries", .int(0...100), doc: "extra attempts, default 3"),
        FieldSpec("interval", .duration, doc: "wait between attempts, default 5s"),
        FieldSpec("consecutive", .int(1...20), doc: "passes in a row required, default 1"),
    ], labelFields: ["url"], rules: PlaceholderRules.check)

    public var url: String
    public var method: HTTPMethod
    public var headers: [(name: String, value: String)]
    public var expectStatus: Int
    public var expectBodyContains: String?
    public var timeout: Duration
    public var retries: Int
    public var interval: Duration
    public var consecutive: Int
    let client: HTTPClient

    public init(config: ProviderConfig, client: HTTPClient) {
        url = config.string("url") ?? ""
        method = config.string("method").flatMap(HTTPMethod.init(rawValue:)) ?? .GET
        headers = config.stringMap("headers") ?? []
        expectStatus = config.int("expect_status") ?? 200
        expectBodyContains = config.string("expect_body_contains")
        timeout = config.duration("timeout") ?? .seconds(10)
        retries = config.int("retries") ?? 3
        interval = config.duration("interval") ?? .seconds(5)
        consecutive = config.int("consecutive") ?? 1
        self.client = client
    }

    public var label: String { "check \(HTTPRedactor().redactURL(url))" }

    public func verify(_ value: SecretValue, _ context: StepContext) async throws {
        var request = HTTPRequest(method: method, url: url)
        let placeholders = Placeholders(values: ["value": value.revealed], unavailable: [:])
        for header in headers {
            request.headers.add(name: header.name, value: try placeholders.render(header.value, in: "check header \(header.name)"))
        }
        request.timeout = timeout
        request.secrets = [value.revealed]
        var passes = 0
        var lastProblem = "no attempt made"
        for attempt in 0...retries {
            if attempt > 0 { try await context.clock.sleep(for: interval) }
            do {
                let response = try await client.execute(request)
                if response.status != expectStatus {
                    lastProblem = "HTTP \(response.status), expected \(expectStatus)"
                } else if let needle = expectBodyContains, !response.bodyText.contains(needle) {
                    lastProblem = "the body does not contain \(needle.debugDescription)"
                } else {
                    passes += 1
                    if passes >= consecutive { return }
                    continue
                }
            } catch {
                lastProblem = "\(error)"
            }
            passes = 0
        }
        throw HTTPCheckError("\(label) failed after \(retries + 1) attempt\(retries == 0 ? "" : "s"): \(Redactor(values: [value]).scrub(lastProblem))")
    }
}

public struct HTTPCheckError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
