import Foundation
import RotorCrypto

/// An access token minted through `POST /v3/user/tokens`; accepted as a bearer token until deleted
/// or expired.
struct VercelToken: Sendable {
    let id: String
    let name: String
    let bearer: String
    let createdAt: Date
    let expiresAt: Date?
    var deletedAt: Date?

    init(name: String, expiresAt: Date?, now: Date) {
        id = Base62.randomString(length: 24)
        self.name = name
        bearer = "vcp_" + Base62.randomString(length: 56)
        createdAt = now
        self.expiresAt = expiresAt
    }

    func isValid(at now: Date) -> Bool {
        deletedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }

    /// The `token` object of Vercel's answers; never the bearer value.
    var json: JSONValue {
        ["id": .string(id), "name": .string(name), "type": "oauth2-token", "origin": "manual",
         "scopes": [["type": "user", "origin": "manual", "createdAt": .int(Timestamp.milliseconds(createdAt))]],
         "expiresAt": .optional(expiresAt.map(Timestamp.milliseconds)), "activeAt": .int(Timestamp.milliseconds(createdAt)),
         "createdAt": .int(Timestamp.milliseconds(createdAt))]
    }
}
