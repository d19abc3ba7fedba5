import Foundation
import Hummingbird
import HummingbirdAuth
import RotorCore

/// The dashboard: server-rendered pages under `/ui` for people, signed in with a session (see ``DashboardAuth``).
///
/// - `GET /` redirects to `/ui`; `GET /ui` is the overview.
/// - `GET|POST /ui/sign-in`, `POST /ui/sign-out`.
/// - `GET /ui/secrets/{name}`: one secret; `GET|POST /ui/secrets/{name}/{action}`: skip, rotate, emergency, resolve,
///   each behind a confirmation page (operators only).
/// - `POST /ui/secrets/{name}/read-targets`: reads what the secret's targets hold (anyone signed in; once a minute).
/// - `GET /ui/rotations/{id}`: live progress of a rotation; `GET /ui/rotations/{id}/events`: its server-sent events.
/// - `GET /ui/audit` (filters, paging), `GET /ui/audit.csv`, `GET /ui/calendar`, `GET /ui/keys`.
///
/// These are pages, not the API: they are not in openapi.json; the contract test lists them by name instead.
struct DashboardRoutes: Sendable {
    let dependencies: ServiceDependencies
    let auth: DashboardAuth
    let failures: FailureGuard
    let sessions: StorePersistDriver

    init(dependencies: ServiceDependencies, failures: FailureGuard, sessions: StorePersistDriver) {
        self.dependencies = dependencies
        var accounts = dependencies.users
        if let admin = dependencies.adminToken { accounts.append(DashboardAccount(name: DashboardAccount.adminName, role: .operator, token: admin)) }
        auth = DashboardAuth(accounts: accounts, publicURL: dependencies.publicURL, clock: dependencies.clock)
        self.failures = failures
        self.sessions = sessions
    }

    func register(on router: Router<RotorRequestContext>) {
        router.get("/") { _, _ in DashboardPage.redirect("/ui") }
        let ui = router.group("ui").add(middleware: SessionMiddleware(
            storage: sessions,
            configuration: .init(sessionCookieParameters: auth.cookie, defaultSessionExpiration: DashboardAuth.lifetime)))
        ui.get("sign-in") { request, context in try await signInPage(request, context: context) }
        ui.post("sign-in") { request, context in try await signIn(request, context: context) }
        ui.post("sign-out") { request, context in try await signOut(request, context: context) }
        ui.get { _, context in try await page(context) { session in
            DashboardPage(template: "overview", title: "Overview", view: try await DashboardOverview.build(dependencies), session: session)
                .response()
        } }
        ui.get("secrets/:name") { request, context in try await secretPage(request, context: context) }
        ui.post("secrets/:name/read-targets") { request, context in try await readTargets(request, context: context) }
        ui.get("secrets/:name/:action") { _, context in try await confirmPage(context) }
        ui.post("secrets/:name/:action") { request, context in try await act(request, context: context) }
        ui.get("rotations/:id") { request, context in try await progressPage(request, context: context) }
        ui.get("rotations/:id/events") { request, context in try await progressEvents(request, context: context) }
        ui.get("audit") { request, context in try await auditPage(request, context: context) }
        ui.get("audit.csv") { request, context in try await auditCSV(request, context: context) }
        ui.get("report") { request, context in try await reportDownload(request, context: context) }
        ui.get("calendar") { _, context in try await calendarPage(context) }
        ui.get("keys") { request, context in try await keysPage(request, context: context) }
    }

    /// Runs `body` for a signed-in session; anyone else is sent to the sign-in page.
    func page(_ context: RotorRequestContext, _ body: (DashboardSession) async throws -> Response) async throws -> Response {
        guard let session = auth.signedIn(context) else { return DashboardPage.redirect("/ui/sign-in") }
        return try await body(session)
    }

    /// The playbook of the secret named in the path, or a 404 page.
    func playbook(_ context: RotorRequestContext) throws -> Playbook {
        let name = context.parameters.get("name") ?? ""
        guard Playbook.isValidSecretName(name), let playbook = dependencies.playbooks[name], !playbook.isKeyTable else {
            throw ServerError(.notFound, "no such secret", hint: "the overview lists the managed secrets", format: .html)
        }
        return playbook
    }
}
