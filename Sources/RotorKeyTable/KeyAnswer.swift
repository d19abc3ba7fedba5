import Foundation
import RotorCore

/// A verification with its JSON answer already encoded: the server sends ``json`` as the body as it is, so a
/// verification from the in-memory index encodes nothing. A class, so handing one out costs one reference.
public final class KeyAnswer: Sendable {
    public let verification: KeyVerification
    /// `verification` as the service answers it: sorted keys, unescaped slashes, ISO 8601 dates.
    public let json: [UInt8]

    public init(_ verification: KeyVerification) {
        self.verification = verification
        json = Self.encode(verification)
    }

    public var valid: Bool { verification.valid }

    static let badFormat = KeyAnswer(.invalid(.badFormat))
    static let badChecksum = KeyAnswer(.invalid(.badChecksum))
    static let unknown = KeyAnswer(.invalid(.unknown))
    static let revoked = KeyAnswer(.invalid(.revoked))

    /// The answer to a key refused for `reason`: the same few bytes every time.
    static func refused(_ reason: KeyVerification.Reason) -> KeyAnswer {
        switch reason {
        case .badFormat: badFormat
        case .badChecksum: badChecksum
        case .unknown: unknown
        case .revoked: revoked
        }
    }

    /// Encodes as the service's `JSONBody.response` does, so both paths answer byte for byte alike.
    private static func encode(_ verification: KeyVerification) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.string(date))
        }
        // Built from plain strings, numbers and dates: encoding cannot fail.
        return Array((try? encoder.encode(verification)) ?? Data(#"{"valid":false}"#.utf8))
    }
}
