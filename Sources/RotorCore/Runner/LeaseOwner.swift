import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lease owners are `HOST:PID:RANDOM`. A lease held by a process on this host that no longer exists
/// can be taken over at once instead of waiting for it to expire: that is how `rotor tick` picks up
/// a rotation whose process was killed.
public enum LeaseOwner {
    public static func make() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(RotorIDs.random().prefix(6))"
    }

    /// True only when the owner names this host and a process id that is gone. Unknown forms and other
    /// hosts are never presumed dead: their lease has to expire.
    public static func isDeadLocalProcess(_ owner: String) -> Bool {
        let parts = owner.split(separator: ":")
        guard parts.count == 3, parts[0] == ProcessInfo.processInfo.hostName, let pid = Int32(parts[1]), pid > 0 else { return false }
        if pid == ProcessInfo.processInfo.processIdentifier { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// The `now` to claim a lease with: past its expiry when its holder is a dead process on this host (so the
    /// claim succeeds at once), else `now` itself. Store claims take a lease only when it expired by `now`.
    public static func claimTime(now: Date, holder: String?, expires: Date?) -> Date {
        guard let holder, let expires, expires > now, isDeadLocalProcess(holder) else { return now }
        return expires.addingTimeInterval(0.001)
    }
}
