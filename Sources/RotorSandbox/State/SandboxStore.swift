import Foundation

/// Everything the sandbox knows — accounts, variables, deploys, vendor keys, faults — behind one
/// actor, so each API request sees and changes a consistent state.
///
/// Deploy progress is not driven by timers: a deploy's status follows from its creation time, so
/// state is always computed for the moment of the request (`now`, the system clock unless a test
/// drives time itself).
actor SandboxStore {
    let world: SandboxWorld
    let initialKey: String
    let deployDuration: TimeInterval
    let now: @Sendable () -> Date

    private(set) var vercel: VercelState
    private(set) var render: RenderState
    private(set) var vendor: VendorState
    private(set) var openAI: OpenAIState
    private(set) var onePassword: OnePasswordState
    private(set) var stripe: StripeState
    private(set) var github: GitHubAppState
    var slack: SlackState
    private(set) var faults = FaultBook()

    init(world: SandboxWorld, initialKey: String, deployDuration: TimeInterval, now: @escaping @Sendable () -> Date = Date.init) {
        self.world = world
        self.initialKey = initialKey
        self.deployDuration = deployDuration
        self.now = now
        let seeded = WorldSeeder(world: world, initialKey: initialKey, deployDuration: deployDuration).seed(now: now())
        vercel = seeded.vercel
        render = seeded.render
        vendor = seeded.vendor
        openAI = seeded.openAI
        onePassword = seeded.onePassword
        stripe = StripeState(now: now())
        github = GitHubAppState(now: now())
        slack = SlackState(botToken: world.slack.botToken, channels: world.slack.channels)
    }

    /// Back to the world as it started: same initial key, no faults, no further keys or deploys.
    func reset() {
        let seeded = WorldSeeder(world: world, initialKey: initialKey, deployDuration: deployDuration).seed(now: now())
        vercel = seeded.vercel
        render = seeded.render
        vendor = seeded.vendor
        openAI = seeded.openAI
        onePassword = seeded.onePassword
        stripe = StripeState(now: now())
        github = GitHubAppState(now: now())
        slack = SlackState(botToken: world.slack.botToken, channels: world.slack.channels)
        faults.clear()
    }

    // MARK: Transactions for the API handlers

    func withVercel<T: Sendable>(_ body: @Sendable (inout VercelState, inout FaultBook, Date) throws -> T) rethrows -> T {
        try body(&vercel, &faults, now())
    }

    func withRender<T: Sendable>(_ body: @Sendable (inout RenderState, inout FaultBook, Date) throws -> T) rethrows -> T {
        try body(&render, &faults, now())
    }

    func withVendor<T: Sendable>(_ body: @Sendable (inout VendorState, Date) throws -> T) rethrows -> T {
        try body(&vendor, now())
    }

    func withStripe<T: Sendable, E: Error>(_ body: @Sendable (inout StripeState, Date) throws(E) -> T) throws(E) -> T {
        try body(&stripe, now())
    }

    func withGitHub<T: Sendable, E: Error>(_ body: @Sendable (inout GitHubAppState, Date) throws(E) -> T) throws(E) -> T {
        try body(&github, now())
    }

    func withSlack<T: Sendable>(_ body: @Sendable (inout SlackState, Date) -> T) -> T {
        body(&slack, now())
    }

    func withOpenAI<T: Sendable>(_ body: @Sendable (inout OpenAIState, Date) throws -> T) rethrows -> T {
        try body(&openAI, Date())
    }

    func withOnePassword<T: Sendable>(_ body: @Sendable (inout OnePasswordState, Date) throws -> T) rethrows -> T {
        try body(&onePassword, Date())
    }

    // MARK: Faults

    /// Adds a fault after checking it names things that exist; returns its id.
    func inject(_ fault: SandboxFault) throws(SandboxError) -> String {
        var fault = fault
        switch fault.kind {
        case .status, .lostResponse:
            guard let status = fault.status, (400...599).contains(status) else {
                throw SandboxError("a status fault needs \"status\" between 400 and 599")
            }
            if let retryAfter = fault.retryAfter, retryAfter < 0 { throw SandboxError("\"retry_after\" must not be negative") }
        case .latency:
            guard let ms = fault.ms, (0...60_000).contains(ms) else {
                throw SandboxError("a latency fault needs \"ms\" between 0 and 60000")
            }
        case .failDeploy:
            switch (fault.service, fault.project) {
            case (let service?, nil):
                guard render.services.contains(where: { $0.id == service }) else { throw SandboxError("no Render service '\(service)'") }
                guard fault.phase == nil || fault.phase == "build" || fault.phase == "update" else {
                    throw SandboxError("\"phase\" must be \"build\" or \"update\"")
                }
                fault.target = .render
            case (nil, let project?):
                guard let match = vercel.projects.first(where: { $0.id == project || $0.name == project }) else {
                    throw SandboxError("no Vercel project '\(project)'")
                }
                guard fault.phase == nil || fault.phase == "build" || fault.phase == "checks" else {
                    throw SandboxError("\"phase\" of a Vercel fail_deploy must be \"build\" or \"checks\"")
                }
                fault.project = match.id
                fault.target = .vercel
            default:
                throw SandboxError("a fail_deploy fault names either \"service\" (Render) or \"project\" (Vercel)")
            }
        case .unhealthy:
            guard let app = fault.app, appStatus(app) != nil else {
                throw SandboxError("an unhealthy fault needs \"app\", one of: \(appNames.joined(separator: ", "))")
            }
            fault.target = .apps
        case .acceptDeploy202:
            guard let service = fault.service, render.services.contains(where: { $0.id == service }) else {
                throw SandboxError("an accept_deploy_202 fault needs \"service\", an existing Render service")
            }
            fault.target = .render
        }
        if let count = fault.count, count < 1 { throw SandboxError("\"count\" must be at least 1") }
        return faults.add(fault)
    }

    func clearFaults() {
        faults.clear()
    }

    func takeLatency(_ request: FaultRequest) -> Int {
        faults.latency(request)
    }

    func takeStatusFault(_ request: FaultRequest) -> SandboxFault? {
        faults.takeStatus(request)
    }

    func takeLostResponseFault(_ request: FaultRequest) -> SandboxFault? {
        faults.takeStatus(request, kind: .lostResponse)
    }

    func admitRender(_ bucket: RenderBucket, spend: Bool) -> RenderState.Admission {
        render.admit(bucket, spend: spend, now: now())
    }

    // MARK: Apps

    /// Vercel projects by name, then their preview deployments as `{project}-preview-{branch}`, then
    /// Render services by id.
    var appNames: [String] {
        vercel.projects.map(\.name)
            + vercel.projects.flatMap { project in project.previewBranches.map { Self.previewAppName(project.name, $0) } }
            + render.services.map(\.id)
    }

    /// The app a preview deployment of `branch` runs as.
    static func previewAppName(_ project: String, _ branch: String) -> String {
        "\(project)-preview-\(branch)"
    }

    /// The deployment a preview app runs: the newest READY preview deployment of its branch.
    private func previewDeployment(app: String, at now: Date) -> (VercelProject, VercelDeployment?)? {
        for project in vercel.projects {
            for branch in project.previewBranches where Self.previewAppName(project.name, branch) == app {
                return (project, project.livePreview(branch: branch, at: now))
            }
        }
        return nil
    }

    /// What an app runs with now, or nil for an unknown app.
    func appStatus(_ name: String) -> AppStatus? {
        let now = self.now()
        if let project = vercel.projects.first(where: { $0.name == name }) {
            let live = project.liveDeployment(at: now)
            return status(name: name, provider: "vercel", appKey: project.appKey, liveEnv: live?.snapshot, deployId: live?.id)
        }
        if let service = render.services.first(where: { $0.id == name }) {
            let live = service.liveDeploy(at: now)
            return status(name: name, provider: "render", appKey: service.appKey, liveEnv: live?.snapshot, deployId: live?.id)
        }
        if let (project, preview) = previewDeployment(app: name, at: now) {
            return status(name: name, provider: "vercel", appKey: project.appKey, liveEnv: preview?.snapshot, deployId: preview?.id)
        }
        return nil
    }

    /// Whether a key is live at the vendor that issued it: the key vendor or OpenAI (a service account's key).
    func isKeyLive(_ value: String) -> Bool {
        vendor.liveKey(value: value) != nil || openAI.isLive(value: value)
    }

    private func status(name: String, provider: String, appKey: String, liveEnv: [String: String]?, deployId: String?) -> AppStatus {
        let value = liveEnv?[appKey]
        let reason: String?
        if faults.isUnhealthy(app: name) {
            reason = "unhealthy: a fault injected through /_sandbox/faults"
        } else if let value {
            reason = !isKeyLive(value)
                ? "\(appKey) in the live environment (fingerprint \(Fingerprint.of(value))) is not a live key at the vendor"
                : nil
        } else {
            reason = "\(appKey) is not set in the live environment"
        }
        return AppStatus(name: name, provider: provider, appKey: appKey, liveValue: value, liveDeployId: deployId, failure: reason)
    }

    // MARK: Inspection

    func liveValue(app: String, key: String) -> String? {
        let now = self.now()
        if let project = vercel.projects.first(where: { $0.name == app }) { return project.liveDeployment(at: now)?.snapshot[key] }
        if let service = render.services.first(where: { $0.id == app }) { return service.liveDeploy(at: now)?.snapshot[key] }
        return previewDeployment(app: app, at: now)?.1?.snapshot[key]
    }

    func envValue(project: String, key: String, target: String) -> String? {
        vercel.projects.first { $0.id == project || $0.name == project }?
            .envs.first { $0.key == key && $0.target.contains(target) && $0.gitBranch == nil }?.value
    }

    func envValue(service: String, key: String) -> String? {
        render.services.first { $0.id == service }?.envVars.first { $0.key == key }?.value
    }

    func envValue(envGroup: String, key: String) -> String? {
        render.groups.first { $0.id == envGroup }?.envVars.first { $0.key == key }?.value
    }

    func vendorKeyID(name: String) -> String? {
        vendor.keys.first { $0.name == name }?.id
    }

    func isVendorKeyLive(_ value: String) -> Bool {
        isKeyLive(value)
    }

    func deployCount(service: String) -> Int {
        render.services.first { $0.id == service }?.deployCount ?? 0
    }

    func deployCount(project: String) -> Int {
        vercel.projects.first { $0.id == project || $0.name == project }?.deployCount ?? 0
    }
}
