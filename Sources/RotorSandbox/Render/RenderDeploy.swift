import Foundation
import RotorCrypto

/// One deploy of a Render service. Its status follows from the time since it was created:
/// `created`, `build_in_progress`, `update_in_progress`, then `live` — or `build_failed` /
/// `update_failed` when a fault made it fail, `canceled` when cancelled in flight, and `deactivated`
/// once a newer deploy has gone live.
struct RenderDeploy: Sendable {
    enum FailurePhase: Sendable {
        case build, update
    }

    let id: String
    /// The opaque position of this deploy in `GET /services/{id}/deploys`.
    let cursor: String
    let createdAt: Date
    let duration: TimeInterval
    let failure: FailurePhase?
    /// The service's variables overlaid on its env groups', captured when the deploy was created.
    let snapshot: [String: String]
    /// Whether the sandbox created it at start (it does not count as a deploy).
    let seeded: Bool
    /// The commit (or image) it builds and runs.
    let source: RenderDeploySource
    var canceledAt: Date?

    init(
        id: String, createdAt: Date, duration: TimeInterval, failure: FailurePhase?, snapshot: [String: String], seeded: Bool,
        source: RenderDeploySource
    ) {
        self.id = id
        self.source = source
        self.cursor = Base62.randomString(length: 16)
        self.createdAt = createdAt
        self.duration = duration
        self.failure = failure
        self.snapshot = snapshot
        self.seeded = seeded
    }

    /// When the deploy reaches its final status, unless cancelled first.
    var endsAt: Date {
        createdAt.addingTimeInterval(failure == .build ? duration / 2 : duration)
    }

    /// When it went (or goes) live, or nil if it never will.
    var liveAt: Date? {
        guard failure == nil else { return nil }
        if let canceledAt, canceledAt < endsAt { return nil }
        return endsAt
    }

    /// The status at `now`; `supersededAt` is when a newer deploy of the service went live, if one did.
    func status(at now: Date, supersededAt: Date?) -> String {
        if let canceledAt, canceledAt <= now, canceledAt < endsAt { return "canceled" }
        let elapsed = now.timeIntervalSince(createdAt)
        if now >= endsAt {
            switch failure {
            case .build?: return "build_failed"
            case .update?: return "update_failed"
            case nil: return supersededAt.map { $0 <= now } == true ? "deactivated" : "live"
            }
        }
        if elapsed >= duration / 2 { return "update_in_progress" }
        if elapsed >= duration / 4 { return "build_in_progress" }
        return "created"
    }

    func isInProgress(at now: Date) -> Bool {
        ["created", "build_in_progress", "update_in_progress"].contains(status(at: now, supersededAt: nil))
    }

    /// The deploy object of Render's API.
    func json(at now: Date, supersededAt: Date?) -> JSONValue {
        let status = status(at: now, supersededAt: supersededAt)
        let finished: Date? = switch status {
        case "canceled": canceledAt
        case "created", "build_in_progress", "update_in_progress": nil
        default: endsAt
        }
        let steps = [createdAt, createdAt.addingTimeInterval(duration / 4), createdAt.addingTimeInterval(duration / 2), endsAt]
        let updated = ([finished].compactMap { $0 } + steps.filter { $0 <= now && (finished == nil || $0 <= finished!) }).max() ?? createdAt
        return [
            "id": .string(id), "commit": source.commitJSON, "image": source.imageJSON, "status": .string(status), "trigger": .string(seeded ? "new_commit" : "api"),
            "createdAt": .string(Timestamp.rfc3339(createdAt)), "updatedAt": .string(Timestamp.rfc3339(updated)),
            "finishedAt": Timestamp.rfc3339(finished),
        ]
    }
}
