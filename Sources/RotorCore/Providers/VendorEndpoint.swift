/// The settings a deploying vendor target (Vercel, Render) reads alike from its playbook entry: where the API
/// key comes from, the API base URL, how long a deploy may take and how often its state is read. Only the
/// defaults of `token` and `api` differ between vendors.
public struct VendorEndpoint: Sendable, Equatable {
    /// Where the API key comes from, e.g. `env:VERCEL_TOKEN`; safe to print.
    public var tokenReference: String
    /// The API base URL, without a trailing slash.
    public var api: String
    /// How long a deploy may take to go live (`deploy_timeout`, default 10m).
    public var deployTimeout: Duration
    /// The wait between two reads of a deploy's state (`poll_interval`, default 2s).
    public var pollInterval: Duration

    /// The settings of a playbook entry already validated against the target's schema.
    public init(config: ProviderConfig, defaultToken: String, defaultAPI: String) {
        tokenReference = config.string("token") ?? defaultToken
        var base = config.string("api") ?? defaultAPI
        while base.hasSuffix("/") { base.removeLast() }
        api = base
        deployTimeout = config.duration("deploy_timeout") ?? .seconds(600)
        pollInterval = config.duration("poll_interval") ?? .seconds(2)
    }

    /// The API key, resolved through `credentials`; a reference that cannot be read is thrown as `failure` makes
    /// it (the vendor's own error, naming the target).
    public func token(_ credentials: CredentialResolver, failure: (any Error) -> some Error) async throws -> SecretValue {
        do {
            return try await credentials.resolve(try CredentialReference(parsing: tokenReference))
        } catch {
            throw failure(error)
        }
    }
}
