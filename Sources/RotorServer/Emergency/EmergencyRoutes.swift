import Foundation
import Hummingbird
import RotorCore

/// `POST /v1/secrets/{name}/emergency`: a suspected leak. Rotates now with the emergency grace (or
/// the one asked for), ignoring windows and skips, taking over what the secret is doing (see
/// ``EmergencyService``). Answers 202 at once with the rotation to follow at `GET /v1/rotations/{id}`.
/// Admin bearer token required.
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
        try await failures.requireAdminToken(request, context, expected: dependencies.adminToken, endpoint: "emergency")
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
        let service = EmergencyService(store: dependencies.store, runner: dependencies.runner, clock: dependencies.clock,
                                       logger: dependencies.logger)
        let plan: EmergencyService.Plan
        do {
            plan = try await service.plan(playbook)
        } catch let error as RecoveryError {
            switch error.code {
            case .notImported: throw ServerError(.conflict, "\(error)", hint: "run `rotor import \(name)` first")
            default: throw ServerError(.conflict, "\(error)", hint: "see `rotor status \(name)`")
            }
        }
        let emergency = EmergencyService.Request(actor: "admin-api", reason: reason, grace: grace,
                                                 revokeImmediately: body.revokeImmediately ?? false)
        // The rotation takes minutes (deploys): it continues in the server process, and the caller follows it
        // at the status URL instead of holding the request open.
        let logger = dependencies.logger
        Task.detached {
            do {
                let outcome = try await service.carryOut(plan, playbook: playbook, request: emergency)
                logger.notice("emergency rotation via the API", metadata: [
                    "secret": "\(name)", "rotation": "\(outcome.rotation.id)", "state": "\(outcome.rotation.state.rawValue)",
                ])
            } catch {
                logger.error("emergency rotation via the API failed", metadata: ["secret": "\(name)", "error": "\(error)"])
            }
        }
        return JSONBody.response(Accepted(rotationID: plan.rotationID, secret: name, statusURL: "/v1/rotations/\(plan.rotationID)",
                                          action: Accepted.action(plan.kind)),
                                 status: .accepted, noStore: true)
    }

    /// The answer of a trigger: which rotation to follow, and where.
    struct Accepted: Encodable {
        var rotationID: String
        var secret: String
        var statusURL: String
        var action: String

        enum CodingKeys: String, CodingKey {
            case secret, action
            case rotationID = "rotation_id"
            case statusURL = "status_url"
        }

        static func action(_ kind: EmergencyService.Plan.Kind) -> String {
            switch kind {
            case .rotate: "rotating"
            case .abortThenRotate: "rolling back the rotation in flight, then rotating"
            case .revokeOld: "revoking the previous value"
            }
        }
    }
}
