import Foundation
import Testing
@testable import RotorSandbox

/// `reference/vendor-keys.md` "1Password Connect".
@Suite("1Password Connect contract")
struct OnePasswordContractTests {
    private let token = "sandbox-connect-token"
    private let vault = SandboxWorld.OnePassword.vaultId
    private let item = SandboxWorld.OnePassword.itemId
    private let field = SandboxWorld.OnePassword.fieldId

    // "Read: GET /v1/vaults/{vaultUUID}/items/{itemUUID} → the full item, fields: [{"id","label","type","purpose","value",…}]
    // (UUIDs are 26 characters [\da-z])". "Find an item by title: GET /v1/vaults/{vaultUUID}/items?filter=title eq "…"".
    @Test func anItemIsReadByIdOrFoundByTitle() async throws {
        try await SandboxHarness.with { h in
            let read = try await h.send(.GET, "/onepassword/v1/vaults/\(vault)/items/\(item)", token: token)
            #expect(read.status == 200)
            let fields = try read["fields"].array()
            let key = try #require(fields.first { $0["label"] == "OPENAI_API_KEY" })
            #expect(key["value"] == .string(h.sandbox.initialKey))
            #expect(key["id"] == .string(field))
            #expect(try read.json!.string("id").count == 26)

            let filter = #"title eq "OpenAI API key""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let found = try await h.send(.GET, "/onepassword/v1/vaults/\(vault)/items?filter=\(filter)", token: token)
            #expect(found.status == 200)
            #expect(try found.json?.array().map { $0["id"] } == [.string(item)])
            let none = try await h.send(.GET, "/onepassword/v1/vaults/\(vault)/items?filter=" + #"title eq "nope""#
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, token: token)
            #expect(try none.json?.array().isEmpty == true)
        }
    }

    // "Update one field in place: PATCH … with an RFC 6902 patch (only add, remove, replace), the field addressed by
    // its id: [{"op":"replace","path":"/fields/{fieldId}/value","value":"…"}] → 200 with the item".
    @Test func patchReplacesOneFieldByIdAndRefusesOtherOps() async throws {
        try await SandboxHarness.with { h in
            let path = "/onepassword/v1/vaults/\(vault)/items/\(item)"
            let patched = try await h.send(.PATCH, path, token: token,
                                           json: #"[{"op":"replace","path":"/fields/\#(field)/value","value":"sk-from-rotor"}]"#)
            #expect(patched.status == 200)
            #expect(try patched["fields"].array().first { $0["id"] == .string(field) }?["value"] == "sk-from-rotor")
            #expect(try patched["fields"].array().contains { $0["label"] == "notesPlain" })
            #expect(try patched["version"] == 2)

            let move = try await h.send(.PATCH, path, token: token, json: #"[{"op":"move","from":"/title","path":"/x"}]"#)
            #expect(move.status == 400)
            #expect(move.json?["status"] == 400)
            let byLabel = try await h.send(.PATCH, path, token: token,
                                           json: #"[{"op":"replace","path":"/fields/OPENAI_API_KEY/value","value":"x"}]"#)
            #expect(byLabel.status == 400)
            let after = try await h.send(.GET, path, token: token)
            #expect(try after["fields"].array().first { $0["id"] == .string(field) }?["value"] == "sk-from-rotor")
        }
    }

    // "PUT replaces the whole item (and its generated-password metadata)".
    @Test func putReplacesTheWholeItem() async throws {
        try await SandboxHarness.with { h in
            let path = "/onepassword/v1/vaults/\(vault)/items/\(item)"
            let put = try await h.send(.PUT, path, token: token, json: """
                {"id":"\(item)","title":"OpenAI API key","category":"API_CREDENTIAL","vault":{"id":"\(vault)"},
                 "fields":[{"id":"\(field)","label":"OPENAI_API_KEY","type":"CONCEALED","value":"sk-put"}]}
                """)
            #expect(put.status == 200)
            let fields = try put["fields"].array()
            #expect(fields.count == 1)
            #expect(fields.first?["value"] == "sk-put")
        }
    }

    // "Errors: {"status":401,"message":"Invalid token signature"}; 403 unauthorized vault; 404 vault or item not found."
    @Test func errorsAre401403And404WithStatusAndMessage() async throws {
        try await SandboxHarness.with { h in
            let path = "/onepassword/v1/vaults/\(vault)/items/\(item)"
            let unauthorized = try await h.send(.GET, path, token: "wrong")
            #expect(unauthorized.status == 401)
            #expect(unauthorized.json?["status"] == 401)
            #expect(unauthorized.json?["message"] == "Invalid token signature")
            #expect(try await h.send(.GET, path).status == 401)
            let restricted = try await h.send(.GET, "/onepassword/v1/vaults/\(SandboxWorld.OnePassword.restrictedVaultId)/items", token: token)
            #expect(restricted.status == 403)
            #expect(restricted.json?["status"] == 403)
            let missing = try await h.send(.GET, "/onepassword/v1/vaults/\(vault)/items/abcdefghijklmnopqrstuvwxyz", token: token)
            #expect(missing.status == 404)
            #expect(missing.json?["message"]?.stringValue?.isEmpty == false)
            #expect(try await h.send(.GET, "/onepassword/v1/vaults/zzzzzzzzzzzzzzzzzzzzzzzzzz/items", token: token).status == 404)
        }
    }
}
