import Testing
@testable import RotorSandbox

/// `reference/vendor-keys.md` "OpenAI": service accounts mint keys, deleting the account revokes its key,
/// project API keys have list, retrieve and delete only.
@Suite("OpenAI Admin API contract")
struct OpenAIContractTests {
    private let admin = "sk-admin-sandbox"
    private let base = "/openai/v1/organization/projects/proj_sandbox"

    // "Mint: POST …/service_accounts {"name"} → {"id":"svc_acct_…","name","role":"member","created_at","api_key":{"value":"sk-…","id":"key_…",…}}".
    // "Revoke: DELETE …/service_accounts/{id}".
    @Test func aServiceAccountKeyIsLiveUntilTheAccountIsDeleted() async throws {
        try await SandboxHarness.with { h in
            let created = try await h.send(.POST, base + "/service_accounts", token: admin, json: #"{"name":"rotor-rot_1"}"#)
            #expect(created.status == 200)
            let id = try created.json!.string("id")
            #expect(id.hasPrefix("svc_acct_"))
            #expect(try created["role"] == "member")
            #expect(try created["created_at"].intValue != nil)
            let value = try created["api_key"].string("value")
            #expect(value.hasPrefix("sk-"))
            #expect(try created["api_key"].string("id").hasPrefix("key_"))

            #expect(try await h.send(.GET, "/openai/v1/models", token: value).status == 200)
            let deleted = try await h.send(.DELETE, base + "/service_accounts/\(id)", token: admin)
            #expect(deleted.status == 200)
            #expect(try deleted["object"] == "organization.project.service_account.deleted")
            #expect(try deleted["deleted"] == true)
            #expect(try deleted["id"] == .string(id))
            let dead = try await h.send(.GET, "/openai/v1/models", token: value)
            #expect(dead.status == 401)
            #expect(dead.json?["error"]?["code"] == "invalid_api_key")
            // A deleted object is not found.
            let again = try await h.send(.DELETE, base + "/service_accounts/\(id)", token: admin)
            #expect(again.status == 404)
            #expect(again.json?["error"]?["message"]?.stringValue?.isEmpty == false)
        }
    }

    // "Find leftovers by name (GET …/service_accounts, paginated with after/limit, has_more)".
    @Test func serviceAccountsPageWithAfterAndLimit() async throws {
        try await SandboxHarness.with { h in
            for index in 1...3 {
                #expect(try await h.send(.POST, base + "/service_accounts", token: admin, json: #"{"name":"sa-\#(index)"}"#).status == 200)
            }
            var names: [String] = []
            var path = base + "/service_accounts?limit=2"
            var pages = 0
            while true {
                let page = try await h.send(.GET, path, token: admin)
                #expect(page.status == 200)
                #expect(try page["object"] == "list")
                let data = try page["data"].array()
                names += data.compactMap { $0["name"]?.stringValue }
                #expect(!page.text.contains("\"value\""))
                pages += 1
                guard try page["has_more"] == true else { break }
                path = base + "/service_accounts?limit=2&after=\(try page.json!.string("last_id"))"
            }
            #expect(names == ["sa-1", "sa-2", "sa-3"])
            #expect(pages == 2)
        }
    }

    // "/api_keys has list, retrieve and delete only — no create. Deleting a key that belongs to a service account is refused."
    @Test func projectKeysCannotBeCreatedAndServiceAccountKeysCannotBeDeletedDirectly() async throws {
        try await SandboxHarness.with { h in
            let created = try await h.send(.POST, base + "/service_accounts", token: admin, json: #"{"name":"owner-of-key"}"#)
            let keyId = try created["api_key"].string("id")
            let value = try created["api_key"].string("value")
            let list = try await h.send(.GET, base + "/api_keys", token: admin)
            #expect(list.status == 200)
            #expect(try list["data"].array().contains { $0["id"] == .string(keyId) })
            #expect(!list.text.contains(value))
            #expect(try await h.send(.GET, base + "/api_keys/\(keyId)", token: admin)["owner"]["type"] == "service_account")

            let refused = try await h.send(.DELETE, base + "/api_keys/\(keyId)", token: admin)
            #expect(refused.status == 400)
            #expect(try await h.send(.GET, "/openai/v1/models", token: value).status == 200)
            #expect(try await h.send(.POST, base + "/api_keys", token: admin, json: #"{"name":"x"}"#).status >= 400)

            let userKey = try #require(try list["data"].array().first { $0["owner"]?["type"] == "user" }).string("id")
            let deleted = try await h.send(.DELETE, base + "/api_keys/\(userKey)", token: admin)
            #expect(deleted.status == 200)
            #expect(try deleted["object"] == "organization.project.api_key.deleted")
        }
    }

    // "Credential: an Admin API key (Authorization: Bearer sk-admin-…)".
    @Test func theAdminEndpointsNeedTheAdminKey() async throws {
        try await SandboxHarness.with { h in
            #expect(try await h.send(.GET, base + "/service_accounts").status == 401)
            let created = try await h.send(.POST, base + "/service_accounts", token: admin, json: #"{"name":"a"}"#)
            let ordinary = try created["api_key"].string("value")
            let refused = try await h.send(.GET, base + "/service_accounts", token: ordinary)
            #expect(refused.status == 401)
            #expect(refused.json?["error"]?["type"] == "invalid_request_error")
            #expect(try await h.send(.GET, "/openai/v1/organization/projects/proj_other/service_accounts", token: admin).status == 404)
        }
    }

    // An app whose live env holds a service-account key is healthy until the account is deleted.
    @Test func anAppRunningAServiceAccountKeyBreaksWhenTheAccountIsDeleted() async throws {
        try await SandboxHarness.with { h in
            let created = try await h.send(.POST, base + "/service_accounts", token: admin, json: #"{"name":"for-api"}"#)
            let value = try created["api_key"].string("value"), id = try created.json!.string("id")
            try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"\#(value)"}"#)
            try await h.render(.POST, "/services/srv-api/deploys")
            try await h.eventually("srv-api runs the service-account key") {
                await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == value
            }
            #expect(try await h.send(.GET, "/apps/srv-api/health").status == 200)
            try await h.send(.DELETE, base + "/service_accounts/\(id)", token: admin)
            #expect(try await h.send(.GET, "/apps/srv-api/health").status == 503)
        }
    }
}
