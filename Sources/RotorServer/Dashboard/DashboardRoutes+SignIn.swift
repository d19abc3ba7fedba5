import Foundation
import Hummingbird
import RotorCore

extension DashboardRoutes {
    func signInPage(_ request: Request, context: RotorRequestContext) async throws -> Response {
        if auth.signedIn(context) != nil { return DashboardPage.redirect("/ui") }
        return signInAnswer(request, context, refusal: nil, status: .ok)
    }

    /// The sign-in form, setting its cookie when the form's token is new.
    private func signInAnswer(_ request: Request, _ context: RotorRequestContext, refusal: String?, status: HTTPResponse.Status) -> Response {
        let (session, newToken) = auth.signInForm(request, context)
        var response = signInForm(session, refusal: refusal).response(status: status)
        if let newToken { response.setCookie(auth.signInCookie(newToken)) }
        return response
    }

    /// A token of no one is counted against the address (429 past the limit) and audited; a right one starts a
    /// new session under a new id, and is audited with the person's name.
    func signIn(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.admit(.dashboardSignIn, context, html: true)
        let form = try await DashboardForm.read(request)
        let (formSession, newToken) = auth.signInForm(request, context)
        try auth.checkForm(form, request, session: newToken == nil ? formSession : nil)
        guard let account = auth.account(presenting: form["token"] ?? "") else {
            if let wait = try await failures.failed(.dashboardSignIn, context, reason: "a token that is no one's", html: true) { throw wait }
            return signInAnswer(request, context, refusal: "That token is not valid.", status: .unauthorized)
        }
        _ = auth.signIn(account, context: context)
        let now = dependencies.clock.now
        try await dependencies.store.transaction { tx in
            try tx.appendAudit(AuditEvent(at: now, subject: "dashboard", subjectKind: "system", action: "dashboard.signed_in",
                                          actor: account.name, outcome: "succeeded", detail: "role \(account.role.rawValue); from \(context.client)"))
        }
        return DashboardPage.redirect("/ui")
    }

    func signOut(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let form = try await DashboardForm.read(request)
        // Signed out already (the session expired, or ended elsewhere): nothing to end, so no form to check.
        guard let session = auth.signedIn(context) else { return DashboardPage.redirect("/ui/sign-in") }
        try auth.checkForm(form, request, session: session)
        context.sessions.clearSession()
        if let user = session.user {
            let now = dependencies.clock.now
            try await dependencies.store.transaction { tx in
                try tx.appendAudit(AuditEvent(at: now, subject: "dashboard", subjectKind: "system", action: "dashboard.signed_out",
                                              actor: user, outcome: "succeeded"))
            }
        }
        return DashboardPage.redirect("/ui/sign-in")
    }

    private func signInForm(_ session: DashboardSession, refusal: String?) -> DashboardPage {
        struct View {
            var csrf: String
            var refusal: String?
        }
        return DashboardPage(template: "sign-in", title: "Sign in", view: View(csrf: session.csrf, refusal: refusal), session: nil)
    }
}
