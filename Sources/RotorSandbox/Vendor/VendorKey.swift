import Foundation

/// A key issued by the emulated vendor.
struct VendorKey: Sendable {
    let id: String
    let value: String
    let name: String?
    let createdAt: Date
    var revokedAt: Date?

    var isLive: Bool { revokedAt == nil }

    /// The answer to a mint: the only place the value is ever shown.
    var minted: JSONValue {
        ["id": .string(id), "object": "api_key", "value": .string(value), "name": .optional(name),
         "created_at": .int(Int(createdAt.timeIntervalSince1970))]
    }

    /// The key without its value.
    var summary: JSONValue {
        ["id": .string(id), "object": "api_key", "name": .optional(name), "fingerprint": .string(Fingerprint.of(value)),
         "created_at": .int(Int(createdAt.timeIntervalSince1970)),
         "revoked_at": .optional(revokedAt.map { Int($0.timeIntervalSince1970) }), "live": .bool(isLive)]
    }
}
