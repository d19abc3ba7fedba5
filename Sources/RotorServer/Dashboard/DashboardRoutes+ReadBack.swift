import Foundation
import Hummingbird
import RotorCore

extension DashboardRoutes {
    /// `POST /ui/secrets/{name}/read-targets`: reads what each target holds now (read-only, so any signed-in person
    /// may, viewers too), keeps and audits the reading, and sends the person back to the secret's page. A secret is
    /// read at most once a minute (``TargetReadBack``); a second press within it shows the stored reading with a note.
    func readTargets(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let form = try await DashboardForm.read(request)
        guard let session = auth.signedIn(context) else { return DashboardPage.redirect("/ui/sign-in") }
        try auth.checkForm(form, request, session: session)
        let playbook = try playbook(context)
        guard let inspector = dependencies.targetInspector else {
            return DashboardPage.message("Cannot read targets", ["This server has no providers to read the targets with."], session: session,
                                         links: [.init(href: "/ui/secrets/\(playbook.secret)", label: "Back to \(playbook.secret)")])
                .response(status: .serviceUnavailable)
        }
        let readBack = TargetReadBack(store: dependencies.store, inspector: inspector, clock: dependencies.clock)
        switch try await readBack.read(playbook, actor: session.user ?? "dashboard", via: "dashboard") {
        case .read: return DashboardPage.redirect("/ui/secrets/\(playbook.secret)#targets")
        case .recent: return DashboardPage.redirect("/ui/secrets/\(playbook.secret)?read=recent#targets")
        }
    }
}
