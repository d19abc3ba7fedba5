import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `rotor` binary with a pseudo-terminal (openpty) as its standard input, output and error, as
/// a person at a terminal would, typing `input` into it. The output is what the terminal showed: the command's
/// output and error interleaved, with the typed input echoed.
public enum PseudoTerminal {
    public struct Result: Sendable, CustomStringConvertible {
        public var status: Int32
        public var output: String
        public var description: String { "exit \(status)\n--- terminal\n\(output)" }
    }

    public static func run(_ arguments: [String], input: String, environment: [String: String],
                           directory: String) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: try runBlocking(arguments, input: input, environment: environment,
                                                                   directory: directory))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func runBlocking(_ arguments: [String], input: String, environment: [String: String],
                                    directory: String) throws -> Result {
        var primary: Int32 = -1
        var secondary: Int32 = -1
        guard openpty(&primary, &secondary, nil, nil, nil) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        defer { close(primary) }
        let terminal = FileHandle(fileDescriptor: secondary, closeOnDealloc: false)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RotorProcess.executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        do {
            try process.run()
        } catch {
            close(secondary)
            throw error
        }
        // Only the child keeps the terminal open now, so reading ends (EIO) once it exits.
        close(secondary)
        // The line discipline buffers what is typed until the command reads it.
        let bytes = Array(input.utf8)
        _ = bytes.withUnsafeBytes { write(primary, $0.baseAddress, $0.count) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(primary, $0.baseAddress, $0.count) }
            if count > 0 {
                output += buffer[0..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}
