import Foundation
import Hummingbird
import RotorCore

/// `GET /v1/rotations/{id}`: where a rotation stands (an emergency triggered over HTTP is followed here): its
/// state and its versions by fingerprint and last 4, never a value. Admin bearer token required.
struct RotationStatusRoutes: Sendable {
    let dependencies: ServiceDependencies
    let failures: FailureGuard

    func status(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await failures.requireAdminToken(request, context, expected: dependencies.adminToken, endpoint: "rotation status")
        let id = context.parameters.get("id") ?? ""
        let outcome: RotationOutcome
        do {
            outcome = try await dependencies.runner.outcome(for: id)
        } catch let error as RunnerError where error.code == .unknownRotation {
            throw ServerError(.notFound, "no rotation \(id)",
                              hint: "an emergency just triggered may still be rolling back the rotation it replaces; try again shortly")
        }
        let rotation = outcome.rotation
        let elapsed = (rotation.completedAt ?? rotation.updatedAt).timeIntervalSince(rotation.createdAt)
        return JSONBody.response(EmergencyAnswer(outcome, elapsed: .milliseconds(Int64(elapsed * 1000))), noStore: true)
    }
}
