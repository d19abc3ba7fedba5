import Foundation
import RotorHTTP

/// How Vercel reports failures: `{"error":{"code","message"}}` bodies, and sentences that name the
/// target, the token's reference and the team scope.
struct VercelDialect: VendorDialect {
    typealias Failure = VercelError

    /// The target's label, which starts every error message.
    let label: String
    /// Where the token came from (`env:VERCEL_TOKEN`), safe to print.
    let tokenReference: String
    let team: String?

    func errorDetail(in body: [UInt8]) -> (code: String?, message: String?) {
        let error = (try? JSONDecoder().decode(VercelAPI.ErrorEnvelope.self, from: Data(body)))?.error
        return (error?.code, error?.message)
    }

    /// Vercel meters each endpoint on its own: the method and the path's resource names, without the API
    /// version and the ids (`/v10/projects/{p}/env` is `POST projects/env`). Answers without
    /// `X-RateLimit-*` headers leave a bucket ungated.
    func rateLimitBucket(method: HTTPMethod, path: String) -> String? {
        var parts = path.split(separator: "/")
        if let version = parts.first, version.hasPrefix("v"), version.dropFirst().allSatisfy(\.isNumber) { parts.removeFirst() }
        let resources = parts.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element)
        return "\(method.rawValue) \(resources.joined(separator: "/"))"
    }

    func describe(_ failure: VendorAPIFailure) -> String {
        let action = failure.action
        let status = failure.status ?? 0
        let code = failure.code ?? "no code"
        let message = failure.message ?? "no message"
        let scope = team.map { " in team \($0)" } ?? ""
        switch failure.reason {
        case .unreachable:
            return "\(label): cannot reach Vercel at \(failure.base) to \(action) (\(message)); "
                + "check the api setting and the network, then run again"
        case .unexpectedResponse:
            return "\(label): Vercel's \(status) answer to \(action) does not have the documented shape; "
                + "check that api points at the Vercel API"
        case .rejectedToken:
            return "\(label): Vercel rejected the token from \(tokenReference) (\(status) \(code)) while trying to "
                + "\(action)\(scope); check it and its team scope"
        case .notFound:
            let hint = team == nil ? "; check the name or id, and set team: if the project belongs to a team" : "; check the name or id and the team"
            return "\(label): Vercel found no \(failure.subject)\(scope) (404 \(code): \(message))\(hint)"
        case .rateLimited:
            return "\(label): Vercel kept rate-limiting the request to \(action) (429) beyond the retry policy; "
                + "run again later or lower the vercel concurrency"
        case .refused:
            return "\(label): Vercel refused to \(action) (\(status) \(code): \(message)); fix the target's settings"
        default:
            return "\(label): Vercel answered \(status) (\(code)) to \(action), also after retries; run again later"
        }
    }
}
