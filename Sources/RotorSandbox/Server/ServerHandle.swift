import Foundation

/// The running server of a `Sandbox`: its task and where it listens.
///
/// `@unchecked Sendable` because every access to `running` goes through `lock`; it lets
/// `Sandbox.baseURL` stay a synchronous property.
final class ServerHandle: @unchecked Sendable {
    struct Running {
        let task: Task<Void, any Error>
        let host: String
        let port: Int
    }

    private let lock = NSLock()
    private var running: Running?
    private var starting = false

    /// Claims the right to start; false when a server is already running or starting.
    func beginStart() -> Bool {
        lock.withLock {
            guard running == nil, !starting else { return false }
            starting = true
            return true
        }
    }

    func finishStart(_ server: Running?) {
        lock.withLock {
            running = server
            starting = false
        }
    }

    /// Takes the running server away, so exactly one caller stops it.
    func take() -> Running? {
        lock.withLock {
            defer { running = nil }
            return running
        }
    }

    var current: Running? {
        lock.withLock { running }
    }
}
