import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Secrets and versions")
struct SecretTests {
    @Test(arguments: TestBackend.all)
    func secretsAreUpsertedReadListedAndDeleted(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            var secret = Fixtures.secret("openai-api-key")
            let policy = SecretRecord(name: "customer-keys", kind: .keyPolicy, createdAt: t(0), updatedAt: t(0))
            try await store.transaction { [secret] tx in
                try tx.upsertSecret(secret)
                try tx.upsertSecret(policy)
            }
            #expect(try await store.transaction { try $0.secret(named: "openai-api-key") } == secret)
            #expect(try await store.transaction { try $0.secret(named: "missing") } == nil)

            secret.warningsSent = ["7d", "1d"]
            secret.skipsThisCycle = 2
            secret.nextRotationAt = nil
            secret.playbookPath = nil
            secret.updatedAt = t(5 * day)
            try await store.transaction { [secret] in try $0.upsertSecret(secret) }
            #expect(try await store.transaction { try $0.secret(named: "openai-api-key") } == secret)
            #expect(try await store.transaction { try $0.allSecrets() } == [policy, secret])

            try await store.transaction { try $0.deleteSecret(named: "customer-keys") }
            #expect(try await store.transaction { try $0.allSecrets() } == [secret])
        }
    }

    @Test(arguments: TestBackend.all)
    func versionsAreInsertedReadUpdatedAndListedNewestFirst(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let old = Fixtures.version("v1", label: .current, sealed: [0, 1, 2, 255], at: t(0))
            var new = Fixtures.version("v2", label: .pending, sealed: Array(repeating: 7, count: 60), at: t(hour))
            new.rotationID = "rot-1"
            try await store.transaction { [new] tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertVersion(old)
                try tx.insertVersion(new)
            }
            #expect(try await store.transaction { try $0.version(id: "v2") } == new)
            #expect(try await store.transaction { try $0.version(id: "nope") } == nil)
            #expect(try await store.transaction { try $0.versions(secretName: "openai-api-key") } == [new, old])
            #expect(try await store.transaction { try $0.version(secretName: "openai-api-key", label: .current) } == old)
            #expect(try await store.transaction { try $0.version(secretName: "openai-api-key", label: .previous) } == nil)

            // Promote: demote the old current first, in the same transaction.
            var demoted = old
            demoted.label = .previous
            new.label = .current
            new.activatedAt = t(2 * hour)
            try await store.transaction { [new, demoted] tx in
                try tx.updateVersion(demoted)
                try tx.updateVersion(new)
            }
            #expect(try await store.transaction { try $0.version(secretName: "openai-api-key", label: .current) } == new)
            #expect(try await store.transaction { try $0.version(secretName: "openai-api-key", label: .previous) } == demoted)

            let missing = Fixtures.version("ghost", label: .revoked)
            let error = await #expect(throws: StoreError.self) { try await store.transaction { try $0.updateVersion(missing) } }
            #expect(error?.code == .notFound)
        }
    }

    @Test(arguments: TestBackend.all)
    func theDatabaseAllowsExactlyOneCurrentVersionPerSecret(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret("a"))
                try tx.upsertSecret(Fixtures.secret("b"))
                try tx.insertVersion(Fixtures.version("a1", of: "a", label: .current))
                // Another secret's current version is fine.
                try tx.insertVersion(Fixtures.version("b1", of: "b", label: .current))
            }
            let insert = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.insertVersion(Fixtures.version("a2", of: "a", label: .current, at: t(1))) }
            }
            #expect(insert?.code == .constraintViolation)

            try await store.transaction { try $0.insertVersion(Fixtures.version("a3", of: "a", label: .pending, at: t(2))) }
            var promoted = Fixtures.version("a3", of: "a", label: .current, at: t(2))
            promoted.activatedAt = t(3)
            let update = await #expect(throws: StoreError.self) {
                try await store.transaction { [promoted] in try $0.updateVersion(promoted) }
            }
            #expect(update?.code == .constraintViolation)
            let current = try await store.transaction { try $0.versions(secretName: "a").filter { $0.label == .current } }
            #expect(current.map(\.id) == ["a1"])
        }
    }

    @Test(arguments: TestBackend.all)
    func deletingASecretDeletesItsVersionsRotationsAndJournal(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertVersion(Fixtures.version("v1", label: .current))
                try tx.insertRotation(Fixtures.rotation("r1"))
                try tx.appendJournal(rotationID: "r1", step: "generate", phase: .started, detail: nil, at: t(1))
            }
            try await store.transaction { try $0.deleteSecret(named: "openai-api-key") }
            let left = try await store.transaction { tx in
                (try tx.secret(named: "openai-api-key") == nil, try tx.version(id: "v1") == nil,
                 try tx.rotation(id: "r1") == nil, try tx.journal(rotationID: "r1").isEmpty)
            }
            #expect(left == (true, true, true, true))
        }
    }

    @Test(arguments: TestBackend.all)
    func aVersionForAnUnknownSecretIsRefused(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let error = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.insertVersion(Fixtures.version("v1", of: "nobody", label: .pending)) }
            }
            #expect(error?.code == .constraintViolation)
        }
    }
}
