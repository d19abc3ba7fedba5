import Foundation
import Hummingbird
import RotorCore

extension DashboardRoutes {
    func secretPage(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            let playbook = try playbook(context)
            let view = try await DashboardSecretView.build(playbook, session: session, dependencies: dependencies,
                                                           recentReading: request.uri.queryParameters["read"] == "recent")
            return DashboardPage(template: "secret", title: playbook.secret, view: view, session: session).response()
        }
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
