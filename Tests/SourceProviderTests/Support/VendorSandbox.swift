import Foundation
import ProviderHTTP
import RotorCore
import RotorHTTP
import RotorSandbox
import Testing

/// A sandbox vendor on loopback for one test, reached through real libcurl.
struct VendorSandbox {
    static let tokenVariable = "VENDOR_ADMIN_TOKEN"
    let sandbox: Sandbox
    let base: String
    let http = HTTPClient()

    /// Starts a sandbox, runs `body` with it, and stops it whatever happens.
    static func with<T>(_ body: (VendorSandbox) async throws -> T) async throws -> T {
        let sandbox = Sandbox()
        let port = try await sandbox.start()
        let vendor = VendorSandbox(sandbox: sandbox, base: "http://127.0.0.1:\(port)/vendor")
        do {
            let result = try await body(vendor)
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    /// The source's YAML: mint and revoke against this vendor, bearer `{{token}}`.
    func sourceYAML(body: String = "{ name: \"{{secret}}\" }", value: String = "/value", handle: String = "/id",
                    revoke: Bool = true) -> String {
        """
        provider: http
        token: env:\(Self.tokenVariable)
        mint:
          method: POST
          url: "\(base)/keys"
          headers: { Authorization: "Bearer {{token}}" }
          body: \(body)
        \(revoke ? "revoke: { method: DELETE, url: \"\(base)/keys/{{handle}}\", headers: { Authorization: \"Bearer {{token}}\" } }" : "")
        value: "\(value)"
        handle: "\(handle)"
        """
    }

    /// An `http` source built from `yaml`, with the admin token (or `token`) in its environment.
    func source(_ yaml: String, token: String? = nil) throws -> HTTPSource {
        let config = try Playbooks.parse(source: yaml).source
        let credentials = CredentialResolver(environment: [Self.tokenVariable: token ?? sandbox.world.vendor.adminToken],
                                             store: nil, sealer: nil)
        return HTTPSource(config: config, client: RetryingHTTPClient(client: http), credentials: credentials)
    }

    /// What `GET /vendor/whoami` answers for `key`: 200 while the key is live.
    func whoami(_ key: SecretValue) async throws -> Int {
        try await http.execute(HTTPRequest(url: "\(base)/whoami", headers: ["Authorization": "Bearer \(key.revealed)"])).status
    }
}
