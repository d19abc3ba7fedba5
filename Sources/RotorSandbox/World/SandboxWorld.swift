/// What the sandbox emulates: Vercel projects, Render services and env groups, their API tokens,
/// the vendor's admin token and the key every app starts with.
///
/// A world file (`rotor sandbox --world FILE`, YAML or JSON) has this shape; every field is optional
/// and falls back to the default world's value, except that listing `projects`, `services` or
/// `env_groups` replaces the default list:
///
/// ```yaml
/// initial_key: sk-sandbox-initial        # the key every app starts with (random when absent)
/// app_key: OPENAI_API_KEY                # the variable each app reads (per project/service: app_key)
/// vercel:
///   token: sandbox-vercel-token
///   teams: [{ id: team_sandbox, slug: sandbox }]
///   projects:
///     - { id: prj_webapp, name: web-app }
///     - { id: prj_teamsite, name: team-site, team_id: team_sandbox, env: { LOG_LEVEL: info } }
/// render:
///   token: sandbox-render-token
///   rate_limits: { reads_per_minute: 400, writes_per_minute: 30, deploys_per_minute: 10 }
///   services: [{ id: srv-api, name: api }, { id: srv-worker, name: worker, image: "docker.io/rotor/sandbox-worker:1.4.2" }]
///   env_groups: [{ id: evg-shared, name: shared, services: [srv-api, srv-worker], env: { LOG_LEVEL: info } }]
/// vendor:
///   admin_token: sandbox-vendor-admin
/// openai:
///   admin_key: sk-admin-sandbox
///   projects: [proj_sandbox]
/// onepassword:
///   token: sandbox-connect-token
/// slack:
///   bot_token: xoxb-sandbox-bot-token
///   channels: [C0SANDBOX01]
/// ```
///
/// At start every project, service and env group (unless `seed_app_key: false`) holds the initial
/// key under its app key, every project has one READY production deployment and every service one
/// `live` deploy carrying it, and the vendor knows the initial key as live: every app is healthy.
public struct SandboxWorld: Sendable, Codable, Equatable {
    /// The value of the vendor key every app starts with; nil draws a random `sk-sandbox-…` value
    /// when the sandbox is created (it is then shown by `/_sandbox/state` as `initial_key`).
    public var initialKey: String?
    /// The environment variable each app reads its vendor key from, unless a project or service
    /// names its own.
    public var appKey: String
    /// The emulated Vercel account.
    public var vercel: Vercel
    /// The emulated Render account.
    public var render: Render
    /// The emulated key-issuing vendor.
    public var vendor: Vendor
    /// The emulated OpenAI Admin API.
    public var openai: OpenAI
    /// The emulated 1Password Connect server.
    public var onepassword: OnePassword
    /// The emulated Slack workspace (Web API).
    public var slack: Slack

    /// Creates a world.
    public init(
        initialKey: String? = nil, appKey: String = "OPENAI_API_KEY",
        vercel: Vercel = .init(), render: Render = .init(), vendor: Vendor = .init(), openai: OpenAI = .init(),
        onepassword: OnePassword = .init(), slack: Slack = .init()
    ) {
        self.initialKey = initialKey
        self.appKey = appKey
        self.vercel = vercel
        self.render = render
        self.vendor = vendor
        self.openai = openai
        self.onepassword = onepassword
        self.slack = slack
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case initialKey = "initial_key", appKey = "app_key", vercel, render, vendor, openai, onepassword, slack
    }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SandboxWorld()
        initialKey = try container.decodeIfPresent(String.self, forKey: .initialKey)
        appKey = try container.decodeIfPresent(String.self, forKey: .appKey) ?? defaults.appKey
        vercel = try container.decodeIfPresent(Vercel.self, forKey: .vercel) ?? defaults.vercel
        render = try container.decodeIfPresent(Render.self, forKey: .render) ?? defaults.render
        vendor = try container.decodeIfPresent(Vendor.self, forKey: .vendor) ?? defaults.vendor
        openai = try container.decodeIfPresent(OpenAI.self, forKey: .openai) ?? defaults.openai
        onepassword = try container.decodeIfPresent(OnePassword.self, forKey: .onepassword) ?? defaults.onepassword
        slack = try container.decodeIfPresent(Slack.self, forKey: .slack) ?? defaults.slack
    }

    /// The default world: the one `rotor sandbox` serves without `--world` and the README describes.
    ///
    /// - Vercel (token `sandbox-vercel-token`): projects `web-app` (id `prj_webapp`; its key targets
    ///   production and preview) and `docs-site` (id `prj_docssite`; production only), no team, one READY
    ///   production deployment each.
    /// - Render (token `sandbox-render-token`): services `srv-api` (built from branch `main`, whose head
    ///   is one commit ahead of the live deploy) and `srv-worker` (image-backed,
    ///   `docker.io/rotor/sandbox-worker:1.4.2`); env group
    ///   `evg-shared` linked to both, holding `LOG_LEVEL=info` besides the app key. Deploys are
    ///   limited to 10 a minute per service, other writes to 30 and reads to 400 a minute.
    /// - Vendor: admin token `sandbox-vendor-admin`; one live key, the initial key.
    /// - OpenAI: Admin key `sk-admin-sandbox`, project `proj_sandbox` with one user-owned API key.
    /// - 1Password Connect: token `sandbox-connect-token`; vault `rotorsandboxvault000000001` with item
    ///   `rotorsandboxitem0000000001` ("OpenAI API key") whose field `OPENAI_API_KEY` holds the initial key.
    /// - Every app reads `OPENAI_API_KEY`; every project env, service env, the env group and every
    ///   app's live env hold the initial key, so all four apps are healthy.
    public static let `default` = SandboxWorld()
}
