import Foundation
import Hummingbird
import RotorCore

extension DashboardRoutes {
    struct ConfirmView {
        var secret: String
        var action: String
        var title: String
        var explanation: String
        var fields: [DashboardAction.Field]
        var danger: Bool
        var csrf: String
        var refusal: String?
    }

    /// `GET /ui/secrets/{name}/{action}`: what the action will do, and a form to confirm it; changes nothing.
    func confirmPage(_ context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            let (playbook, action) = try target(context)
            guard session.isOperator else { return Self.viewerRefusal(session) }
            return confirmation(playbook, action, session: session, refusal: nil).response()
        }
    }

    /// `POST /ui/secrets/{name}/{action}`: does it, as the signed-in person, after the form's checks.
    func act(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let form = try await DashboardForm.read(request)
        guard let session = auth.signedIn(context) else { return DashboardPage.redirect("/ui/sign-in") }
        try auth.checkForm(form, request, session: session)
        let (playbook, action) = try target(context)
        guard session.isOperator, let actor = session.user else { return Self.viewerRefusal(session) }
        let reason = form["reason"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        do {
            switch action {
            case .skip:
                let requested = try (form["for"]).flatMap { $0.isEmpty ? nil : try DurationText.parse($0) }
                let outcome = try await SkipService(store: dependencies.store, clock: dependencies.clock)
                    .skip(playbook, for: requested, reason: reason, actor: actor, via: "dashboard")
                return DashboardPage.message("Skipped", [outcome.message, "Skips used this cycle: \(outcome.skipsUsed) of \(outcome.maxSkips)."],
                                             session: session, links: [.init(href: "/ui/secrets/\(playbook.secret)", label: "Back to \(playbook.secret)")])
                    .response()
            case .rotate:
                return try await rotate(playbook, actor: actor, reason: reason.isEmpty ? nil : reason)
            case .emergency:
                guard !reason.isEmpty else { throw DashboardRefusal("a reason is required") }
                return try await emergency(playbook, actor: actor, reason: reason)
            case .resolve:
                return try await resolve(playbook, how: form["how"] ?? "", reason: reason, actor: actor)
            }
        } catch let error as DashboardRefusal {
            return confirmation(playbook, action, session: session, refusal: error.message).response(status: .unprocessableContent)
        } catch is DurationTextError {
            return confirmation(playbook, action, session: session, refusal: "that is not a duration; use \(DurationText.forms)")
                .response(status: .unprocessableContent)
        } catch let error as SkipError {
            return confirmation(playbook, action, session: session, refusal: error.description).response(status: .conflict)
        } catch let error as RecoveryError {
            return confirmation(playbook, action, session: session, refusal: error.description).response(status: .conflict)
        }
    }

    private func rotate(_ playbook: Playbook, actor: String, reason: String?) async throws -> Response {
        let secret = playbook.secret
        if let active = try await dependencies.store.transaction({ try $0.activeRotation(secretName: secret) }) {
            throw DashboardRefusal("rotation \(active.id) is \(active.state.rawValue); wait for it, or use Emergency")
        }
        let id = RotationRunner.newRotationID()
        let runner = dependencies.runner
        // A rotation takes as long as its deploys: it goes on in the server, and the page follows it live.
        try await DashboardStart(store: dependencies.store, logger: dependencies.logger).start(rotation: id, what: "rotation", secret: secret) {
            _ = try await runner.rotate(playbook, .init(trigger: .manual, actor: actor, reason: reason, id: id))
        }
        return DashboardPage.redirect("/ui/rotations/\(id)")
    }

    private func emergency(_ playbook: Playbook, actor: String, reason: String) async throws -> Response {
        let service = EmergencyService(store: dependencies.store, runner: dependencies.runner, clock: dependencies.clock,
                                       logger: dependencies.logger)
        let plan = try await service.plan(playbook)
        try await DashboardStart(store: dependencies.store, logger: dependencies.logger)
            .start(rotation: plan.rotationID, what: "emergency rotation", secret: playbook.secret) {
                _ = try await service.carryOut(plan, playbook: playbook, request: .init(actor: actor, reason: reason))
            }
        let follow = if case .revokeOld = plan.kind { "?follow=revoke" } else { "" }
        return DashboardPage.redirect("/ui/rotations/\(plan.rotationID)\(follow)")
    }

    private func resolve(_ playbook: Playbook, how: String, reason: String, actor: String) async throws -> Response {
        let action: ResolveService.Action
        switch how {
        case "retry": action = .retry
        case "revoked":
            guard !reason.isEmpty else { throw DashboardRefusal("say why: a reason is required when you revoked by hand") }
            action = .revokedManually(reason: reason)
        default: throw DashboardRefusal("choose how to resolve it")
        }
        let service = ResolveService(store: dependencies.store, runner: dependencies.runner)
        guard let stuck = try await service.stuckRotation(playbook.secret) else {
            throw DashboardRefusal("\(playbook.secret) has no stuck rotation")
        }
        let (logger, secret) = (dependencies.logger, playbook.secret)
        Task.detached {
            do {
                _ = try await service.resolve(playbook, action, actor: actor)
            } catch {
                logger.error("resolve from the dashboard failed", metadata: ["secret": "\(secret)", "error": "\(error)"])
            }
        }
        return DashboardPage.redirect("/ui/rotations/\(stuck.id)")
    }

    private func target(_ context: RotorRequestContext) throws -> (Playbook, DashboardAction) {
        let playbook = try playbook(context)
        guard let action = DashboardAction(rawValue: context.parameters.get("action") ?? "") else {
            throw ServerError(.notFound, "no such action", hint: "the secret's page lists what you can do", format: .html)
        }
        return (playbook, action)
    }

    private func confirmation(_ playbook: Playbook, _ action: DashboardAction, session: DashboardSession, refusal: String?) -> DashboardPage {
        DashboardPage(template: "confirm", title: "\(action.title): \(playbook.secret)", view: ConfirmView(
            secret: playbook.secret, action: action.rawValue, title: action.title, explanation: action.explanation(playbook),
            fields: action.fields, danger: action == .emergency, csrf: session.csrf, refusal: refusal), session: session)
    }

    static func viewerRefusal(_ session: DashboardSession) -> Response {
        DashboardPage.message("Not allowed", ["You are signed in as \(session.user ?? "someone") with the viewer role: you can look, not act.",
                                              "Ask an operator, or sign in with an operator's token."], session: session)
            .response(status: .forbidden)
    }
}

