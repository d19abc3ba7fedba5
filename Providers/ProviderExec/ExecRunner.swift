import Foundation
import RotorCore

/// Runs a command with a JSON request on standard input. The secret travels only there: never in
/// argv, never in the environment (which loses Rotor's own secrets, such as ROTOR_MASTER_KEY, too).
/// The blocking work happens on a thread of its own, never on Swift's cooperative pool.
public struct ExecRunner: Sendable {
    public let command: [String]
    public let timeout: Duration

    /// Variables a child never inherits.
    static let withheld: Set<String> = ["ROTOR_MASTER_KEY", "ROTOR_STORE", "ROTOR_FAULT"]
    static let maxStdout = 1 << 20
    static let maxStderr = 64 << 10

    public init(command: [String], timeout: Duration = .seconds(30)) {
        self.command = command
        self.timeout = timeout
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
        public var timedOut: Bool
    }

    /// Runs the command; `secrets` are scrubbed from the stderr kept for messages.
    public func run(input: [String: ConfigValue], secrets: [SecretValue]) async throws -> Result {
        guard let executable = command.first else { throw ExecError("exec: `command` is empty") }
        let body = Array(ConfigValue.map(input.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).jsonText.utf8)
        let path = try Self.locate(executable)
        let arguments = Array(command.dropFirst())
        let environment = ProcessInfo.processInfo.environment.filter { !Self.withheld.contains($0.key) }
        let seconds = timeout.timeInterval
        let result: Result = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result {
                    try Self.runBlocking(path: path, arguments: arguments, environment: environment, stdin: body, timeout: seconds)
                })
            }
            thread.name = "rotor-exec"
            thread.start()
        }
        let redactor = Redactor(values: secrets)
        return Result(status: result.status, stdout: result.stdout, stderr: redactor.scrub(result.stderr), timedOut: result.timedOut)
    }

    static func locate(_ executable: String) throws -> String {
        if executable.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: executable) else { throw ExecError("exec: \(executable) is not an executable file") }
            return executable
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ExecError("exec: \(executable) not found on PATH")
    }

    private static func runBlocking(path: String, arguments: [String], environment: [String: String], stdin: [UInt8],
                                    timeout: TimeInterval) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()

        let group = DispatchGroup()
        let collected = OutputBox()
        group.enter()
        Thread.detachNewThread {
            collected.setStderr(Self.readAll(errors.fileHandleForReading, limit: maxStderr))
            group.leave()
        }
        let timer = DispatchWorkItem {
            collected.markTimedOut()
            process.terminate()
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        // A child that exits without reading its input must not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: Data(stdin))
        try? input.fileHandleForWriting.close()
        let stdout = Self.readAll(output.fileHandleForReading, limit: maxStdout)
        process.waitUntilExit()
        timer.cancel()
        group.wait()
        return Result(status: process.terminationStatus, stdout: stdout, stderr: collected.stderr, timedOut: collected.timedOut)
    }

    private static func readAll(_ handle: FileHandle, limit: Int) -> [UInt8] {
        var data: [UInt8] = []
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            if data.count < limit { data += chunk.prefix(limit - data.count) }
        }
        return data
    }
}

/// Output gathered by the reader threads; guarded by a lock.
private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _stderr: [UInt8] = []
    private var _timedOut = false

    func setStderr(_ bytes: [UInt8]) { lock.withLock { _stderr = bytes } }
    func markTimedOut() { lock.withLock { _timedOut = true } }
    var stderr: String { lock.withLock { String(decoding: _stderr, as: UTF8.self) } }
    var timedOut: Bool { lock.withLock { _timedOut } }
}

public struct ExecError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
