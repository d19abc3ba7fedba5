import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A command started with posix_spawn as the leader of a process group of its own, with pipes for its three
/// standard streams and nothing else: the environment it gets is exactly the one given, and a timeout kills the
/// whole group, so a grandchild that inherited the pipes cannot keep a rotation waiting.
///
/// Blocking: use it from a thread of its own, never from Swift's cooperative pool. Not Sendable: the thread that
/// spawns it feeds, reads and reaps it.
final class ChildProcess {
    struct Outcome {
        /// The exit status, or the signal number when a signal ended it (as Foundation's `Process` reports it).
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var timedOut: Bool
    }

    /// How long killed processes get to close their ends of the pipes before they are no longer read.
    static let drainAfterKill: Duration = .seconds(2)

    /// Creating pipes and spawning is one step for all commands (exec steps may run concurrently): `pipe2(O_CLOEXEC)`
    /// is not available here, so a pipe is close-on-exec only once `fcntl` has run, and a command spawned in between
    /// would inherit it (and keep another command's output open).
    private static let spawning = NSLock()

    let pid: pid_t
    private var pipes: ChildPipes
    /// Signalled once the child has exited; it stays a zombie (and keeps its process group id) until `reap()`.
    private let exited = DispatchSemaphore(value: 0)
    private var sawExit = false

    private init(pid: pid_t, pipes: ChildPipes) {
        self.pid = pid
        self.pipes = pipes
        Thread.detachNewThread { [exited] in
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            exited.signal()
        }
    }

    deinit { pipes.closeAll() }

    /// Runs `path` with `arguments` and exactly `environment`, writes `stdin` to it, and collects its output until it
    /// exits or `timeout` passes; then the whole process group is killed.
    static func run(path: String, arguments: [String], environment: [String: String], stdin: [UInt8], timeout: Duration,
                    limits: (stdout: Int, stderr: Int)) throws -> Outcome {
        let child = try spawn(path: path, arguments: arguments, environment: environment)
        var output = ChildPipes.Output(limits: limits)
        let deadline = ContinuousClock.now + timeout
        let finished = child.pipes.pump(stdin, into: &output, until: deadline) && child.waitForExit(until: deadline)
        if !finished {
            // The group id is still reserved: the leader is not reaped before this kill.
            kill(-child.pid, SIGKILL)
            child.pipes.closeInput()
            _ = child.pipes.pump([], into: &output, until: ContinuousClock.now + drainAfterKill)
        }
        child.pipes.closeAll()
        let status = child.reap()
        return Outcome(status: status, stdout: output.stdout, stderr: output.stderr, timedOut: !finished)
    }

    private static func spawn(path: String, arguments: [String], environment: [String: String]) throws -> ChildProcess {
        // A command that exits without reading its input must not end Rotor with SIGPIPE: writes fail with EPIPE.
        signal(SIGPIPE, SIG_IGN)
        spawning.lock()
        defer { spawning.unlock() }
        var pipes = try ChildPipes()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes.childInput, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes.childOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.childErrors, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (id = its pid), every signal unblocked, and every signal's default action: an ignored
        // signal (SIGPIPE here, SIGTERM under a service lifecycle) would otherwise stay ignored in the command.
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        pipes.closeChildEnds()
        guard status == 0 else {
            pipes.closeAll()
            throw ExecError("exec: cannot start \(path): \(String(cString: strerror(status)))")
        }
        return ChildProcess(pid: pid, pipes: pipes)
    }

    private func waitForExit(until deadline: ContinuousClock.Instant) -> Bool {
        sawExit = sawExit || exited.wait(timeout: .now() + deadline.dispatchInterval) == .success
        return sawExit
    }

    /// Waits for the exit watcher (so it never waits on a reused pid), then collects the exit status.
    private func reap() -> Int32 {
        if !sawExit { exited.wait() }
        sawExit = true
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }
}

extension ContinuousClock.Instant {
    /// The time left until this instant, for Dispatch's timeouts (zero once it has passed).
    var dispatchInterval: DispatchTimeInterval {
        let left = self - ContinuousClock.now
        guard left > .zero else { return .nanoseconds(0) }
        let (seconds, attoseconds) = left.components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
