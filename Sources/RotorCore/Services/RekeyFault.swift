#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `rotor rekey` counterpart of ``FaultPlan``: `ROTOR_FAULT=crash-after:rekey-batch:N` makes the process
/// exit at once with status 137, as after `kill -9`, right after batch N (from 1) was committed. Test-only.
public struct RekeyFault: Sendable, Equatable {
    /// The batch after whose commit the process dies.
    public let batch: Int

    /// Parses `ROTOR_FAULT`; nil when unset or naming another fault.
    public init?(environment: [String: String]) {
        let prefix = "crash-after:rekey-batch:"
        guard let text = environment["ROTOR_FAULT"], text.hasPrefix(prefix),
              let batch = Int(text.dropFirst(prefix.count)), batch > 0 else { return nil }
        self.batch = batch
    }

    /// Dies if `committed` is the planned batch.
    public func trip(afterBatch committed: Int) {
        if committed == batch { _exit(137) }
    }
}
