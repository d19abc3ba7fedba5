import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import Testing

/// `/readyz`: ready only while the store answers at this binary's schema and every stored value opens with
/// the process's master key; `/healthz` stays a liveness answer.
@Suite("Readiness")
struct ReadinessTests {
    @Test func readyzIsReadyThenNamesTheFailingCheck() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.text == #"{"status":"ready"}"#)

            // A value sealed under a key this process does not hold (another home's `rotor init`, a wrong
            // ROTOR_MASTER_KEY): the process lives, but it is not ready.
            try await world.store.transaction { try $0.setSetting(SealedSetting.keyCheck, Array("mk_0123456789ab:AAAA".utf8)) }
            let wrongKey = try await client.execute(uri: "/readyz", method: .get)
            #expect(wrongKey.status == .serviceUnavailable)
            let body = try ServerWorld.decode(wrongKey)
            #expect(body["check"] as? String == "master_key")
            #expect((body["detail"] as? String)?.contains("mk_0123456789ab") == true, "\(body)")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)

            await world.store.close()
            let down = try await client.execute(uri: "/readyz", method: .get)
            #expect(down.status == .serviceUnavailable)
            #expect(try ServerWorld.decode(down)["check"] as? String == "store")
        }
    }
}
