@testable import RotorCore
import Testing

/// Who may declare a lease holder dead at once: only a process on the same host, in the same boot and the same
/// PID namespace, whose PID is gone. A sidecar container in the same pod (same hostname, own PID namespace) must
/// wait for the lease to expire, whatever its own PIDs say.
@Suite("Lease owners")
struct LeaseOwnerTests {
    static let local = LeaseOwner.Identity(host: "pod-7", bootID: "b0b0-1", pidNamespace: "4026531836")
    static let gone: @Sendable (Int32) -> Bool = { _ in false }
    static let alive: @Sendable (Int32) -> Bool = { _ in true }

    func dead(_ owner: String, exists: (Int32) -> Bool = gone) -> Bool {
        LeaseOwner.isPresumedDead(owner, local: Self.local, ownPID: 1, processExists: exists)
    }

    @Test func aGoneProcessOfTheSameHostBootAndNamespaceIsDead() {
        #expect(dead("pod-7:4242:abc123:b0b0-1:4026531836"))
        #expect(!dead("pod-7:4242:abc123:b0b0-1:4026531836", exists: Self.alive))
    }

    @Test func aContainerInTheSamePodCannotDeclareALiveDaemonDead() {
        // Same hostname, another PID namespace: PID 4242 there means nothing here.
        #expect(!dead("pod-7:4242:abc123:b0b0-1:4026532999"))
        // Same hostname after a reboot: the PID was another process's.
        #expect(!dead("pod-7:4242:abc123:b0b0-2:4026531836"))
        #expect(!dead("node-3:4242:abc123:b0b0-1:4026531836"))
    }

    @Test func ownersWithoutTheirNamespaceAreLeftToExpire() {
        #expect(!dead("pod-7:4242:abc123"), "the older HOST:PID:RANDOM form")
        #expect(!dead("pod-7:4242:abc123:-:-"))
        #expect(!dead("pod-7:1:abc123:b0b0-1:4026531836"), "ourselves")
        #expect(!dead("pod-7:x:abc123:b0b0-1:4026531836"))
        #expect(!dead("pod-7:4242:abc123:b0b0-1:4026531836:extra"))
        let unknownHere = LeaseOwner.Identity(host: "pod-7", bootID: nil, pidNamespace: nil)
        #expect(!LeaseOwner.isPresumedDead("pod-7:4242:abc123:-:-", local: unknownHere, ownPID: 1, processExists: Self.gone))
    }

    @Test func aFreshOwnerNamesThisProcessAndItsNamespace() throws {
        let parts = LeaseOwner.make().split(separator: ":").map(String.init)
        #expect(parts.count == 5)
        #expect(parts.first == LeaseOwner.Identity.local.host)
        #expect(parts[3] == LeaseOwner.Identity.local.bootID ?? "-")
        #expect(parts[4] == LeaseOwner.Identity.local.pidNamespace ?? "-")
    }
}
