import Foundation
import Hummingbird
import RotorCore

extension DashboardRoutes {
    func secretPage(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            if let page = invalidPlaybookPage(context, session: session) { return page.response() }
            let playbook = try playbook(context)
            let view = try await DashboardSecretView.build(playbook, session: session, dependencies: dependencies,
                                                           recentReading: request.uri.queryParameters["read"] == "recent")
            return DashboardPage(template: "secret", title: playbook.secret, view: view, session: session).response()
        }
    }

    /// A secret whose playbook does not validate has no page of its own: this one says so, with the problems.
    func invalidPlaybookPage(_ context: RotorRequestContext, session: DashboardSession) -> DashboardPage? {
        let name = context.parameters.get("name") ?? ""
        guard Playbook.isValidSecretName(name), dependencies.playbooks[name] == nil,
              let problems = dependencies.invalidPlaybooks[name] else { return nil }
        return DashboardPage.message("\(name): its playbook is invalid",
                                     ["Rotor does not rotate \(name) until its playbook validates. Fix these problems, then run rotor validate:"]
                                         + problems, session: session, links: [.init(href: "/ui", label: "Back to the overview")])
    }

    func calendarPage(_ context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            let view = try await DashboardCalendar.build(dependencies, days: 90)
            return DashboardPage(template: "calendar", title: "Calendar", view: view, session: session).response()
        }
    }

    func keysPage(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            let view = try await DashboardKeys.build(dependencies)
            return DashboardPage(template: "keys", title: "Customer keys", view: view, session: session).response()
        }
    }
}
