import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The HTTP service: SKIP links, signed text replies, the emergency trigger, customer key checks.",
        discussion: """
            Routes: GET/POST /r/{token} (links in warnings; GET only shows a confirmation page), POST /v1/replies (a chat or SMS bridge; signed with ROTOR_REPLY_SECRET), POST /v1/secrets/{name}/emergency (bearer ROTOR_ADMIN_TOKEN; answers 202 with a status URL) and GET /v1/rotations/{id} (same token), POST /v1/keys/verify and /v1/keys/claim (customer keys, in the body only), GET /healthz. Listens on --listen (or --host and --port), else ROTOR_LISTEN, else rotor.yml's server.listen, else 127.0.0.1:8750.

            Examples:
              ROTOR_ADMIN_TOKEN=… ROTOR_REPLY_SECRET=… rotor serve --port 8750
              rotor serve --listen 0.0.0.0:8750
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var address: ListenOptions

    func run() async throws {
        try await RotorApp.with(global) { app in
            let (host, port) = try address.resolve(app)
            let service = RotorService(dependencies: try await app.serviceDependencies(), limits: app.serviceLimits())
            print("rotor serve: listening on http://\(host):\(port)")
            try await service.run(host: host, port: port)
        }
    }
}
