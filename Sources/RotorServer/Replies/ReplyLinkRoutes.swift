import Foundation
import Hummingbird
import RotorCore

/// `GET /r/{token}` shows what a signed link would do; `POST /r/{token}` does it, once.
///
/// The GET changes nothing, not even an audit row: chat apps fetch links to preview them. A refused
/// link counts as a failed attempt of the client's address either way (see ``FailureGuard``).
struct ReplyLinkRoutes: Sendable {
    let replies: ReplyHandler
    let failures: FailureGuard

    func confirm(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.admit(.replyLink, context, html: true)
        let token = context.parameters.get("token") ?? ""
        let valid: ReplyHandler.Valid
        switch try await replies.inspect(.link(token)) {
        case .failure(let refusal):
            failures.countFailure(context)
            throw refusal.error.asHTML()
        case .success(let found):
            valid = found
        }
        let secret = valid.playbook.secret
        let due = valid.nextRotationAt.map { "It is due at \(ISO8601.string($0))." } ?? "It has no rotation date yet."
        let once = "This link works once and expires at \(ISO8601.string(valid.token.expiresAt))."
        switch ReplyCommand(action: valid.token.action) {
        case .skip:
            let skipFor = DurationText.format(valid.playbook.policy.skipFor)
            let maxAge = DurationText.format(valid.playbook.policy.maxAge)
            return HTMLPage(title: "Postpone \(secret)'s rotation by \(skipFor)?", paragraphs: [
                "Postpone \(secret)'s rotation by \(skipFor). \(due)",
                "A postponement never goes past the compliance limit (\(maxAge) since the current key was created); "
                    + "at most \(valid.playbook.policy.maxSkips) per cycle.",
                once,
            ], button: .init(label: "Postpone by \(skipFor)")).response()
        case .rotateNow:
            return HTMLPage(title: "Rotate \(secret) now?", paragraphs: [
                "Rotate now: \(secret) becomes due at once and the next scheduler pass starts its rotation. \(due)",
                once,
            ], button: .init(label: "Rotate now")).response()
        case nil:
            throw ServerError(.notFound, "this link's action is not known to this server",
                              hint: "use the link in the latest warning, or run `rotor skip SECRET --reason …`", format: .html)
        }
    }

    func act(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.admit(.replyLink, context, html: true)
        // The page's form posts no fields: a body is read only so that a huge one is refused (413) before the token is used.
        _ = try await JSONBody.readBounded(request)
        let token = context.parameters.get("token") ?? ""
        // A supply or approval link's token is no reply link: refused here without being used up (it lives on at /s/, /a/).
        if case .success(let found)? = try? await replies.inspect(.link(token)),
           SupplyRequest.rotationID(ofAction: found.token.action) != nil || ApprovalRequest.binding(ofAction: found.token.action) != nil {
            failures.countFailure(context)
            throw ReplyRefusal.unknown.error.asHTML()
        }
        let valid: ReplyHandler.Valid
        switch try await replies.claim(.link(token), actor: "link") {
        case .failure(let refused):
            try await failures.failed(.replyLink, context, reason: refused.refusal.auditReason, event: refused.event)
            throw refused.refusal.error.asHTML()
        case .success(let found):
            valid = found
        }
        guard let command = ReplyCommand(action: valid.token.action) else {
            throw ReplyRefusal.actionRefused("this link's action is not known to this server").error.asHTML()
        }
        let actor = "link:\(valid.playbook.owner ?? "owner")"
        let answer: ReplyHandler.Answer
        do {
            answer = try await replies.perform(command, on: valid, actor: actor, via: "link")
        } catch let error as ServerError {
            throw error.asHTML()
        }
        switch command {
        case .skip:
            var paragraphs = [answer.message + "."]
            if answer.capped {
                paragraphs.append("The postponement was cut to the compliance limit: the key may not live longer.")
            }
            if let used = answer.skipsUsed, let max = answer.maxSkips {
                paragraphs.append("Postponements used this cycle: \(used) of \(max).")
            }
            return HTMLPage(title: "\(answer.secret) postponed", paragraphs: paragraphs).response()
        case .rotateNow:
            return HTMLPage(title: "\(answer.secret) will rotate now", paragraphs: [answer.message + "."]).response()
        }
    }
}
