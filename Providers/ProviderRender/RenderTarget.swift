import Foundation
import Logging
import RotorCore
import RotorHTTP

/// Holds a secret in a Render service's environment, or in an env group shared by several services,
/// and deploys so the new value goes live.
///
/// Writes one variable with `PUT …/env-vars/{key}` (never the replace-all endpoint, which would delete
/// every other variable). A service is then deployed; for an env group every linked service is. Each
/// deploy is journaled through `StepContext.checkpoint` as soon as it is triggered, so a step resumed
/// after a crash polls those deploys instead of deploying again.
///
/// Works unchanged against the real API and the sandbox: only `api` differs.
public struct RenderTarget: SecretTarget {
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
    /// Where the Render API key comes from, e.g. `env:RENDER_API_KEY`.
    public var tokenReference: String
    /// The API base URL, without a trailing slash.
    public var api: String
    /// How long the deploys may take to go live.
    public var deployTimeout: Duration
    /// The wait between two reads of a deploy's status.
    public var pollInterval: Duration

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
        tokenReference = config.string("token") ?? "env:RENDER_API_KEY"
        var base = config.string("api") ?? "https://api.render.com/v1"
        while base.hasSuffix("/") { base.removeLast() }
        api = base
        deployTimeout = config.duration("deploy_timeout") ?? .seconds(600)
        pollInterval = config.duration("poll_interval") ?? .seconds(2)
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


    /// Writes `value`, then deploys and waits until it is live (or resumes the deploy the step journaled).
    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        try await converge(to: value, context)
    }

    /// Writes `previous` back (nil: deletes the variable), then deploys and waits the same way.
    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        try await converge(to: previous, context)
    }

    /// Writes (or with nil removes) the variable, then deploys what reads it.
    private func converge(to value: SecretValue?, _ context: StepContext) async throws {
        let render = try await session(writing: value)
        var logger = context.logger
        logger[metadataKey: "target"] = "\(label)"
        let services: [String]
        let shape: RenderCheckpoint.Shape
        switch scope {
        case .service(let service):
            if let value {
                try await render.putServiceVariable(service: service, key: key, value: value.revealed)
            } else {
                try await render.deleteServiceVariable(service: service, key: key)
            }
            services = [service]
            shape = .service(service)
        case .envGroup(let group):
            if let value {
                services = try await render.putGroupVariable(group: group, key: key, value: value.revealed)
            } else {
                services = try await render.linkedServices(group: group)
                try await render.deleteGroupVariable(group: group, key: key)
            }
            shape = .envGroup
        }
        logger.info(value == nil ? "render variable removed" : "render variable written",
                    metadata: value.map { ["fingerprint": "\($0.fingerprint)"] } ?? [:])
        guard deploy, !services.isEmpty else { return }
        let deployer = RenderDeployer(render: render, label: label, deployTimeout: deployTimeout, pollInterval: pollInterval,
                                      context: context, logger: logger, checkpointShape: shape)
        try await deployer.deploy(services, resuming: RenderCheckpoint.read(context.lastCheckpoint, shape: shape))
    }

    /// The API for one operation, with the key resolved and every secret registered for redaction.
    private func session(writing value: SecretValue?) async throws -> RenderAPI {
        let token: SecretValue
        do {
            token = try await credentials.resolve(try CredentialReference(parsing: tokenReference))
        } catch {
            throw RenderError(.credential, "\(label): cannot read the Render API key: \(error)")
        }
        return RenderAPI(base: api, label: label, tokenReference: tokenReference, token: token.revealed,
                         secrets: [token.revealed] + (value.map { [$0.revealed] } ?? []), client: client)
    }
}
