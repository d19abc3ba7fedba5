import Foundation
import RotorTestSupport

/// Runs the built `rotor` under a pseudo-terminal (util-linux `script`), so standard output and standard
/// error are a terminal as they are for a person. The result's `stdout` holds both streams, as a terminal shows them.
enum ScriptTerminal {
    static func run(_ world: World, _ arguments: [String], env: [String: String] = [:]) async throws -> RotorProcess.Result {
        let command = ([RotorProcess.executable] + arguments).map(shellQuoted).joined(separator: " ")
        // `script -e` exits with the command's status; -q leaves out its own banner; the typescript file is /dev/null.
        return try await process(world).run(["-qec", command, "/dev/null"], extraEnvironment: env, executable: "/usr/bin/script")
    }

    /// Runs `rotor` with standard output and standard error to pipes, in the same environment as ``run(_:_:env:)``.
    static func runInPipe(_ world: World, _ arguments: [String], env: [String: String] = [:]) async throws -> RotorProcess.Result {
        try await process(world).run(arguments, extraEnvironment: env)
    }

    /// The world's environment as a person's shell has it: a colour terminal type, no NO_COLOR (`swift test` sets
    /// it for the processes it starts), logs at the default level so only the command's own lines show.
    private static func process(_ world: World) -> RotorProcess {
        var environment = world.rotor.environment
        environment["NO_COLOR"] = nil
        environment["TERM"] = "xterm-256color"
        environment["ROTOR_LOG_LEVEL"] = nil
        return RotorProcess(environment: environment, directory: world.dir)
    }

    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
