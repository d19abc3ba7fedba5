import Foundation
import RotorCore
import RotorCrypto
import RotorHTTP
import Testing

/// The supply link's cases of ``OpenAPIConformanceTests/everyDocumentedAnswerIsGivenByTheRunningServerAndMatchesItsSchema()``:
/// a world whose manual secret waits for a value, and the token of the link the runner sent.
extension OpenAPIConformanceTests {
    static let supplyLink = "/s/{token}"

    /// The page's form: the value and the CSRF token the page of `token` carries.
    static func supplyForm(_ world: ServerWorld, value: String, token: String) -> [UInt8] {
        let csrf = Base64URL.encode(world.replyTokens.hash("csrf:" + token))
        return Array("value=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&csrf=\(csrf)".utf8)
    }

    static let sameOrigin: HTTPHeaders = ["Origin": SupplyLinkTests.origin, "Content-Type": "application/x-www-form-urlencoded"]

    /// GET asks and changes nothing; POST refuses another origin, another type, a huge body, a bad value, an unknown
    /// link; takes a good value once; afterwards the link is gone.
    static func supply(_ probe: ContractProbe, _ world: ServerWorld, token: String) async throws {
        let uri = "/s/\(token)"
        let page = try await probe.call(.GET, uri, template: supplyLink, expect: 200)
        #expect(page.bodyText.contains(Base64URL.encode(world.replyTokens.hash("csrf:" + token))), "the page carries the form's CSRF token")
        try await probe.call(.GET, "/s/not-a-token", template: supplyLink, expect: 404)
        try await probe.call(.POST, "/s/not-a-token", template: supplyLink, headers: sameOrigin,
                             body: supplyForm(world, value: "rk_test_unknown_link", token: "not-a-token"), expect: 404)
        try await probe.call(.POST, uri, template: supplyLink,
                             headers: ["Origin": "https://evil.example.com", "Content-Type": "application/x-www-form-urlencoded"],
                             body: supplyForm(world, value: "rk_test_from_elsewhere", token: token), expect: 403)
        try await probe.call(.POST, uri, template: supplyLink, headers: ["Origin": SupplyLinkTests.origin, "Content-Type": "application/json"],
                             body: Array(#"{"value":"rk_test_as_json"}"#.utf8), expect: 415)
        try await probe.call(.POST, uri, template: supplyLink, headers: sameOrigin,
                             body: Array(repeating: UInt8(ascii: "x"), count: 20_000), expect: 413)
        try await probe.call(.POST, uri, template: supplyLink, headers: sameOrigin,
                             body: supplyForm(world, value: "sk_live_wrong_form", token: token), expect: 422)
        #expect(try await world.tokenRecord(token).usedAt == nil, "a refused value leaves the link usable")
        try await probe.call(.POST, uri, template: supplyLink, headers: sameOrigin,
                             body: supplyForm(world, value: "rk_test_contract_good", token: token), expect: 200)
        #expect(world.providers.targetValue == "rk_test_contract_good")
        try await probe.call(.GET, uri, template: supplyLink, expect: 410)
        try await probe.call(.POST, uri, template: supplyLink, headers: sameOrigin,
                             body: supplyForm(world, value: "rk_test_replayed", token: token), expect: 410)
    }

    /// Another request uses the link while this one's value is being checked: 409, and nothing is written.
    static func supplyRace(_ probe: ContractProbe, _ world: ServerWorld, token: String) async throws {
        let (store, id, now) = (world.store, try await world.tokenRecord(token).id, world.clock.now)
        world.providers.state.withLock { state in
            state.duringCheck = { _ = try await store.transaction { try $0.markReplyTokenUsed(id: id, at: now) } }
        }
        try await probe.call(.POST, "/s/\(token)", template: supplyLink, headers: sameOrigin,
                             body: supplyForm(world, value: "rk_test_raced", token: token), expect: 409)
        #expect(world.providers.targetValue == nil)
    }
}
