import Foundation
import Hummingbird
import RotorHTTP
import RotorNotifiers
import Testing

/// Requests to a running server over real HTTP (libcurl), each answer held to the OpenAPI document:
/// its status must be the one the case expects and documented for the route, its headers and body
/// must match the documented response, and no answer may carry a canary (a secret value, a token).
struct ContractProbe: Sendable {
    let client: HTTPClient
    let base: String
    let contract: OpenAPIContract
    let canaries: [String]

    /// The headers of a JSON request with the admin bearer token.
    static let admin: HTTPHeaders = ["Authorization": "Bearer admin-token-for-tests", "Content-Type": "application/json"]
    static let json: HTTPHeaders = ["Content-Type": "application/json"]

    /// Sends `method path` (`template` is the documented path it falls under, nil when no route matches it)
    /// and checks the answer against the document.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, template: String?, headers: HTTPHeaders = [:], body: [UInt8]? = nil,
              expect status: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RotorHTTP.HTTPResponse {
        var request = RotorHTTP.HTTPRequest(method: method, url: base + path, headers: headers, body: body)
        request.isIdempotent = false
        let response = try await client.execute(request)
        #expect(response.status == status, "\(method) \(path): \(response.status) \(String(response.bodyText.prefix(300)))",
                sourceLocation: sourceLocation)
        var problems = contract.problems(method: method.rawValue, template: template, response: response)
        if (200..<300).contains(response.status), let template, let body, !body.isEmpty {
            problems += contract.requestProblems(method: method.rawValue, template: template, body: body)
        }
        #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
        for canary in canaries {
            #expect(!response.bodyText.contains(canary), "\(method) \(path) answered with a secret", sourceLocation: sourceLocation)
        }
        return response
    }

    /// `call` with a JSON body given as text.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, template: String?, headers: HTTPHeaders = [:], json body: String,
              expect status: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RotorHTTP.HTTPResponse {
        try await call(method, path, template: template, headers: headers, body: Array(body.utf8), expect: status,
                       sourceLocation: sourceLocation)
    }

    /// Every GET of the document also answers HEAD: the same status and headers, no body.
    func head(_ path: String, template: String, expect status: Int,
              sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await call(.HEAD, path, template: template, headers: Self.admin, expect: status, sourceLocation: sourceLocation)
    }

    /// Runs `body` with a probe of `world`'s service on a loopback port, then closes the world.
    static func live(_ world: ServerWorld, contract: OpenAPIContract,
                     _ body: @Sendable @escaping (ContractProbe) async throws -> Void) async throws {
        let canaries = [ServerWorld.importedValue, "admin-token-for-tests", String(decoding: world.replySecret, as: UTF8.self)]
            .filter { !$0.isEmpty }
        try await world.live { client in
            let port = try #require(client.port)
            let http = HTTPClient(logger: world.logger)
            defer { http.shutdown() }
            try await body(ContractProbe(client: http, base: "http://127.0.0.1:\(port)", contract: contract, canaries: canaries))
        }
    }
}

extension ServerWorld {
    /// A signed text reply's headers, for libcurl.
    func signed(_ body: String, contentType: String = "application/json") -> HTTPHeaders {
        signed(bytes: Array(body.utf8), contentType: contentType)
    }

    /// The headers of a text reply whose body is `bytes`, as they are (valid UTF-8 or not).
    func signed(bytes: [UInt8], contentType: String = "application/json") -> HTTPHeaders {
        let timestamp = Int(clock.now.timeIntervalSince1970)
        return [
            WebhookSignature.timestampHeader: String(timestamp),
            WebhookSignature.signatureHeader: WebhookSignature.sign(secret: replySecret, timestamp: timestamp, body: bytes),
            "Content-Type": contentType,
        ]
    }
}

extension OpenAPIContract {
    /// The document as committed in the source tree.
    static var committedBytes: [UInt8] {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
            return Array(try Data(contentsOf: root.appendingPathComponent("Sources/RotorServer/Resources/openapi.json")))
        }
    }

    static func committed() throws -> OpenAPIContract {
        try OpenAPIContract(bytes: try committedBytes)
    }
}
