import Testing
@testable import RotorSandbox

/// `reference/vercel-api.md` "Corrections and additions": upsert, several variables per key, reading back,
/// ids that list entries may lack, v8 pagination.
@Suite("Vercel upsert and read-back contract")
struct VercelUpsertContractTests {
    // vercel-api.md "Corrections": upsert keeps the existing target list or fails — 400 ENV_CONFLICT as a
    // top-level error (not inside `failed`); it does not rewrite the target list.
    @Test func upsertWithAnotherTargetListIsATopLevel400EnvConflictAndChangesNothing() async throws {
        try await SandboxHarness.with { h in
            // docs-site's key targets production only.
            let reply = try await h.vercel(.POST, "/v10/projects/docs-site/env?upsert=true",
                                           json: #"{"key":"OPENAI_API_KEY","value":"sk-other","type":"encrypted","target":["production","preview"]}"#)
            #expect(reply.status == 400)
            #expect(try reply["error"]["code"] == "ENV_CONFLICT")
            #expect(try reply["error"]["key"] == "OPENAI_API_KEY")
            #expect(reply.json?["failed"] == nil && reply.json?["created"] == nil)
            #expect(await h.sandbox.envValue(project: "docs-site", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            let listed = try await h.vercel(.GET, "/v10/projects/docs-site/env")
            let env = try #require(try listed["envs"].array().first { $0["key"] == "OPENAI_API_KEY" })
            #expect(env["target"] == ["production"])
        }
    }

    // vercel-api.md "Corrections": "Read the existing variable first … and either send exactly its `target` list".
    @Test func upsertWithExactlyTheExistingTargetListUpdatesInPlace() async throws {
        try await SandboxHarness.with { h in
            let reply = try await h.vercel(.POST, "/v10/projects/docs-site/env?upsert=true",
                                           json: #"{"key":"OPENAI_API_KEY","value":"sk-same-targets","type":"encrypted","target":["production"]}"#)
            #expect(reply.status == 201)
            #expect(try reply["failed"] == [])
            #expect(await h.sandbox.envValue(project: "docs-site", key: "OPENAI_API_KEY") == "sk-same-targets")
        }
    }

    // vercel-api.md "Corrections": "A key can exist as several variables (one per target/branch)".
    @Test func aKeyCanExistAsSeveralVariablesOnePerTarget() async throws {
        try await SandboxHarness.with { h in
            let preview = try await h.vercel(.POST, "/v10/projects/docs-site/env?upsert=true",
                                             json: #"{"key":"OPENAI_API_KEY","value":"sk-preview","type":"encrypted","target":["preview"]}"#)
            #expect(preview.status == 201)
            let branch = try await h.vercel(.POST, "/v10/projects/docs-site/env?upsert=true",
                                            json: #"{"key":"OPENAI_API_KEY","value":"sk-branch","type":"encrypted","target":["preview"],"gitBranch":"feature"}"#)
            #expect(branch.status == 201)
            let list = try await h.vercel(.GET, "/v10/projects/docs-site/env")
            let variables = try list["envs"].array().filter { $0["key"] == "OPENAI_API_KEY" }
            #expect(variables.count == 3)
            #expect(await h.sandbox.envValue(project: "docs-site", key: "OPENAI_API_KEY", target: "production") == h.sandbox.initialKey)
            #expect(await h.sandbox.envValue(project: "docs-site", key: "OPENAI_API_KEY", target: "preview") == "sk-preview")
            // An upsert spanning both variables' targets matches neither list: refused.
            let both = try await h.vercel(.POST, "/v10/projects/docs-site/env?upsert=true",
                                          json: #"{"key":"OPENAI_API_KEY","value":"sk-x","type":"encrypted","target":["production","preview"]}"#)
            #expect(both.status == 400)
            #expect(try both["error"]["code"] == "ENV_CONFLICT")
        }
    }

    // vercel-api.md "Edit" and "Corrections": the way to change a target list is PATCH by id; DELETE answers 200 with the object.
    @Test func patchChangesTheTargetListByIdAndDeleteAnswersTheObject() async throws {
        try await SandboxHarness.with { h in
            let list = try await h.vercel(.GET, "/v10/projects/docs-site/env")
            let id = try #require(try list["envs"].array().first { $0["key"] == "OPENAI_API_KEY" }).string("id")
            let patched = try await h.vercel(.PATCH, "/v9/projects/docs-site/env/\(id)", json: #"{"target":["production","preview"]}"#)
            #expect(patched.status == 200)
            #expect(try patched["target"] == ["production", "preview"])
            let upsert = try await h.vercel(.POST, "/v10/projects/docs-site/env?upsert=true",
                                            json: #"{"key":"OPENAI_API_KEY","value":"sk-now","type":"encrypted","target":["preview","production"]}"#)
            #expect(upsert.status == 201)
            let deleted = try await h.vercel(.DELETE, "/v9/projects/docs-site/env/\(id)")
            #expect(deleted.status == 200)
            #expect(try deleted["id"] == .string(id))
            #expect(try deleted["key"] == "OPENAI_API_KEY")
        }
    }

    // vercel-api.md "Corrections": GET /v1/projects/{p}/env/{id} decrypts `encrypted`; `sensitive` never comes back.
    @Test func readBackDecryptsEncryptedButNeverSensitive() async throws {
        try await SandboxHarness.with { h in
            let created = try await h.vercel(.POST, "/v10/projects/web-app/env?upsert=true",
                                             json: #"{"key":"TOKEN_S","value":"never-shown-1","type":"sensitive","target":["production"]}"#)
            let id = try created["created"].string("id")
            let read = try await h.vercel(.GET, "/v1/projects/web-app/env/\(id)")
            #expect(read.status == 200)
            #expect(try read["decrypted"] == false)
            #expect(read.json?["value"]?.stringValue?.isEmpty ?? true)
            #expect(!read.text.contains("never-shown-1"))
        }
    }

    // vercel-api.md "Corrections" (Versions): `id` is optional in the SDK's list schema.
    @Test func anAdminOptionDropsIdFromListEntries() async throws {
        try await SandboxHarness.with { h in
            let option = try await h.send(.POST, "/_sandbox/vercel/options", json: #"{"env_list_ids":false}"#)
            #expect(option.status == 200)
            let list = try await h.vercel(.GET, "/v10/projects/web-app/env")
            let envs = try list["envs"].array()
            #expect(!envs.isEmpty && envs.allSatisfy { $0["id"] == nil && $0["key"] != nil })
            try await h.send(.POST, "/_sandbox/reset", json: "{}")
            let again = try await h.vercel(.GET, "/v10/projects/web-app/env")
            #expect(try again["envs"].array().allSatisfy { $0["id"] != nil })
        }
    }

    // vercel-api.md "Errors and limits" / "Versions": the Terraform provider pages GET /v8/…/env?limit=&until=,
    // passing `pagination.next` as `until` until it is null.
    @Test func v8ListPagesWithLimitAndUntil() async throws {
        try await SandboxHarness.with { h in
            let items = (1...4).map { #"{"key":"PAGE_\#($0)","value":"\#($0)","type":"plain","target":["preview"]}"# }
            #expect(try await h.vercel(.POST, "/v10/projects/web-app/env", json: "[\(items.joined(separator: ","))]").status == 201)
            var keys: [String] = []
            var path = "/v8/projects/web-app/env?limit=2"
            while true {
                let page = try await h.vercel(.GET, path)
                #expect(page.status == 200)
                keys += try page["envs"].array().compactMap { $0["key"]?.stringValue }
                guard let next = try page["pagination"]["next"]?.intValue else { break }
                path = "/v8/projects/web-app/env?limit=2&until=\(next)"
            }
            #expect(keys.count == 5 && Set(keys).count == 5)
        }
    }
}
