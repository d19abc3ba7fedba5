import Foundation
import Hummingbird
import RotorCore
import RotorHTTP
import RotorServer
import RotorTestSupport
import Testing

/// The running server against its OpenAPI document (`GET /openapi.json`): every route the router
/// serves is documented and every documented route is served; every documented answer of every
/// operation is produced over real HTTP and matches its schema; and nothing it answers is undocumented.
@Suite("OpenAPI contract")
struct OpenAPIConformanceTests {
    /// Documented routes that another change registers; checked as soon as the router has them.
    static let awaitingRegistration: Set<String> = []
    /// Documented answers no configuration of the real server gives: verify answers from the in-memory key index
    /// even with the store gone, so its 500 (an unexpected failure) cannot be forced from outside.
    static let unproducible: Set<String> = ["POST /v1/keys/verify 500"]
    /// Documented answers no configuration of the real server gives deterministically: an approval link's 409 needs
    /// the rotation to change between the link's check and the approval's claim (another request in between), and
    /// unlike a supply link's value check nothing runs in that window that a test could hook.
    static let racesOnly: Set<String> = ["POST /a/{token} 409"]

    /// The dashboard's pages: HTML for people, not the API, so not in the OpenAPI document. Listed here by name so
    /// that a new route is still either documented or deliberately a page; DashboardSessionTests and
    /// DashboardPageTests cover them (answers, headers, CSRF, hostile input).
    static let dashboardPages: Set<String> = [
        "GET /", "GET /ui", "GET /ui/sign-in", "POST /ui/sign-in", "POST /ui/sign-out", "GET /ui/secrets/{name}",
        "GET /ui/secrets/{name}/{action}", "POST /ui/secrets/{name}/{action}", "GET /ui/rotations/{id}", "GET /ui/rotations/{id}/events",
        "POST /ui/secrets/{name}/read-targets",
        "GET /ui/audit", "GET /ui/audit.csv", "GET /ui/report", "GET /ui/calendar", "GET /ui/keys",
    ]

    @Test func theServedDocumentIsTheCommittedOneAndEveryReferenceResolves() async throws {
        let contract = try OpenAPIContract.committed()
        #expect(contract.document["openapi"]?.string?.hasPrefix("3.1.") == true)
        var references: [String] = []
        func collect(_ node: JSONValue) {
            switch node {
            case .object(let fields):
                if let reference = fields["$ref"]?.string { references.append(reference) }
                fields.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(contract.document)
        #expect(!references.isEmpty)
        for reference in references { #expect(contract.document.resolve(reference) != nil, "unresolved \(reference)") }
        var operationIDs: [String] = []
        for operation in contract.operations {
            let parts = operation.split(separator: " ")
            let node = try #require(contract.document["paths"]?[String(parts[1])]?[parts[0].lowercased()])
            operationIDs.append(try #require(node["operationId"]?.string, "\(operation) has no operationId"))
            #expect(node["responses"]?.object?.isEmpty == false, "\(operation) documents no answer")
        }
        #expect(Set(operationIDs).count == operationIDs.count, "operationIds repeat: \(operationIDs.sorted())")

        let world = try await ServerWorld.make()
        try await ContractProbe.live(world, contract: contract) { probe in
            let served = try await probe.call(.GET, "/openapi.json", template: "/openapi.json", expect: 200)
            #expect(served.body == (try OpenAPIContract.committedBytes), "the served document is not the committed one")
            try await probe.head("/openapi.json", template: "/openapi.json", expect: 200)
        }
    }

    @Test func everyRouteTheRouterServesIsDocumentedAndEveryDocumentedRouteIsServed() async throws {
        let contract = try OpenAPIContract.committed()
        let world = try await ServerWorld.make()
        let served = Set(world.service.buildRouter().routes.map { "\($0.method.rawValue) \($0.path)" })
        await world.close()
        // The pages are pages: exactly the listed ones, none documented as an API operation.
        let pages = served.filter { $0.hasSuffix(" /") || $0.contains(" /ui") }
        #expect(pages == Self.dashboardPages, "dashboard pages changed: served \(pages.sorted())")
        #expect(contract.operations.isDisjoint(with: Self.dashboardPages))
        let routes = served.subtracting(Self.dashboardPages)
        #expect(routes.subtracting(contract.operations).isEmpty, "undocumented routes: \(routes.subtracting(contract.operations).sorted())")
        let unserved = contract.operations.subtracting(routes).subtracting(Self.awaitingRegistration)
        #expect(unserved.isEmpty, "documented but not served: \(unserved.sorted())")
    }

    /// Every answer the document lists, produced and checked; the closing check names any never seen.
    @Test func everyDocumentedAnswerIsGivenByTheRunningServerAndMatchesItsSchema() async throws {
        let contract = try OpenAPIContract.committed()
        let metrics = try await Self.servesMetrics()
        try await ContractProbe.live(try await ServerWorld.make(playbook: ServerWorld.playbook(maxSkips: 1)), contract: contract) { probe in
            try await Self.unmatchedAndOperations(probe, metrics: metrics)
        }
        let links = try await ServerWorld.make(playbook: ServerWorld.playbook(maxSkips: 1))
        try await ContractProbe.live(links, contract: contract) { try await Self.replies($0, links) }
        let (supplying, token) = try await SupplyLinkTests.waiting()
        try await ContractProbe.live(supplying, contract: contract) { try await Self.supply($0, supplying, token: token) }
        let (racing, raced) = try await SupplyLinkTests.waiting()
        try await ContractProbe.live(racing, contract: contract) { try await Self.supplyRace($0, racing, token: raced) }
        let (approving, approval) = try await ApprovalLinkTests.waiting()
        try await ContractProbe.live(approving, contract: contract) { try await Self.approval($0, approving, token: approval) }
        let (lapsing, lapsed) = try await ApprovalLinkTests.waiting()
        try await ContractProbe.live(lapsing, contract: contract) { try await Self.approvalExpired($0, lapsing, token: lapsed) }
        let keys = try await ServerWorld.make()
        try await ContractProbe.live(keys, contract: contract) { try await Self.keys($0, keys) }
        let slack = try await ServerWorld.make()
        try await ContractProbe.live(slack, contract: contract) { try await Self.slack($0, slack) }
        let admin = try await ServerWorld.make()
        try await ContractProbe.live(admin, contract: contract) { try await Self.emergency($0, metrics: metrics) }
        try await ContractProbe.live(try await ServerWorld.make(imported: false), contract: contract) { probe in
            try await probe.call(.POST, "/v1/secrets/openai-api-key/emergency", template: "/v1/secrets/{name}/emergency",
                                 headers: ContractProbe.admin, json: #"{"reason":"leak"}"#, expect: 409)
        }
        let limited = try await ServerWorld.make(limits: ServiceLimits(failuresPerWindow: 1))
        try await ContractProbe.live(limited, contract: contract) { try await Self.overTheLimit($0, limited, metrics: metrics) }
        try await ContractProbe.live(try await ServerWorld.make(adminToken: nil, replySecret: nil, slack: false), contract: contract) { probe in
            try await Self.disabled(probe, metrics: metrics)
        }
        let broken = try await ServerWorld.make()
        try await ContractProbe.live(broken, contract: contract) { try await Self.storeGone($0, broken) }

        var unseen = contract.answers.subtracting(contract.checked)
        if !metrics { unseen = unseen.filter { !$0.hasPrefix("GET /metrics ") } }
        unseen.subtract(Self.unproducible)
        unseen.subtract(Self.racesOnly)
        #expect(unseen.isEmpty, "documented answers never produced: \(unseen.sorted())")
    }

    /// Whether the router has `GET /metrics` (documented before it is registered: see ``awaitingRegistration``).
    static func servesMetrics() async throws -> Bool {
        let world = try await ServerWorld.make()
        let serves = world.service.buildRouter().routes.contains { $0.method == .get && $0.path.description == "/metrics" }
        await world.close()
        return serves
    }

    // MARK: Cases

    static func unmatchedAndOperations(_ probe: ContractProbe, metrics: Bool) async throws {
        try await probe.call(.GET, "/v2/nothing", template: nil, expect: 404)
        try await probe.call(.GET, "/r/a/b", template: nil, expect: 404)
        let wrong = try await probe.call(.PUT, "/v1/keys/verify", template: nil, json: "{}", expect: 405)
        #expect(wrong.headers["Allow"] == "POST")
        let page = try await probe.call(.DELETE, "/r/some-token", template: nil, expect: 405)
        #expect(page.headers["Allow"] == "GET, HEAD, POST")
        try await probe.call(.GET, "/v1/replies", template: nil, expect: 405)
        try await probe.call(.GET, "/openapi.json", template: "/openapi.json", expect: 200)
        try await probe.call(.GET, "/healthz", template: "/healthz", expect: 200)
        try await probe.head("/healthz", template: "/healthz", expect: 200)
        try await probe.call(.GET, "/readyz", template: "/readyz", expect: 200)
        try await probe.head("/readyz", template: "/readyz", expect: 200)
        guard metrics else { return }
        try await probe.call(.GET, "/metrics", template: "/metrics", headers: ContractProbe.admin, expect: 200)
        try await probe.head("/metrics", template: "/metrics", expect: 200)
        let anonymous = try await probe.call(.GET, "/metrics", template: "/metrics", expect: 401)
        #expect(anonymous.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
    }

    static func replies(_ probe: ContractProbe, _ world: ServerWorld) async throws {
        let link = "/r/{token}"
        let skip = try await world.issue(action: "skip")
        try await probe.call(.GET, "/r/\(skip)", template: link, expect: 200)
        try await probe.head("/r/\(skip)", template: link, expect: 200)
        try await probe.call(.GET, "/r/not-a-token", template: link, expect: 404)
        let expired = try await world.issue(action: "skip", expiresIn: -60)
        try await probe.call(.GET, "/r/\(expired)", template: link, expect: 410)
        try await probe.call(.POST, "/r/\(skip)", template: link, expect: 200)
        try await probe.call(.POST, "/r/\(skip)", template: link, expect: 410)
        try await probe.call(.POST, "/r/not-a-token", template: link, expect: 404)
        let second = try await world.issue(action: "skip")
        try await probe.call(.POST, "/r/\(second)", template: link, expect: 409)
        try await probe.call(.POST, "/r/\(try await world.issue())", template: link,
                             body: Array(repeating: UInt8(ascii: "x"), count: 20_000), expect: 413)

        let code = "ROTNAAA2"
        _ = try await world.issue(action: "rotate-now", code: code)
        let rotate = #"{"code":"\#(code)","text":"ROTATE NOW","from":"@alice"}"#
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(rotate), json: rotate, expect: 200)
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(rotate), json: rotate, expect: 410)
        let unknown = #"{"code":"ZZZZZZZ9","text":"SKIP"}"#
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(unknown), json: unknown, expect: 404)
        _ = try await world.issue(action: "skip", code: "SKIPBBB3")
        let refused = #"{"code":"SKIPBBB3","text":"SKIP 14d"}"#
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(refused), json: refused, expect: 409)
        let nonsense = #"{"code":"SKIPBBB3","text":"please wait"}"#
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(nonsense), json: nonsense, expect: 400)
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: ContractProbe.json, json: unknown, expect: 401)
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(unknown, contentType: "text/plain"),
                             json: unknown, expect: 415)
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: ContractProbe.json,
                             body: Array(repeating: UInt8(ascii: " "), count: 20_000), expect: 413)
    }
}
