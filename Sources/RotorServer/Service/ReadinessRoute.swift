import Hummingbird
import RotorCore
import RotorCrypto

/// `GET /readyz`: whether this process can do its work now, for load balancers and orchestrators (unlike
/// `/healthz`, which only says the process lives). Three checks, in order; the first that fails is named:
/// `store` (it answers), `schema` (at the version this binary speaks; a newer rotor may have migrated it) and
/// `master_key` (every stored value is sealed under a key this process holds). 200 `{"status":"ready"}`,
/// or 503 `{"status":"not ready","check":…,"detail":…}`. Details name key ids and versions, never secrets.
struct ReadinessRoute: Sendable {
    let store: any Store
    let keyring: MasterKeyring

    func answer() async -> Response {
        let version: Int
        do {
            version = try await store.transaction { try $0.schemaVersion() }
        } catch {
            return notReady("store", "the store does not answer; check the database the server was started with")
        }
        guard version == store.supportedSchemaVersion else {
            return notReady("schema", "the store is at schema version \(version), this rotor speaks \(store.supportedSchemaVersion); "
                            + "run the same rotor version everywhere (restart to migrate an older store)")
        }
        do {
            let coverage = try await MasterKeyCoverage.check(store: store, keyring: keyring)
            if let problem = coverage.problem { return notReady("master_key", problem) }
        } catch {
            return notReady("store", "the store does not answer; check the database the server was started with")
        }
        return JSONBody.response(["status": "ready"], noStore: true)
    }

    private func notReady(_ check: String, _ detail: String) -> Response {
        JSONBody.response(["status": "not ready", "check": check, "detail": detail], status: .serviceUnavailable, noStore: true)
    }
}
