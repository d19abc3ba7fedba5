import Foundation
import Hummingbird
import RotorCore
import RotorCrypto

/// `GET /a/{token}` shows what approving a stage will do (the stages done, the targets it writes, the checks that
/// follow, the deadline) with a button, changing nothing; `POST /a/{token}` approves once, through ``ApprovalService``.
///
/// An approval link is a reply token (stored hashed, see ``ReplyTokens``) whose action binds it to one rotation and
/// one stage. Like a supply link, the POST is refused from another origin and without the page's CSRF token, and
/// the link is used up only when the approval is recorded.
struct ApprovalLinkRoutes: Sendable {
    let dependencies: ServiceDependencies
    let replies: ReplyHandler
    let failures: FailureGuard

    static let csrfField = "csrf"

    func page(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.admit(.replyLink, context, html: true)
        let token = context.parameters.get("token") ?? ""
        let link = try await waitingLink(token, context: context)
        let playbook = link.valid.playbook
        let stage = playbook.stagePlan[link.stage]
        return HTMLPage(title: "Approve stage \(stage.name) of \(playbook.secret)?", paragraphs: [
            "Rotation \(link.rotationID) waits for your approval before stage \(stage.name).",
            ApprovalRequest.summary(playbook, stage: link.stage),
            "Deadline: \(ISO8601.string(link.valid.token.expiresAt)). This link works once. "
                + "To stop instead: rotor resolve \(playbook.secret) --cancel --reason \"…\".",
        ], button: .init(label: "Approve stage \(stage.name)"), hidden: [(Self.csrfField, csrfToken(for: token))]).response()
    }

    func approve(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.admit(.replyLink, context, html: true)
        // The body first (at most 16 KiB, the form's type): a size or type refusal does not depend on who sent it.
        let form = SupplyForm(bytes: try await SupplyLinkRoutes.readForm(request))
        let token = context.parameters.get("token") ?? ""
        // Then the link (404/410 whatever the form holds); origin and CSRF guard a live link.
        let link = try await waitingLink(token, context: context)
        try SupplyOrigin(publicURL: dependencies.publicURL).check(request)
        guard let csrf = form[Self.csrfField], ConstantTime.equals(Array(csrf.utf8), Array(csrfToken(for: token).utf8)) else {
            failures.countFailure(context)
            throw ServerError(.forbidden, "this form did not come from its approval page", hint: "open the approval link again and press its button",
                              format: .html)
        }
        let playbook = link.valid.playbook
        let service = ApprovalService(store: dependencies.store, runner: dependencies.runner, clock: dependencies.clock,
                                      logger: dependencies.logger)
        let (store, clock, tokenID) = (dependencies.store, dependencies.clock, link.valid.token.id)
        let outcome: RotationOutcome
        do {
            outcome = try await service.approve(playbook, rotationID: link.rotationID, stage: link.stage,
                                                actor: "link:\(playbook.owner ?? "owner")", claim: {
                                                    let now = clock.now
                                                    return try await store.transaction { try $0.markReplyTokenUsed(id: tokenID, at: now) }
                                                })
        } catch let error as ApprovalError {
            throw ServerError(.conflict, error.description, hint: "see `rotor status \(playbook.secret)`", format: .html)
        }
        let state = outcome.rotation.state
        let text: String
        switch state {
        case .grace, .completed:
            text = "Approved. Every stage holds the new value and passed its checks; the old value stays valid until the grace "
                + "period ends\(outcome.rotation.graceEndsAt.map { " (\(ISO8601.string($0)))" } ?? "")."
        case .awaitingApproval:
            text = "Approved. The stage is written and verified; the next stage waits for its own approval (a new link was sent)."
        default:
            text = "Approved, but the rotation ended \(state.rawValue): \(outcome.rotation.error ?? "see `rotor status \(playbook.secret)`"). "
                + "Every target written holds the previous value again."
        }
        return HTMLPage(title: "\(playbook.secret): stage \(playbook.stagePlan[link.stage].name) approved",
                        paragraphs: [text, "This link is now used up."]).response()
    }

    /// A link that is valid and whose rotation still waits for approval of the stage it names.
    struct WaitingLink {
        var valid: ReplyHandler.Valid
        var rotationID: String
        var stage: Int
    }

    private func waitingLink(_ token: String, context: RotorRequestContext) async throws -> WaitingLink {
        let found = try await replies.inspect(.link(token))
        guard case .success(let valid) = found, let binding = ApprovalRequest.binding(ofAction: valid.token.action),
              valid.playbook.stagePlan.indices.contains(binding.stage) else {
            failures.countFailure(context)
            if case .failure(let refusal) = found { throw refusal.error.asHTML() }
            throw ReplyRefusal.unknown.error.asHTML()
        }
        let secret = valid.playbook.secret
        let waiting = try? await ApprovalService(store: dependencies.store, runner: dependencies.runner, clock: dependencies.clock,
                                                 logger: dependencies.logger).waiting(valid.playbook)
        guard let waiting, waiting.rotation.id == binding.rotationID, waiting.stage == binding.stage else {
            throw ServerError(.gone, "the rotation this link was sent for no longer waits for this approval",
                              hint: "see `rotor status \(secret)`", format: .html)
        }
        return WaitingLink(valid: valid, rotationID: binding.rotationID, stage: binding.stage)
    }

    /// Derived from the link's token with the reply-token key: only the page of that link carries it.
    private func csrfToken(for token: String) -> String {
        Base64URL.encode(dependencies.replyTokens.hash("csrf-approve:" + token))
    }
}
