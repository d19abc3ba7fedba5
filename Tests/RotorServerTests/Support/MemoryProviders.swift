import Foundation
import RotorCore
import RotorCrypto
import Synchronization

/// Test doubles for providers only: a source that mints random values, one target that holds a value,
/// and a check that passes when the target holds the value checked. The runner driving them is real.
final class MemoryProviders: ProviderFactory {
    struct State {
        var minted: [String] = []
        var revoked: [String] = []
        var targetValue: String?
        /// Runs while a supplied value is checked: what another request does in that moment (the contract test's
        /// second POST of the same supply link).
        var duringCheck: (@Sendable () async throws -> Void)?
        /// Runs before a target writes, by "secret:target index": holds the write until the test releases it, or
        /// fails it (the dashboard's live progress and timeline tests).
        var beforeApply: [String: @Sendable () async throws -> Void] = [:]
    }

    let state = Mutex(State())

    var minted: [String] { state.withLock { $0.minted } }
    var revoked: [String] { state.withLock { $0.revoked } }
    var targetValue: String? { state.withLock { $0.targetValue } }
    var duringCheck: (@Sendable () async throws -> Void)? { state.withLock { $0.duringCheck } }

    func source(for playbook: Playbook) throws -> any CredentialSource {
        playbook.awaitsValue ? MemorySuppliedSource(providers: self) : Source(providers: self)
    }
    func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget {
        Target(providers: self, key: "\(playbook.secret):\(config.index)")
    }
    func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck { Check(providers: self) }

    struct Source: CredentialSource {
        let providers: MemoryProviders
        func mint(_ context: StepContext) async throws -> MintedCredential {
            let value = "sk-mem-" + Base62.randomString(length: 32)
            providers.state.withLock { $0.minted.append(value) }
            return MintedCredential(value: SecretValue(value), handle: "mem-\(providers.minted.count)")
        }

        func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {
            providers.state.withLock { $0.revoked.append(credential.value.revealed) }
        }
    }

    struct Target: SecretTarget {
        let providers: MemoryProviders
        var key = ""
        var label: String { "memory target" }
        var provider: String { "memory" }
        func apply(_ value: SecretValue, _ context: StepContext) async throws {
            if let before = providers.state.withLock({ $0.beforeApply[key] }) { try await before() }
            providers.state.withLock { $0.targetValue = value.revealed }
        }

        func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
            providers.state.withLock { $0.targetValue = previous?.revealed }
        }
    }

    struct Check: SecretCheck {
        let providers: MemoryProviders
        var label: String { "memory check" }
        func verify(_ value: SecretValue, _ context: StepContext) async throws {
            guard providers.targetValue == value.revealed else { throw CheckFailed() }
        }
    }

    struct CheckFailed: Error, CustomStringConvertible {
        var description: String { "the memory target does not hold the checked value" }
    }
}
