import Foundation

/// Runs the built `rotor` binary as a user would, on a thread of its own, and captures what it prints.
public struct RotorProcess: Sendable {
    public struct Result: Sendable, CustomStringConvertible {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// The `rotor` executable next to the test bundle (SwiftPM builds both into the same folder).
    public static var executable: String {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("rotor").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return folder.appendingPathComponent("rotor").path
    }

    public let environment: [String: String]
    public let directory: String
    private static let spawning = NSLock()

    public init(environment: [String: String], directory: String) {
        self.environment = environment
        self.directory = directory
    }

    /// Runs `rotor` (or `executable`, e.g. a wrapper that gives it a terminal) with `arguments`.
    public func run(_ arguments: [String], stdin: String? = nil, extraEnvironment: [String: String] = [:],
                    executable: String = RotorProcess.executable) async throws -> Result {
        let environment = self.environment.merging(extraEnvironment) { $1 }
        let directory = self.directory
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    process.environment = environment
                    process.currentDirectoryURL = URL(fileURLWithPath: directory)
                    let input = Pipe(), output = Pipe(), errors = Pipe()
                    process.standardInput = input
                    process.standardOutput = output
                    process.standardError = errors
                    // One spawn at a time: Foundation's Process.run() crashed (memcpy from a bad pointer inside it)
                    // while dozens of tests spawned at once on a loaded machine; spawning is quick, waiting is not locked.
                    try Self.spawning.withLock { try process.run() }
                    if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
                    try? input.fileHandleForWriting.close()
                    let box = Box()
                    let group = DispatchGroup()
                    group.enter()
                    Thread.detachNewThread {
                        box.set(errors.fileHandleForReading.readDataToEndOfFile())
                        group.leave()
                    }
                    let out = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    group.wait()
                    continuation.resume(returning: Result(status: process.terminationStatus,
                                                          stdout: String(decoding: out, as: UTF8.self),
                                                          stderr: String(decoding: box.get(), as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private final class Box: @unchecked Sendable {
        // Written once by the reader thread before `group.leave()`, read after `group.wait()`.
        private let lock = NSLock()
        private var data = Data()
        func set(_ value: Data) { lock.withLock { data = value } }
        func get() -> Data { lock.withLock { data } }
    }
}
