import Foundation
import RotorCrypto

/// The signature on Rotor's webhooks, and the check receivers run on it.
///
/// `X-Rotor-Timestamp` holds Unix seconds; `X-Rotor-Signature` holds `v1=` and the lowercase hex of
/// HMAC-SHA256(secret, "<timestamp>.<body>"). Signing the timestamp with the body lets a receiver
/// refuse a replay of an old delivery: `verify` accepts a timestamp within `tolerance` of its clock.
/// Rotor's own `POST /v1/replies` endpoint checks bridge requests the same way.
public enum WebhookSignature {
    /// The header holding the signing time, in Unix seconds.
    public static let timestampHeader = "X-Rotor-Timestamp"
    /// The header holding `v1=<hex>`.
    public static let signatureHeader = "X-Rotor-Signature"
    /// How far a timestamp may be from the receiver's clock, either way, by default.
    public static let defaultTolerance: Duration = .seconds(300)

    private static let prefix = "v1="

    /// `v1=` followed by the hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`.
    public static func sign(secret: [UInt8], timestamp: Int, body: [UInt8]) -> String {
        prefix + Hex.encode(mac(secret: secret, timestamp: String(timestamp), body: body))
    }

    /// Whether `signature` is a valid signature of `body` at `timestamp` under `secret`, and
    /// `timestamp` is within `tolerance` of `now` (earlier or later).
    ///
    /// Takes the header values as received. An empty secret, a timestamp that is not plain decimal
    /// digits, or a signature that is not `v1=` and 64 hex digits fails. The MAC is compared in
    /// constant time.
    public static func verify(
        secret: [UInt8], timestamp: String, body: [UInt8], signature: String, now: Date,
        tolerance: Duration = defaultTolerance
    ) -> Bool {
        guard !secret.isEmpty, !timestamp.isEmpty, timestamp.utf8.count <= 12,
              timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let seconds = Int(timestamp) else { return false }
        let skew = abs(now.timeIntervalSince1970 - Double(seconds))
        let allowed = Double(tolerance.components.seconds) + Double(tolerance.components.attoseconds) / 1e18
        guard skew <= allowed else { return false }
        guard signature.hasPrefix(prefix), let presented = Hex.decode(String(signature.dropFirst(prefix.count))),
              presented.count == HMACSHA256.byteCount else { return false }
        return ConstantTime.equals(mac(secret: secret, timestamp: timestamp, body: body), presented)
    }

    private static func mac(secret: [UInt8], timestamp: String, body: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(key: secret, message: Array("\(timestamp).".utf8) + body)
    }
}
