import Foundation
import RotorNotifiers
import Testing

/// `WebhookSignature`, the check every receiver of Rotor's webhooks (and Rotor's reply endpoint) runs.
@Suite struct WebhookSignatureTests {
    let secret = Array("rotor-webhook-test-secret".utf8)
    let body = Array(#"{"kind":"warning"}"#.utf8)
    let timestamp = 1_700_000_000
    var signedAt: Date { Date(timeIntervalSince1970: TimeInterval(timestamp)) }

    @Test func signatureMatchesAnIndependentHMAC() {
        // printf '1700000000.{"kind":"warning"}' | openssl dgst -sha256 -hmac 'rotor-webhook-test-secret'
        #expect(WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body)
            == "v1=4b80a39cf63826c274627a39723b2ee0c56f06965867a8c40a36bdd4e239aaf7")
    }

    @Test func validSignatureVerifiesWithinFiveMinutesEitherWay() {
        let signature = WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body)
        for offset in [0.0, 299, -299, 300, -300] {
            #expect(WebhookSignature.verify(secret: secret, timestamp: "\(timestamp)", body: body, signature: signature,
                                            now: signedAt + offset), "offset \(offset)")
        }
    }

    @Test func staleOrFutureTimestampFails() {
        let signature = WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body)
        for offset in [301.0, -301, 3600, -86_400] {
            #expect(!WebhookSignature.verify(secret: secret, timestamp: "\(timestamp)", body: body, signature: signature,
                                             now: signedAt + offset), "offset \(offset)")
        }
        #expect(WebhookSignature.verify(secret: secret, timestamp: "\(timestamp)", body: body, signature: signature,
                                        now: signedAt + 3600, tolerance: .seconds(3600)))
    }

    @Test func tamperedBodyTimestampOrSecretFails() {
        let signature = WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body)
        let tampered = Array(#"{"kind":"warninG"}"#.utf8)
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "\(timestamp)", body: tampered, signature: signature, now: signedAt))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "\(timestamp + 1)", body: body, signature: signature, now: signedAt))
        #expect(!WebhookSignature.verify(secret: Array("other-secret".utf8), timestamp: "\(timestamp)", body: body,
                                         signature: signature, now: signedAt))
        #expect(!WebhookSignature.verify(secret: [], timestamp: "\(timestamp)", body: body,
                                         signature: WebhookSignature.sign(secret: [], timestamp: timestamp, body: body), now: signedAt))
    }

    @Test func malformedHeadersFail() {
        let signature = WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body)
        let hex = String(signature.dropFirst(3))
        for bad in ["", hex, "v0=" + hex, "v1=", "v1=" + hex.dropLast(2), "v1=" + hex + "00", "v1=" + hex.uppercased().replacingOccurrences(of: "A", with: "G"),
                    " " + signature, signature + " "] {
            #expect(!WebhookSignature.verify(secret: secret, timestamp: "\(timestamp)", body: body, signature: bad, now: signedAt),
                    "\(bad.debugDescription)")
        }
        for badTimestamp in ["", " 1700000000", "+1700000000", "1700000000.0", "1.7e9", "-1", "0x6553f100", "99999999999999999999"] {
            #expect(!WebhookSignature.verify(secret: secret, timestamp: badTimestamp, body: body, signature: signature, now: signedAt),
                    "\(badTimestamp.debugDescription)")
        }
    }
}
