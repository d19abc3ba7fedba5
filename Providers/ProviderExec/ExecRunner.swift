import Foundation
import RotorCore

/// Runs a command with a JSON request on standard input. The secret travels only there: never in argv, never in
/// the environment. The command gets an allow-listed environment: PATH, HOME, LANG and TZ from Rotor's own (when
/// set) plus the variables its playbook entry declares under `env:`, each resolved from a credential reference;
/// nothing else of Rotor's (its admin token, reply secret, master key, vendor tokens) ever reaches it.
/// The blocking work happens on a thread of its own, never on Swift's cooperative pool.
public struct ExecRunner: Sendable {
    public let command: [String]
    public let timeout: Duration
    /// Variables the playbook declares: name → credential reference (`env:NAME`, `file:PATH`, `secret:NAME`).
    public let declaredEnvironment: [String: String]

    /// What a command inherits from Rotor's environment, when set there; nothing else is inherited.
    public static let inheritedVariables = ["PATH", "HOME", "LANG", "TZ"]
    static let maxStdout = 1 << 20
    static let maxStderr = 64 << 10

    let credentials: CredentialResolver
    let inherited: [String: String]

    /// A runner for `command`. `credentials` resolves the declared variables; `environment` is Rotor's own, of
    /// which only ``inheritedVariables`` are passed on.
    public init(command: [String], timeout: Duration = .seconds(30), declaredEnvironment: [String: String] = [:],
                credentials: CredentialResolver = CredentialResolver(store: nil, sealer: nil),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.command = command
        self.timeout = timeout
        self.declaredEnvironment = declaredEnvironment
        self.credentials = credentials
        self.inherited = environment.filter { Self.inheritedVariables.contains($0.key) }
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
        public var timedOut: Bool
    }

    /// Runs the command; `secrets` and the declared variables' values are scrubbed from the stderr kept for messages.
    public func run(input: [String: ConfigValue], secrets: [SecretValue]) async throws -> Result {
        guard let executable = command.first else { throw ExecError("exec: `command` is empty") }
        let body = Array(ConfigValue.map(input.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).jsonText.utf8)
        let path = try Self.locate(executable, searching: inherited["PATH"])
        let arguments = Array(command.dropFirst())
        let (environment, declaredValues) = try await childEnvironment()
        let timeout = timeout
        let outcome: ChildProcess.Outcome = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result {
                    try ChildProcess.run(path: path, arguments: arguments, environment: environment, stdin: body,
                                         timeout: timeout, limits: (Self.maxStdout, Self.maxStderr))
                })
            }
            thread.name = "rotor-exec"
            thread.start()
        }
        let redactor = Redactor(values: secrets + declaredValues)
        return Result(status: outcome.status, stdout: outcome.stdout,
                      stderr: redactor.scrub(String(decoding: outcome.stderr, as: UTF8.self)), timedOut: outcome.timedOut)
    }

    /// The command's whole environment, and the declared values (secrets, to scrub from its messages).
    func childEnvironment() async throws -> (variables: [String: String], values: [SecretValue]) {
        var variables = inherited
        var values: [SecretValue] = []
        for (name, text) in declaredEnvironment.sorted(by: { $0.key < $1.key }) {
            let value: SecretValue
            do {
                let reference = try CredentialReference(parsing: text)
                if case .environment(let source) = reference.kind, source.hasPrefix("ROTOR_") {
                    throw CredentialError("\(reference) is Rotor's own; it is never passed to a command")
                }
                value = try await credentials.resolve(reference)
            } catch {
                throw ExecError("\(label): env \(name): \(error)")
            }
            guard !value.bytes.contains(0) else {
                throw ExecError("\(label): env \(name): the value holds a NUL byte, which no environment variable can")
            }
            variables[name] = value.revealed
            values.append(value)
        }
        return (variables, values)
    }

    static func locate(_ executable: String, searching path: String?) throws -> String {
        if executable.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: executable) else { throw ExecError("exec: \(executable) is not an executable file") }
            return executable
        }
        for folder in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ExecError("exec: \(executable) not found on PATH")
    }
}
