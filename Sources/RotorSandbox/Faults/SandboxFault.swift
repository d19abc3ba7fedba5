/// A fault the sandbox injects on request, as posted to `POST /_sandbox/faults` or passed to
/// `Sandbox.inject(_:)`.
///
/// JSON form (snake_case), for example:
/// `{"kind":"status","target":"render","path_prefix":"/services/srv-api/deploys","status":429,"count":3,"retry_after":1}`,
/// `{"kind":"latency","ms":50,"target":"any"}`, `{"kind":"fail_deploy","service":"srv-api","count":1}`,
/// `{"kind":"fail_deploy","project":"web-app"}`, `{"kind":"fail_deploy","project":"web-app","phase":"checks"}`, `{"kind":"unhealthy","app":"web-app"}`,
/// `{"kind":"accept_deploy_202","service":"srv-api"}`,
/// `{"kind":"lost_response","target":"openai","path_prefix":"/v1/organization/projects/proj_sandbox/service_accounts","method":"POST","status":502}`.
///
/// `path_prefix` is relative to the target's base (`/vercel`, `/render/v1`, `/vendor`, `/apps`);
/// with target `any` it is matched against the full path. `count` is how many requests (or deploys)
/// the fault hits; when absent it is 1 for `status`, `lost_response` and `fail_deploy` and unlimited (until
/// `DELETE /_sandbox/faults`) for the others.
public struct SandboxFault: Sendable, Codable, Equatable {
    /// What the fault does.
    public enum Kind: String, Sendable, Codable {
        /// Answer matching requests with `status` (429 adds `Retry-After`, and on Render `Ratelimit-Reset`).
        case status
        /// Delay matching requests by `ms` milliseconds.
        case latency
        /// Make the next deploys of `service` (Render) or `project` (Vercel) fail.
        case failDeploy = "fail_deploy"
        /// Make `app`'s health endpoint answer 503 whatever its key.
        case unhealthy
        /// Answer `POST /services/{service}/deploys` with 202 and no body (the deploy is still queued).
        case acceptDeploy202 = "accept_deploy_202"
        /// Handle matching requests, then answer `status` instead of the response, as when a response is lost
        /// on the way back: the request took effect, the client does not know it (a retried mint mints twice).
        case lostResponse = "lost_response"
    }

    /// Which emulated API a fault applies to.
    public enum Target: String, Sendable, Codable, CaseIterable {
        /// `/vercel/…`
        case vercel
        /// `/render/v1/…`
        case render
        /// `/vendor/…`
        case vendor
        /// `/openai/…`
        case openai
        /// `/onepassword/…`
        case onepassword
        /// `/apps/…`
        case apps
        /// Every emulated API (never `/_sandbox`); `path_prefix` is matched against the full path.
        case any
    }

    /// What the fault does.
    public var kind: Kind
    /// The API the fault applies to (`status` and `latency`); `any` by default.
    public var target: Target
    /// Only paths starting with this (relative to the target's base) are hit; nil hits all.
    public var pathPrefix: String?
    /// Only this method is hit (`GET`, `POST`, …); nil hits all.
    public var method: String?
    /// The status code for `status` faults, 400 to 599.
    public var status: Int?
    /// How many times the fault fires; see the type's documentation for the default.
    public var count: Int?
    /// The `Retry-After` seconds sent with a 429 (default 1).
    public var retryAfter: Int?
    /// The delay of a `latency` fault, in milliseconds.
    public var ms: Int?
    /// The Render service of `fail_deploy` and `accept_deploy_202`.
    public var service: String?
    /// The Vercel project (id or name) of `fail_deploy`.
    public var project: String?
    /// The app of `unhealthy`.
    public var app: String?
    /// Where a Render deploy fails: `build` (default, ends `build_failed`) or `update` (`update_failed`);
    /// where a Vercel deployment fails: `build` (default, `ERROR`) or `checks` (READY, `checksConclusion: "failed"`,
    /// never promoted).
    public var phase: String?

    /// Creates a fault; the static constructors below read better.
    public init(
        kind: Kind, target: Target = .any, pathPrefix: String? = nil, method: String? = nil, status: Int? = nil,
        count: Int? = nil, retryAfter: Int? = nil, ms: Int? = nil, service: String? = nil, project: String? = nil,
        app: String? = nil, phase: String? = nil
    ) {
        self.kind = kind
        self.target = target
        self.pathPrefix = pathPrefix
        self.method = method
        self.status = status
        self.count = count
        self.retryAfter = retryAfter
        self.ms = ms
        self.service = service
        self.project = project
        self.app = app
        self.phase = phase
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, target, pathPrefix = "path_prefix", method, status, count, retryAfter = "retry_after", ms
        case service, project, app, phase
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        target = try container.decodeIfPresent(Target.self, forKey: .target) ?? .any
        pathPrefix = try container.decodeIfPresent(String.self, forKey: .pathPrefix)
        method = try container.decodeIfPresent(String.self, forKey: .method)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        count = try container.decodeIfPresent(Int.self, forKey: .count)
        retryAfter = try container.decodeIfPresent(Int.self, forKey: .retryAfter)
        ms = try container.decodeIfPresent(Int.self, forKey: .ms)
        service = try container.decodeIfPresent(String.self, forKey: .service)
        project = try container.decodeIfPresent(String.self, forKey: .project)
        app = try container.decodeIfPresent(String.self, forKey: .app)
        phase = try container.decodeIfPresent(String.self, forKey: .phase)
    }

    /// Answer `count` matching requests with `status`.
    public static func status(
        _ status: Int, target: Target, pathPrefix: String? = nil, method: String? = nil, count: Int = 1, retryAfter: Int? = nil
    ) -> SandboxFault {
        SandboxFault(kind: .status, target: target, pathPrefix: pathPrefix, method: method, status: status, count: count,
                     retryAfter: retryAfter)
    }

    /// Handle `count` matching requests but answer them with `status`, as if their responses were lost.
    public static func lostResponse(_ status: Int, target: Target, pathPrefix: String? = nil, method: String? = nil,
                                    count: Int = 1) -> SandboxFault {
        SandboxFault(kind: .lostResponse, target: target, pathPrefix: pathPrefix, method: method, status: status, count: count)
    }

    /// Delay matching requests by `milliseconds` until the faults are cleared (or `count` times).
    public static func latency(milliseconds: Int, target: Target = .any, pathPrefix: String? = nil, count: Int? = nil) -> SandboxFault {
        SandboxFault(kind: .latency, target: target, pathPrefix: pathPrefix, count: count, ms: milliseconds)
    }

    /// Fail the next `count` deploys of a Render service, in the build (default) or update phase.
    public static func failDeploy(service: String, count: Int = 1, phase: String = "build") -> SandboxFault {
        SandboxFault(kind: .failDeploy, target: .render, count: count, service: service, phase: phase)
    }

    /// Fail the next `count` deployments of a Vercel project (id or name): they end in `ERROR`, or with
    /// `phase: "checks"` READY with `checksConclusion: "failed"` and not promoted.
    public static func failDeploy(project: String, count: Int = 1, phase: String? = nil) -> SandboxFault {
        SandboxFault(kind: .failDeploy, target: .vercel, count: count, project: project, phase: phase)
    }

    /// Make an app unhealthy until the faults are cleared.
    public static func unhealthy(app: String) -> SandboxFault {
        SandboxFault(kind: .unhealthy, target: .apps, app: app)
    }

    /// Answer deploy triggers of a Render service with 202 and no body (`count` times, or until cleared).
    public static func acceptDeploy202(service: String, count: Int? = nil) -> SandboxFault {
        SandboxFault(kind: .acceptDeploy202, target: .render, count: count, service: service)
    }
}
