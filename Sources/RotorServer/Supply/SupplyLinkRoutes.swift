import Foundation
import Hummingbird
import RotorCore
import RotorCrypto

/// `GET /s/{token}` shows a supply request (instructions, what happens next, the deadline) with a form, changing
/// nothing; `POST /s/{token}` carries the value in its body and hands it to ``SupplyService``.
///
/// A supply link is a reply token (stored hashed like `/r/` links, see ``ReplyTokens``) whose action binds it to one
/// rotation. An unknown, expired or used link is refused as such (404/410); a POST to a live one is refused from
/// another origin (`Origin`, else `Referer`, against `server.public_url`) and without the page's CSRF token; it uses the link up only once the value passed its checks, so a refused value
/// leaves the link usable until it expires. Values appear in no page, log or audit row.
struct SupplyLinkRoutes: Sendable {
    let dependencies: ServiceDependencies
    let replies: ReplyHandler
    let failures: FailureGuard

    /// The form field that carries the value, and the one that carries the CSRF token.
    static let valueField = "value"
    static let csrfField = "csrf"

    func page(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.admit(.replyLink, context, html: true)
        let token = context.parameters.get("token") ?? ""
        let link = try await waitingLink(token, context: context)
        return requestPage(link, token: token).response()
    }

    func supply(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.admit(.replyLink, context, html: true)
        // The body first (at most 16 KiB, the form's type): a size or type refusal does not depend on who sent it.
        let form = SupplyForm(bytes: try await Self.readForm(request))
        let token = context.parameters.get("token") ?? ""
        // Then the link: an unknown, expired or used link is refused as such (404/410) whatever the form holds; the
        // origin and CSRF checks guard a live link, which is the only one a forged post could use.
        let link = try await waitingLink(token, context: context)
        try SupplyOrigin(publicURL: dependencies.publicURL).check(request)
        guard let csrf = form[Self.csrfField], ConstantTime.equals(Array(csrf.utf8), Array(csrfToken(for: token).utf8)) else {
            failures.countFailure(context)
            throw ServerError(.forbidden, "this form did not come from its supply page", hint: "open the supply link again and submit its form", format: .html)
        }
        guard let text = form[Self.valueField], !text.isEmpty else {
            return requestPage(link, token: token, refusal: "no value was sent").response(status: .unprocessableContent)
        }
        let service = SupplyService(store: dependencies.store, runner: dependencies.runner, clock: dependencies.clock,
                                    logger: dependencies.logger)
        let (store, clock, tokenID) = (dependencies.store, dependencies.clock, link.valid.token.id)
        let outcome: RotationOutcome
        do {
            outcome = try await service.supply(link.valid.playbook, value: SecretValue(text), actor: "link:\(link.valid.playbook.owner ?? "owner")",
                                               rotationID: link.rotationID, claim: {
                                                   let now = clock.now
                                                   return try await store.transaction { try $0.markReplyTokenUsed(id: tokenID, at: now) }
                                               })
        } catch let refusal as ValueRefusal {
            return requestPage(link, token: token, refusal: refusal.description).response(status: .unprocessableContent)
        } catch let error as SupplyError {
            throw ServerError(.conflict, error.description, hint: "see `rotor status \(link.valid.playbook.secret)`", format: .html)
        }
        let secret = link.valid.playbook.secret
        let live = outcome.succeeded
        return HTMLPage(title: live ? "\(secret): new value accepted" : "\(secret): the rotation did not go through", paragraphs: [
            live ? "The value passed its checks, is written to every target and verified. The old value stays valid "
                + "until the grace period ends\(outcome.rotation.graceEndsAt.map { " (\(ISO8601.string($0)))" } ?? "")."
                : "The value was accepted, but the rotation ended \(outcome.rotation.state.rawValue): "
                + (outcome.rotation.error ?? "see `rotor status \(secret)`") + ". The targets hold the previous value.",
            "This link is now used up.",
        ]).response()
    }

    // MARK: Pieces

    /// The page's form body: `application/x-www-form-urlencoded` (or no `Content-Type`), at most 16 KiB; any other
    /// type is answered 415.
    static func readForm(_ request: Request) async throws -> [UInt8] {
        let bytes = try await JSONBody.readBounded(request)
        if !bytes.isEmpty, let type = request.headers[.contentType], !SupplyForm.isForm(type) {
            throw ServerError(.unsupportedMediaType, "the value is not sent as the page's form",
                              hint: "submit the form on the supply page", format: .html)
        }
        return bytes
    }

    /// A link that is valid and whose rotation still waits for a value.
    struct WaitingLink {
        var valid: ReplyHandler.Valid
        var rotationID: String
    }

    private func waitingLink(_ token: String, context: RotorRequestContext) async throws -> WaitingLink {
        let found = try await replies.inspect(.link(token))
        guard case .success(let valid) = found, let rotationID = SupplyRequest.rotationID(ofAction: valid.token.action) else {
            failures.countFailure(context)
            if case .failure(let refusal) = found { throw refusal.error.asHTML() }
            throw ReplyRefusal.unknown.error.asHTML()
        }
        let secret = valid.playbook.secret
        let active = try await dependencies.store.transaction { try $0.activeRotation(secretName: secret) }
        guard let active, active.id == rotationID, active.state == .awaitingValue else {
            throw ServerError(.gone, "the rotation this link was sent for no longer waits for a value",
                              hint: "see `rotor status \(secret)`", format: .html)
        }
        return WaitingLink(valid: valid, rotationID: rotationID)
    }

    private func requestPage(_ link: WaitingLink, token: String, refusal: String? = nil) -> HTMLPage {
        let playbook = link.valid.playbook
        let instructions = playbook.source.string("instructions") ?? ""
        var paragraphs = refusal.map { ["Refused: \($0). Nothing was changed; this link still works until it expires."] } ?? []
        paragraphs += instructions.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        paragraphs.append("What happens next: Rotor checks the value, writes it to \(playbook.targets.count) "
                          + "target\(playbook.targets.count == 1 ? "" : "s"), verifies it, and keeps the old value valid for "
                          + "\(DurationText.format(playbook.grace)) before it is retired.")
        paragraphs.append("Deadline: \(ISO8601.string(link.valid.token.expiresAt)). This link works once.")
        return HTMLPage(title: "New value for \(playbook.secret)", paragraphs: paragraphs, button: .init(label: "Supply the new value"),
                        field: .init(label: "New value", name: Self.valueField, hidden: [(Self.csrfField, csrfToken(for: token))]))
    }

    /// Derived from the link's token with the reply-token key: only the page of that link carries it.
    private func csrfToken(for token: String) -> String {
        Base64URL.encode(dependencies.replyTokens.hash("csrf:" + token))
    }
}
