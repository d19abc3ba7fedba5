import Foundation
import RotorCore

/// A `manual` source for the server tests: a value must start `rk_test_` (its `expect`), and one containing `dead`
/// fails its test request as a revoked key would (401). Mint returns only a supplied value.
struct MemorySuppliedSource: SuppliedValueSource {
    let providers: MemoryProviders
    var supplied: SecretValue?

    init(providers: MemoryProviders, supplied: SecretValue? = nil) {
        self.providers = providers
        self.supplied = supplied
    }

    var instructions: String { "Roll the key in the vendor dashboard." }

    func check(_ value: SecretValue, clock: any RotorClock) async throws {
        guard value.revealed.hasPrefix("rk_test_") else { throw ValueRefusal("the value does not have the expected form (^rk_test_)") }
        guard !value.revealed.contains("dead") else { throw ValueRefusal("the test request answered HTTP 401, expected 200") }
        try await providers.duringCheck?()
    }

    func supplying(_ value: SecretValue) -> any CredentialSource { MemorySuppliedSource(providers: providers, supplied: value) }

    func mint(_ context: StepContext) async throws -> MintedCredential {
        guard let supplied else { throw ValueRefusal("no value supplied") }
        return MintedCredential(value: supplied)
    }

    func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {}
    var canRevoke: Bool { false }
}
