import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid.
///
/// Not Foundation's Process: on Linux its waitUntilExit can miss a child's exit when several tests
/// start children at once, and its children inherit the spawning thread's blocked signals. Here the
/// child starts with no blocked signals and default handlers, and sees only the descriptors given
/// to it (everything this helper opens is close-on-exec).
final class ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Where one of the child's standard descriptors comes from.
    enum Stream {
        /// The parent's own.
        case inherit
        /// /dev/null.
        case null
        /// A descriptor of the parent, duplicated into the child.
        case descriptor(Int32)
        /// A file opened (created, truncated) for writing.
        case file(String)
    }

    let pid: pid_t
    private var status: Int32?

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` with `arguments`, in this process's environment.
    static func spawn(_ executable: String, _ arguments: [String], stdin: Stream = .null, stdout: Stream = .null,
                      stderr: Stream = .null) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .inherit: break
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw Failure(description: "posix_spawn \(executable) failed: \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Runs `executable` to completion and returns its exit status.
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        try spawn(executable, arguments).wait()
    }

    /// Blocks until the child has exited and returns its exit status (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let signal = raw & 0x7F
        let exit = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        status = exit
        return exit
    }

    /// Kills the child (SIGKILL) and reaps it.
    func kill() {
        guard status == nil else { return }
        _ = Glibc.kill(pid, SIGKILL)
        wait()
    }

    /// A connected pair of sockets used as a pipe, both ends close-on-exec from the start so that no
    /// child spawned meanwhile by another test inherits them; `spawn` duplicates the end it is given
    /// into the child without the flag. (A socket pair because Swift does not import pipe2.)
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw Failure(description: "socketpair failed: \(String(cString: strerror(errno)))")
        }
        return (fds[0], fds[1])
    }
}
