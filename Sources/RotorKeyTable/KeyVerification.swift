import Foundation
import RotorCore

/// The answer to "is this API key good?". Encodes to the documented JSON fields.
public struct KeyVerification: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable {
        case badFormat = "bad_format"
        case badChecksum = "bad_checksum"
        case unknown
        case revoked
    }

    public var valid: Bool
    public var reason: Reason?
    public var status: APIKeyStatus?
    public var keyID: String?
    public var org: String?
    public var scopes: [String]?
    public var rateLimit: Int?
    public var graceEndsAt: Date?

    enum CodingKeys: String, CodingKey {
        case valid, reason, status, org, scopes
        case keyID = "key_id"
        case rateLimit = "rate_limit"
        case graceEndsAt = "grace_ends_at"
    }

    public static func invalid(_ reason: Reason) -> KeyVerification {
        KeyVerification(valid: false, reason: reason)
    }

    public static func valid(_ record: APIKeyRecord) -> KeyVerification {
        KeyVerification(valid: true, reason: nil, status: record.status, keyID: record.id, org: record.org,
                        scopes: record.scopes, rateLimit: record.rateLimit,
                        graceEndsAt: record.status == .grace ? record.graceEndsAt : nil)
    }
}
