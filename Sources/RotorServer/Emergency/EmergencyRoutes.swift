import Foundation
import Hummingbird
import RotorCore

/// `POST /v1/secrets/{name}/emergency`: a suspected leak. Rotates now with the emergency grace (or
/// the one asked for), ignoring windows and skips. Admin bearer token required.
struct EmergencyRoutes: Sendable {
    struct Body: Decodable {
        var reason: String?
        var grace: String?
        var revokeImmediately: Bool?

        enum CodingKeys: String, CodingKey {
            case reason, grace
            case revokeImmediately = "revoke_immediately"
        }
    }

    static let shape = #"{"reason": "…", "grace": "4h" (optional), "revoke_immediately": false (optional)}"#

    let dependencies: ServiceDependencies
    let failures: FailureGuard

    func trigger(_ request: Request, context: RotorRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        try await failures.admit(.adminToken, context)
        do {
            try BearerToken.require(request, expected: dependencies.adminToken, endpoint: "emergency")
        } catch let error as ServerError where error.status == .unauthorized {
            // Counted and audited in aggregate: a guessed token is an anonymous request.
            try await failures.failed(.adminToken, context, reason: error.message)
            throw error
        }
        let bytes = try await JSONBody.read(request)
        let name = context.parameters.get("name") ?? ""
        guard Playbook.isValidSecretName(name), let playbook = dependencies.playbooks[name] else {
            throw ServerError(.notFound, Playbook.isValidSecretName(name) ? "no playbook for a secret named \(name)" : "no such secret",
                              hint: "`rotor status` lists the managed secrets")
        }
        guard !playbook.isKeyTable else {
            throw ServerError(.badRequest, "\(name) is the customer key table, not one secret",
                              hint: "rotate one customer key with `rotor emergency --key KEY_ID` or `--prefix PREFIX`")
        }
        let body = bytes.isEmpty ? Body() : try JSONBody.decode(Body.self, from: bytes, shape: Self.shape)
        guard let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw ServerError(.badRequest, "a reason is required", hint: "send \(Self.shape)")
        }
        var grace: Duration?
        if let text = body.grace {
            guard let parsed = try? DurationText.parse(text) else {
                throw ServerError(.badRequest, "grace is not a duration", hint: "use \(DurationText.forms), for example \"4h\"")
            }
            grace = parsed
        }
        let outcome: RotationOutcome
        do {
            outcome = try await dependencies.runner.rotate(playbook, .init(
                trigger: .emergency, actor: "admin-api", reason: reason, grace: grace,
                revokeImmediately: body.revokeImmediately ?? false))
        } catch let error as RunnerError {
            switch error.code {
            case .rotationActive, .leaseHeld:
                throw ServerError(.conflict, "\(error)", hint: "an emergency rotation starts once the active one has ended")
            default:
                throw ServerError(.internalServerError, "\(error)", hint: "see `rotor status \(name)`")
            }
        } catch let error as StoreError where error.code == .activeRotationExists {
            throw ServerError(.conflict, "\(name) already has an active rotation \(error.activeRotationID ?? "")",
                              hint: "an emergency rotation starts once the active one has ended; see `rotor status \(name)`")
        }
        let answer = EmergencyAnswer(outcome, elapsed: ContinuousClock.now - started)
        dependencies.logger.notice("emergency rotation via the API", metadata: [
            "secret": "\(name)", "rotation": "\(answer.rotationID)", "state": "\(answer.state)",
            "seconds": "\(answer.elapsedSeconds)",
        ])
        return JSONBody.response(answer, status: outcome.succeeded ? .ok : .badGateway, noStore: true)
    }
}
