import Foundation
import RotorCore
import RotorCrypto
import RotorHTTP
import Testing

/// The approval link's cases of ``OpenAPIConformanceTests/everyDocumentedAnswerIsGivenByTheRunningServerAndMatchesItsSchema()``:
/// a world whose staged rotation waits for approval of production, and the token of the link the runner sent.
extension OpenAPIConformanceTests {
    static let approvalLink = "/a/{token}"

    /// The page's form: the CSRF token the page of `token` carries.
    static func approvalForm(_ world: ServerWorld, token: String) -> [UInt8] {
        Array("csrf=\(Base64URL.encode(world.replyTokens.hash("csrf-approve:" + token)))".utf8)
    }

    /// GET asks and changes nothing; POST refuses an unknown link, another origin, a forged token, another type, a
    /// huge body; approves once; afterwards the link is gone whatever the form holds.
    static func approval(_ probe: ContractProbe, _ world: ServerWorld, token: String) async throws {
        let uri = "/a/\(token)"
        let page = try await probe.call(.GET, uri, template: approvalLink, expect: 200)
        #expect(page.bodyText.contains(Base64URL.encode(world.replyTokens.hash("csrf-approve:" + token))), "the page carries its CSRF token")
        try await probe.call(.GET, "/a/not-a-token", template: approvalLink, expect: 404)
        try await probe.call(.POST, "/a/not-a-token", template: approvalLink, headers: sameOrigin,
                             body: approvalForm(world, token: "not-a-token"), expect: 404)
        try await probe.call(.POST, uri, template: approvalLink,
                             headers: ["Origin": "https://evil.example.com", "Content-Type": "application/x-www-form-urlencoded"],
                             body: approvalForm(world, token: token), expect: 403)
        try await probe.call(.POST, uri, template: approvalLink, headers: sameOrigin, body: Array("csrf=forged".utf8), expect: 403)
        try await probe.call(.POST, uri, template: approvalLink, headers: ["Origin": SupplyLinkTests.origin, "Content-Type": "application/json"],
                             body: Array(#"{"csrf":"x"}"#.utf8), expect: 415)
        try await probe.call(.POST, uri, template: approvalLink, headers: sameOrigin,
                             body: Array(repeating: UInt8(ascii: "x"), count: 20_000), expect: 413)
        #expect(try await world.tokenRecord(token).usedAt == nil, "a refused approval leaves the link usable")
        let approved = try await probe.call(.POST, uri, template: approvalLink, headers: sameOrigin,
                                            body: approvalForm(world, token: token), expect: 200)
        #expect(approved.bodyText.contains("stage production approved"))
        try await probe.call(.GET, uri, template: approvalLink, expect: 410)
        try await probe.call(.POST, uri, template: approvalLink, headers: sameOrigin, body: approvalForm(world, token: token), expect: 410)
        try await probe.call(.POST, uri, template: approvalLink, headers: sameOrigin, body: [], expect: 410)
    }

    /// The link's deadline passed: GET and POST answer 410 whatever the form holds, and nothing is approved.
    static func approvalExpired(_ probe: ContractProbe, _ world: ServerWorld, token: String) async throws {
        world.clock.advance(by: 8 * ServerWorld.day)
        let uri = "/a/\(token)"
        try await probe.call(.GET, uri, template: approvalLink, expect: 410)
        try await probe.call(.POST, uri, template: approvalLink, headers: sameOrigin, body: approvalForm(world, token: token), expect: 410)
        try await probe.call(.POST, uri, template: approvalLink,
                             headers: ["Origin": "https://evil.example.com", "Content-Type": "application/x-www-form-urlencoded"],
                             body: Array("csrf=forged".utf8), expect: 410)
        let secret = world.playbook.secret
        #expect(try await world.store.transaction { try $0.activeRotation(secretName: secret)?.state } == .awaitingApproval)
    }
}
