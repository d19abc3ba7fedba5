/// What a simulated app runs with: the value of its key in its live environment, and why it is
/// unhealthy if it is.
struct AppStatus: Sendable {
    let name: String
    /// `vercel` or `render`.
    let provider: String
    let appKey: String
    let liveValue: String?
    let liveDeployId: String?
    /// Why the app is unhealthy, or nil when it is healthy. Never contains the value.
    let failure: String?

    var isHealthy: Bool { failure == nil }

    /// `GET /apps/{name}`: the live fingerprint, never the value.
    var json: JSONValue {
        ["app": .string(name), "provider": .string(provider), "key": .string(appKey),
         "live_fingerprint": Fingerprint.of(liveValue), "live_deploy": .optional(liveDeployId),
         "healthy": .bool(isHealthy), "reason": .optional(failure)]
    }

    /// `GET /apps/{name}/health`.
    var healthJSON: JSONValue {
        ["app": .string(name), "status": .string(isHealthy ? "ok" : "unhealthy"), "fingerprint": Fingerprint.of(liveValue),
         "reason": .optional(failure)]
    }
}
