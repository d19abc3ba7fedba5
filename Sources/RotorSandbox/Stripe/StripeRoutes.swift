import Foundation
import Hummingbird

/// Stripe, as much as a `manual` source needs: `GET /stripe/v1/balance` (the cheap "does this key work" call: 200 for a
/// live key, 401 otherwise) and, standing in for the Dashboard, `POST /_sandbox/stripe/roll`
/// `{"expires_in_seconds": N}`, which answers the new key (the Dashboard shows it once) and when the old one expires.
struct StripeRoutes {
    let store: SandboxStore

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        router.get("stripe/v1/balance") { request, _ in
            guard let key = request.bearerToken, await store.withStripe({ state, now in state.isLive(key, at: now) }) else {
                throw Self.invalidKey
            }
            return Response.json(["object": "balance", "livemode": false,
                                  "available": .array([["amount": 0, "currency": "usd"]]),
                                  "pending": .array([["amount": 0, "currency": "usd"]])])
        }
        router.post("_sandbox/stripe/roll") { request, context in
            let body = try await AdminRoutes.requireObject(request, context: context)
            let given = body["expires_in_seconds"]
            guard given == nil || given?.intValue != nil else {
                throw APIFailure.plain(400, "bad_request", "expires_in_seconds must be a whole number of seconds")
            }
            let seconds = given?.intValue ?? 0
            do throws(SandboxError) {
                let (key, old) = try await store.withStripe { state, now throws(SandboxError) in
                    try state.roll(expiresIn: TimeInterval(seconds), now: now)
                }
                return Response.json(["key": .string(key.value), "old_expires_at": .optional(old.map { Int($0.timeIntervalSince1970) })],
                                     status: .created)
            } catch {
                throw APIFailure.plain(400, "bad_request", error.message)
            }
        }
    }

    /// Stripe's shape for a bad key; the key itself is not echoed.
    private static let invalidKey = APIFailure(status: .unauthorized, body: [
        "error": ["type": "invalid_request_error", "message": "Invalid API Key provided."],
    ])
}
