import Foundation
import Logging
import RotorCore
import RotorCrypto
import RotorHTTP
import RotorKeyTable
import ProviderExec
import ProviderFile
import ProviderGitHubApp
import ProviderHTTP
import ProviderManual
import ProviderOnePassword
import ProviderPostgresRole
import ProviderRandom
import ProviderRender
import ProviderRotor
import ProviderVercel

/// Every provider Rotor knows: their schemas (for `rotor validate`) and how to build them from a
/// playbook. The one place that knows concrete providers; RotorCore sees only the protocols.
public struct ProviderRegistry: ProviderFactory {
    public static let catalog = ProviderCatalog([
        RandomSource.schema,
        KeyTableSource.schema,
        ExecSource.schema,
        ExecTarget.schema,
        ExecCheck.schema,
        FileTarget.schema,
        HTTPCheck.schema,
        HTTPSource.schema,
        PostgresRoleSource.schema,
        PostgresLoginCheck.schema,
        VercelTarget.schema,
        RenderTarget.schema,
        RotorTarget.schema,
        OnePasswordTarget.schema,
        ManualSource.schema,
        GitHubAppCheck.schema,
    ])

    let store: any Store
    let sealer: Sealer
    let logger: Logger
    let client: HTTPClient
    let credentials: CredentialResolver
    let clock: any RotorClock

    public init(store: any Store, sealer: Sealer, logger: Logger, clock: any RotorClock = SystemClock(),
                client: HTTPClient = .shared, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.sealer = sealer
        self.logger = logger
        self.clock = clock
        self.client = client
        self.credentials = CredentialResolver(environment: environment, store: store, sealer: sealer)
    }

    /// Vendor APIs are called through the retry policy (429s are waited out, 5xx retried with backoff) and
    /// the process's rate-limit gates, which hold calls back while a vendor's budget is spent.
    var retrying: RetryingHTTPClient { RetryingHTTPClient(client: client, rateLimits: .shared) }

    public func source(for playbook: Playbook) throws -> any CredentialSource {
        let config = playbook.source
        switch config.provider {
        case "random": return RandomSource(config: config)
        case "exec": return ExecSource(config: config, credentials: credentials)
        case "http": return HTTPSource(config: config, client: retrying, credentials: credentials)
        case "manual": return ManualSource(config: config, client: client, valueTest: try manualTest(config, of: playbook),
                                            revokeValueTest: try manualTest(config, field: "revoke_check", of: playbook))
        case "postgres-role":
            var source = PostgresRoleSource(config: config, credentials: credentials)
            // VALID UNTIL backstop: the end of grace plus the next interval (max_age for a cron schedule).
            if case .every(let interval)? = playbook.schedule?.rule {
                source.passwordLifetime = playbook.grace + interval
            } else {
                source.passwordLifetime = playbook.grace + playbook.policy.maxAge
            }
            return source
        case "key-table":
            throw ProviderError("\(playbook.secret) is a key-table policy: customer keys rotate one by one "
                                + "(`rotor keys rotate KEY_ID`, or on schedule), not with `rotor rotate`")
        default: throw ProviderError.unknown(config)
        }
    }

    /// Deletes what retried mints left behind at vendors, for every playbook whose `http` source has `leftovers:`.
    public func leftoverMaintenance(playbooks: [Playbook]) -> HTTPLeftoverMaintenance {
        HTTPLeftoverMaintenance(sources: playbooks.filter { $0.source.provider == "http" }.map { playbook in
            (playbook.secret, HTTPSource(config: playbook.source, client: retrying, credentials: credentials))
        }, store: store, logger: logger)
    }

    public func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget {
        switch config.provider {
        case "file": return FileTarget(config: config)
        case "exec": return ExecTarget(config: config, credentials: credentials)
        case "vercel": return VercelTarget(config: config, client: retrying, credentials: credentials)
        case "render": return RenderTarget(config: config, client: retrying, credentials: credentials)
        case "rotor": return RotorTarget(secret: playbook.secret)
        case "1password": return OnePasswordTarget(config: config, client: retrying, credentials: credentials)
        default: throw ProviderError.unknown(config)
        }
    }

    public func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck {
        switch config.provider {
        case "http": return HTTPCheck(config: config, client: client)
        case "exec": return ExecCheck(config: config, credentials: credentials)
        case "postgres-login": return PostgresLoginCheck(config: config)
        case "github-app": return GitHubAppCheck(config: config, client: client)
        default: throw ProviderError.unknown(config)
        }
    }

    /// A manual source's `test:` that is a built-in check (`provider: github-app`), built as that check and run
    /// once on a supplied value; nil for an `http` test, which the source runs itself.
    /// A `revoke_check:` of that kind is built the same way, expecting 401 unless it says otherwise.
    func manualTest(_ config: ProviderConfig, field: String = "test", of playbook: Playbook) throws -> ManualSource.ValueTest? {
        guard let fields = config.value(field)?.mapValue, let provider = config.value(field)?["provider"]?.stringValue,
              provider != "http" else { return nil }
        var checkFields = Dictionary(fields.filter { $0.0 != "provider" }, uniquingKeysWith: { _, last in last })
        if field == "revoke_check", checkFields["expect_status"] == nil { checkFields["expect_status"] = .int(ManualTest.revokeStatus) }
        let check = try self.check(ProviderConfig(
            provider: provider, kind: .check, index: 0, label: "\(field) \(provider)",
            fields: checkFields,
            location: config.location), of: playbook)
        let (logger, secret) = (self.logger, playbook.secret)
        return { value, clock in
            try await check.verify(value, StepContext(secret: secret, rotationID: "", step: .generate, idempotencyKey: "",
                                                      logger: logger, clock: clock))
        }
    }
}

public struct ProviderError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func unknown(_ config: ProviderConfig) -> ProviderError {
        ProviderError("\(config.location): provider \(config.provider) (\(config.kind.rawValue)) is not available in this build of rotor")
    }
}
