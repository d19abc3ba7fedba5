import Foundation
import RotorCrypto

/// Slack's request signature ("Verifying requests from Slack"): `X-Slack-Signature` is `v0=` and the lowercase hex
/// HMAC-SHA256, under the app's signing secret, of `v0:{X-Slack-Request-Timestamp}:{raw body}`; the timestamp is Unix
/// seconds and must be within five minutes of now, either way.
enum SlackSignature {
    static let timestampHeader = "X-Slack-Request-Timestamp"
    static let signatureHeader = "X-Slack-Signature"
    static let tolerance: TimeInterval = 300

    /// Why a request is refused before its body is looked at.
    enum Refusal: String, Error {
        case missing = "missing signature headers"
        case malformed = "malformed signature headers"
        case stale = "timestamp more than 5 minutes from the server's clock"
        case mismatch = "bad signature"
    }

    /// The index in `secrets` of the one that signed `body`, or why none did. Every secret is tried (in constant
    /// time each), so the answer's timing does not tell which channel came closest.
    static func verify(timestamp: String?, signature: String?, body: [UInt8], secrets: [[UInt8]], now: Date) -> Result<Int, Refusal> {
        guard let timestamp, let signature, !timestamp.isEmpty, !signature.isEmpty else { return .failure(.missing) }
        guard timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let seconds = Int(timestamp), signature.hasPrefix("v0="), signature.utf8.count == 3 + 2 * HMACSHA256.byteCount,
              let presented = Hex.decode(String(signature.dropFirst(3))) else { return .failure(.malformed) }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { return .failure(.stale) }
        let base = Array("v0:\(timestamp):".utf8) + body
        var found: Int?
        for (index, secret) in secrets.enumerated() where !secret.isEmpty {
            if ConstantTime.equals(HMACSHA256.authenticate(key: secret, message: base), presented), found == nil { found = index }
        }
        return found.map { .success($0) } ?? .failure(.mismatch)
    }
}
