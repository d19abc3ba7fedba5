import Foundation

/// One deployment of a Vercel project. Its state follows from the time since it was created:
/// QUEUED, INITIALIZING, BUILDING, then READY (or ERROR when a fault made it fail).
struct VercelDeployment: Sendable {
    let id: String
    let projectId: String
    let name: String
    let url: String
    /// `production`, or nil for a preview deployment.
    let target: String?
    let createdAt: Date
    let duration: TimeInterval
    let fails: Bool
    /// The project's variables for this deployment's target, captured when it was created.
    let snapshot: [String: String]
    let meta: JSONValue
    /// Whether the sandbox created it at start (it does not count as a deploy).
    let seeded: Bool

    var finishesAt: Date { createdAt.addingTimeInterval(duration) }

    func readyState(at now: Date) -> String {
        let elapsed = now.timeIntervalSince(createdAt)
        if elapsed >= duration { return fails ? "ERROR" : "READY" }
        if elapsed >= duration / 2 { return "BUILDING" }
        if elapsed >= duration / 4 { return "INITIALIZING" }
        return "QUEUED"
    }

    func isLive(at now: Date) -> Bool {
        target == "production" && readyState(at: now) == "READY"
    }

    /// The `GET /v13/deployments/{id}` and `POST /v13/deployments` shape.
    func v13(at now: Date) -> JSONValue {
        let state = readyState(at: now)
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("name", .string(name)), ("url", .string(url)), ("projectId", .string(projectId)),
            ("createdAt", .int(Timestamp.milliseconds(createdAt))), ("buildingAt", buildingAt(now)),
            ("ready", state == "READY" ? .int(Timestamp.milliseconds(finishesAt)) : nil),
            ("readyState", .string(state)), ("status", .string(state)), ("target", .optional(target)),
            ("type", "LAMBDAS"), ("source", "redeploy"), ("meta", meta),
            ("alias", state == "READY" && target == "production" ? [.string("\(name).vercel.app")] : []),
            ("aliasAssigned", .bool(isLive(at: now))), ("aliasError", nil),
            ("inspectorUrl", .string("https://vercel.com/sandbox/\(name)/\(id)")),
        ]
        if state == "ERROR" {
            members += [("errorCode", "BUILD_UTILS_SPAWN_1"),
                        ("errorMessage", "Command \"npm run build\" exited with 1 (failure injected by the sandbox)")]
        }
        return .object(members)
    }

    /// The `GET /v6/deployments` list item shape.
    func v6(at now: Date) -> JSONValue {
        let state = readyState(at: now)
        return [
            "uid": .string(id), "name": .string(name), "projectId": .string(projectId), "url": .string(url),
            "created": .int(Timestamp.milliseconds(createdAt)), "createdAt": .int(Timestamp.milliseconds(createdAt)),
            "buildingAt": buildingAt(now), "ready": state == "READY" ? .int(Timestamp.milliseconds(finishesAt)) : nil,
            "state": .string(state), "readyState": .string(state), "type": "LAMBDAS", "target": .optional(target),
            "creator": ["uid": "usr_sandbox", "username": "sandbox"], "meta": meta,
            "aliasAssigned": .bool(isLive(at: now)), "aliasError": nil,
            "inspectorUrl": .string("https://vercel.com/sandbox/\(name)/\(id)"),
        ]
    }

    private func buildingAt(_ now: Date) -> JSONValue {
        let start = createdAt.addingTimeInterval(duration / 2)
        return now >= start ? .int(Timestamp.milliseconds(start)) : nil
    }
}
