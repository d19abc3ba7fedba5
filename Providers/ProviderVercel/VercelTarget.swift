import Foundation
import Logging
import RotorCore
import RotorHTTP

/// Holds a secret in a Vercel project's environment variable and redeploys production so the new
/// value goes live.
///
/// `apply` upserts the variable for the listed environments, then (when `redeploy` is on and the
/// environments include production) redeploys the latest READY production deployment with
/// `forceNew=1` and waits until the new deployment is READY with its alias assigned. The deployment id
/// is journaled through `StepContext.checkpoint` right after the trigger, so a step resumed after a
/// crash polls that deployment instead of building again.
///
/// Works unchanged against the real API and the sandbox: only `api` differs.
public struct VercelTarget: SecretTarget {
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


    /// Writes `value`, then deploys and waits until it is live (or resumes the deploy the step journaled).
    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        try await converge(to: value, context)
    }

    /// Writes `previous` back (nil: deletes the variable), then deploys and waits the same way.
    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        try await converge(to: previous, context)
    }

    /// Writes (or with nil removes) the variable, then gets it live.
    private func converge(to value: SecretValue?, _ context: StepContext) async throws {
        let vercel = try await session(writing: value)
        var logger = context.logger
        logger[metadataKey: "target"] = "\(label)"
        if let value {
            try await vercel.upsert(.init(key: key, value: value.revealed, type: type, target: environments, gitBranch: gitBranch,
                                          comment: "rotated by rotor \(context.rotationID)"))
            logger.info("vercel variable written", metadata: ["fingerprint": "\(value.fingerprint)"])
        } else {
            try await remove(using: vercel)
            logger.info("vercel variable removed")
        }
        guard redeploy, environments.contains("production") else { return }
        try await goLive(using: vercel, context, logger: logger)
    }

    /// Removes the variable from the environments this target manages, leaving any others it has.
    private func remove(using vercel: VercelAPI) async throws {
        let mine = Set(environments)
        for entry in try await vercel.variables(named: key) where entry.gitBranch == gitBranch && !mine.isDisjoint(with: entry.target) {
            let remaining = entry.target.filter { !mine.contains($0) }
            if remaining.isEmpty {
                try await vercel.deleteVariable(id: entry.id, key: key)
            } else {
                try await vercel.narrowVariable(id: entry.id, key: key, to: remaining)
            }
        }
    }

    /// Redeploys production and waits until it is READY, or picks up the deployment an earlier
    /// attempt of this step journaled.
    private func goLive(using vercel: VercelAPI, _ context: StepContext, logger: Logger) async throws {
        let started = context.clock.now
        if let earlier = Checkpoint.read(context.lastCheckpoint) {
            // The earlier attempt's deployment gets its chance to finish; if it failed (before or while
            // this attempt watches it) or is gone, this attempt deploys once on its own.
            do {
                let deployment = try await vercel.deployment(earlier)
                logger.info("resuming vercel deployment", metadata: ["deployment": "\(earlier)", "state": "\(deployment.readyState)"])
                try await wait(for: deployment, using: vercel, since: started, context)
                return
            } catch let error as VercelError where error.reason == .notFound || error.reason == .deployFailed {
                logger.info("earlier vercel deployment failed or is gone; redeploying", metadata: ["deployment": "\(earlier)"])
            }
        }
        guard let source = try await vercel.latestProductionDeployment() else {
            throw VercelError(.nothingToRedeploy, "\(label): project \(project) has no READY production deployment to redeploy; "
                              + "deploy it once from git, or set redeploy: false and deploy yourself")
        }
        let deployment = try await vercel.redeploy(source)
        try await context.checkpoint(Checkpoint.write(deployment.id))
        logger.info("vercel redeploy triggered", metadata: ["deployment": "\(deployment.id)", "from": "\(source.uid)"])
        try await wait(for: deployment, using: vercel, since: started, context)
        logger.info("vercel deployment ready", metadata: ["deployment": "\(deployment.id)"])
    }

    private static let failedStates: Set<String> = ["ERROR", "CANCELED", "BLOCKED"]

    /// Polls until READY (and, for production, alias assigned), a failed state, or `deployTimeout`.
    private func wait(for first: VercelAPI.Deployment, using vercel: VercelAPI, since started: Date, _ context: StepContext) async throws {
        var deployment = first
        while true {
            if Self.failedStates.contains(deployment.readyState) {
                let cause = [deployment.errorCode, deployment.errorMessage].compactMap { $0 }.joined(separator: ": ")
                throw VercelError(.deployFailed, "\(label): deployment \(deployment.id) ended \(deployment.readyState)"
                                  + (cause.isEmpty ? "" : " (\(vercel.http.scrub(cause)))")
                                  + "; the new value is stored in the project but not live; see the deployment in Vercel")
            }
            if deployment.readyState == "READY" {
                if let aliasError = deployment.aliasError {
                    throw VercelError(.deployFailed, "\(label): deployment \(deployment.id) is READY but its production alias failed "
                                      + "(\(vercel.http.scrub(aliasError))); check the project's domains")
                }
                if deployment.target != "production" || deployment.aliasAssigned { return }
            }
            if context.clock.now.timeIntervalSince(started) >= deployTimeout.timeInterval {
                throw VercelError(.deployTimedOut, "\(label): deployment \(deployment.id) is still \(deployment.readyState) after "
                                  + "\(DurationText.format(deployTimeout)) (deploy_timeout); raise it or check the build in Vercel")
            }
            try await context.clock.sleep(for: pollInterval)
            deployment = try await vercel.deployment(deployment.id)
        }
    }

    /// The API for one operation, with the token resolved and every secret registered for redaction.
    private func session(writing value: SecretValue?) async throws -> VercelAPI {
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

    /// The journal note naming the deployment a step started: `{"deploy":"dpl_…"}`.
    enum Checkpoint {
        private struct Note: Codable { var deploy: String }

        static func write(_ deployment: String) -> String {
            String(decoding: (try? JSONEncoder().encode(Note(deploy: deployment))) ?? Data(), as: UTF8.self)
        }

        static func read(_ text: String?) -> String? {
            guard let text else { return nil }
            return (try? JSONDecoder().decode(Note.self, from: Data(text.utf8)))?.deploy
        }
    }
}
