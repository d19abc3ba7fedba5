import Foundation
import Hummingbird

/// Stripe, as much as a `manual` source needs: `GET /stripe/v1/balance` (the cheap "does this key work" call: 200 for a
/// live key, 401 with Stripe's error JSON otherwise: `api_key_expired` for a rolled key past its expiry) and, standing in
/// for the Dashboard, `POST /_sandbox/stripe/roll` `{"expires_in_seconds": N}` or `{"expires_at": UNIX}` (the old key's
/// expiry: at once by default, at most 7 days on), which answers the new key (the Dashboard shows it once) and when
/// the old one expires.
struct StripeRoutes {
    let store: SandboxStore

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        router.get("stripe/v1/balance") { request, _ in
            guard let key = request.bearerToken else { throw Self.noKey }
            let verdict = await store.withStripe { state, now in state.verdict(key, at: now) }
            guard verdict == .live else { throw Self.refused(key, expired: verdict == .expired) }
            return Response.json(["object": "balance", "livemode": false,
                                  "available": .array([["amount": 0, "currency": "usd"]]),
                                  "pending": .array([["amount": 0, "currency": "usd"]])])
        }
        router.post("_sandbox/stripe/roll") { request, context in
            let body = try await AdminRoutes.requireObject(request, context: context)
            let (inSeconds, at) = (body["expires_in_seconds"], body["expires_at"])
            guard inSeconds == nil || at == nil else {
                throw APIFailure.plain(400, "bad_request", "give expires_in_seconds or expires_at, not both")
            }
            guard inSeconds == nil || inSeconds?.intValue != nil, at == nil || at?.intValue != nil else {
                throw APIFailure.plain(400, "bad_request", "expires_in_seconds (or expires_at, Unix seconds) must be a whole number")
            }
            do throws(SandboxError) {
                let (key, old) = try await store.withStripe { state, now throws(SandboxError) in
                    let seconds = at.flatMap(\.intValue).map { TimeInterval($0) - now.timeIntervalSince1970 }
                        ?? TimeInterval(inSeconds?.intValue ?? 0)
                    return try state.roll(expiresIn: seconds, now: now)
                }
                return Response.json(["key": .string(key.value), "old_expires_at": .optional(old.map { Int($0.timeIntervalSince1970) })],
                                     status: .created)
            } catch {
                throw APIFailure.plain(400, "bad_request", error.message)
            }
        }
    }

    /// Stripe's answer without a key.
    private static let noKey = APIFailure(status: .unauthorized, body: [
        "error": ["type": "invalid_request_error",
                  "message": "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."],
    ])

    /// Stripe's shape for a key it refuses, naming the key only by prefix and last 4.
    private static func refused(_ key: String, expired: Bool) -> APIFailure {
        let named = StripeState.redacted(key).map { ": \($0)" } ?? ""
        var error: [(String, JSONValue)] = [("type", "invalid_request_error")]
        if expired {
            error += [("code", "api_key_expired"), ("doc_url", "https://stripe.com/docs/error-codes/api-key-expired"),
                      ("message", .string("Expired API Key provided\(named)"))]
        } else {
            error.append(("message", .string("Invalid API Key provided\(named)")))
        }
        return APIFailure(status: .unauthorized, body: ["error": .object(error)])
    }
}
