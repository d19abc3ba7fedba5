import Foundation
import Hummingbird
import RotorCore
import RotorNotifiers

/// `POST /v1/slack/interactions`: a click on a button of a `slack-app` channel's message, as Slack sends it
/// (`application/x-www-form-urlencoded`, `payload=<JSON>`, signed with the app's signing secret).
///
/// The signature and its timestamp are checked before anything else (401, counted against the address's failure
/// limit and audited in aggregate); a request accepted once is refused when replayed (401, counted too). The action then goes the way the CLI's does (Skip through
/// ``SkipService``, Rotate now through the runner as a manual rotation, Approve through ``ApprovalHandler``) with the
/// clicking Slack user as the actor, and the message is updated with the outcome (`chat.update`). The answer is an
/// empty 200 once the action is recorded: a rotation runs on after it and updates the message again when it ends.
struct SlackInteractionRoutes: Sendable {
    /// Slack's payloads carry the clicked message; Rotor's messages are a few KiB.
    static let maxBytes = 64 * 1024

    let dependencies: ServiceDependencies
    let failures: FailureGuard
    let replays: SlackReplayGuard
    let followUps: SlackFollowUps

    func interact(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let apps = dependencies.slackApps
        guard !apps.isEmpty else {
            throw ServerError(.serviceUnavailable, "Slack buttons are not configured on this server",
                              hint: "define a channel of type slack-app in rotor.yml, with the app's signing_secret")
        }
        try await failures.admit(.slackSignature, context)
        let body = try await Self.readForm(request)
        let now = dependencies.clock.now
        let signature = request.headers[HTTPFields.Element.Name(SlackSignature.signatureHeader)!]
        let verdict = SlackSignature.verify(timestamp: request.headers[HTTPFields.Element.Name(SlackSignature.timestampHeader)!],
                                            signature: signature, body: body, secrets: apps.map(\.signingSecret.bytes), now: now)
        let app: SlackAppEndpoint
        switch verdict {
        case .failure(let refusal): throw try await refuse(refusal.rawValue, context)
        case .success(let index): app = apps[index]
        }
        // Hex is read in either case: the replay is recognised by the MAC, not by how it was spelt.
        guard replays.firstSight((signature ?? "").lowercased(), now: now) else { throw try await refuse("replayed request", context) }
        let interaction = try decode(body)
        guard interaction.channelID == app.channel else {
            throw ServerError(.forbidden, "this message is not in the channel the app posts to",
                              hint: "the channel's `channel:` in rotor.yml names where Rotor's messages and buttons live")
        }
        let action = interaction.actions[0]
        let clicks = SlackClicks(dependencies: dependencies, app: app, interaction: interaction, followUps: followUps)
        switch action.actionID {
        case "open_supply":
            // A link button: Slack opened the page in the browser and tells the app; nothing to do.
            break
        case "skip", "rotate_now":
            try await clicks.secretAction(action)
        case "approve":
            try await clicks.approve(action)
        default:
            throw ServerError(.badRequest, "this button is not one of Rotor's",
                              hint: "Rotor's buttons are skip, rotate_now, approve and open_supply")
        }
        return Response(status: .ok, headers: [.cacheControl: "no-store", .contentLength: "0"])
    }

    /// A refused signature: counted, audited in aggregate, 401.
    private func refuse(_ reason: String, _ context: RotorRequestContext) async throws -> ServerError {
        if let limited = try await failures.failed(.slackSignature, context, reason: reason) { return limited }
        return ServerError(.unauthorized, "the request is not authenticated as Slack's: \(reason)",
                           hint: "Slack signs with the app's signing secret: X-Slack-Request-Timestamp: <unix seconds>, "
                            + "X-Slack-Signature: v0=<hex HMAC-SHA256 of v0:{timestamp}:{body}>, within 5 minutes of the server's clock")
    }

    /// The body, at most ``maxBytes``, sent as a form (413 beyond the limit, before its type is looked at; 415 for
    /// another type).
    private static func readForm(_ request: Request) async throws -> [UInt8] {
        let tooLarge = ServerError(.contentTooLarge, "the request body is larger than \(maxBytes / 1024) KiB",
                                   hint: "an interaction payload is a few KiB", headers: [.connection: "close"])
        let body = try await JSONBody.readBounded(request, limit: maxBytes, tooLarge: tooLarge)
        guard SupplyForm.isForm(request.headers[.contentType] ?? "") else {
            throw ServerError(.unsupportedMediaType, "Slack sends interactions as a form",
                              hint: "send payload=<JSON> with Content-Type: application/x-www-form-urlencoded")
        }
        return body
    }

    /// The `payload` field as a `block_actions` interaction with one action, or 400.
    private func decode(_ body: [UInt8]) throws -> SlackInteraction {
        let payload = SupplyForm(bytes: body)["payload"]
        if let data = payload?.data(using: .utf8),
           let interaction = try? JSONDecoder().decode(SlackInteraction.self, from: data),
           interaction.type == "block_actions", interaction.actions.count == 1,
           SlackInteraction.isUserID(interaction.user.id), interaction.messageTS.map(SlackInteraction.isMessageTS) ?? false {
            return interaction
        }
        // Signed, so Slack's (or the secret's holder's): a bad payload is a bug to report, not a guess to count.
        throw ServerError(.badRequest, "the payload is not a block_actions interaction with one action",
                          hint: "Slack sends payload=<JSON> with type block_actions, the user, the message and the action clicked")
    }
}
