import Foundation
import RotorCore

/// A whole-millisecond date (timestamps are stored in milliseconds): `t(0)` is 2025-01-01T00:00:00Z.
func t(_ seconds: Double) -> Date {
    Date(timeIntervalSince1970: Double(1_735_689_600_000 + Int64((seconds * 1000).rounded())) / 1000)
}

let minute: Double = 60
let hour: Double = 3600
let day: Double = 86400

enum Fixtures {
    static func secret(_ name: String = "openai-api-key", at time: Date = t(0)) -> SecretRecord {
        SecretRecord(
            name: name, playbookPath: "Playbooks/\(name).yaml", kind: .secret, nextRotationAt: time.addingTimeInterval(30 * day),
            cycleStartedAt: time, warningsSent: [], skipsThisCycle: 0, createdAt: time, updatedAt: time
        )
    }

    static func version(
        _ id: String, of secret: String = "openai-api-key", label: VersionLabel, sealed: [UInt8] = [1, 2, 3], at time: Date = t(0)
    ) -> SecretVersionRecord {
        SecretVersionRecord(
            id: id, secretName: secret, label: label, sealedValue: sealed, masterKeyID: "mk-1", fingerprint: "0a1b2c3d",
            last4: "x7K2", sourceHandle: "vendor-\(id)", rotationID: nil, createdAt: time
        )
    }

    static func rotation(
        _ id: String, of secret: String = "openai-api-key", state: RotationState = .generating, at time: Date = t(0)
    ) -> RotationRecord {
        RotationRecord(
            id: id, secretName: secret, trigger: .schedule, actor: "scheduler", reason: nil, state: state,
            createdAt: time, updatedAt: time
        )
    }

    static func apiKey(_ index: Int, org: String = "acme", status: APIKeyStatus = .active, at time: Date = t(0)) -> APIKeyRecord {
        APIKeyRecord(
            id: String(format: "key-%07d", index), keyHash: keyHash(index), prefix: String(format: "rk_%07d", index),
            last4: String(format: "%04d", index % 10000), org: org, name: "key \(index)", scopes: ["read", "write"],
            rateLimit: 100, status: status, createdAt: time
        )
    }

    /// A deterministic 32-byte stand-in for HMAC(pepper, key).
    static func keyHash(_ index: Int) -> [UInt8] {
        var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        return (0..<32).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    static func notification(_ id: String, due: Date = t(0), dedupe: String? = nil, org: String? = "acme", secret: String? = "openai-api-key") -> NotificationRecord {
        NotificationRecord(
            id: id, channel: "security-slack", org: org, secretName: secret, kind: "warning", urgent: false,
            subject: "openai-api-key rotates in 7 days", body: "Reply SKIP to postpone.", dedupeKey: dedupe ?? "dedupe-\(id)",
            nextAttemptAt: due, createdAt: due
        )
    }

    static func audit(_ action: String, subject: String = "openai-api-key", at time: Date = t(0)) -> AuditEvent {
        AuditEvent(
            at: time, subject: subject, subjectKind: "secret", action: action, oldFingerprint: "0a1b2c3d", oldLast4: "x7K2",
            newFingerprint: "4e5f6a7b", newLast4: "Q9zP", trigger: "schedule", actor: "scheduler", reason: "due",
            outcome: "success", rotationID: "rot-1", detail: #"{"targets":2}"#
        )
    }
}
