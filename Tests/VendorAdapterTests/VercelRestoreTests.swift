import Foundation
import ProviderVercel
import RotorCore
import RotorSandbox
import Testing

/// vercel-api.md "Corrections": upsert keeps the existing target list, a key may exist once per target,
/// values are read back by id (never `sensitive` ones), and a rollback puts back exactly what was there.
@Suite("Vercel target: existing variables and exact restores")
struct VercelRestoreTests {
    static let token = AdapterHarness.vercelToken

    @Test func aVariableWithAnotherTargetListIsWrittenAsItIsAndRestoredExactly() async throws {
        try await AdapterHarness.with { h in
            #expect(try await h.send(.POST, "/vercel/v10/projects/web-app/env", token: Self.token,
                                     json: #"{"key":"WIDE_KEY","value":"wide-old","type":"encrypted","target":["production","preview","development"]}"#)
                .status == 201)
            let target = h.vercel(["key": .string("WIDE_KEY"), "previews": .string("ignore")])
            try await target.apply(SecretValue("wide-new"), h.context())
            for environment in ["production", "preview", "development"] {
                #expect(await h.sandbox.envValue(project: "web-app", key: "WIDE_KEY", target: environment) == "wide-new")
            }
            try await target.restore(nil, h.context(step: .undoPropagate(0)))
            let variables = try await h.vercelVariables(key: "WIDE_KEY")
            #expect(variables.count == 1)
            #expect(Set(variables.first?["target"] as? [String] ?? []) == ["production", "preview", "development"])
            #expect(await h.sandbox.envValue(project: "web-app", key: "WIDE_KEY", target: "development") == "wide-old")
            #expect(await h.sandbox.liveValue(app: "web-app", key: "WIDE_KEY") == "wide-old")
        }
    }

    @Test func aPreviewCopyOfAVariableIsWrittenAndGetsItsOwnValueBack() async throws {
        try await AdapterHarness.with { h in
            for (value, environment) in [("prod-old", "production"), ("preview-old", "preview")] {
                #expect(try await h.send(.POST, "/vercel/v10/projects/web-app/env", token: Self.token,
                                         json: #"{"key":"SPLIT_KEY","value":"\#(value)","type":"encrypted","target":["\#(environment)"]}"#)
                    .status == 201)
            }
            let target = h.vercel(["key": .string("SPLIT_KEY"), "previews": .string("ignore")])
            try await target.apply(SecretValue("split-new"), h.context())
            #expect(await h.sandbox.envValue(project: "web-app", key: "SPLIT_KEY", target: "production") == "split-new")
            #expect(await h.sandbox.envValue(project: "web-app", key: "SPLIT_KEY", target: "preview") == "split-new")

            try await target.restore(nil, h.context(step: .undoPropagate(0)))
            #expect(try await h.vercelVariables(key: "SPLIT_KEY").count == 2)
            #expect(await h.sandbox.envValue(project: "web-app", key: "SPLIT_KEY", target: "production") == "prod-old")
            #expect(await h.sandbox.envValue(project: "web-app", key: "SPLIT_KEY", target: "preview") == "preview-old")
        }
    }

    @Test func aRestorePutsBackTheHandSetValueNotRotorsPreviousVersion() async throws {
        try await AdapterHarness.with { h in
            let handSet = try await h.mintVendorKey()
            let id = try #require(try await h.vercelVariables(key: "OPENAI_API_KEY").first?["id"] as? String)
            #expect(try await h.send(.PATCH, "/vercel/v9/projects/web-app/env/\(id)", token: Self.token,
                                     json: #"{"value":"\#(handSet.revealed)"}"#).status == 200)
            let target = h.vercel(["previews": .string("ignore")])
            try await target.apply(try await h.mintVendorKey(), h.context())
            try await target.restore(SecretValue(h.sandbox.initialKey), h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY") == handSet.revealed)
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY", target: "preview") == handSet.revealed)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == handSet.revealed)
        }
    }

    @Test func aSensitiveVariableWithoutAPreviousVersionIsRefusedBeforeAnyWrite() async throws {
        try await AdapterHarness.with { h in
            #expect(try await h.send(.POST, "/vercel/v10/projects/docs-site/env", token: Self.token,
                                     json: #"{"key":"SEALED_KEY","value":"sealed-old","type":"sensitive","target":["production"]}"#)
                .status == 201)
            let before = try await h.vercelVariables(project: "docs-site", key: "SEALED_KEY")
            let target = h.vercel(["project": .string("docs-site"), "key": .string("SEALED_KEY"), "type": .string("sensitive"),
                                   "environments": .list([.string("production")])])
            let error = try await expectError(VercelError.self) {
                try await target.apply(SecretValue("sealed-new"), h.context(hasPreviousVersion: false))
            }
            #expect(error.reason == .unrestorable)
            #expect(error.description.contains("SEALED_KEY"))
            #expect(error.description.contains("rotor import openai-api-key"))
            #expect(!error.description.contains("sealed-new"))
            // Nothing was written: the variable is as it was, and nothing was deployed.
            let after = try await h.vercelVariables(project: "docs-site", key: "SEALED_KEY")
            #expect(after.first?["updatedAt"] as? Int == before.first?["updatedAt"] as? Int)
            #expect(await h.sandbox.envValue(project: "docs-site", key: "SEALED_KEY") == "sealed-old")
            #expect(await h.sandbox.deployCount(project: "docs-site") == 0)
            // Its rollback writes nothing either.
            try await target.restore(nil, h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(project: "docs-site", key: "SEALED_KEY") == "sealed-old")
        }
    }

    @Test func aSensitiveVariableIsRestoredFromRotorsPreviousVersion() async throws {
        try await AdapterHarness.with { h in
            #expect(try await h.send(.POST, "/vercel/v10/projects/docs-site/env", token: Self.token,
                                     json: #"{"key":"SEALED_KEY","value":"sealed-old","type":"sensitive","target":["production"]}"#)
                .status == 201)
            let target = h.vercel(["project": .string("docs-site"), "key": .string("SEALED_KEY"), "type": .string("sensitive"),
                                   "environments": .list([.string("production")])])
            try await target.apply(SecretValue("sealed-new"), h.context())
            #expect(await h.sandbox.envValue(project: "docs-site", key: "SEALED_KEY") == "sealed-new")
            try await target.restore(SecretValue("sealed-old"), h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(project: "docs-site", key: "SEALED_KEY") == "sealed-old")
            #expect(try await h.vercelVariables(project: "docs-site", key: "SEALED_KEY").first?["type"] as? String == "sensitive")
        }
    }

    @Test func listEntriesWithoutIdsAreWrittenWithTheirExactTargetList() async throws {
        try await AdapterHarness.with { h in
            await h.sandbox.setVercelListsEnvIds(false)
            let key = try await h.mintVendorKey()
            let target = h.vercel(["previews": .string("ignore")])
            try await target.apply(key, h.context())
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == key.revealed)
            try await target.restore(SecretValue(h.sandbox.initialKey), h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func readShowsTheFingerprintOfWhatTheProjectHoldsAndUnknownForSensitive() async throws {
        try await AdapterHarness.with { h in
            let reading = try await h.vercel().read()
            #expect(reading.fingerprints == [SecretValue(h.sandbox.initialKey).fingerprint])
            #expect(reading.matches(SecretValue(h.sandbox.initialKey)) == true)
            #expect(try await h.send(.POST, "/vercel/v10/projects/docs-site/env", token: Self.token,
                                     json: #"{"key":"SEALED_KEY","value":"sealed-old","type":"sensitive","target":["production"]}"#)
                .status == 201)
            let sealed = try await h.vercel(["project": .string("docs-site"), "key": .string("SEALED_KEY")]).read()
            #expect(sealed.matches(SecretValue("sealed-old")) == nil)
            #expect(await h.sandbox.deployCount(project: "web-app") == 0)
        }
    }
}
