import Testing
@testable import RotorSandbox

/// `reference/vercel-api.md`, "Environment variables" and "Errors and limits".
@Suite("Vercel env API contract")
struct VercelEnvContractTests {
    @Test func listReturnsEnvsWithCiphertextForEncryptedValuesAndPagination() async throws {
        try await SandboxHarness.with { h in
            let reply = try await h.vercel(.GET, "/v10/projects/web-app/env")
            #expect(reply.status == 200)
            let envs = try reply["envs"].array()
            let env = try #require(envs.first { $0["key"] == "OPENAI_API_KEY" })
            #expect(env["type"] == "encrypted")
            #expect(env["target"] == ["production", "preview"])
            #expect(env["decrypted"] == false)
            #expect(env["configurationId"] == .null)
            #expect(env["comment"]?.stringValue != nil)
            #expect(env["customEnvironmentIds"] == [])
            #expect(env["createdAt"]?.intValue != nil && env["updatedAt"]?.intValue != nil)
            let listed = try env.string("value")
            #expect(!listed.isEmpty && listed != h.sandbox.initialKey && !listed.contains(h.sandbox.initialKey))
            let pagination = try reply["pagination"]
            #expect(pagination["count"] == .int(envs.count))
            #expect(pagination["next"] == .null)
            #expect(pagination["prev"] == .null)
        }
    }

    @Test func readingOneVariableDecryptsItButSensitiveValuesAreNeverReturned() async throws {
        try await SandboxHarness.with { h in
            let id = try await envId(h, project: "web-app", key: "OPENAI_API_KEY")
            let one = try await h.vercel(.GET, "/v1/projects/prj_webapp/env/\(id)")
            #expect(one.status == 200)
            #expect(try one["value"] == .string(h.sandbox.initialKey))
            #expect(try one["decrypted"] == true)

            let created = try await h.vercel(.POST, "/v10/projects/web-app/env?upsert=true",
                                             json: #"{"key":"DB_PASSWORD","value":"hunter2-secret","type":"sensitive","target":["production"]}"#)
            #expect(created.status == 201)
            let sensitiveId = try created["created"].string("id")
            #expect(try created["created"]["value"] == nil)
            let read = try await h.vercel(.GET, "/v1/projects/web-app/env/\(sensitiveId)")
            #expect(read.status == 200)
            #expect(!read.text.contains("hunter2-secret"))
            let list = try await h.vercel(.GET, "/v10/projects/web-app/env")
            #expect(!list.text.contains("hunter2-secret"))
            #expect(await h.sandbox.envValue(project: "web-app", key: "DB_PASSWORD") == "hunter2-secret")
        }
    }

    @Test func createAnswers201WithCreatedAndFailedForOneObjectOrAnArray() async throws {
        try await SandboxHarness.with { h in
            let one = try await h.vercel(.POST, "/v10/projects/web-app/env",
                                         json: #"{"key":"FEATURE_FLAG","value":"on","type":"plain","target":["preview"],"comment":"x"}"#)
            #expect(one.status == 201)
            #expect(try one["created"]["key"] == "FEATURE_FLAG")
            #expect(try one["created"]["value"] == "on")
            #expect(try one["failed"] == [])

            let many = try await h.vercel(.POST, "/v10/projects/web-app/env", json: """
                [{"key":"A_ONE","value":"1","type":"encrypted","target":["production"]},
                 {"key":"A_TWO","value":"2","type":"encrypted","target":["development"]}]
                """)
            #expect(many.status == 201)
            #expect(try many["created"].array().count == 2)
            #expect(try many["failed"] == [])
        }
    }

    @Test func existingKeyWithoutUpsertIs400EnvConflictAndChangesNothing() async throws {
        try await SandboxHarness.with { h in
            let reply = try await h.vercel(.POST, "/v10/projects/web-app/env",
                                           json: #"{"key":"OPENAI_API_KEY","value":"sk-other","type":"encrypted","target":["production"]}"#)
            #expect(reply.status == 400)
            let error = try reply["error"]
            #expect(error["code"] == "ENV_CONFLICT")
            #expect(error["key"] == "OPENAI_API_KEY")
            #expect(error["target"] == ["production"])
            #expect(error["message"]?.stringValue?.isEmpty == false)
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func upsertReplacesTheExistingVariableInPlace() async throws {
        try await SandboxHarness.with { h in
            let before = try await envId(h, project: "web-app", key: "OPENAI_API_KEY")
            let reply = try await h.vercel(.POST, "/v10/projects/web-app/env?upsert=true",
                                           json: #"{"key":"OPENAI_API_KEY","value":"sk-new","type":"encrypted","target":["production","preview"]}"#)
            #expect(reply.status == 201)
            #expect(try reply["created"]["id"] == .string(before))
            #expect(try reply["failed"] == [])
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY") == "sk-new")
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY", target: "preview") == "sk-new")
            // Only the variable changed; the running app keeps its key until a deploy.
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func ruleViolationsComeBackInFailedWithA2xx() async throws {
        try await SandboxHarness.with { h in
            let reply = try await h.vercel(.POST, "/v10/projects/web-app/env?upsert=true", json: """
                [{"key":"S1","value":"v","type":"sensitive","target":["production","development"]},
                 {"key":"B1","value":"v","type":"encrypted","target":["production"],"gitBranch":"feature"},
                 {"key":"OK1","value":"v","type":"encrypted","target":["preview"],"gitBranch":"feature"}]
                """)
            #expect(reply.status == 201)
            let failed = try reply["failed"].array()
            #expect(failed.count == 2)
            #expect(failed.map { $0["error"]?["key"] } == ["S1", "B1"])
            #expect(failed.allSatisfy { $0["error"]?["code"] == "bad_request" && $0["error"]?["target"] != nil })
            #expect(try reply["created"].array().map { $0["key"] } == ["OK1"])
        }
    }

    @Test func malformedBodiesAre400BadRequest() async throws {
        try await SandboxHarness.with { h in
            for body in [#"{"key":"X","value":"v","type":"encrypted"}"#,                       // no target
                         #"{"key":"X","value":"v","type":"weird","target":["production"]}"#,   // unknown type
                         #"{"key":"X","value":"v","type":"plain","target":["prod"]}"#,         // unknown target
                         #"{"key":"X","value":"v","type":"plain","target":["production"],"colour":"red"}"#,
                         "not json"] {
                let reply = try await h.vercel(.POST, "/v10/projects/web-app/env?upsert=true", json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.json?["error"]?["code"] == "bad_request", "\(body) → \(reply.text)")
            }
        }
    }

    @Test func patchEditsAndDeleteRemovesReturningTheEnvObject() async throws {
        try await SandboxHarness.with { h in
            let id = try await envId(h, project: "docs-site", key: "OPENAI_API_KEY")
            let patched = try await h.vercel(.PATCH, "/v9/projects/docs-site/env/\(id)", json: #"{"value":"sk-patched","comment":"rotated"}"#)
            #expect(patched.status == 200)
            #expect(try patched["id"] == .string(id))
            #expect(try patched["comment"] == "rotated")
            #expect(await h.sandbox.envValue(project: "docs-site", key: "OPENAI_API_KEY") == "sk-patched")

            let badPatch = try await h.vercel(.PATCH, "/v9/projects/docs-site/env/\(id)", json: #"{"type":"sensitive","target":["development"]}"#)
            #expect(badPatch.status == 400)

            let deleted = try await h.vercel(.DELETE, "/v9/projects/docs-site/env/\(id)")
            #expect(deleted.status == 200)
            #expect(try deleted["key"] == "OPENAI_API_KEY")
            let again = try await h.vercel(.DELETE, "/v9/projects/docs-site/env/\(id)")
            #expect(again.status == 404)
            #expect(again.json?["error"]?["code"] == "not_found")
        }
    }

    @Test func paginationFollowsNextAsUntilUntilNextIsNull() async throws {
        try await SandboxHarness.with { h in
            let items = (1...6).map { #"{"key":"VAR_\#($0)","value":"\#($0)","type":"plain","target":["preview"]}"# }
            let created = try await h.vercel(.POST, "/v10/projects/web-app/env", json: "[\(items.joined(separator: ","))]")
            #expect(created.status == 201)

            var keys: [String] = []
            var path = "/v10/projects/web-app/env?limit=3"
            var pages = 0
            // Bounded: a `next` that never ends is a failure (pages == 3 below), not a hang.
            while pages < 100 {
                let page = try await h.vercel(.GET, path)
                #expect(page.status == 200)
                let envs = try page["envs"].array()
                #expect(envs.count <= 3)
                keys += envs.compactMap { $0["key"]?.stringValue }
                pages += 1
                guard let next = try page["pagination"]["next"]?.intValue else { break }
                path = "/v10/projects/web-app/env?limit=3&until=\(next)"
            }
            #expect(pages == 3)
            #expect(Set(keys) == Set(["OPENAI_API_KEY"] + (1...6).map { "VAR_\($0)" }))
            #expect(keys.count == 7)
            let tooMany = try await h.vercel(.GET, "/v10/projects/web-app/env?limit=101")
            #expect(tooMany.status == 400)
        }
    }

    @Test func missingOrWrongTokenIs403Forbidden() async throws {
        try await SandboxHarness.with { h in
            let missing = try await h.vercel(.GET, "/v10/projects/web-app/env", token: nil)
            #expect(missing.status == 403)
            #expect(missing.json?["error"]?["code"] == "forbidden")
            let wrong = try await h.vercel(.GET, "/v10/projects/web-app/env", token: "not-the-token")
            #expect(wrong.status == 403)
            #expect(wrong.json?["error"]?["code"] == "forbidden")
            #expect(wrong.json?["error"]?["invalidToken"] == true)
        }
    }

    @Test func unknownProjectIs404NotFound() async throws {
        try await SandboxHarness.with { h in
            let reply = try await h.vercel(.GET, "/v10/projects/no-such-project/env")
            #expect(reply.status == 404)
            #expect(reply.json?["error"]?["code"] == "not_found")
            #expect(reply.json?["error"]?["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func aTeamProjectIsVisibleOnlyWithItsTeamId() async throws {
        var world = SandboxWorld.default
        world.vercel.teams = [.init(id: "team_acme", slug: "acme")]
        world.vercel.projects.append(.init(id: "prj_teamapp", name: "team-app", teamId: "team_acme"))
        try await SandboxHarness.with(world: world) { (h: SandboxHarness) async throws in
            #expect(try await h.vercel(.GET, "/v10/projects/team-app/env").status == 404)
            #expect(try await h.vercel(.GET, "/v10/projects/team-app/env?teamId=team_acme").status == 200)
            #expect(try await h.vercel(.GET, "/v10/projects/team-app/env?slug=acme").status == 200)
            #expect(try await h.vercel(.GET, "/v10/projects/web-app/env?teamId=team_acme").status == 404)
            #expect(try await h.vercel(.GET, "/v10/projects/team-app/env?teamId=team_other").status == 403)
        }
    }

    @Test func rateLimitFaultAnswers429WithRetryAfterAndTheLimitObject() async throws {
        try await SandboxHarness.with { h in
            try await h.inject(#"{"kind":"status","target":"vercel","path_prefix":"/v10/projects","status":429,"count":2,"retry_after":2}"#)
            for _ in 0..<2 {
                let limited = try await h.vercel(.GET, "/v10/projects/web-app/env")
                #expect(limited.status == 429)
                #expect(limited.headers["Retry-After"] == "2")
                let error = try limited["error"]
                #expect(error["code"] == "rate_limited")
                let limit = try error.require("limit")
                #expect(limit["remaining"] == 0)
                #expect(limit["reset"]?.intValue != nil && limit["resetMs"]?.intValue != nil && limit["total"]?.intValue != nil)
            }
            #expect(try await h.vercel(.GET, "/v10/projects/web-app/env").status == 200)
        }
    }

    private func envId(_ h: SandboxHarness, project: String, key: String) async throws -> String {
        let list = try await h.vercel(.GET, "/v10/projects/\(project)/env")
        let env = try #require(try list["envs"].array().first { $0["key"] == .string(key) })
        return try env.string("id")
    }
}
