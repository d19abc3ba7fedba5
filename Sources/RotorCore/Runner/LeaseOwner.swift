import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lease owners are `HOST:PID:RANDOM:BOOT:PIDNS`. A lease held by a process that no longer exists can be taken
/// over at once instead of waiting for it to expire: that is how `rotor tick` picks up a rotation whose process
/// was killed. A PID only means something within one boot of one PID namespace: a container in the same pod has
/// the same hostname but its own PID namespace, where the daemon's PID names nothing (or another process). So
/// death is presumed only when host, boot id and PID namespace all match ours; otherwise the lease must expire.
public enum LeaseOwner {
    /// What places a PID: the host name, the kernel's boot id, and the inode of the PID namespace.
    public struct Identity: Sendable, Equatable {
        public var host: String
        /// `/proc/sys/kernel/random/boot_id`; nil where the system has none.
        public var bootID: String?
        /// The inode of `/proc/self/ns/pid`; nil where the system has none.
        public var pidNamespace: String?

        public init(host: String, bootID: String?, pidNamespace: String?) {
            self.host = host
            self.bootID = bootID
            self.pidNamespace = pidNamespace
        }

        /// This process's identity.
        public static let local = Identity(
            host: ProcessInfo.processInfo.hostName,
            bootID: (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty || $0.contains(":") ? nil : $0 },
            pidNamespace: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid"))
                .map { String($0.filter(\.isNumber)) }.flatMap { $0.isEmpty ? nil : $0 })
    }

    public static func make() -> String {
        let local = Identity.local
        return "\(local.host):\(ProcessInfo.processInfo.processIdentifier):\(RotorIDs.random().prefix(6))"
            + ":\(local.bootID ?? "-"):\(local.pidNamespace ?? "-")"
    }

    /// True only when the owner's host, boot id and PID namespace are all `local`'s (and known), its PID is not
    /// `ownPID`, and `processExists` says that PID is gone. Unknown forms (including the older `HOST:PID:RANDOM`)
    /// are never presumed dead: their lease has to expire.
    public static func isPresumedDead(_ owner: String, local: Identity, ownPID: Int32,
                                      processExists: (Int32) -> Bool) -> Bool {
        let parts = owner.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, let pid = Int32(parts[1]), pid > 0, pid != ownPID,
              let boot = local.bootID, let namespace = local.pidNamespace,
              parts[0] == local.host, parts[3] == boot, parts[4] == namespace else { return false }
        return !processExists(pid)
    }

    /// ``isPresumedDead(_:local:ownPID:processExists:)`` for this process.
    public static func isDeadLocalProcess(_ owner: String) -> Bool {
        isPresumedDead(owner, local: .local, ownPID: ProcessInfo.processInfo.processIdentifier) { pid in
            kill(pid, 0) == 0 || errno != ESRCH
        }
    }

    /// The `now` to claim a lease with: past its expiry when its holder is a dead process on this host (so the
    /// claim succeeds at once), else `now` itself. Store claims take a lease only when it expired by `now`.
    public static func claimTime(now: Date, holder: String?, expires: Date?) -> Date {
        guard let holder, let expires, expires > now, isDeadLocalProcess(holder) else { return now }
        return expires.addingTimeInterval(0.001)
    }
}
