import Foundation
import ProviderOnePassword
import RotorCore
import RotorHTTP
import RotorSandbox
import Testing

/// The `1password` target against the sandbox's Connect server: one field replaced in place, the previous
/// value written back on restore, and errors that name the vault and item and never the token.
@Suite("1Password target against the sandbox")
struct OnePasswordTargetTests {
    static let vault = SandboxWorld.OnePassword.vaultId
    static let item = SandboxWorld.OnePassword.itemId

    static func target(_ harness: AdapterHarness, field: String = "OPENAI_API_KEY", item: String = item,
                       token: String = "env:OP_CONNECT_TOKEN") -> OnePasswordTarget {
        let fields: [String: ConfigValue] = [
            "connect": .string(harness.baseURL + "/onepassword"), "token": .string(token),
            "vault": .string(vault), "item": .string(item), "field": .string(field),
        ]
        return OnePasswordTarget(config: ProviderConfig(provider: "1password", kind: .target, index: 0, label: "1password", fields: fields,
                                                        location: PlaybookLocation(file: "test.yml", line: 1, column: 1)),
                                 client: harness.client,
                                 credentials: CredentialResolver(environment: ["OP_CONNECT_TOKEN": "sandbox-connect-token", "BAD": "not-the-token"],
                                                                 store: nil, sealer: nil))
    }

    @Test func applyReplacesTheFieldFoundByLabelAndRestoreWritesThePreviousValueBack() async throws {
        try await AdapterHarness.with { harness in
            let before = try #require(await harness.sandbox.onePasswordValue(label: "OPENAI_API_KEY"))
            let target = Self.target(harness)
            try await target.apply(SecretValue("sk-new-value-1234"), harness.context())
            #expect(await harness.sandbox.onePasswordValue(label: "OPENAI_API_KEY") == "sk-new-value-1234")
            try await target.restore(SecretValue(before), harness.context(step: .undoPropagate(0)))
            #expect(await harness.sandbox.onePasswordValue(label: "OPENAI_API_KEY") == before)
        }
    }

    @Test func theFieldCanBeNamedByItsID() async throws {
        try await AdapterHarness.with { harness in
            try await Self.target(harness, field: SandboxWorld.OnePassword.fieldId).apply(SecretValue("sk-by-id-5678"), harness.context())
            #expect(await harness.sandbox.onePasswordValue(label: "OPENAI_API_KEY") == "sk-by-id-5678")
        }
    }

    @Test func anUnknownItemIsAnErrorNamingVaultAndItem() async throws {
        try await AdapterHarness.with { harness in
            let error = try await expectError(OnePasswordError.self) {
                try await Self.target(harness, item: "nosuchitem0000000000000001").apply(SecretValue("sk-x-0000"), harness.context())
            }
            #expect(error.status == 404)
            #expect(error.description.contains("nosuchitem0000000000000001") && error.description.contains(Self.vault))
            #expect(error.description.contains("check the vault and item ids"))
        }
    }

    @Test func aRefusedTokenNamesItsReferenceNeverItsValue() async throws {
        try await AdapterHarness.with { harness in
            let error = try await expectError(OnePasswordError.self) {
                try await Self.target(harness, token: "env:BAD").apply(SecretValue("sk-x-0000"), harness.context())
            }
            #expect(error.status == 401)
            #expect(error.description.contains("env:BAD"))
            #expect(!error.description.contains("not-the-token") && !error.description.contains("sk-x-0000"))
        }
    }

    @Test func anUnknownFieldListsTheItemsLabels() async throws {
        try await AdapterHarness.with { harness in
            let error = try await expectError(OnePasswordError.self) {
                try await Self.target(harness, field: "NO_SUCH_FIELD").apply(SecretValue("sk-x-0000"), harness.context())
            }
            #expect(error.reason == .noSuchField)
            #expect(error.description.contains("OPENAI_API_KEY") && error.description.contains("fix `field`"))
            #expect(await harness.sandbox.onePasswordValue(label: "OPENAI_API_KEY") != "sk-x-0000")
        }
    }
}
