import Foundation
import Hummingbird
import HummingbirdTesting
import RotorServer
import Testing

/// HEAD wherever GET is, and the headers every HTML page carries.
@Suite("HEAD and page headers")
struct HeadAndHeaderTests {
    static let nosniff = HTTPFields.Element.Name("X-Content-Type-Options")!

    @Test func headIsAnsweredWhereverGetIs() async throws {
        let world = try await ServerWorld.make()
        let token = try await world.issue(action: "skip")
        try await world.test { client in
            let health = try await client.execute(uri: "/healthz", method: .head)
            #expect(health.status == .ok)
            #expect(health.body.readableBytes == 0)
            let page = try await client.execute(uri: "/r/\(token)", method: .head)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.body.readableBytes == 0)
            #expect(try await world.tokenRecord(token).usedAt == nil, "HEAD acted on the link")
            #expect(try await client.execute(uri: "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", method: .head).status == .notFound)
        }
    }

    @Test func everyHTMLPageSaysNosniffAndKeepsItsOtherHeaders() async throws {
        let world = try await ServerWorld.make()
        let token = try await world.issue(action: "skip")
        try await world.test { client in
            let pages = [
                try await client.execute(uri: "/r/\(token)", method: .get),
                try await client.execute(uri: "/r/\(token)", method: .post),
                try await client.execute(uri: "/r/\(token)", method: .post),
                try await client.execute(uri: "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", method: .get),
            ]
            #expect(pages.map(\.status) == [.ok, .ok, .gone, .notFound])
            for page in pages {
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(page.headers[Self.nosniff] == "nosniff")
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.headers[HTTPFields.Element.Name("Referrer-Policy")!] == "no-referrer")
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
        }
    }
}
