import Foundation
import Hummingbird
import Logging
import RotorCrypto

/// Local emulators of the Vercel and Render APIs, a key-issuing vendor and the apps they run, on
/// one loopback HTTP server — so Rotor's adapters, tests and `make demo` run without the internet.
///
/// Paths (see the module's README and `reference/` for the contracts they follow):
/// - `/vercel/…` — the Vercel REST API (an adapter's `api:` is `http://127.0.0.1:PORT/vercel`).
/// - `/render/v1/…` — the Render REST API (`api:` is `http://127.0.0.1:PORT/render/v1`).
/// - `/vendor/keys` (mint, `Idempotency-Key` honoured), `/vendor/keys/{id}` (revoke; 404 once revoked),
///   `/vendor/whoami` (200 only for a live key).
/// - `/openai/v1/organization/projects/{p}/service_accounts` and `…/api_keys` — OpenAI's Admin API;
///   `/openai/v1/models` answers 200 only for a live key.
/// - `/onepassword/v1/vaults/{vault}/items…` — a 1Password Connect server.
/// - `/stripe/v1/balance` — 200 only for a live Stripe key; `POST /_sandbox/stripe/roll` rolls one (the Dashboard).
/// - `/github/app` — GitHub's `GET /app`, 200 only for an RS256 JWT signed by a registered App key;
///   `POST /_sandbox/github/app/keys` generates a key (the PEM shown once), `DELETE …/keys/{id}` deletes one.
/// - `/slack/api/chat.postMessage`, `/slack/api/chat.update` — Slack's Web API for a `slack-app` channel;
///   `GET /_sandbox/slack/messages` lists what was posted.
/// - `/apps/{name}/health` — 200 only while the app's *live* key (from its last successful deploy)
///   is live at the vendor; `/apps/{name}` shows the live fingerprint.
/// - `/_sandbox/state`, `/_sandbox/faults`, `/_sandbox/reset` — inspection and fault injection;
///   `/_sandbox/vercel/…` and `/_sandbox/render/…` — rollbacks, previews, pushes (see `ScenarioRoutes`).
///
/// A deploy captures the environment when it is created; the app's live environment switches to
/// that snapshot only when the deploy succeeds (Vercel `READY`, Render `live`), never on a failed one.
public final class Sandbox: Sendable {
    /// The world this sandbox emulates.
    public let world: SandboxWorld
    /// The vendor key every app starts with (the world's, or one drawn at creation).
    public let initialKey: String

    let store: SandboxStore
    private let server = ServerHandle()
    private let logger: Logger

    /// Creates a sandbox; nothing listens until `start`.
    ///
    /// - Parameters:
    ///   - deployDuration: how long a deploy takes from creation to READY / live. Tests use a few
    ///     hundred milliseconds; the phases before it take fixed fractions of it.
    public convenience init(world: SandboxWorld = .default, deployDuration: Duration = .milliseconds(300),
                            logger: Logger = Logger(label: "rotor.sandbox")) {
        self.init(world: world, deployDuration: deployDuration, logger: logger, now: Date.init)
    }

    /// A sandbox whose state is computed at `now()` instead of the system clock, so that a test moves
    /// deploys through their phases by moving its clock rather than by waiting.
    init(world: SandboxWorld, deployDuration: Duration, logger: Logger = Logger(label: "rotor.sandbox"),
         now: @escaping @Sendable () -> Date) {
        self.world = world
        self.initialKey = world.initialKey ?? "sk-sandbox-" + Base62.randomString(length: 40)
        self.logger = logger
        let seconds = Double(deployDuration.components.seconds) + Double(deployDuration.components.attoseconds) / 1e18
        self.store = SandboxStore(world: world, initialKey: initialKey, deployDuration: max(seconds, 0.001), now: now)
    }

    /// Reads a world file (YAML, or JSON when it ends in `.json`) for `rotor sandbox --world FILE`.
    ///
    /// - Throws: `SandboxWorldError` naming the file and every problem in it.
    public static func loadWorld(file: String) throws -> SandboxWorld {
        try SandboxWorld.load(file: file)
    }

    /// The router serving every sandbox endpoint, for in-process tests with HummingbirdTesting.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // Added first, so it wraps every route and the not-found answer as well.
        router.add(middleware: SandboxMiddleware(store: store))
        VercelRoutes(store: store, token: world.vercel.token).register(on: router)
        RenderRoutes(store: store, token: world.render.token).register(on: router)
        VendorRoutes(store: store, adminToken: world.vendor.adminToken).register(on: router)
        OpenAIRoutes(store: store, adminKey: world.openai.adminKey).register(on: router)
        OnePasswordRoutes(store: store, token: world.onepassword.token).register(on: router)
        StripeRoutes(store: store).register(on: router)
        GitHubRoutes(store: store).register(on: router)
        SlackRoutes(store: store).register(on: router)
        AppRoutes(store: store).register(on: router)
        AdminRoutes(store: store).register(on: router)
        ScenarioRoutes(store: store).register(on: router)
        return router
    }

    /// Starts the server in the background and returns the port it listens on (`port: 0` picks a
    /// free one).
    ///
    /// - Throws: `SandboxWorldError` for an inconsistent world; `SandboxError` when a server is
    ///   already running or the address cannot be bound.
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> Int {
        try world.validate()
        guard server.beginStart() else {
            throw SandboxError("this sandbox is already running at \(baseURL); call stop() first")
        }
        let (ports, portContinuation) = AsyncThrowingStream.makeStream(of: Int.self)
        // `stop()` cancels the server, which Hummingbird reports as an error ("Waiting on child
        // channel: CancellationError"); its own log stays quiet unless debugging.
        var serverLogger = logger
        if logger.logLevel > .debug { serverLogger.logLevel = .critical }
        let app = Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? port)
                portContinuation.finish()
            },
            logger: serverLogger)
        let task = Task {
            do {
                try await app.run()
                portContinuation.finish()
            } catch {
                portContinuation.finish(throwing: error)
                throw error
            }
        }
        do {
            for try await bound in ports {
                server.finishStart(.init(task: task, host: host, port: bound))
                logger.info("sandbox listening", metadata: ["sandbox.url": "http://\(host):\(bound)"])
                return bound
            }
            throw SandboxError("the server stopped before it listened on \(host):\(port)")
        } catch {
            task.cancel()
            server.finishStart(nil)
            if let error = error as? SandboxError { throw error }
            throw SandboxError("cannot listen on \(host):\(port) (\(error)); pick another port or stop what uses it")
        }
    }

    /// Stops the server and waits until it has closed its socket. Does nothing when not running.
    public func stop() async {
        guard let running = server.take() else { return }
        running.task.cancel()
        _ = await running.task.result
    }

    /// Waits until the server stops (by `stop()`, or the task running this being cancelled).
    public func wait() async {
        guard let running = server.current else { return }
        await withTaskCancellationHandler {
            _ = await running.task.result
        } onCancel: {
            running.task.cancel()
        }
    }

    /// `http://HOST:PORT` of the running server (port 0 before `start`).
    public var baseURL: String {
        guard let running = server.current else { return "http://127.0.0.1:0" }
        return "http://\(running.host):\(running.port)"
    }
}
