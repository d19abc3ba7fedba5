import Foundation
import Hummingbird
import RotorCore
import RotorKeyTable

/// Customer API keys: `POST /v1/keys/verify` and `POST /v1/keys/claim`. Keys travel only in the
/// body (never in a URL, where proxies and logs keep them), and answers are never cached.
struct KeyRoutes: Sendable {
    struct VerifyBody: Decodable {
        var key: String
    }

    struct ClaimBody: Decodable {
        var oldKey: String

        enum CodingKeys: String, CodingKey { case oldKey = "old_key" }
    }

    /// The claim's answer: the only response of the service that carries a key.
    struct ClaimAnswer: Encodable {
        var keyID: String
        var key: String
        var org: String
        var name: String
        var prefix: String
        var last4: String

        enum CodingKeys: String, CodingKey {
            case key, org, name, prefix, last4
            case keyID = "key_id"
        }
    }

    let keyTable: KeyTable
    let failures: FailureGuard

    /// A valid key is answered without any check of the failure limit, so that valid traffic is never
    /// held up; a key that does not verify counts as a failure, and past the limit is answered 429.
    func verify(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let body = try JSONBody.decode(VerifyBody.self, from: try await JSONBody.read(request), shape: #"{"key": "…"}"#)
        let verification = try await keyTable.verify(body.key)
        if !verification.valid,
           let tooMany = try await failures.failed(.keyVerification, context, reason: verification.reason?.rawValue ?? "not valid") {
            throw tooMany
        }
        return JSONBody.response(verification, noStore: true)
    }

    /// Like ``verify(_:context:)``: a valid claim is answered without any check of the failure limit; a refused one
    /// (the old key is not valid, or nothing waits for it) counts as a failure, and past the limit is answered 429.
    func claim(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let body = try JSONBody.decode(ClaimBody.self, from: try await JSONBody.read(request), shape: #"{"old_key": "…"}"#)
        do {
            let (record, key) = try await keyTable.claim(oldKey: body.oldKey, actor: "customer")
            return JSONBody.response(ClaimAnswer(keyID: record.id, key: key.revealed, org: record.org, name: record.name,
                                                 prefix: record.prefix, last4: record.last4), noStore: true)
        } catch let error as KeyTableError {
            if let tooMany = try await failures.failed(.keyClaim, context, reason: "\(error)") { throw tooMany }
            throw ServerError(.forbidden, "\(error)",
                              hint: "claim with the key that was rotated, while it still works; otherwise ask your administrator")
        }
    }
}
