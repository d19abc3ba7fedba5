import Foundation
import Hummingbird
import RotorCore
import RotorKeyTable

/// Customer API keys: `POST /v1/keys/verify` and `POST /v1/keys/claim`. Keys travel only in the
/// body (never in a URL, where proxies and logs keep them), and answers are never cached.
struct KeyRoutes: Sendable {
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
    var metrics = VerifyMetrics()

    /// A valid key is answered without any check of the failure limit, so that valid traffic is never
    /// held up; a key that does not verify counts as a failure, and past the limit is answered 429.
    func verify(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request)
        let started = ContinuousClock.now
        let answer: KeyAnswer
        do {
            answer = try await check(body)
        } catch {
            metrics.record("error", since: started)
            throw error
        }
        metrics.record(answer.valid ? "valid" : answer.verification.reason?.rawValue ?? "error", since: started)
        if !answer.valid,
           let tooMany = try await failures.failed(.keyVerification, context, reason: answer.verification.reason?.rawValue ?? "not valid") {
            throw tooMany
        }
        return Self.response(answer)
    }

    /// The verification of the key in a `{"key": "…"}` body. The plain form is read without Foundation's JSON
    /// decoder and checked against the in-memory index without a copy of the key; anything else (escapes,
    /// other members, broken JSON) goes through the decoder, which answers 400 for what does not fit.
    func check(_ body: [UInt8]) async throws -> KeyAnswer {
        if let index = keyTable.index, let range = VerifyBody.plainKey(in: body) {
            return body.withUnsafeBytes { index.check(utf8: UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        let decoded = try JSONBody.decode(VerifyBody.self, from: body, shape: #"{"key": "…"}"#)
        return try await keyTable.answer(decoded.key)
    }

    /// The answer's JSON as encoded once, never stored by caches.
    static func response(_ answer: KeyAnswer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: answer.json)))
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
