import Foundation
import Hummingbird
import RotorCore
import RotorNotifiers

/// What a click does, and the message update that tells the channel: one instance per accepted interaction.
struct SlackClicks: Sendable {
    let dependencies: ServiceDependencies
    let app: SlackAppEndpoint
    let interaction: SlackInteraction
    let followUps: SlackFollowUps

    /// How long the update after a click may take: the answer to Slack must leave within 3 seconds.
    static let updateTimeout: Duration = .seconds(2)

    private var actor: String { interaction.actor }
    private var mention: String { "<@\(interaction.user.id)>" }

    /// Skip or Rotate now on the secret the button names, when it is one this channel is told about (404 otherwise).
    func secretAction(_ action: SlackInteraction.Action) async throws {
        let name = action.value ?? ""
        guard Playbook.isValidSecretName(name), let playbook = dependencies.playbooks[name], playbook.notify.contains(app.name) else {
            throw ServerError(.notFound, "no secret of that name is announced in this channel",
                              hint: "the button's secret is no longer managed, or its playbook no longer notifies this channel")
        }
        if action.actionID == "skip" {
            try await skip(playbook)
        } else {
            try await rotateNow(playbook)
        }
    }

    private func skip(_ playbook: Playbook) async throws {
        let skips = SkipService(store: dependencies.store, clock: dependencies.clock)
        do {
            let outcome = try await skips.skip(playbook, for: nil, reason: "Skip clicked in Slack", actor: actor, via: "slack")
            await update(":white_check_mark: \(mention) postponed the rotation: \(SlackAppMessage.escape(outcome.message)).",
                         buttonsFor: nil)
        } catch let error as SkipError {
            await update(":warning: \(mention) could not postpone it: \(SlackAppMessage.escape("\(error)")).", buttonsFor: playbook.secret)
        }
    }

    /// Starts a manual rotation as `rotor rotate` does; it runs on after the answer and updates the message when it ends.
    private func rotateNow(_ playbook: Playbook) async throws {
        let secret = playbook.secret
        if let active = try await dependencies.store.transaction({ try $0.activeRotation(secretName: secret) }) {
            await update(":warning: \(mention) asked to rotate now, but rotation \(active.id) is already \(active.state.rawValue).",
                         buttonsFor: secret)
            return
        }
        let id = RotationRunner.newRotationID()
        let request = RotationRunner.Request(trigger: .manual, actor: actor, reason: "Rotate now clicked in Slack", id: id)
        await update(":arrows_counterclockwise: \(mention) started rotation \(id) of \(secret).", buttonsFor: nil)
        let runner = dependencies.runner
        let logger = dependencies.logger
        followUps.start {
            let text: String
            do {
                let outcome = try await runner.rotate(playbook, request)
                let state = outcome.rotation.state
                text = outcome.succeeded
                    ? ":white_check_mark: Rotation \(id) of \(secret) (started by \(mention)) reached \(state.rawValue)"
                        + (outcome.newVersion.map { ": the new key is \(SlackAppMessage.escape($0.display))" } ?? "") + "."
                    : state == .awaitingValue
                        ? ":hourglass: Rotation \(id) of \(secret) (started by \(mention)) waits for a new value: see the supply request."
                        : ":x: Rotation \(id) of \(secret) (started by \(mention)) ended \(state.rawValue). See `rotor status \(secret)`."
            } catch {
                logger.error("rotation started from Slack failed", metadata: ["secret": "\(secret)", "error": "\(error)"])
                text = ":x: Rotation \(id) of \(secret) (started by \(mention)) could not run: \(SlackAppMessage.escape("\(error)"))."
            }
            await update(text, buttonsFor: nil)
        }
    }

    /// Approve: through the injected ``ApprovalHandler``.
    func approve(_ action: SlackInteraction.Action) async throws {
        let id = action.value ?? ""
        guard id.hasPrefix("rot_"), id.count <= 64, id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) else {
            throw ServerError(.badRequest, "the Approve button does not name a rotation", hint: "its value is the rotation's id")
        }
        do {
            let outcome = try await dependencies.approvals.approve(id, actor)
            await update(":white_check_mark: \(mention) approved rotation \(id): \(SlackAppMessage.escape(outcome))", buttonsFor: nil)
        } catch {
            let approve = SlackAppMessage.Button(label: "Approve", action: "approve", value: id)
            await update(":warning: \(mention) could not approve rotation \(id): \(SlackAppMessage.escape("\(error)")).", buttons: [approve])
        }
    }

    private func update(_ outcome: String, buttonsFor secret: String?) async {
        await update(outcome, buttons: secret.map(SlackAppMessage.warningButtons) ?? [])
    }

    /// Replaces the clicked message with its text and `outcome` (and `buttons`, when the action may be tried again).
    /// A failed update is logged: the action itself has happened and is audited.
    private func update(_ outcome: String, buttons: [SlackAppMessage.Button]) async {
        guard let ts = interaction.messageTS else { return }
        // The text Slack sends back is the message's, escaped when Rotor posted it.
        let original = interaction.message?.text.map { String($0.prefix(2000)) } ?? ""
        let message = SlackAppMessage(text: original.isEmpty ? "Rotor" : original, sections: [original, outcome], buttons: buttons)
        do {
            try await app.api.update(channel: app.channel, ts: ts, message, timeout: Self.updateTimeout)
        } catch {
            dependencies.logger.warning("the Slack message could not be updated", metadata: [
                "slack.channel": "\(app.name)", "error": "\(error)",
            ])
        }
    }
}
