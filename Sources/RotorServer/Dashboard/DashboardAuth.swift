import Foundation
import Hummingbird
import HummingbirdAuth
import RotorCore
import RotorCrypto

/// Who may see and do what on the dashboard: signs people in by token, keeps their session, and checks every
/// form (its CSRF token, its origin) and every action (operators only).
///
/// A session lasts ``lifetime`` from sign-in by the service's clock (the session store, ``StorePersistDriver``,
/// forgets it at the same time by the same clock). The sign-in form stores nothing: its CSRF token is in a cookie
/// of its own (``signInCookieName``) that the form must send back.
struct DashboardAuth: Sendable {
    static let lifetime: Duration = .seconds(8 * 3600)
    static let anonymousLifetime: Duration = .seconds(15 * 60)
    static let cookieName = "rotor_session"
    static let csrfField = "csrf"

    let accounts: [DashboardAccount]
    let publicURL: String?
    let clock: any RotorClock

    /// The session middleware's cookie: HttpOnly (Hummingbird's default), SameSite=Strict, Secure behind https,
    /// scoped to the dashboard's paths.
    var cookie: SessionCookieParameters {
        SessionCookieParameters(name: Self.cookieName, path: "/ui", secure: publicURL?.lowercased().hasPrefix("https://") == true,
                                sameSite: .strict)
    }

    /// The account whose token `presented` is, comparing against every account in constant time.
    func account(presenting presented: String) -> DashboardAccount? {
        let digest = SHA256.hash(Array(presented.utf8))
        var found: DashboardAccount?
        for account in accounts where !account.token.bytes.isEmpty {
            if ConstantTime.equals(digest, SHA256.hash(account.token.bytes)), found == nil { found = account }
        }
        return found
    }

    /// The signed-in session, or nil (none, anonymous, past its lifetime, or of a person rotor.yml no longer lists
    /// with that role: a session survives restarts, so a removed or downgraded person must not keep their rights).
    func signedIn(_ context: RotorRequestContext) -> DashboardSession? {
        guard let session = context.sessions.session, let user = session.user else { return nil }
        guard clock.now < session.startedAt.addingTimeInterval(Self.lifetime.timeInterval),
              accounts.contains(where: { $0.name == user && $0.role.rawValue == session.role }) else {
            context.sessions.clearSession()
            return nil
        }
        return session
    }

    /// A fresh session for `account`, under a new session id (the middleware saves it as new).
    func signIn(_ account: DashboardAccount, context: RotorRequestContext) -> DashboardSession {
        let session = DashboardSession(user: account.name, role: account.role.rawValue, csrf: Self.newToken(), startedAt: clock.now)
        context.sessions.createSession(session, expiresIn: Self.lifetime)
        return session
    }

    /// The sign-in form's CSRF token lives in a cookie of its own (double submit: the form must send back what the
    /// cookie holds), not in a stored session: anyone may load the sign-in page, and loading it writes nothing.
    static let signInCookieName = "rotor_sign_in"

    /// What the sign-in form checks against: the session there is, or the sign-in cookie's token, or a new token that
    /// ``signInCookie(_:)`` must set (returned as `newToken`).
    func signInForm(_ request: Request, _ context: RotorRequestContext) -> (session: DashboardSession, newToken: String?) {
        if let session = context.sessions.session { return (session, nil) }
        if let token = request.cookies[Self.signInCookieName]?.value, Self.isToken(token) {
            return (DashboardSession(user: nil, role: nil, csrf: token, startedAt: clock.now), nil)
        }
        let token = Self.newToken()
        return (DashboardSession(user: nil, role: nil, csrf: token, startedAt: clock.now), token)
    }

    /// The sign-in form's cookie: HttpOnly, SameSite=Strict, Secure behind https, for the form's lifetime.
    func signInCookie(_ token: String) -> Cookie {
        Cookie(name: Self.signInCookieName, value: token, maxAge: Int(Self.anonymousLifetime.components.seconds), path: "/ui",
               secure: publicURL?.lowercased().hasPrefix("https://") == true, httpOnly: true, sameSite: .strict)
    }

    /// 32 random bytes in base64url, as ``newToken()`` makes them.
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Throws 403 unless the form came from a dashboard page of this session: its CSRF token matches, and the
    /// browser says it was sent from this site (`Origin` when present, `Sec-Fetch-Site` when present).
    func checkForm(_ form: SupplyForm, _ request: Request, session: DashboardSession?) throws {
        if let site = request.headers[HTTPFields.Element.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" {
            throw Self.forbidden("this form was sent from another site")
        }
        if let origin = request.headers[.origin]?.lowercased(), origin != expectedOrigin(request) {
            throw Self.forbidden("this form was sent from another site")
        }
        guard let session, let presented = form[Self.csrfField],
              ConstantTime.equals(SHA256.hash(Array(presented.utf8)), SHA256.hash(Array(session.csrf.utf8))) else {
            throw Self.forbidden("this form did not come from a page of your session")
        }
    }

    /// `server.public_url`'s origin, or the one the request names in `Host` when there is no public URL.
    private func expectedOrigin(_ request: Request) -> String? {
        if let publicURL { return SupplyOrigin.origin(publicURL) }
        return request.head.authority.map { "http://\($0.lowercased())" }
    }

    static func forbidden(_ message: String) -> ServerError {
        ServerError(.forbidden, message, hint: "reload the page and submit its form again", format: .html)
    }

    static func newToken() -> String { Base64URL.encode(SecureRandom.bytes(32)) }
}
