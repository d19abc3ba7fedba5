import Foundation
import ProviderHTTP
import RotorCore
import RotorHTTP
import Testing

@Suite("http source against the sandbox vendor")
struct HTTPSourceVendorTests {
    @Test func mintReturnsALiveKeyAndItsHandle() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML())
            let minted = try await source.mint(stepContext())
            #expect(minted.value.revealed.hasPrefix("sk-sandbox-"))
            #expect(try #require(minted.handle).hasPrefix("key_"))
            #expect(try await vendor.whoami(minted.value) == 200)
        }
    }

    @Test func mintingTwiceWithTheSameIdempotencyKeyReturnsTheSameKey() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML())
            let first = try await source.mint(stepContext(idempotencyKey: "rot-1:generate"))
            let retried = try await source.mint(stepContext(idempotencyKey: "rot-1:generate"))
            let other = try await source.mint(stepContext(idempotencyKey: "rot-2:generate"))
            #expect(retried.value == first.value)
            #expect(retried.handle == first.handle)
            #expect(other.value != first.value)
        }
    }

    // CredentialSource.revoke: "Must succeed if it is already revoked"; the sandbox vendor, like OpenAI,
    // answers the second revoke 404, which the source takes as "already revoked".
    @Test func revokeKillsTheKeyAndRevokingAgainSucceeds() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML())
            let minted = try await source.mint(stepContext())
            let stored = StoredCredential(versionID: "v1", value: minted.value, handle: minted.handle)
            try await source.revoke(stored, stepContext(step: .revokeOld))
            #expect(try await vendor.whoami(minted.value) == 401)
            try await source.revoke(stored, stepContext(step: .revokeOld))
            #expect(try await vendor.whoami(minted.value) == 401)
        }
    }

    /// The audit row of a revoke says when the vendor had revoked the key already (its 404/410).
    @Test func aSecondRevokeReportsTheKeyAsAlreadyRevoked() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML())
            let minted = try await source.mint(stepContext())
            let stored = StoredCredential(versionID: "v1", value: minted.value, handle: minted.handle)
            #expect(try await source.revokeWithOutcome(stored, stepContext(step: .revokeOld)) == .revoked)
            #expect(try await source.revokeWithOutcome(stored, stepContext(step: .revokeOld)) == .alreadyRevoked)
            #expect(try await vendor.whoami(minted.value) == 401)
        }
    }

    @Test func aBadAdminTokenGivesA401ErrorNamingTheReferenceNotTheToken() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML(), token: "wrong-admin-token-123")
            let error = await #expect(throws: HTTPSourceError.self) { try await source.mint(stepContext()) }
            let text = try #require(error).description
            #expect(text.contains("HTTP 401"))
            #expect(text.contains("env:\(VendorSandbox.tokenVariable)"))
            #expect(text.contains("The admin token is not valid"))   // the vendor's own message
            #expect(!text.contains("wrong-admin-token-123"))
        }
    }

    @Test func aValuePointerThatMatchesNothingIsAClearError() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML(value: "/data/key"))
            let error = await #expect(throws: HTTPSourceError.self) { try await source.mint(stepContext()) }
            let text = try #require(error).description
            #expect(text.contains("nothing at `value: /data/key`"))
            #expect(text.contains("id, ") && text.contains("value"))   // the members it does have, to fix the pointer
            #expect(!text.contains("sk-sandbox-"))                     // but never the minted key
        }
    }

    @Test func aBodyValueWithQuotesIsEscapedAndCannotInjectMembers() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML())
            // The vendor rejects a non-string `name`; an injected `"name": 5` would make this mint fail.
            let hostile = #"x", "name": 5, "y": "\ {{token}}"#
            let minted = try await source.mint(stepContext(secret: hostile))
            #expect(try await vendor.whoami(minted.value) == 200)
            let state = try await vendor.http.execute(HTTPRequest(url: vendor.base.replacingOccurrences(of: "/vendor", with: "/_sandbox/state")))
            // The name arrived whole, and {{token}} inside an inserted value was not expanded.
            let document = try JSONSerialization.jsonObject(with: Data(state.body)) as? [String: Any]
            let keys = try #require((document?["vendor"] as? [String: Any])?["keys"] as? [[String: Any]])
            #expect(keys.contains { $0["id"] as? String == minted.handle && $0["name"] as? String == hostile })
            #expect(!state.bodyText.contains("sandbox-vendor-admin"))
        }
    }

    @Test func withoutARevokeRequestRevokeIsANoOpAndTheLabelWarns() async throws {
        try await VendorSandbox.with { vendor in
            let source = try vendor.source(vendor.sourceYAML(revoke: false))
            #expect(source.label.contains("no revoke configured"))
            let minted = try await source.mint(stepContext())
            try await source.revoke(StoredCredential(versionID: "v1", value: minted.value, handle: minted.handle), stepContext(step: .revokeOld))
            #expect(try await vendor.whoami(minted.value) == 200)
        }
    }
}
