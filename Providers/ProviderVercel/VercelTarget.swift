import Foundation
import RotorCore
import RotorHTTP

/// Holds a secret in a Vercel project's environment variable and redeploys production so the new
/// value goes live.
///
/// `apply` upserts the variable for the listed environments, then (when `redeploy` is on and the
/// environments include production) redeploys the latest READY production deployment with
/// `forceNew=1` and waits until the new deployment is READY with its alias assigned. The deployment id
/// is journaled right after the trigger (see `EnvVarTarget`), so a step resumed after a crash polls that
/// deployment instead of building again. The deploy requirements are in `VercelTarget+Deploy.swift`.
///
/// Works unchanged against the real API and the sandbox: only `api` differs.
public struct VercelTarget: EnvVarTarget {
    /// The environments a Vercel variable can target.
    public static let environmentNames = ["production", "preview", "development"]
    /// The variable types Rotor writes: values Vercel shows decrypted on request, or never again.
    public static let typeNames = ["encrypted", "sensitive"]

    /// What a `provider: vercel` target accepts in a playbook.
    public static let schema = ProviderSchema(kind: .target, name: "vercel", fields: [
        FieldSpec("project", .nonEmptyString, required: true, doc: "the project id or name"),
        FieldSpec("team", .nonEmptyString, doc: "the team id (team_…) when the project belongs to a team"),
        FieldSpec("key", .nonEmptyString, required: true, doc: "the environment variable to write"),
        FieldSpec("environments", .enumList(environmentNames), doc: "where the variable applies; default [production, preview]"),
        FieldSpec("git_branch", .nonEmptyString, doc: "limit the variable to one branch (only with environments: [preview])"),
        FieldSpec("type", .enumeration(typeNames), doc: "encrypted (default) or sensitive (never readable again)"),
        FieldSpec("redeploy", .bool, doc: "redeploy production so the value goes live; default true"),
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
    /// Where the Vercel token comes from, e.g. `env:VERCEL_TOKEN`.
    public var tokenReference: String
    /// The API base URL, without a trailing slash.
    public var api: String
    /// How long a redeploy may take to become READY.
    public var deployTimeout: Duration
    /// The wait between two reads of a deployment's state.
    public var pollInterval: Duration

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
        tokenReference = config.string("token") ?? "env:VERCEL_TOKEN"
        var base = config.string("api") ?? "https://api.vercel.com"
        while base.hasSuffix("/") { base.removeLast() }
        api = base
        deployTimeout = config.duration("deploy_timeout") ?? .seconds(600)
        pollInterval = config.duration("poll_interval") ?? .seconds(2)
        self.client = client
        self.credentials = credentials
    }

    /// Names the target in messages, e.g. `vercel web-app OPENAI_API_KEY`.
    public var label: String { "vercel \(project) \(key)" }
    /// Targets of one provider share a concurrency limit, as they share the vendor's rate limit.
    public var provider: String { "vercel" }


    /// Production is the one environment Rotor redeploys, so a write leaves nothing more to name.
    public typealias Rollout = Void

    /// Upserts the variable for the target's environments.
    public func write(_ value: SecretValue, in vercel: VercelAPI, _ context: StepContext) async throws -> Rollout? {
        try await vercel.upsert(.init(key: key, value: value.revealed, type: type, target: environments, gitBranch: gitBranch,
                                      comment: "rotated by rotor \(context.rotationID)"))
        return rollout
    }

    /// Removes the variable from the environments this target manages, leaving any others it has.
    public func remove(in vercel: VercelAPI, _ context: StepContext) async throws -> Rollout? {
        let mine = Set(environments)
        for entry in try await vercel.variables(named: key) where entry.gitBranch == gitBranch && !mine.isDisjoint(with: entry.target) {
            let remaining = entry.target.filter { !mine.contains($0) }
            if remaining.isEmpty {
                try await vercel.deleteVariable(id: entry.id, key: key)
            } else {
                try await vercel.narrowVariable(id: entry.id, key: key, to: remaining)
            }
        }
        return rollout
    }

    /// A redeploy of production, when this target redeploys and its variable applies there.
    private var rollout: Rollout? {
        redeploy && environments.contains("production") ? () : nil
    }

    /// The API for one operation, with the token resolved and every secret registered for redaction.
    public func session(writing value: SecretValue?) async throws -> VercelAPI {
        let token: SecretValue
        do {
            token = try await credentials.resolve(try CredentialReference(parsing: tokenReference))
        } catch {
            throw VercelError(.credential, "\(label): cannot read the Vercel token: \(error)")
        }
        return VercelAPI(base: api, project: project, team: team, label: label, tokenReference: tokenReference,
                         token: token.revealed, secrets: [token.revealed] + (value.map { [$0.revealed] } ?? []), client: client)
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
        if fields["type"]?.stringValue == "sensitive", environments.contains("development") {
            problems.append(("type", "a sensitive variable cannot target development (a Vercel rule); drop development or use encrypted"))
        }
        return problems
    }
}
