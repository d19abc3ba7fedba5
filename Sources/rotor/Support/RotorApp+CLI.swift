import Foundation
import RotorApp
import RotorCore

extension RotorApp {
    /// Opens the application of the command line's flags, runs `body`, and closes the store whatever happens.
    static func with<T>(_ global: GlobalOptions, clock: any RotorClock = SystemClock(),
                        _ body: (RotorApp) async throws -> T) async throws -> T {
        let app = try await open(global, clock: clock)
        do {
            let result = try await body(app)
            await app.close()
            return result
        } catch {
            await app.close()
            throw error
        }
    }

    /// Opens the application of the command line's flags. A master key, rotor.yml or store that cannot be
    /// opened is a configuration error (exit 2): nothing was attempted.
    static func open(_ global: GlobalOptions, clock: any RotorClock = SystemClock()) async throws -> RotorApp {
        do {
            return try await open(global.appOptions(clock: clock))
        } catch {
            throw CLIError.usage("\(error)")
        }
    }

    /// The valid playbook of `secret`, or an error that lists what is known, or why its playbook is invalid.
    func playbook(_ secret: String, in set: PlaybookSet) throws -> Playbook {
        if let playbook = set.playbooks.first(where: { $0.secret == secret }) { return playbook }
        let problems = set.problemsBySecret[secret] ?? []
        if !problems.isEmpty {
            throw CLIError.usage("the playbook of \(secret) is invalid:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
                           + "\nfix it (see `rotor validate`) and try again")
        }
        throw CLIError(ServiceError.unknownSecret(secret, known: set.playbooks.map(\.secret).sorted()).description
                       + " (playbooks are read from \(options.playbooks); use --playbooks DIR)")
    }

    /// Who the audit log names for a command: `cli:` and ROTOR_ACTOR, else the login name.
    static var actor: String {
        let env = ProcessInfo.processInfo.environment
        return "cli:" + (env["ROTOR_ACTOR"] ?? env["USER"] ?? env["LOGNAME"] ?? "unknown")
    }
}
