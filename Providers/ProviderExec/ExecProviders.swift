import Foundation
import RotorCore

let execFields: [FieldSpec] = [
    FieldSpec("command", .stringList, required: true, doc: "the program and its arguments; the request arrives as JSON on stdin"),
    FieldSpec("timeout", .duration, doc: "default 30s"),
    FieldSpec("env", .environment,
              doc: "variables for the command, each a credential reference, e.g. { GITHUB_APP_KEY: file:/run/secrets/gh.pem }; "
                   + "otherwise it gets only PATH, HOME, LANG and TZ"),
]

extension ExecRunner {
    init(config: ProviderConfig, credentials: CredentialResolver, environment: [String: String]) {
        let declared = (config.stringMap("env") ?? []).map { ($0.name, $0.value) }
        self.init(command: config.strings("command") ?? [], timeout: config.duration("timeout") ?? .seconds(30),
                  declaredEnvironment: Dictionary(declared) { _, last in last }, credentials: credentials, environment: environment)
    }

    var label: String { "exec \(command.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "?")" }

    /// Runs an action and fails with the command's (scrubbed) stderr unless it exits 0.
    func perform(_ action: String, _ context: StepContext, fields: [String: ConfigValue], secrets: [SecretValue]) async throws -> [UInt8] {
        var input = fields
        input["action"] = .string(action)
        input["secret"] = .string(context.secret)
        input["idempotency_key"] = .string(context.idempotencyKey)
        let result = try await run(input: input, secrets: secrets)
        if result.timedOut { throw ExecError("\(label) \(action): timed out after \(DurationText.format(timeout))") }
        guard result.status == 0 else {
            let tail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).suffix(500)
            throw ExecError("\(label) \(action): exit status \(result.status)\(tail.isEmpty ? "" : ": \(tail)")")
        }
        return result.stdout
    }
}

/// A source that runs a command: `{"action":"mint",…}` → stdout `{"value":"…","handle":"…"}`;
/// `{"action":"revoke","value":…,"handle":…}` → exit 0.
public struct ExecSource: CredentialSource {
    public static let schema = ProviderSchema(kind: .source, name: "exec", fields: execFields)
    let runner: ExecRunner
    /// `credentials` resolves the entry's `env:` references; `environment` is Rotor's own (only PATH, HOME, LANG and
    /// TZ of it reach the command).
    public init(config: ProviderConfig, credentials: CredentialResolver = CredentialResolver(store: nil, sealer: nil),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        runner = ExecRunner(config: config, credentials: credentials, environment: environment)
    }

    struct Minted: Decodable {
        var value: String
        var handle: String?
    }

    public func mint(_ context: StepContext) async throws -> MintedCredential {
        let out = try await runner.perform("mint", context, fields: [:], secrets: [])
        guard let minted = try? JSONDecoder().decode(Minted.self, from: Data(out)), !minted.value.isEmpty else {
            throw ExecError("\(runner.label) mint: stdout is not {\"value\": \"…\", \"handle\": \"…\"}")
        }
        return MintedCredential(value: SecretValue(minted.value), handle: minted.handle)
    }

    public func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {
        _ = try await runner.perform("revoke", context, fields: ["value": .string(credential.value.revealed),
                                                                  "handle": credential.handle.map(ConfigValue.string) ?? .null],
                                     secrets: [credential.value])
    }
}

/// A target that runs a command: `{"action":"apply","value":…}` and `{"action":"restore","value":… | null}`.
public struct ExecTarget: SecretTarget {
    public static let schema = ProviderSchema(kind: .target, name: "exec", fields: execFields, labelFields: ["command"])
    let runner: ExecRunner
    /// `credentials` resolves the entry's `env:` references; `environment` is Rotor's own (only PATH, HOME, LANG and
    /// TZ of it reach the command).
    public init(config: ProviderConfig, credentials: CredentialResolver = CredentialResolver(store: nil, sealer: nil),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        runner = ExecRunner(config: config, credentials: credentials, environment: environment)
    }

    public var label: String { runner.label }
    public var provider: String { "exec" }

    /// A command has no way to say what it holds.
    public func read() async throws -> TargetReading {
        .unknown("an exec target cannot read its value back")
    }

    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        _ = try await runner.perform("apply", context, fields: ["value": .string(value.revealed)], secrets: [value])
    }

    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        _ = try await runner.perform("restore", context, fields: ["value": previous.map { .string($0.revealed) } ?? .null],
                                     secrets: previous.map { [$0] } ?? [])
    }
}

/// A check that runs a command: `{"action":"verify","value":…}`; exit 0 passes.
public struct ExecCheck: SecretCheck {
    public static let schema = ProviderSchema(kind: .check, name: "exec", fields: execFields, labelFields: ["command"])
    let runner: ExecRunner
    /// `credentials` resolves the entry's `env:` references; `environment` is Rotor's own (only PATH, HOME, LANG and
    /// TZ of it reach the command).
    public init(config: ProviderConfig, credentials: CredentialResolver = CredentialResolver(store: nil, sealer: nil),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        runner = ExecRunner(config: config, credentials: credentials, environment: environment)
    }

    public var label: String { runner.label }

    public func verify(_ value: SecretValue, _ context: StepContext) async throws {
        _ = try await runner.perform("verify", context, fields: ["value": .string(value.revealed)], secrets: [value])
    }
}
