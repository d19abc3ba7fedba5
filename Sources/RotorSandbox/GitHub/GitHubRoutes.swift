import Foundation
import Hummingbird
import RotorCrypto

/// GitHub, as much as a GitHub App private key rotation needs: `GET /github/app` authenticated with an App JWT (200
/// with the App, else 401 in GitHub's shape), and, standing in for the App's settings page,
/// `POST /_sandbox/github/app/keys` ("Generate a private key": answers the PEM once),
/// `DELETE /_sandbox/github/app/keys/{id}` and `GET /_sandbox/github/app/keys` (ids and fingerprints only).
struct GitHubRoutes {
    let store: SandboxStore

    static let documentation = "https://docs.github.com/rest"

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        router.get("github/app") { request, _ in
            let jwt = request.bearerToken
            do throws(GitHubRefusal) {
                try await store.withGitHub { state, now throws(GitHubRefusal) in try state.authenticate(jwt, now: now) }
            } catch {
                throw APIFailure(status: .unauthorized, body: ["message": .string(error.message), "documentation_url": .string(Self.documentation)])
            }
            return Response.json(await store.withGitHub { state, _ in state.json })
        }
        let keys = router.group("_sandbox/github/app/keys")
        keys.get { _, _ in Response.json(await store.withGitHub { state, _ in Self.listing(state) }) }
        keys.post { request, context in
            _ = try await AdminRoutes.requireObject(request, context: context)
            let (pem, publicPEM): (String, String)
            do throws(SigningKeyError) {
                let key = try RSAPrivateKey.generate()
                (pem, publicPEM) = (try key.pem, try key.publicKeyPEM)
            } catch {
                throw APIFailure.plain(500, "internal_server_error", "cannot generate a key: \(error)")
            }
            do throws(SandboxError) {
                let key = try await store.withGitHub { state, now throws(SandboxError) in try state.register(publicKeyPEM: publicPEM, now: now) }
                return Response.json(["id": .int(key.id), "fingerprint": .string(key.fingerprint), "pem": .string(pem)], status: .created)
            } catch {
                throw APIFailure.plain(422, "unprocessable_entity", error.message)
            }
        }
        keys.delete(":id") { _, context in
            guard let id = context.parameters.get("id").flatMap(Int.init),
                  await store.withGitHub({ state, _ in state.delete(id: id) }) else {
                throw APIFailure.plain(404, "not_found", "no such key of the GitHub App")
            }
            return Response.json(await store.withGitHub { state, _ in Self.listing(state) })
        }
    }

    private static func listing(_ state: GitHubAppState) -> JSONValue {
        ["app_id": .int(GitHubAppState.appID), "client_id": .string(GitHubAppState.clientID),
         "keys": .array(state.keys.map { ["id": .int($0.id), "fingerprint": .string($0.fingerprint)] })]
    }
}
