import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The three pipes between Rotor and a command, and the loop that feeds its input and reads its output
/// without ever waiting past a deadline.
struct ChildPipes {
    /// What a command wrote, each stream cut at its limit (the rest is read and dropped, so the command never
    /// blocks on a full pipe).
    struct Output {
        let limits: (stdout: Int, stderr: Int)
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
    }

    /// Rotor's ends (-1 once closed): the command's stdin, stdout and stderr.
    private(set) var input: Int32
    private(set) var output: Int32
    private(set) var errors: Int32
    /// The command's ends, closed in Rotor once it has started.
    private(set) var childInput: Int32
    private(set) var childOutput: Int32
    private(set) var childErrors: Int32

    /// Three pipes, every end close-on-exec (the spawn duplicates the command's ends onto 0, 1 and 2), Rotor's ends
    /// non-blocking.
    init() throws {
        var ends: [Int32] = []
        for _ in 0..<3 {
            var pair: [Int32] = [-1, -1]
            guard pipe(&pair) == 0 else {
                let reason = String(cString: strerror(errno))
                ends.forEach { Glibc.close($0) }
                throw ExecError("exec: cannot create a pipe: \(reason)")
            }
            ends += pair
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        (childInput, input) = (ends[0], ends[1])
        (output, childOutput) = (ends[2], ends[3])
        (errors, childErrors) = (ends[4], ends[5])
        for end in [input, output, errors] { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
    }

    /// Writes `bytes` to the command's input (then closes it) and reads its output until both output pipes reach end
    /// of file (true) or `deadline` passes (false).
    mutating func pump(_ bytes: [UInt8], into collected: inout Output, until deadline: ContinuousClock.Instant) -> Bool {
        var written = 0
        if bytes.isEmpty { closeInput() }
        while output >= 0 || errors >= 0 {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var watched = [input, output, errors].filter { $0 >= 0 }.map { end in
                pollfd(fd: end, events: Int16(end == input ? POLLOUT : POLLIN), revents: 0)
            }
            let ready = poll(&watched, nfds_t(watched.count), Self.milliseconds(left))
            if ready < 0 && errno != EINTR { return false }
            for entry in watched where entry.revents != 0 {
                if entry.fd == input {
                    written = feed(bytes, from: written)
                } else if entry.fd == output {
                    if !Self.readOnce(output, into: &collected.stdout, limit: collected.limits.stdout) { Self.close(&output) }
                } else if !Self.readOnce(errors, into: &collected.stderr, limit: collected.limits.stderr) {
                    Self.close(&errors)
                }
            }
        }
        return true
    }

    mutating func closeInput() { Self.close(&input) }

    mutating func closeChildEnds() {
        Self.close(&childInput)
        Self.close(&childOutput)
        Self.close(&childErrors)
    }

    mutating func closeAll() {
        closeChildEnds()
        Self.close(&input)
        Self.close(&output)
        Self.close(&errors)
    }

    /// Writes what the pipe takes now; closes the input once all is written or the command has closed its end.
    private mutating func feed(_ bytes: [UInt8], from offset: Int) -> Int {
        let count = bytes.withUnsafeBytes { write(input, $0.baseAddress! + offset, $0.count - offset) }
        if count > 0 {
            if offset + count == bytes.count { closeInput() }
            return offset + count
        }
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return offset }
        closeInput()
        return offset
    }

    /// One read (so a command that writes without pause cannot keep the loop from its deadline); false at end of
    /// file or on an error.
    private static func readOnce(_ end: Int32, into buffer: inout [UInt8], limit: Int) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let count = chunk.withUnsafeMutableBytes { read(end, $0.baseAddress, $0.count) }
        if count > 0 {
            if buffer.count < limit { buffer += chunk[0..<min(count, limit - buffer.count)] }
            return true
        }
        return count < 0 && (errno == EAGAIN || errno == EINTR)
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000 + 1)
    }

    private static func close(_ end: inout Int32) {
        if end >= 0 { Glibc.close(end) }
        end = -1
    }
}
