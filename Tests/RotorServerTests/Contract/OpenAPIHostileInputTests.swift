import Foundation
import RotorHTTP
import RotorServer
import RotorTestSupport
import Testing

/// Broken, mistyped and huge bodies to every POST route of the document: each is answered with the
/// documented error, in the documented shape, and the server goes on answering.
@Suite("OpenAPI contract: hostile input")
struct OpenAPIHostileInputTests {
    /// How each POST route is reached past its authentication, and what it answers to a body it cannot
    /// use. A reply link ignores its body (its form posts no fields) but for its size.
    struct Route {
        var path: String
        var template: String
        var headers: @Sendable (ServerWorld, [UInt8]) -> HTTPHeaders
        var broken: Int
        var mistyped: Int
        /// A content type among ``foreignTypes`` that this route takes (its answer is then `broken`'s).
        var accepts: String? = nil
        /// The largest body the route reads.
        var limit = 16 * 1024
    }

    static let routes: [Route] = [
        Route(path: "/r/not-a-token", template: "/r/{token}", headers: { _, _ in [:] }, broken: 404, mistyped: 404),
        // A supply link takes the page's form; without the page's CSRF token it is refused before the token is looked up.
        Route(path: "/s/not-a-token", template: "/s/{token}", headers: { _, _ in [:] }, broken: 403, mistyped: 415,
              accepts: "application/x-www-form-urlencoded"),
        Route(path: "/v1/replies", template: "/v1/replies",
              headers: { world, body in world.signed(bytes: body) }, broken: 400, mistyped: 415),
        Route(path: "/v1/secrets/openai-api-key/emergency", template: "/v1/secrets/{name}/emergency",
              headers: { _, _ in ContractProbe.admin }, broken: 400, mistyped: 415),
        Route(path: "/v1/keys/verify", template: "/v1/keys/verify", headers: { _, _ in ContractProbe.json }, broken: 400, mistyped: 415),
        Route(path: "/v1/keys/claim", template: "/v1/keys/claim", headers: { _, _ in ContractProbe.json }, broken: 400, mistyped: 415),
        // Slack posts a form; a signed body that is not a block_actions payload is refused after the signature is checked.
        Route(path: "/v1/slack/interactions", template: "/v1/slack/interactions",
              headers: { world, body in world.slackSigned(bytes: body) }, broken: 400, mistyped: 415,
              accepts: "application/x-www-form-urlencoded", limit: 64 * 1024),
    ]

    static let brokenBodies: [[UInt8]] = [
        Array(#"{"key":"#.utf8), Array(#"{"reason": "leak" "grace": "4h"}"#.utf8), Array("[]".utf8), Array("null".utf8), Array(#""text""#.utf8),
        Array(#"{"key":5,"old_key":[],"code":{},"text":null,"reason":7}"#.utf8),
        [0x7B, 0x22, 0x6B, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D],  // {"k":"<invalid UTF-8>"}
        Array(String(repeating: "[", count: 6_000).utf8) + Array(String(repeating: "]", count: 6_000).utf8),
    ]

    static let foreignTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]

    @Test func everyPostRouteOfTheDocumentHasHostileCases() throws {
        let posts = try OpenAPIContract.committed().operations.filter { $0.hasPrefix("POST ") }
        #expect(posts == Set(Self.routes.map { "POST \($0.template)" }))
    }

    @Test func brokenMistypedAndHugeBodiesGetTheDocumentedErrors() async throws {
        let contract = try OpenAPIContract.committed()
        let world = try await ServerWorld.make()
        try await ContractProbe.live(world, contract: contract) { probe in
            for route in Self.routes {
                for body in Self.brokenBodies {
                    try await probe.call(.POST, route.path, template: route.template, headers: route.headers(world, body), body: body,
                                         expect: route.broken)
                }
                let valid = Array(#"{"key":"nope","old_key":"nope","code":"SKIPAAA2","text":"SKIP","reason":"leak"}"#.utf8)
                for type in Self.foreignTypes {
                    var headers = route.headers(world, valid)
                    headers.replaceOrAdd(name: "Content-Type", value: type)
                    try await probe.call(.POST, route.path, template: route.template, headers: headers, body: valid,
                                         expect: type == route.accepts ? route.broken : route.mistyped)
                }
                let huge = Array(#"{"key":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: route.limit + 1024) + Array(#""}"#.utf8)
                let refused = try await probe.call(.POST, route.path, template: route.template, headers: route.headers(world, huge),
                                                   body: huge, expect: 413)
                #expect(refused.headers["Connection"]?.lowercased() == "close")
            }
            try await probe.call(.GET, "/healthz", template: "/healthz", expect: 200)
        }
    }

    /// What a client library will not send: a body announced as a gigabyte, and a chunked one that never
    /// says its length. Both are refused before they are read, and their connections closed.
    @Test func bodiesAnnouncedHugeOrSentInChunksPastTheLimitAreRefused() async throws {
        let world = try await ServerWorld.make()
        try await world.live { client in
            let port = try #require(client.port)
            for route in Self.routes {
                let declared = try await RawConnection.open(port: port)
                declared.send("POST \(route.path) HTTP/1.1\r\nHost: rotor\r\nAuthorization: Bearer admin-token-for-tests\r\n"
                              + "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"key\":\"")
                let (answer, closed) = await declared.readUntilClosed()
                #expect(answer.hasPrefix("HTTP/1.1 413"), "\(route.path): \(answer.prefix(200))")
                #expect(closed, "\(route.path): the connection stayed open after the 413")
                declared.close()

                let chunked = try await RawConnection.open(port: port)
                let chunk = String(repeating: "a", count: 0x4000)
                chunked.send("POST \(route.path) HTTP/1.1\r\nHost: rotor\r\nAuthorization: Bearer admin-token-for-tests\r\n"
                             + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                             + String(repeating: "4000\r\n\(chunk)\r\n", count: route.limit / 0x4000 + 1) + "0\r\n\r\n")
                let (chunkedAnswer, chunkedClosed) = await chunked.readUntilClosed()
                #expect(chunkedAnswer.hasPrefix("HTTP/1.1 413"), "\(route.path): \(chunkedAnswer.prefix(200))")
                #expect(chunkedClosed, "\(route.path): the connection stayed open after the 413")
                chunked.close()
            }
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
