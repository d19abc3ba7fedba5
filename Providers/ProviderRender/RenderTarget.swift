import Foundation
import RotorCore
import RotorHTTP

/// Holds a secret in a Render service's environment, or in an env group shared by several services,
/// and deploys so the new value goes live.
///
/// Writes one variable with `PUT …/env-vars/{key}` (never the replace-all endpoint, which would delete
/// every other variable). A service is then deployed; for an env group every linked service is. Each
/// deploy is journaled as soon as it is triggered (see `EnvVarTarget`), so a step resumed after a crash
/// polls those deploys instead of deploying again.
///
/// Works unchanged against the real API and the sandbox: only `api` differs.
public struct RenderTarget: EnvVarTarget {
    /// What a `provider: render` target accepts in a playbook.
    public static let schema = ProviderSchema(kind: .target, name: "render", fields: [
        FieldSpec("service", .nonEmptyString, doc: "the service id (srv-…); or give env_group"),
        FieldSpec("env_group", .nonEmptyString, doc: "the env group id (evg-…); or give service"),
        FieldSpec("key", .nonEmptyString, required: true, doc: "the environment variable to write"),
        FieldSpec("deploy", .bool, doc: "deploy the service, or every service linked to the env group; default true"),
        FieldSpec("token", .credentialRef, doc: "the Render API key; default env:RENDER_API_KEY"),
        FieldSpec("api", .url, doc: "the API base URL; default https://api.render.com/v1"),
        FieldSpec("deploy_timeout", .duration, doc: "how long a deploy may take to go live; default 10m"),
        FieldSpec("poll_interval", .duration, doc: "wait between deploy status reads; default 2s"),
    ], labelFields: ["service", "env_group", "key"], rules: { fields in
        switch (fields["service"] != nil, fields["env_group"] != nil) {
        case (true, true): [(field: "env_group", message: "give either service or env_group, not both")]
        case (false, false): [(field: nil, message: "give service (srv-…) or env_group (evg-…)")]
        default: []
        }
    })

    /// Where the variable lives.
    public enum Scope: Sendable, Equatable {
        /// A service's own variables (`srv-…`).
        case service(String)
        /// An env group (`evg-…`), shared by the services linked to it.
        case envGroup(String)
    }

    /// The service or env group.
    public var scope: Scope
    /// The variable's name.
    public var key: String
    /// Whether to deploy after writing.
    public var deploy: Bool
    /// Where the Render API key comes from (default `env:RENDER_API_KEY`), the API (default
    /// `https://api.render.com/v1`), how long the deploys may take to go live and the wait between two status reads.
    public var endpoint: VendorEndpoint

    let client: RetryingHTTPClient
    let credentials: CredentialResolver

    /// A target from a playbook entry already validated against `schema`.
    public init(config: ProviderConfig, client: RetryingHTTPClient, credentials: CredentialResolver) {
        if let group = config.string("env_group") {
            scope = .envGroup(group)
        } else {
            scope = .service(config.string("service") ?? "")
        }
        key = config.string("key") ?? ""
        deploy = config.bool("deploy") ?? true
        endpoint = VendorEndpoint(config: config, defaultToken: "env:RENDER_API_KEY", defaultAPI: "https://api.render.com/v1")
        self.client = client
        self.credentials = credentials
    }

    /// Names the target in messages, e.g. `render srv-api OPENAI_API_KEY`.
    public var label: String {
        switch scope {
        case .service(let id), .envGroup(let id): "render \(id) \(key)"
        }
    }

    /// Targets of one provider share a concurrency limit, as they share the vendor's rate limit.
    public var provider: String { "render" }


    /// The services a write leaves to deploy.
    public struct Rollout: Sendable {
        let services: [String]
        /// How the journal note names their deploys.
        let shape: RenderCheckpoint.Shape
        /// A moment before the variable was written, by the wall clock, to compare with Render's timestamps:
        /// any deploy Render created after it carries the new value.
        let writtenBy: Date
    }

    /// The deploy ids by service.
    public typealias Deploy = [String: String]

    /// The API for one operation, with the key resolved and every secret registered for redaction.
    public func session(secrets: [SecretValue]) async throws -> RenderAPI {
        let token = try await endpoint.token(credentials) { RenderError(.credential, "\(label): cannot read the Render API key: \($0)") }
        return RenderAPI(base: endpoint.api, label: label, tokenReference: endpoint.tokenReference, token: token.revealed,
                         secrets: [token.revealed] + secrets.map(\.revealed), client: client)
    }

    /// What the variable held before the rotation: Render shows values in plain text.
    public struct Prior: Codable, Sendable {
        /// The value, or nil when the variable did not exist.
        var value: String?
    }

    /// Reads the variable (nil when absent); nothing here keeps a restore from being exact.
    public func readPrior(in render: RenderAPI, _ context: StepContext) async throws -> Prior {
        Prior(value: try await currentValue(in: render))
    }

    public func secrets(of prior: Prior) -> [SecretValue] {
        prior.value.map { [SecretValue($0)] } ?? []
    }

    /// Writes the value the variable held back, or removes it when it did not exist.
    public func writeBack(_ prior: Prior, previous: SecretValue?, in render: RenderAPI, _ context: StepContext) async throws -> Rollout? {
        if let value = prior.value { return try await write(SecretValue(value), in: render, context) }
        return try await remove(in: render, context)
    }

    /// The value the service or env group holds now, or none.
    public func readNow(in render: RenderAPI) async throws -> TargetReading {
        .held(try await currentValue(in: render).map { [SecretValue($0)] } ?? [])
    }

    private func currentValue(in render: RenderAPI) async throws -> String? {
        switch scope {
        case .service(let service): try await render.serviceVariable(service: service, key: key)
        case .envGroup(let group): try await render.groupVariable(group: group, key: key).value
        }
    }

    /// Writes the variable; for an env group Render answers with the services linked to it.
    public func write(_ value: SecretValue, in render: RenderAPI, _ context: StepContext) async throws -> Rollout? {
        switch scope {
        case .service(let service):
            try await render.putServiceVariable(service: service, key: key, value: value.revealed)
            return rollout([service], .service(service))
        case .envGroup(let group):
            return rollout(try await render.putGroupVariable(group: group, key: key, value: value.revealed), .envGroup)
        }
    }

    /// Deletes the variable; for an env group the linked services are read first.
    func remove(in render: RenderAPI, _ context: StepContext) async throws -> Rollout? {
        switch scope {
        case .service(let service):
            try await render.deleteServiceVariable(service: service, key: key)
            return rollout([service], .service(service))
        case .envGroup(let group):
            let services = try await render.linkedServices(group: group)
            try await render.deleteGroupVariable(group: group, key: key)
            return rollout(services, .envGroup)
        }
    }

    /// What a write just made leaves to deploy: nil when this target does not deploy or no service reads it.
    private func rollout(_ services: [String], _ shape: RenderCheckpoint.Shape) -> Rollout? {
        guard deploy, !services.isEmpty else { return nil }
        return Rollout(services: services, shape: shape, writtenBy: Date().addingTimeInterval(-1))
    }

    /// The journaled deploys of the rollout's services; nil when there are none.
    public func deploy(journaledIn note: String, for rollout: Rollout) -> Deploy? {
        let deploys = RenderCheckpoint.read(note, shape: rollout.shape).filter { rollout.services.contains($0.key) }
        return deploys.isEmpty ? nil : deploys
    }

    /// `{"deploy":"dep-…"}` for a service, `{"deploys":{"srv-…":"dep-…",…}}` for an env group.
    public func note(for deploy: Deploy, of rollout: Rollout) -> String {
        RenderCheckpoint.write(deploy, shape: rollout.shape)
    }

    /// Deploys each service in turn, journaling each deploy at once.
    public func triggerDeploy(_ rollout: Rollout, in render: RenderAPI, _ progress: DeployProgress<Deploy>) async throws -> Deploy {
        try await deployer(rollout, render, progress).triggerAll()
    }

    /// Waits until every service is live, deploying anew one whose deploy was superseded.
    public func awaitLive(_ deploy: Deploy, of rollout: Rollout, in render: RenderAPI, _ progress: DeployProgress<Deploy>) async throws {
        try await deployer(rollout, render, progress).awaitLive(deploy, inherited: [])
    }

    /// Waits for the journaled deploys, deploying anew each service whose deploy failed or is gone, and
    /// the services an earlier attempt had not deployed yet; so it never leaves the rollout to redo.
    public func resume(_ deploy: Deploy, of rollout: Rollout, in render: RenderAPI, _ progress: DeployProgress<Deploy>) async throws -> Bool {
        try await deployer(rollout, render, progress).awaitLive(deploy, inherited: Set(deploy.keys))
        return true
    }

    private func deployer(_ rollout: Rollout, _ render: RenderAPI, _ progress: DeployProgress<Deploy>) -> RenderDeployer {
        RenderDeployer(render: render, label: label, deployTimeout: endpoint.deployTimeout, pollInterval: endpoint.pollInterval,
                       rollout: rollout, progress: progress)
    }
}
