import Foundation
import Hummingbird
import RotorCore
import RotorNotifiers

/// `POST /v1/replies`: a text reply relayed by a chat or SMS bridge, signed like Rotor's own webhooks
/// (``WebhookSignature``: HMAC-SHA256 over "<timestamp>.<body>", within ±5 minutes). A reply without a
/// valid signature is anonymous: it counts as a failed attempt of its address and is audited in aggregate.
struct TextReplyRoutes: Sendable {
    struct Body: Decodable {
        var code: String
        var text: String
        var from: String?
    }

    static let shape = #"{"code": "…", "text": "SKIP" | "SKIP 14d" | "ROTATE NOW", "from": "…"}"#

    let replies: ReplyHandler
    let failures: FailureGuard

    func reply(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let dependencies = replies.dependencies
        guard let secret = dependencies.replySecret, !secret.isEmpty else {
            throw ServerError(.serviceUnavailable, "text replies are disabled",
                              hint: "configure a reply signing secret on the server and in the bridge")
        }
        try await failures.admit(.replySignature, context)
        let bytes = try await JSONBody.read(request)
        try await authenticate(request, context: context, body: bytes, secret: secret, now: dependencies.clock.now)
        let body = try JSONBody.decode(Body.self, from: bytes, shape: Self.shape)
        let actor = "reply:" + Self.sanitize(body.from)
        // The text is parsed before the code is looked at, so a malformed reply does not use up the code.
        let command = try ReplyCommand.parse(body.text)
        let valid: ReplyHandler.Valid
        switch try await replies.claim(.code(body.code), actor: actor) {
        case .failure(let refused): throw refused.refusal.error
        case .success(let found): valid = found
        }
        let answer = try await replies.perform(command, on: valid, actor: actor, via: "reply")
        return JSONBody.response(answer)
    }

    private func authenticate(_ request: Request, context: RotorRequestContext, body: [UInt8], secret: [UInt8],
                              now: Date) async throws {
        let timestamp = request.headers[HTTPFields.Element.Name(WebhookSignature.timestampHeader)!] ?? ""
        let signature = request.headers[HTTPFields.Element.Name(WebhookSignature.signatureHeader)!] ?? ""
        if WebhookSignature.verify(secret: secret, timestamp: timestamp, body: body, signature: signature, now: now) { return }
        let stale = Int(timestamp).map { abs(now.timeIntervalSince1970 - Double($0)) > 300 } ?? false
        let reason = timestamp.isEmpty || signature.isEmpty ? "missing signature headers"
            : stale ? "timestamp outside ±5 minutes" : "bad signature"
        try await failures.failed(.replySignature, context, reason: reason,
                                  event: replies.unauthenticatedEvent(reason: reason, actor: "reply-bridge"))
        throw ServerError(.unauthorized, "the reply is not authenticated: \(reason)",
                          hint: "sign \"<timestamp>.<body>\" with the shared secret: \(WebhookSignature.timestampHeader): <unix seconds>, "
                            + "\(WebhookSignature.signatureHeader): v1=<hex HMAC-SHA256>, with a clock within 5 minutes of the server's")
    }

    /// Who replied, as recorded in the audit log: one line, printable, bounded.
    static func sanitize(_ from: String?) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in (from ?? "").unicodeScalars where !CharacterSet.controlCharacters.contains(scalar) {
            guard scalars.count < 120 else { break }
            scalars.append(scalar)
        }
        let cleaned = String(scalars).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "unknown" : cleaned
    }
}
