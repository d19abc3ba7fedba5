import Foundation

/// One deployment of a Vercel project. Its state follows from the time since it was created:
/// QUEUED, INITIALIZING, BUILDING, then READY (or ERROR when a fault made it fail).
///
/// A READY production deployment goes live (is promoted) unless it was created while an Instant
/// Rollback was in force, or its deployment checks failed: then it is READY but never served.
struct VercelDeployment: Sendable {
    /// How a fault makes a deployment end.
    enum Failure: Sendable {
        /// The build fails: `ERROR`.
        case build
        /// The build succeeds but the deployment checks fail: READY with `checksConclusion: "failed"`.
        case checks
    }

    let id: String
    let projectId: String
    let name: String
    let url: String
    /// `production`, or nil for a preview deployment.
    let target: String?
    /// The branch a preview deployment was built from (its app is `{project}-preview-{branch}`).
    let gitBranch: String?
    let createdAt: Date
    let duration: TimeInterval
    let failure: Failure?
    /// Whether it is promoted to production once READY: false while an Instant Rollback is in force.
    let autoPromote: Bool
    /// The project's variables for this deployment's target, captured when it was created.
    let snapshot: [String: String]
    let meta: JSONValue
    /// Whether the sandbox created it at start (it does not count as a deploy).
    let seeded: Bool

    var finishesAt: Date { createdAt.addingTimeInterval(duration) }

    func readyState(at now: Date) -> String {
        let elapsed = now.timeIntervalSince(createdAt)
        if elapsed >= duration { return failure == .build ? "ERROR" : "READY" }
        if elapsed >= duration / 2 { return "BUILDING" }
        if elapsed >= duration / 4 { return "INITIALIZING" }
        return "QUEUED"
    }

    /// Whether it would serve production once READY, rollbacks aside.
    func isPromotable(at now: Date) -> Bool {
        target == "production" && autoPromote && failure == nil && readyState(at: now) == "READY"
    }

    /// `checksConclusion` once the build is over: `failed` for a checks fault.
    private func checksConclusion(at now: Date) -> JSONValue {
        guard readyState(at: now) == "READY" else { return nil }
        return failure == .checks ? "failed" : "succeeded"
    }

    /// The `GET /v13/deployments/{id}` and `POST /v13/deployments` shape; `served` says whether it is
    /// the deployment production traffic reaches.
    func v13(at now: Date, served: Bool) -> JSONValue {
        let state = readyState(at: now)
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("name", .string(name)), ("url", .string(url)), ("projectId", .string(projectId)),
            ("createdAt", .int(Timestamp.milliseconds(createdAt))), ("buildingAt", buildingAt(now)),
            ("ready", state == "READY" ? .int(Timestamp.milliseconds(finishesAt)) : nil),
            ("readyState", .string(state)), ("status", .string(state)), ("target", .optional(target)),
            ("type", "LAMBDAS"), ("source", "redeploy"), ("meta", meta),
            ("alias", served ? [.string("\(name).vercel.app")] : []),
            ("aliasAssigned", .bool(served)), ("aliasError", nil),
            ("checksState", state == "READY" ? "completed" : "running"), ("checksConclusion", checksConclusion(at: now)),
            ("inspectorUrl", .string("https://vercel.com/sandbox/\(name)/\(id)")),
        ]
        if let gitBranch { members.append(("gitSource", ["type": "github", "ref": .string(gitBranch)])) }
        if state == "ERROR" {
            members += [("errorCode", "BUILD_UTILS_SPAWN_1"),
                        ("errorMessage", "Command \"npm run build\" exited with 1 (failure injected by the sandbox)")]
        }
        return .object(members)
    }

    /// The `GET /v6/deployments` (and v7) list item shape.
    func v6(at now: Date, served: Bool) -> JSONValue {
        let state = readyState(at: now)
        return [
            "uid": .string(id), "name": .string(name), "projectId": .string(projectId), "url": .string(url),
            "created": .int(Timestamp.milliseconds(createdAt)), "createdAt": .int(Timestamp.milliseconds(createdAt)),
            "buildingAt": buildingAt(now), "ready": state == "READY" ? .int(Timestamp.milliseconds(finishesAt)) : nil,
            "state": .string(state), "readyState": .string(state), "type": "LAMBDAS", "target": .optional(target),
            "creator": ["uid": "usr_sandbox", "username": "sandbox"], "meta": meta,
            "aliasAssigned": .bool(served), "aliasError": nil, "checksConclusion": checksConclusion(at: now),
            "inspectorUrl": .string("https://vercel.com/sandbox/\(name)/\(id)"),
        ]
    }

    private func buildingAt(_ now: Date) -> JSONValue {
        let start = createdAt.addingTimeInterval(duration / 2)
        return now >= start ? .int(Timestamp.milliseconds(start)) : nil
    }
}
