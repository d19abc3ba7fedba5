import Testing
@testable import RotorSandbox

/// `reference/render-api.md`, "Service environment variables", "Environment groups", "Errors and limits".
@Suite("Render env API contract")
struct RenderEnvContractTests {
    @Test func everyResponseCarriesRateLimitHeadersAndARequestId() async throws {
        try await SandboxHarness.with { h in
            let replies = [
                try await h.render(.GET, "/services/srv-api/env-vars"),
                try await h.render(.GET, "/services/srv-api/env-vars", token: nil),
                try await h.render(.GET, "/services/srv-nope/env-vars"),
                try await h.render(.GET, "/no/such/endpoint"),
                try await h.render(.PUT, "/services/srv-api/env-vars/X", json: "{}"),
            ]
            #expect(replies.map(\.status) == [200, 401, 404, 404, 400])
            for reply in replies {
                #expect(Int(reply.headers["Ratelimit-Limit"] ?? "") != nil, "\(reply.status)")
                #expect(Int(reply.headers["Ratelimit-Remaining"] ?? "") != nil, "\(reply.status)")
                #expect(Int(reply.headers["Ratelimit-Reset"] ?? "") != nil, "\(reply.status)")
                #expect(reply.headers["Render-Request-Id"]?.isEmpty == false, "\(reply.status)")
            }
            let first = try #require(Int(replies[0].headers["Ratelimit-Remaining"] ?? ""))
            let next = try await h.render(.GET, "/services/srv-api/env-vars")
            #expect(try #require(Int(next.headers["Ratelimit-Remaining"] ?? "")) < first)
        }
    }

    @Test func errorsAreIdAndMessageObjects() async throws {
        try await SandboxHarness.with { h in
            let unauthorized = try await h.render(.GET, "/services/srv-api/env-vars", token: "wrong")
            #expect(unauthorized.status == 401)
            #expect(unauthorized.json?["message"]?.stringValue?.isEmpty == false)
            let missing = try await h.render(.GET, "/services/srv-nope/env-vars/OPENAI_API_KEY")
            #expect(missing.status == 404)
            #expect(missing.json?["id"] == "not_found")
            #expect(missing.json?["message"]?.stringValue?.contains("srv-nope") == true)
        }
    }

    @Test func readWriteAndDeleteOneVariable() async throws {
        try await SandboxHarness.with { h in
            let read = try await h.render(.GET, "/services/srv-api/env-vars/OPENAI_API_KEY")
            #expect(read.status == 200)
            #expect(read.json == ["key": "OPENAI_API_KEY", "value": .string(h.sandbox.initialKey)])

            let put = try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-rotated"}"#)
            #expect(put.status == 200)
            #expect(put.json == ["key": "OPENAI_API_KEY", "value": "sk-rotated"])
            #expect(await h.sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == "sk-rotated")
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)

            let generated = try await h.render(.PUT, "/services/srv-api/env-vars/SESSION_SECRET", json: #"{"generateValue":true}"#)
            #expect(generated.status == 200)
            #expect(try generated.json!.string("value").count >= 32)

            let deleted = try await h.render(.DELETE, "/services/srv-api/env-vars/SESSION_SECRET")
            #expect(deleted.status == 204)
            #expect(deleted.text.isEmpty)
            #expect(try await h.render(.GET, "/services/srv-api/env-vars/SESSION_SECRET").status == 404)
            #expect(try await h.render(.DELETE, "/services/srv-api/env-vars/SESSION_SECRET").status == 404)
        }
    }

    @Test func listPagesWithCursorsUntilAnEmptyPage() async throws {
        try await SandboxHarness.with { h in
            for index in 1...4 {
                try await h.render(.PUT, "/services/srv-worker/env-vars/VAR_\(index)", json: #"{"value":"\#(index)"}"#)
            }
            var keys: [String] = []
            var cursor: String?
            var pages = 0
            // Bounded: a cursor that never reaches the end is a failure (pages == 4 below), not a hang.
            while pages < 100 {
                let page = try await h.render(.GET, "/services/srv-worker/env-vars?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == 200)
                let items = try #require(page.json).array()
                pages += 1
                if items.isEmpty { break }
                #expect(items.count <= 2)
                for item in items {
                    keys.append(try item.require("envVar").string("key"))
                    #expect(item["envVar"]?["value"]?.stringValue != nil)
                }
                cursor = try items.last!.string("cursor")
            }
            #expect(keys == ["OPENAI_API_KEY", "VAR_1", "VAR_2", "VAR_3", "VAR_4"])
            #expect(pages == 4)
            #expect(try await h.render(.GET, "/services/srv-worker/env-vars?limit=101").status == 400)
        }
    }

    @Test func replaceAllDeletesEveryVariableNotInTheBody() async throws {
        try await SandboxHarness.with { h in
            try await h.render(.PUT, "/services/srv-api/env-vars/EXTRA", json: #"{"value":"x"}"#)
            let reply = try await h.render(.PUT, "/services/srv-api/env-vars", json: #"[{"key":"ONLY_ONE","value":"1"}]"#)
            #expect(reply.status == 200)
            let items = try #require(reply.json).array()
            #expect(items.map { $0["envVar"]?["key"] } == ["ONLY_ONE"])
            #expect(items.first?["cursor"]?.stringValue != nil)
            #expect(await h.sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == nil)
            #expect(await h.sandbox.envValue(service: "srv-api", key: "EXTRA") == nil)
            #expect(await h.sandbox.envValue(service: "srv-api", key: "ONLY_ONE") == "1")
        }
    }

    @Test func envGroupWritesAnswerWithTheWholeGroupAndItsServiceLinks() async throws {
        try await SandboxHarness.with { h in
            let group = try await h.render(.GET, "/env-groups/evg-shared")
            #expect(group.status == 200)
            #expect(try group["id"] == "evg-shared")
            #expect(try group["name"].stringValue != nil)
            #expect(try group["ownerId"].stringValue != nil)
            #expect(try group["createdAt"].stringValue?.hasSuffix("Z") == true)

            let put = try await h.render(.PUT, "/env-groups/evg-shared/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-group"}"#)
            #expect(put.status == 200)
            #expect(try put["id"] == "evg-shared")
            let envVars = try put["envVars"].array()
            #expect(envVars.contains(["key": "OPENAI_API_KEY", "value": "sk-group"]))
            #expect(try put["secretFiles"] == [])
            let links = try put["serviceLinks"].array().compactMap { $0["id"]?.stringValue }
            #expect(links == ["srv-api", "srv-worker"])
            #expect(try put["updatedAt"].stringValue != nil)

            let one = try await h.render(.GET, "/env-groups/evg-shared/env-vars/LOG_LEVEL")
            #expect(one.json == ["key": "LOG_LEVEL", "value": "info"])
            #expect(try await h.render(.DELETE, "/env-groups/evg-shared/env-vars/LOG_LEVEL").status == 204)
            #expect(try await h.render(.GET, "/env-groups/evg-shared/env-vars/LOG_LEVEL").status == 404)
            #expect(try await h.render(.GET, "/env-groups/evg-nope").status == 404)
        }
    }
}
