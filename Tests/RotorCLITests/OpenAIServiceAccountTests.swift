import Foundation
import RotorCore
import RotorSandbox
import RotorTestSupport
import Testing

/// Playbooks/sandbox/openai-api-key.yml through the rotor binary: one OpenAI project service account per
/// rotation, named for it, and the account a mint retried after a lost response leaves behind is deleted
/// on rollback and, for a rotation that is over, by `rotor tick`.
@Suite("OpenAI service accounts end to end", .serialized)
struct OpenAIServiceAccountTests {
    static let tokens = ["OPENAI_ADMIN_KEY": "sk-admin-sandbox", "VERCEL_TOKEN": "sandbox-vercel-token",
                         "RENDER_API_KEY": "sandbox-render-token", "OP_CONNECT_TOKEN": "sandbox-connect-token"]
    /// Every mint's first response is lost: the account exists, Rotor sees a 502 and mints again.
    static let lostMint = SandboxFault.lostResponse(502, target: .openai, pathPrefix: "/v1/organization/projects/proj_sandbox/service_accounts",
                                                    method: "POST")

    /// A world with the sandbox playbook and a first service account imported as the current key.
    static func world(_ backend: Backend) async throws -> (World, Sandbox, Sandbox.OpenAIAccount) {
        let world = try await World.make(backend)
        let sandbox = Sandbox(deployDuration: .milliseconds(50))
        let port = try await sandbox.start(host: "127.0.0.1", port: 0)
        let template = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/RotorCLITests/OpenAIServiceAccountTests.swift",
                                                                                   with: "Playbooks/sandbox/openai-api-key.yml"), encoding: .utf8)
        try template.replacingOccurrences(of: "http://127.0.0.1:8790", with: "http://127.0.0.1:\(port)")
            .replacingOccurrences(of: "notify: [ops]", with: "notify: []")
            .write(toFile: "\(world.dir)/Playbooks/openai-api-key.yml", atomically: true, encoding: .utf8)
        #expect(try await world.run(["init"]).status == 0)
        let first = try await sandbox.createOpenAIServiceAccount(name: "first key")
        let imported = try await world.run(["import", "openai-api-key", "--handle", first.id], stdin: first.key)
        try #require(imported.status == 0, "\(imported)")
        return (world, sandbox, first)
    }

    static func rotationID(_ world: World) async throws -> String {
        try #require(try await world.withStore { tx, _ in try tx.rotations(secretName: "openai-api-key").first?.id })
    }

    @Test(arguments: Backend.allCases)
    func aRetriedMintsLeftoverAccountIsDeletedWhenTheRotationRollsBack(_ backend: Backend) async throws {
        let (world, sandbox, first) = try await Self.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            try await sandbox.inject(Self.lostMint)
            try await sandbox.inject(.failDeploy(service: "srv-worker", count: 1))
            let heldBefore = await sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY")
            let rotated = try await world.run(["rotate", "openai-api-key"], env: Self.tokens)
            #expect(rotated.status == 1, "\(rotated)")
            #expect(rotated.stdout.contains("rolled back"))
            let id = try await Self.rotationID(world)
            #expect(await sandbox.openAIServiceAccounts().map(\.id) == [first.id],
                    "both accounts named for \(id) are gone; only the first key's account is left")
            // A rollback puts back exactly what each target held before Rotor's first write (issue 11's exact restores).
            #expect(await sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == heldBefore)
            #expect(await sandbox.onePasswordValue(label: "OPENAI_API_KEY") == first.key, "1Password holds the previous key again")
        }
    }

    @Test(arguments: Backend.allCases)
    func aRetriedMintsLeftoverAccountIsDeletedByTickOnceTheRotationIsOver(_ backend: Backend) async throws {
        let (world, sandbox, first) = try await Self.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            try await sandbox.inject(Self.lostMint)
            let rotated = try await world.run(["rotate", "openai-api-key"], env: Self.tokens)
            #expect(rotated.status == 0, "\(rotated)")
            let id = try await Self.rotationID(world)
            let named = await sandbox.openAIServiceAccounts().filter { $0.name == "rotor-openai-api-key-\(id)" }
            #expect(named.count == 2, "the lost response made Rotor mint twice")
            let current = try await world.withStore { tx, sealer in
                try World.open(try #require(try tx.version(secretName: "openai-api-key", label: .current)), sealer)
            }
            #expect(await sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == current)
            #expect(await sandbox.onePasswordValue(label: "OPENAI_API_KEY") == current)

            // In grace the rotation is still active: its leftover is kept for now.
            let early = try await world.run(["tick"], env: Self.tokens)
            #expect(early.status == 0, "\(early)")
            #expect(await sandbox.openAIServiceAccounts().count == 3)

            let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(25 * 3600))], env: Self.tokens)
            #expect(tick.status == 0, "\(tick)")
            let left = await sandbox.openAIServiceAccounts()
            #expect(left.map(\.key) == [current], "the old account is revoked after grace and the leftover deleted")
            #expect(await !sandbox.isOpenAIKeyLive(first.key))
            #expect(await sandbox.isOpenAIKeyLive(current))
        }
    }
}
