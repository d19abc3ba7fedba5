import Foundation
import RotorCore
import RotorHTTP

/// Holds a secret in a Vercel project's environment variable and redeploys production so the new
/// value goes live.
///
/// A key can exist as several variables (one per target list or branch). `apply` first journals what
/// they hold (values decrypted by id; `sensitive` ones cannot be read), then writes the new value into
/// each as it is (by id, keeping its type and target list, since an upsert with another target list is a
/// 400 `ENV_CONFLICT`) and creates one variable for the environments none covers. It then (when
/// `redeploy` is on and the environments include production) redeploys the deployment production
/// serves with `forceNew=1` and waits until it is READY with its alias assigned; while an Instant
/// Rollback is in force it stops before writing anything. With `previews: redeploy` the latest preview
/// deployment of each branch active within `previews_within` is redeployed too. Deployment ids are
/// journaled right after each trigger (see `EnvVarTarget`), so a step resumed after a crash polls them
/// instead of building again. Variables are in `VercelTarget+Variables.swift`, deploys in
/// `VercelTarget+Deploy.swift`.
///
/// Works unchanged against the real API and the sandbox: only `api` differs.
public struct VercelTarget: EnvVarTarget {
    /// The environments a Vercel variable can target.
    public static let environmentNames = ["production", "preview", "development"]
    /// The variable types Rotor writes: values Vercel shows decrypted on request, or never again.
    public static let typeNames = ["encrypted", "sensitive"]
    /// What `previews:` accepts.
    public static let previewPolicies = ["redeploy", "ignore"]

    /// What a `provider: vercel` target accepts in a playbook.
    public static let schema = ProviderSchema(kind: .target, name: "vercel", fields: [
        FieldSpec("project", .nonEmptyString, required: true, doc: "the project id or name"),
        FieldSpec("team", .nonEmptyString, doc: "the team id (team_…) when the project belongs to a team"),
        FieldSpec("key", .nonEmptyString, required: true, doc: "the environment variable to write"),
        FieldSpec("environments", .enumList(environmentNames), doc: "where the variable applies; default [production, preview]"),
        FieldSpec("git_branch", .nonEmptyString, doc: "limit the variable to one branch (only with environments: [preview])"),
        FieldSpec("type", .enumeration(typeNames), doc: "encrypted (default) or sensitive (never readable again)"),
        FieldSpec("redeploy", .bool, doc: "redeploy production so the value goes live; default true"),
        FieldSpec("previews", .enumeration(previewPolicies),
                  doc: "what to do with preview deployments, which keep the old value: redeploy or ignore; required with preview"),
        FieldSpec("previews_within", .duration, doc: "with previews: redeploy, the branches whose latest preview is this recent; default 7d"),
        FieldSpec("token", .credentialRef, doc: "the Vercel token; default env:VERCEL_TOKEN"),
        FieldSpec("api", .url, doc: "the API base URL; default https://api.vercel.com"),
        FieldSpec("deploy_timeout", .duration, doc: "how long a redeploy may take to become READY; default 10m"),
        FieldSpec("poll_interval", .duration, doc: "wait between deployment status reads; default 2s"),
    ], labelFields: ["project", "key"], rules: rules)

    /// The project id or name.
    public var project: String
    /// The team id the project belongs to, sent as `teamId` on every request.
    public var team: String?
    /// The variable's name.
    public var key: String
    /// The environments the variable targets.
    public var environments: [String]
    /// The one preview branch the variable is limited to, if any.
    public var gitBranch: String?
    /// `encrypted` or `sensitive`.
    public var type: String
    /// Whether to redeploy production after writing.
    public var redeploy: Bool
    /// Whether to redeploy the latest preview deployment of each recently active branch (`previews: redeploy`).
    public var redeployPreviews: Bool
    /// How recent a branch's latest preview must be to be redeployed.
    public var previewsWithin: Duration
    /// Where the Vercel token comes from (default `env:VERCEL_TOKEN`), the API (default `https://api.vercel.com`), how
    /// long a redeploy may take to become READY and the wait between two reads of a deployment's state.
    public var endpoint: VendorEndpoint

    let client: RetryingHTTPClient
    let credentials: CredentialResolver

    /// A target from a playbook entry already validated against `schema`.
    public init(config: ProviderConfig, client: RetryingHTTPClient, credentials: CredentialResolver) {
        project = config.string("project") ?? ""
        team = config.string("team")
        key = config.string("key") ?? ""
        environments = config.strings("environments") ?? ["production", "preview"]
        gitBranch = config.string("git_branch")
        type = config.string("type") ?? "encrypted"
        redeploy = config.bool("redeploy") ?? true
        redeployPreviews = config.string("previews") == "redeploy"
        previewsWithin = config.duration("previews_within") ?? .seconds(7 * 86_400)
        endpoint = VendorEndpoint(config: config, defaultToken: "env:VERCEL_TOKEN", defaultAPI: "https://api.vercel.com")
        self.client = client
        self.credentials = credentials
    }

    /// Names the target in messages, e.g. `vercel web-app OPENAI_API_KEY`.
    public var label: String { "vercel \(project) \(key)" }
    /// Targets of one provider share a concurrency limit, as they share the vendor's rate limit.
    public var provider: String { "vercel" }


    /// The API for one operation, with the token resolved and every secret registered for redaction.
    public func session(secrets: [SecretValue]) async throws -> VercelAPI {
        let token = try await endpoint.token(credentials) { VercelError(.credential, "\(label): cannot read the Vercel token: \($0)") }
        return VercelAPI(base: endpoint.api, project: project, team: team, label: label, tokenReference: endpoint.tokenReference,
                         token: token.revealed, secrets: [token.revealed] + secrets.map(\.revealed), client: client)
    }

    /// Cross-field rules of the schema.
    private static func rules(_ fields: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        var problems: [ProviderSchema.Problem] = []
        let environments = fields["environments"]?.listValue?.compactMap(\.stringValue) ?? ["production", "preview"]
        if environments.isEmpty {
            problems.append(("environments", "list at least one of production, preview, development"))
        }
        if fields["git_branch"] != nil, environments != ["preview"] {
            problems.append(("git_branch", "git_branch works only with environments: [preview] (a Vercel rule)"))
        }
        if environments.contains("preview"), fields["previews"] == nil {
            problems.append(("previews", "say what happens to preview deployments, which keep the old value and break once it is revoked"
                             + ProviderSchema.hintSeparator + "add previews: redeploy (redeploys each branch's latest preview active "
                             + "within previews_within, default 7d) or previews: ignore"))
        }
        if fields["type"]?.stringValue == "sensitive", environments.contains("development") {
            problems.append(("type", "a sensitive variable cannot target development (a Vercel rule); drop development or use encrypted"))
        }
        return problems
    }
}
