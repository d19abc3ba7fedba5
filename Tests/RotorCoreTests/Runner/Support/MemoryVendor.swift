import RotorCore
import Synchronization

/// In-memory providers for one secret: a source that mints and revokes credentials, targets that hold a value,
/// and a check that passes when the source accepts the value and every target holds it. The runner driving
/// them is real. They note every moment a DESIGN.md invariant broke, so a test also sees a violation that a
/// later step papered over.
final class MemoryVendor: ProviderFactory {
    struct State {
        /// The credentials the source accepts.
        var valid: Set<String>
        /// What each target holds, by index in the playbook.
        var targets: [String?]
        /// Minted values by idempotency key: a mint retried after a crash returns the same credential.
        var mintedByKey: [String: String] = [:]
        /// Every revocation, in order, with the step that asked for it.
        var revocations: [(value: String, step: RotationStep)] = []
        var violations: [String] = []
        /// Makes every check fail, as a service that rejects the new value would.
        var checksFail = false
        /// Makes every target's restore fail, so a rollback ends `failed` with the new value still on the targets.
        var restoresFail = false
        /// Makes every mint fail, as a vendor that is down would.
        var mintsFail = false
        /// Gives every minted credential this handle, as a source that replaces one credential in place does (one
        /// database role's password).
        var sharedHandle: String?
        /// Makes every target answer that it cannot read its value back.
        var targetsUnreadable = false
        /// Holds the next write of the new value to target 0 (a slow deploy) until the test opens it.
        var applyGate: Gate?
        /// Holds the next check until the test opens it.
        var checkGate: Gate?
    }

    let state: Mutex<State>

    /// A source that accepts `current`, and `targets` targets holding it.
    init(current: String, targets: Int, checksFail: Bool = false) {
        state = Mutex(State(valid: [current], targets: Array(repeating: current, count: targets), checksFail: checksFail))
    }

    var snapshot: State { state.withLock { $0 } }

    func accepts(_ value: String) -> Bool { state.withLock { $0.valid.contains(value) } }

    func source(for playbook: Playbook) throws -> any CredentialSource { Source(vendor: self) }
    func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget { Target(vendor: self, index: config.index) }
    func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck { Check(vendor: self) }

    struct Source: CredentialSource {
        let vendor: MemoryVendor

        func mint(_ context: StepContext) async throws -> MintedCredential {
            if vendor.state.withLock({ $0.mintsFail }) { throw CheckFailed() }
            let value = vendor.state.withLock { state in
                if let earlier = state.mintedByKey[context.idempotencyKey] { return earlier }
                let value = "sk-mem-\(state.mintedByKey.count + 1)-\(context.rotationID)"
                state.mintedByKey[context.idempotencyKey] = value
                state.valid.insert(value)
                return value
            }
            let shared = vendor.state.withLock { $0.sharedHandle }
            return MintedCredential(value: SecretValue(value), handle: shared ?? "mem-\(value.suffix(6))")
        }

        /// Succeeds for a credential already revoked, as the protocol asks.
        func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {
            _ = try await revokeWithOutcome(credential, context)
        }

        func revokeWithOutcome(_ credential: StoredCredential, _ context: StepContext) async throws -> RevokeOutcome {
            let value = credential.value.revealed
            return vendor.state.withLock { state in
                for (index, held) in state.targets.enumerated() where held == value {
                    state.violations.append("\(context.step.key) revoked the credential target \(index) holds")
                }
                state.revocations.append((value, context.step))
                return state.valid.remove(value) == nil ? .alreadyRevoked : .revoked
            }
        }
    }

    struct Target: SecretTarget {
        let vendor: MemoryVendor
        let index: Int
        var label: String { "memory target \(index)" }
        var provider: String { "memory" }

        func apply(_ value: SecretValue, _ context: StepContext) async throws {
            let gate = vendor.state.withLock { state in
                defer { if index == 0 { state.applyGate = nil } }
                return index == 0 ? state.applyGate : nil
            }
            try await gate?.pass()
            hold(value.revealed, context)
        }

        func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
            if vendor.state.withLock({ $0.restoresFail }) { throw CheckFailed() }
            hold(previous?.revealed, context)
        }

        func read() async throws -> TargetReading {
            vendor.state.withLock { state in
                if state.targetsUnreadable { return .unknown("memory targets are write-only today") }
                return .held(state.targets[index].map { [SecretValue($0)] } ?? [])
            }
        }

        private func hold(_ value: String?, _ context: StepContext) {
            vendor.state.withLock { state in
                if let value, !state.valid.contains(value) {
                    state.violations.append("\(context.step.key) gave target \(index) a credential the source does not accept")
                }
                state.targets[index] = value
            }
        }
    }

    struct Check: SecretCheck {
        let vendor: MemoryVendor
        var label: String { "memory check" }

        func verify(_ value: SecretValue, _ context: StepContext) async throws {
            let gate = vendor.state.withLock { state in
                defer { state.checkGate = nil }
                return state.checkGate
            }
            try await gate?.pass()
            let passes = vendor.state.withLock { state in
                !state.checksFail && state.valid.contains(value.revealed) && state.targets.allSatisfy { $0 == value.revealed }
            }
            guard passes else { throw CheckFailed() }
        }
    }

    struct CheckFailed: Error, CustomStringConvertible {
        var description: String { "HTTP 401 from the memory service" }
    }
}
