extension Sandbox {
    /// The value of `key` in the environment the app's running deploy was built with (the last
    /// successful deploy), or nil. Apps are named after Vercel projects and Render service ids.
    public func liveValue(app: String, key: String) async -> String? {
        await store.liveValue(app: app, key: key)
    }

    /// The value of `key` in a Vercel project's (id or name) env for `target`, branch-less variables only.
    public func envValue(project: String, key: String, target: String = "production") async -> String? {
        await store.envValue(project: project, key: key, target: target)
    }

    /// The value of `key` among a Render service's own variables (env groups not included).
    public func envValue(service: String, key: String) async -> String? {
        await store.envValue(service: service, key: key)
    }

    /// The value of `key` in a Render env group.
    public func envValue(envGroup: String, key: String) async -> String? {
        await store.envValue(envGroup: envGroup, key: key)
    }

    /// Whether the vendor would accept `value` now (minted, or the initial key, and not revoked).
    public func isVendorKeyLive(_ value: String) async -> Bool {
        await store.isVendorKeyLive(value)
    }

    /// The vendor's id of the first key minted under `name` (the initial key is named "initial").
    public func vendorKeyID(name: String) async -> String? {
        await store.vendorKeyID(name: name)
    }

    /// Whether the app's health endpoint would answer 200 now.
    public func isHealthy(app: String) async -> Bool {
        await store.appStatus(app)?.isHealthy ?? false
    }

    /// Deploys of a Render service made through the API (the one it starts with is not counted).
    public func deployCount(service: String) async -> Int {
        await store.deployCount(service: service)
    }

    /// Render requests refused with a 429 because a budget of `render.rate_limits` was spent (also
    /// `render.rate_limited` in `/_sandbox/state`); injected 429 faults are not counted.
    public func renderRateLimited() async -> Int {
        await store.render.rateLimited
    }

    /// Deployments of a Vercel project (id or name) made through the API.
    public func deployCount(project: String) async -> Int {
        await store.deployCount(project: project)
    }

    /// Injects a fault; returns its id.
    ///
    /// - Throws: `SandboxError` when the fault is incomplete or names a service, project or app
    ///   that does not exist.
    @discardableResult
    public func inject(_ fault: SandboxFault) async throws -> String {
        try await store.inject(fault)
    }

    /// Removes every fault.
    public func clearFaults() async {
        await store.clearFaults()
    }

    /// Puts the world back as it started: same initial key, no faults, no later keys or deploys.
    public func reset() async {
        await store.reset()
    }
}
